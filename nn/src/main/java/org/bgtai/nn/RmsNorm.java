package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Root-mean-square normalisation over the last dim (PyTorch {@code nn.RMSNorm(dim)}):
 * {@code y = x / sqrt(mean(x^2) + eps) * weight}.
 *
 * <p>Shapes: {@code x [..., dim]} -> {@code [..., dim]}; {@code weight [dim]} (ones at start).
 *
 * <pre>{@code
 * RmsNorm n = new RmsNorm(8, 1e-6f);
 * Var y = n.forward(x);   // rows of y have mean square ~1
 * }</pre>
 */
public final class RmsNorm extends Module {
    private final Parameter weight;
    private final float eps;

    public RmsNorm(int dim, float eps) {
        if (dim <= 0) throw new IllegalArgumentException("RmsNorm dim must be positive, got " + dim);
        this.weight = registerParameter("weight", new Parameter(Tensor.ones(dim)));
        this.eps = eps;
    }

    public Parameter weight() {
        return weight;
    }

    /** @param x [..., dim] @return [..., dim] */
    public Var forward(Var x) {
        int d = weight.shape()[0];
        if (x.dim() == 0 || x.size(-1) != d)
            throw new IllegalArgumentException("RmsNorm over " + d + " features got input " + Shape.str(x.shape()));
        return x.mul(x.square().mean(-1, true).add(eps).rsqrt()).mul(weight.var());
    }
}
