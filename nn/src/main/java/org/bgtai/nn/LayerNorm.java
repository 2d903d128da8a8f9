package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Layer normalisation over the last dim (PyTorch {@code nn.LayerNorm(dim)}):
 * {@code y = (x - mean(x)) / sqrt(var(x) + eps) * weight + bias}, with the biased variance.
 *
 * <p>Shapes: {@code x [..., dim]} -> {@code [..., dim]}; {@code weight, bias [dim]}. Forward and
 * backward are one fused op each of the device's {@link FusedOps} (row statistics kept from the
 * forward pass):
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
        FusedOps f = x.value().backend().fused();
        FusedOps.LayerNormResult r = f.layerNorm(x.value(), w.value(), b.value(), eps);
        return Var.op("layer_norm", r.y(), g -> f.layerNormBackward(r, g, x.requiresGrad(), w.requiresGrad(), b.requiresGrad()), x, w, b);
    }
}
