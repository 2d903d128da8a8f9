package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Inverted dropout (PyTorch {@code nn.Dropout(p)}): in training mode each element is zeroed with
 * probability {@code p} and the survivors are scaled by {@code 1/(1-p)}; in eval mode it is the
 * identity. Any shape in, the same shape out. Masks come from the layer's own seeded {@link Rng},
 * drawn on the input's device ({@link Rng#bernoulli(float, Device, int...)}: the same bits on every
 * device, nothing copied from the host), so a run is reproducible and device-independent.
 *
 * <p>The mask multiply is one op of the device's {@link FusedOps}, fused with the residual add
 * ({@link #addTo}) or the ReLU ({@link #forwardActivated}).
 *
 * <pre>{@code
 * Dropout drop = new Dropout(0.1f, new Rng(7));
 * Var y = drop.forward(x);    // training: about 10% zeros, the rest x / 0.9
 * drop.eval();                // now the identity
 * }</pre>
 */
public final class Dropout extends Module {
    private final float p;
    private final Rng rng;

    public Dropout(float p, Rng rng) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        this.p = p;
        this.rng = rng;
    }

    public float p() {
        return p;
    }

    /** The layer's mask generator (its state is saved with checkpoints so a resumed run draws the same masks). */
    public Rng rng() {
        return rng;
    }

    /** @param x [...] @return [...] */
    public Var forward(Var x) {
        if (!active()) return x;
        FusedOps.DropMask m = mask(x.shape(), x.value().device());
        FusedOps f = x.value().backend().fused();
        return Var.op("dropout", f.dropout(x.value(), m), g -> new Tensor[] {f.dropout(g, m)}, x);
    }

    /**
     * {@code residual + dropout(x)} as one op (the residual connection of a transformer block).
     * @param residual [...] @param x [...] same shape @return [...]
     */
    public Var addTo(Var residual, Var x) {
        if (!active() || !java.util.Arrays.equals(residual.shape(), x.shape())) return residual.add(forward(x));
        FusedOps.DropMask m = mask(x.shape(), x.value().device());
        FusedOps f = x.value().backend().fused();
        return Var.op("residual_dropout", f.addDropout(residual.value(), x.value(), m), g -> new Tensor[] {g, f.dropout(g, m)}, residual, x);
    }

    /**
     * {@code dropout(act(h))} as one op for ReLU (other activations are composed).
     * @param h [...] pre-activation @return [...]
     */
    public Var forwardActivated(Var h, Activation act) {
        if (!active() || act != Activation.RELU) return forward(act.apply(h));
        FusedOps.DropMask m = mask(h.shape(), h.value().device());
        FusedOps f = h.value().backend().fused();
        Tensor hv = h.value();
        return Var.op("relu_dropout", f.reluDropout(hv, m), g -> new Tensor[] {f.reluDropoutBackward(g, hv, m)}, h);
    }

    /** A keep-mask of {@code shape} on {@code device} (1 with probability 1-p) and the scale {@code 1/(1-p)}; draws from this layer's generator. */
    FusedOps.DropMask mask(int[] shape, Device device) {
        return new FusedOps.DropMask(rng.bernoulli(1f - p, device, shape), 1f / (1f - p));
    }

    /** Whether this layer currently drops anything. */
    boolean active() {
        return isTraining() && p > 0f;
    }
}
