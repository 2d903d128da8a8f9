package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Layer normalisation over the last dim (PyTorch {@code nn.LayerNorm(dim)}):
 * {@code y = (x - mean(x)) / sqrt(var(x) + eps) * weight + bias}, with the biased variance.
 *
 * <p>Shapes: {@code x [..., dim]} -> {@code [..., dim]}; {@code weight, bias [dim]}. Forward and
 * backward are one fused CPU kernel each (row statistics kept from the forward pass):
 * {@code dx = rstd * (g w - mean(g w) - xhat * mean(g w * xhat))}.
 *
 * <pre>{@code
 * LayerNorm ln = new LayerNorm(8, 1e-5f);
 * Var y = ln.forward(x);   // every row of y has mean 0 and variance ~1 (weight 1, bias 0)
 * }</pre>
 */
public final class LayerNorm extends Module {
    private final Parameter weight, bias;
    private final float eps;

    /** Weight ones, bias zeros. */
    public LayerNorm(int dim, float eps) {
        if (dim <= 0) throw new IllegalArgumentException("LayerNorm dim must be positive, got " + dim);
        this.weight = registerParameter("weight", new Parameter(Tensor.ones(dim)));
        this.bias = registerParameter("bias", new Parameter(Tensor.zeros(dim)));
        this.eps = eps;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** @param x [..., dim] @return [..., dim] */
    public Var forward(Var x) {
        return layerNorm(x, weight.var(), bias.var(), eps);
    }

    /** Functional form; {@code w}, {@code b} are {@code [dim]}. */
    public static Var layerNorm(Var x, Var w, Var b, float eps) {
        int[] xs = x.shape();
        int d = w.size(0);
        if (xs.length == 0 || xs[xs.length - 1] != d)
            throw new IllegalArgumentException("LayerNorm over " + d + " features got input " + Shape.str(xs) + "; its last dim must be " + d);
        if (x.value().device() != Device.CPU) return composed(x, w, b, eps);
        Tensor xc = x.value().contiguous();
        float[] xd = xc.cpuData(), wd = w.value().contiguous().cpuData(), bd = b.value().contiguous().cpuData();
        int xo = xc.offset(), rows = xc.numel() / d;
        float[] y = new float[rows * d], mean = new float[rows], rstd = new float[rows];
        Parallel.forRange(rows, Math.max(1, 4096 / d), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = xo + r * d;
                double s = 0;
                for (int i = 0; i < d; i++) s += xd[o + i];
                float mu = (float) (s / d);
                double v = 0;
                for (int i = 0; i < d; i++) {
                    float c = xd[o + i] - mu;
                    v += c * c;
                }
                float rs = (float) (1.0 / Math.sqrt(v / d + eps));
                mean[r] = mu;
                rstd[r] = rs;
                int yo = r * d;
                for (int i = 0; i < d; i++) y[yo + i] = (xd[o + i] - mu) * rs * wd[i] + bd[i];
            }
        });
        return Var.op("layer_norm", Tensor.of(y, xs), g -> backward(g.contiguous(), xd, xo, wd, mean, rstd, rows, d, xs,
            x.requiresGrad(), w.requiresGrad(), b.requiresGrad()), x, w, b);
    }

    private static Tensor[] backward(Tensor g, float[] xd, int xo, float[] wd, float[] mean, float[] rstd, int rows, int d, int[] xs,
                                     boolean needX, boolean needW, boolean needB) {
        float[] gd = g.cpuData();
        int go = g.offset();
        float[] gx = needX ? new float[rows * d] : null;
        int chunks = Math.max(1, Math.min(Parallel.threads() * 2, rows / 16));
        float[][] gw = new float[chunks][d], gb = new float[chunks][d];
        Parallel.forEach(chunks, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                int r0 = (int) ((long) rows * k / chunks), r1 = (int) ((long) rows * (k + 1) / chunks);
                float[] pw = gw[k], pb = gb[k];
                for (int r = r0; r < r1; r++) {
                    int o = xo + r * d, gof = go + r * d;
                    float mu = mean[r], rs = rstd[r];
                    double sg = 0, sgx = 0;
                    for (int i = 0; i < d; i++) {
                        float xh = (xd[o + i] - mu) * rs;
                        float gi = gd[gof + i];
                        pw[i] += gi * xh;
                        pb[i] += gi;
                        float gwi = gi * wd[i];
                        sg += gwi;
                        sgx += gwi * xh;
                    }
                    if (gx != null) {
                        float mg = (float) (sg / d), mgx = (float) (sgx / d);
                        int yo = r * d;
                        for (int i = 0; i < d; i++) {
                            float xh = (xd[o + i] - mu) * rs;
                            gx[yo + i] = rs * (gd[gof + i] * wd[i] - mg - xh * mgx);
                        }
                    }
                }
            }
        });
        for (int k = 1; k < chunks; k++) for (int i = 0; i < d; i++) {
            gw[0][i] += gw[k][i];
            gb[0][i] += gb[k][i];
        }
        return new Tensor[] {gx == null ? null : Tensor.of(gx, xs), needW ? Tensor.of(gw[0], d) : null, needB ? Tensor.of(gb[0], d) : null};
    }

    /** Reference composition of primitive ops (used off the CPU and by tests). */
    static Var composed(Var x, Var w, Var b, float eps) {
        Var c = x.sub(x.mean(-1, true));
        Var var = c.square().mean(-1, true);
        return c.mul(var.add(eps).rsqrt()).mul(w).add(b);
    }
}
