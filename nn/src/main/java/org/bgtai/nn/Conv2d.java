package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * 2-D convolution (PyTorch {@code nn.Conv2d}, cross-correlation) with stride, zero padding,
 * dilation and groups:
 * {@code y[n, o, i, j] = b[o] + sum_{c in group(o), u, v} w[o, c, u, v] x[n, c, i s + u d - p, j s + v d - p]}.
 *
 * <p>Shapes: {@code x [N, C, H, W]}, {@code weight [O, C/groups, kh, kw]}, {@code bias [O]} ->
 * {@code [N, O, Ho, Wo]}, {@code Ho = (H + 2 ph - dh (kh - 1) - 1) / sh + 1}. Runs as im2col
 * ({@code [N, groups, C/groups * kh * kw, Ho * Wo]}) and one batched {@link Tensor#matmul}; the
 * backward pass is two GEMMs and a col2im. im2col, col2im and the bias add are ops of the
 * device's {@link FusedOps}, so the whole layer runs on the input's device.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(3, 5, 3, 3, 2, 1, 1, 1, true, new Rng(0));   // stride 2, padding 1
 * Var y = conv.forward(x);   // x [2, 3, 9, 11] -> y [2, 5, 5, 6]
 * }</pre>
 */
public final class Conv2d extends Module {
    private final Parameter weight, bias;
    private final int[] stride, padding, dilation;
    private final int groups;

    /** Square stride/padding/dilation; PyTorch's default init {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}. */
    public Conv2d(int in, int out, int kh, int kw, int stride, int padding, int dilation, int groups, boolean bias, Rng rng) {
        if (in <= 0 || out <= 0 || kh <= 0 || kw <= 0 || groups <= 0 || in % groups != 0 || out % groups != 0)
            throw new IllegalArgumentException("Conv2d(" + in + ", " + out + ", kernel " + kh + "x" + kw + ", groups " + groups
                + "): sizes must be positive and channels divisible by groups");
        int fanIn = in / groups * kh * kw;
        this.weight = registerParameter("weight", new Parameter(Init.uniformFanIn(rng, fanIn, out, in / groups, kh, kw)));
        this.bias = bias ? registerParameter("bias", new Parameter(Init.uniformFanIn(rng, fanIn, out))) : null;
        this.stride = new int[] {stride, stride};
        this.padding = new int[] {padding, padding};
        this.dilation = new int[] {dilation, dilation};
        this.groups = groups;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** @param x [N, C, H, W] @return [N, O, Ho, Wo] */
    public Var forward(Var x) {
        return conv2d(x, weight.var(), bias == null ? null : bias.var(), stride, padding, dilation, groups);
    }

    /** Functional form; {@code stride, padding, dilation} are {@code {h, w}} pairs. */
    public static Var conv2d(Var x, Var w, Var b, int[] stride, int[] padding, int[] dilation, int groups) {
        int[] xs = x.shape(), ws = w.shape();
        if (xs.length != 4 || ws.length != 4 || xs[1] != ws[1] * groups || ws[0] % groups != 0)
            throw new IllegalArgumentException("conv2d: input " + Shape.str(xs) + " and weight " + Shape.str(ws) + " with groups " + groups
                + " do not fit; expected input [N, C, H, W] and weight [O, C/groups, kh, kw]");
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], kh = ws[2], kw = ws[3];
        int ho = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
        int wo = (wd + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
        if (ho <= 0 || wo <= 0)
            throw new IllegalArgumentException("conv2d: input " + Shape.str(xs) + " is smaller than the dilated kernel " + kh + "x" + kw + " plus padding");
        FusedOps f = x.value().backend().fused();
        FusedOps.Window2d geo = new FusedOps.Window2d(n, c, h, wd, kh, kw, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
        int k = c / groups * kh * kw, l = ho * wo;
        Tensor cols = f.im2col(x.value(), geo).reshape(n, groups, k, l);
        Tensor wv = w.value().reshape(groups, o / groups, k);
        Tensor y = wv.matmul(cols).reshape(n, o, ho, wo);          // fresh, contiguous
        if (b != null) y = f.addBias(y, b.value(), 1);
        Var.Backward back = g -> {
            Tensor g4 = g.contiguous().reshape(n, groups, o / groups, l);
            Tensor gx = null, gw = null, gb = null;
            if (x.requiresGrad()) gx = f.col2im(wv.mT().matmul(g4).reshape(n, c * kh * kw, l), geo);
            if (w.requiresGrad()) gw = g4.matmul(cols.mT()).sum(0, false).reshape(ws);
            if (b != null && b.requiresGrad()) gb = g.contiguous().reshape(n, o, l).sum(2, false).sum(0, false);
            return new Tensor[] {gx, gw, gb};
        };
        return b == null ? Var.op("conv2d", y, back, x, w) : Var.op("conv2d", y, back, x, w, b);
    }
}
