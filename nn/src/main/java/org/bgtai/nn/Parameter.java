package org.bgtai.nn;

import java.util.Arrays;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * A trainable tensor owned by a {@link Module}: a dense value, its accumulated gradient and a
 * frozen flag.
 *
 * <p>{@link #var()} is the graph leaf a forward pass uses: a gradient-recording leaf while
 * trainable, a constant while {@linkplain #setFrozen frozen}. The value tensor is updated in place
 * by optimizers and {@link Module#loadStateDict}, so views of it stay valid.
 *
 * <pre>{@code
 * Parameter w = new Parameter(Tensor.zeros(4, 3));
 * Var y = x.matmul(w.var().mT());   // records a gradient for w on backward()
 * }</pre>
 */
public final class Parameter {
    private Tensor value;
    private Var trainable;
    private Var constant;
    private boolean frozen;

    /** Wraps {@code value} (copied when it is not dense, so in-place updates are cheap). */
    public Parameter(Tensor value) {
        this.value = value.isDense() ? value : value.copy();
        this.trainable = Var.param(this.value);
        this.constant = Var.of(this.value);
    }

    /** The graph leaf for this parameter (a constant when frozen). */
    public Var var() {
        return frozen ? constant : trainable;
    }

    /** The value tensor (dense; modify only in place). */
    public Tensor value() {
        return value;
    }

    /** The accumulated gradient, or {@code null} before the first backward pass. */
    public Tensor grad() {
        return trainable.grad();
    }

    /** Replaces the gradient (same shape), e.g. after averaging across workers. */
    public void setGrad(Tensor g) {
        trainable.setGrad(g);
    }

    /** Zeroes the gradient in place (the buffer is kept for the next step). */
    public void zeroGrad() {
        trainable.zeroGrad();
    }

    public boolean isFrozen() {
        return frozen;
    }

    /** A frozen parameter records no gradient and optimizers skip it. */
    public void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    public int[] shape() {
        return value.shape();
    }

    public int numel() {
        return value.numel();
    }

    /** The device the value lives on. */
    public Device device() {
        return value.device();
    }

    /**
     * Moves the value to {@code device} (a copy; nothing happens when it is already there). The
     * gradient is dropped and graph leaves are rebuilt, so views of the old value and vars taken
     * from {@link #var()} before the move no longer refer to this parameter; move a model before
     * building its optimizer and before the first forward pass.
     */
    public void to(Device device) {
        if (value.device() == device) return;
        Tensor moved = value.to(device);
        this.value = moved.isDense() ? moved : moved.copy();
        this.trainable = Var.param(this.value);
        this.constant = Var.of(this.value);
    }

    /** Copies {@code src} into the value in place; shapes must match (moved to this parameter's device when needed). */
    public void copyFrom(Tensor src) {
        if (!Arrays.equals(src.shape(), value.shape()))
            throw new IllegalArgumentException("parameter of shape " + Shape.str(value.shape()) + " cannot take a value of shape " + Shape.str(src.shape()));
        value.copyFrom(src.to(value.device()));
    }

    @Override
    public String toString() {
        return "Parameter" + Shape.str(value.shape()) + (frozen ? " (frozen)" : "");
    }
}
