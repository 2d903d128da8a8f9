package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Shape;

/**
 * 1-D convolution (PyTorch {@code nn.Conv1d}) with stride, zero padding, dilation and groups:
 * {@code y[n, o, t] = b[o] + sum_{c in group(o), u} w[o, c, u] x[n, c, t s + u d - p]}.
 *
 * <p>Shapes: {@code x [N, C, L]}, {@code weight [O, C/groups, k]}, {@code bias [O]} ->
 * {@code [N, O, Lo]}, {@code Lo = (L + 2p - d (k - 1) - 1) / s + 1}. Computed as a
 * {@link Conv2d} of height 1 (im2col + GEMM).
 *
 * <pre>{@code
 * Conv1d conv = new Conv1d(3, 4, 5, 2, 2, 1, 1, true, new Rng(0));   // kernel 5, stride 2, padding 2
 * Var y = conv.forward(x);   // x [2, 3, 17] -> y [2, 4, 9]
 * }</pre>
 */
public final class Conv1d extends Module {
    private final Parameter weight, bias;
    private final int stride, padding, dilation, groups;

    public Conv1d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias, Rng rng) {
        if (in <= 0 || out <= 0 || kernel <= 0 || groups <= 0 || in % groups != 0 || out % groups != 0)
            throw new IllegalArgumentException("Conv1d(" + in + ", " + out + ", kernel " + kernel + ", groups " + groups
                + "): sizes must be positive and channels divisible by groups");
        int fanIn = in / groups * kernel;
        this.weight = registerParameter("weight", new Parameter(Init.uniformFanIn(rng, fanIn, out, in / groups, kernel)));
        this.bias = bias ? registerParameter("bias", new Parameter(Init.uniformFanIn(rng, fanIn, out))) : null;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** @param x [N, C, L] @return [N, O, Lo] */
    public Var forward(Var x) {
        return conv1d(x, weight.var(), bias == null ? null : bias.var(), stride, padding, dilation, groups);
    }

    /** Functional form. */
    public static Var conv1d(Var x, Var w, Var b, int stride, int padding, int dilation, int groups) {
        if (x.dim() != 3 || w.dim() != 3)
            throw new IllegalArgumentException("conv1d: expected input [N, C, L] and weight [O, C/groups, k], got " + Shape.str(x.shape()) + " and " + Shape.str(w.shape()));
        Var y = Conv2d.conv2d(x.unsqueeze(2), w.unsqueeze(2), b, new int[] {1, stride}, new int[] {0, padding}, new int[] {1, dilation}, groups);
        return y.squeeze(2);
    }
}
