package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Max or average pooling over windows of {@code [N, C, H, W]} (PyTorch {@code nn.MaxPool2d},
 * {@code nn.AvgPool2d} with {@code count_include_pad=True}); 1-D inputs {@code [N, C, L]} via
 * {@link #forward1d}.
 * <pre>
 * max: y[n, c, i, j] = max_{u, v} x[n, c, i s + u - p, j s + v - p]   (padding counts as -inf)
 * avg: y[n, c, i, j] = sum_{u, v} x[...] / (k k)                     (padding counts as 0)
 * </pre>
 * Output size {@code (H + 2p - k) / s + 1}. The max gradient goes to the first maximal element.
 * Forward and backward are ops of the input device's {@link FusedOps}.
 *
 * <pre>{@code
 * Var y = Pool2d.max(2, 2, 0).forward(x);    // [N, C, 8, 8] -> [N, C, 4, 4]
 * }</pre>
 */
public final class Pool2d extends Module {
    private final boolean max;
    private final int kernel, stride, padding;

    private Pool2d(boolean max, int kernel, int stride, int padding) {
        if (kernel <= 0 || stride <= 0 || padding < 0 || padding > kernel / 2)
            throw new IllegalArgumentException("pooling kernel " + kernel + ", stride " + stride + ", padding " + padding
                + ": need positive kernel and stride and padding <= kernel/2");
        this.max = max;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    public static Pool2d max(int kernel, int stride, int padding) {
        return new Pool2d(true, kernel, stride, padding);
    }

    public static Pool2d avg(int kernel, int stride, int padding) {
        return new Pool2d(false, kernel, stride, padding);
    }

    /** @param x [N, C, L] @return [N, C, Lo] (the window slides along L only) */
    public Var forward1d(Var x) {
        if (x.dim() != 3) throw new IllegalArgumentException("1-D pooling expects [N, C, L], got " + Shape.str(x.shape()));
        return pool(x.unsqueeze(2), 1, kernel, 1, stride, 0, padding).squeeze(2);
    }

    /** @param x [N, C, H, W] @return [N, C, Ho, Wo] */
    public Var forward(Var x) {
        if (x.dim() != 4) throw new IllegalArgumentException("2-D pooling expects [N, C, H, W], got " + Shape.str(x.shape()));
        return pool(x, kernel, kernel, stride, stride, padding, padding);
    }

    private Var pool(Var x, int kh, int kw, int sh, int sw, int ph, int pw) {
        int[] xs = x.shape();
        int h = xs[2], w = xs[3];
        int ho = (h + 2 * ph - kh) / sh + 1, wo = (w + 2 * pw - kw) / sw + 1;
        if (ho <= 0 || wo <= 0) throw new IllegalArgumentException("pooling window " + kh + "x" + kw + " is larger than the padded input " + Shape.str(xs));
        FusedOps f = x.value().backend().fused();
        FusedOps.Window2d geo = new FusedOps.Window2d(xs[0], xs[1], h, w, kh, kw, sh, sw, ph, pw, 1, 1);
        if (max) {
            FusedOps.MaxPoolResult r = f.maxPool2d(x.value(), geo);
            return Var.op("max_pool", r.out(), g -> new Tensor[] {f.maxPool2dBackward(r, g, geo)}, x);
        }
        return Var.op("avg_pool", f.avgPool2d(x.value(), geo), g -> new Tensor[] {f.avgPool2dBackward(g, geo)}, x);
    }
}
