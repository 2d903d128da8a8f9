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

    /** @param x [...] @return [...] */
    public Var forward(Var x) {
        if (!isTraining() || p == 0f) return x;
        Tensor mask = mask(x.shape());
        return x.mul(Var.of(mask));
    }

    /** A mask of zeros and {@code 1/(1-p)} of {@code shape} (draws from this layer's generator). */
    Tensor mask(int[] shape) {
        Tensor m = rng.bernoulli(1f - p, shape);
        float scale = 1f / (1f - p);
        if (m.device() == Device.CPU) {
            float[] d = m.cpuData();
            Parallel.forRange(d.length, 1 << 15, (lo, hi) -> {
                for (int i = lo; i < hi; i++) d[i] *= scale;
            });
            return m;
        }
        return m.mul(scale);
    }

    /** Whether this layer currently drops anything. */
    boolean active() {
        return isTraining() && p > 0f;
    }
}
