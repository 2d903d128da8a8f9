package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Parallel;
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
 * The kernel runs on the CPU only: an input on another device is copied to the host and the
 * result back (its gradient likewise).
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
        Device dev = x.value().device();
        if (dev != Device.CPU)   // CPU-only kernel: host round trip of the input and its gradient
            return NnKernels.moved(pool(NnKernels.moved(x, Device.CPU), kh, kw, sh, sw, ph, pw), dev);
        int[] xs = x.shape();
        int planes = xs[0] * xs[1], h = xs[2], w = xs[3];
        int ho = (h + 2 * ph - kh) / sh + 1, wo = (w + 2 * pw - kw) / sw + 1;
        if (ho <= 0 || wo <= 0) throw new IllegalArgumentException("pooling window " + kh + "x" + kw + " is larger than the padded input " + Shape.str(xs));
        Tensor xc = x.value().contiguous();
        float[] xd = xc.cpuData();
        int xo = xc.offset();
        float[] y = new float[planes * ho * wo];
        int[] arg = max ? new int[y.length] : null;
        float inv = 1f / (kh * kw);
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int pl = lo; pl < hi; pl++) for (int i = 0; i < ho; i++) for (int j = 0; j < wo; j++) {
                float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                int best = -1;
                for (int u = 0; u < kh; u++) {
                    int ih = i * sh + u - ph;
                    if (ih < 0 || ih >= h) continue;
                    for (int v = 0; v < kw; v++) {
                        int iw = j * sw + v - pw;
                        if (iw < 0 || iw >= w) continue;
                        int idx = pl * h * w + ih * w + iw;
                        float val = xd[xo + idx];
                        if (max) {
                            if (val > acc || best < 0) {
                                acc = val;
                                best = idx;
                            }
                        } else acc += val;
                    }
                }
                int out = (pl * ho + i) * wo + j;
                y[out] = max ? acc : acc * inv;
                if (max) arg[out] = best;
            }
        });
        int[] ys = {xs[0], xs[1], ho, wo};
        return Var.op(max ? "max_pool" : "avg_pool", Tensor.of(y, ys), g -> {
            Tensor gc = g.contiguous();
            float[] gd = gc.cpuData();
            int go = gc.offset();
            float[] gx = new float[planes * h * w];
            Parallel.forRange(planes, 1, (lo, hi) -> {
                for (int pl = lo; pl < hi; pl++) for (int i = 0; i < ho; i++) for (int j = 0; j < wo; j++) {
                    int out = (pl * ho + i) * wo + j;
                    float gv = gd[go + out];
                    if (max) {
                        gx[arg[out]] += gv;
                        continue;
                    }
                    for (int u = 0; u < kh; u++) {
                        int ih = i * sh + u - ph;
                        if (ih < 0 || ih >= h) continue;
                        for (int v = 0; v < kw; v++) {
                            int iw = j * sw + v - pw;
                            if (iw >= 0 && iw < w) gx[pl * h * w + ih * w + iw] += gv * inv;
                        }
                    }
                }
            });
            return new Tensor[] {Tensor.of(gx, xs)};
        }, x);
    }
}
