package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Inverted dropout (PyTorch {@code nn.Dropout(p)}): in training mode each element is zeroed with
 * probability {@code p} and the survivors are scaled by {@code 1/(1-p)}; in eval mode it is the
 * identity. Any shape in, the same shape out. Masks come from the layer's own seeded {@link Rng},
 * so a run is reproducible.
 *
 * <p>On the CPU the mask multiply is fused with the residual add or the ReLU; on another device
 * the mask (scaled by {@code 1/(1-p)}) is drawn on the host from the same generator, copied to the
 * device once per call and applied with an elementwise multiply, so a seeded run draws the same
 * masks on every device.
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
        if (x.value().device() != Device.CPU) return x.mul(Var.of(mask(x.shape()).to(x.value().device())));
        float[] m = keepMask(x.shape());
        float scale = 1f / (1f - p);
        Tensor xc = x.value().contiguous();
        float[] out = NnKernels.mulMask(xc.cpuData(), xc.offset(), m, scale);
        return Var.op("dropout", Tensor.of(out, x.shape()), g -> new Tensor[] {maskedGrad(g, m, scale)}, x);
    }

    /**
     * {@code residual + dropout(x)} as one op (the residual connection of a transformer block).
     * @param residual [...] @param x [...] same shape @return [...]
     */
    public Var addTo(Var residual, Var x) {
        if (!active() || !java.util.Arrays.equals(residual.shape(), x.shape()) || x.value().device() != Device.CPU)
            return residual.add(forward(x));
        float[] m = keepMask(x.shape());
        float scale = 1f / (1f - p);
        Tensor rc = residual.value().contiguous(), xc = x.value().contiguous();
        float[] out = NnKernels.addMulMask(rc.cpuData(), rc.offset(), xc.cpuData(), xc.offset(), m, scale);
        return Var.op("residual_dropout", Tensor.of(out, x.shape()), g -> new Tensor[] {g, maskedGrad(g, m, scale)}, residual, x);
    }

    /**
     * {@code dropout(act(h))} as one op for ReLU (other activations are composed).
     * @param h [...] pre-activation @return [...]
     */
    public Var forwardActivated(Var h, Activation act) {
        if (!active() || act != Activation.RELU || h.value().device() != Device.CPU) return forward(act.apply(h));
        float[] m = keepMask(h.shape());
        float scale = 1f / (1f - p);
        Tensor hc = h.value().contiguous();
        float[] hd = hc.cpuData();
        int ho = hc.offset();
        float[] out = NnKernels.reluMulMask(hd, ho, m, scale);
        return Var.op("relu_dropout", Tensor.of(out, h.shape()), g -> {
            Tensor gc = g.contiguous();
            return new Tensor[] {Tensor.of(NnKernels.reluMaskGrad(gc.cpuData(), gc.offset(), hd, ho, m, scale), h.shape())};
        }, h);
    }

    private static Tensor maskedGrad(Tensor g, float[] m, float scale) {
        Tensor gc = g.contiguous();
        return Tensor.of(NnKernels.mulMask(gc.cpuData(), gc.offset(), m, scale), g.shape());
    }

    /** Keep-mask of 0/1 values of {@code shape} (1 with probability 1-p). */
    private float[] keepMask(int[] shape) {
        return rng.bernoulli(1f - p, shape).cpuData();
    }

    /** A mask of zeros and {@code 1/(1-p)} of {@code shape} (draws from this layer's generator). */
    Tensor mask(int[] shape) {
        float[] m = keepMask(shape);
        float scale = 1f / (1f - p);
        Parallel.forRange(m.length, 1 << 15, (lo, hi) -> {
            for (int i = lo; i < hi; i++) m[i] *= scale;
        });
        return Tensor.of(m, shape);
    }

    /** Whether this layer currently drops anything. */
    boolean active() {
        return isTraining() && p > 0f;
    }
}
