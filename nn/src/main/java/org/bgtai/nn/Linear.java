package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Affine map {@code y = x W^T + b} (PyTorch {@code nn.Linear}).
 *
 * <p>Shapes: {@code x [..., in]}, {@code weight [out, in]}, {@code bias [out]}, {@code y [..., out]}.
 * Leading dims are flattened into one GEMM; the bias add and its gradient (column sums) are ops of
 * the device's {@link FusedOps}.
 *
 * <pre>{@code
 * Linear fc = new Linear(7, 5, true, new Rng(0));
 * Var y = fc.forward(Var.of(Tensor.ones(4, 7)));   // [4, 5]
 * fc.stateDict().keySet();                         // [weight, bias]
 * }</pre>
 */
public final class Linear extends Module {
    private final Parameter weight;
    private final Parameter bias;

    /** PyTorch's default initialisation: weight and bias {@code U(-1/sqrt(in), 1/sqrt(in))}. */
    public Linear(int in, int out, boolean bias, Rng rng) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear(" + in + ", " + out + "): sizes must be positive");
        this.weight = registerParameter("weight", new Parameter(Init.uniformFanIn(rng, in, out, in)));
        this.bias = bias ? registerParameter("bias", new Parameter(Init.uniformFanIn(rng, in, out))) : null;
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or {@code null} when built without one. */
    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return weight.shape()[1];
    }

    public int outFeatures() {
        return weight.shape()[0];
    }

    /** @param x [..., in] @return [..., out] */
    public Var forward(Var x) {
        return linear(x, weight.var(), bias == null ? null : bias.var());
    }

    /**
     * Functional form: {@code x [..., in]}, {@code w [out, in]}, {@code b [out]} or null -> {@code [..., out]}.
     * One GEMM forward, two backward (plus a column sum for the bias).
     */
    public static Var linear(Var x, Var w, Var b) {
        int[] xs = x.shape();
        if (w.dim() != 2 || xs.length == 0 || xs[xs.length - 1] != w.size(1))
            throw new IllegalArgumentException("linear: input " + Shape.str(xs) + " does not fit weight " + Shape.str(w.shape())
                + "; the input's last dim must equal weight.size(1)");
        int in = w.size(1), out = w.size(0);
        if (b != null && (b.dim() != 1 || b.size(0) != out))
            throw new IllegalArgumentException("linear: bias " + Shape.str(b.shape()) + " must be [" + out + "]");
        Tensor x2 = x.value().reshape(-1, in);
        Tensor wv = w.value();
        FusedOps f = x2.backend().fused();
        Tensor y = x2.matmul(wv.mT());
        if (b != null) y = f.addBias(y, b.value(), 1);
        int[] ys = xs.clone();
        ys[ys.length - 1] = out;
        Var.Backward back = g -> {
            Tensor g2 = g.reshape(-1, out);
            Tensor gx = x.requiresGrad() ? g2.matmul(wv).reshape(xs) : null;
            Tensor gw = w.requiresGrad() ? g2.mT().matmul(x2) : null;
            Tensor gb = b != null && b.requiresGrad() ? f.columnSums(g2) : null;
            return new Tensor[] {gx, gw, gb};
        };
        return b == null ? Var.op("linear", y.reshape(ys), back, x, w) : Var.op("linear", y.reshape(ys), back, x, w, b);
    }
}
