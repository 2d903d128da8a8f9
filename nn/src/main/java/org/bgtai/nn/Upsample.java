package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Shape;

/**
 * Nearest-neighbour upsampling of {@code [N, C, H, W]} by an integer factor (PyTorch
 * {@code nn.Upsample(scale_factor=f, mode="nearest")}):
 * {@code y[n, c, i, j] = x[n, c, i / f, j / f]} (integer division), {@code [N, C, f H, f W]}.
 *
 * <p>Runs as a broadcast view {@code [N, C, H, 1, W, 1] -> [N, C, H, f, W, f]} and one copy into
 * the output layout; the backward rule is the adjoint, the sum of each output block's gradient
 * {@code dx[n, c, i, j] = sum_{u, v < f} dy[n, c, i f + u, j f + v]} (one reduction).
 *
 * <pre>{@code
 * Var y = new Upsample(2).forward(x);   // [N, C, 7, 7] -> [N, C, 14, 14]
 * }</pre>
 */
public final class Upsample extends Module {
    private final int factor;

    public Upsample(int factor) {
        if (factor <= 0) throw new IllegalArgumentException("upsampling factor must be positive, got " + factor);
        this.factor = factor;
    }

    /** @param x [N, C, H, W] @return [N, C, f H, f W] */
    public Var forward(Var x) {
        return nearest(x, factor);
    }

    /** Functional form. */
    public static Var nearest(Var x, int factor) {
        if (x.dim() != 4) throw new IllegalArgumentException("nearest upsampling expects [N, C, H, W], got " + Shape.str(x.shape()));
        if (factor <= 0) throw new IllegalArgumentException("upsampling factor must be positive, got " + factor);
        if (factor == 1) return x;
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        return x.reshape(n, c, h, 1, w, 1).expand(n, c, h, factor, w, factor).reshape(n, c, h * factor, w * factor);
    }
}
