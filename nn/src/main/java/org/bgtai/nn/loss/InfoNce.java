package org.bgtai.nn.loss;

import org.bgtai.autograd.Var;
import org.bgtai.nn.Module;
import org.bgtai.nn.Parameter;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Symmetric InfoNCE (the CLIP loss) with a learnable temperature:
 * {@code logits = exp(s) * norm(a) norm(b)^T}, {@code loss = (CE(logits, i) + CE(logits^T, i)) / 2},
 * where {@code norm} L2-normalises rows and {@code s = log(1 / temperature)} is the parameter
 * {@code logit_scale} (clamped to {@code exp(s) <= 100} as in CLIP).
 *
 * <p>Shapes: {@code a, b [N, E]} (row {@code i} of each is a positive pair) -> scalar.
 * <pre>{@code
 * InfoNce clip = new InfoNce(0.07f);
 * Var loss = clip.forward(audioEmb, textEmb);
 * }</pre>
 */
public final class InfoNce extends Module {
    private final Parameter logitScale;

    /** @param temperature initial temperature (CLIP: 0.07) */
    public InfoNce(float temperature) {
        if (!(temperature > 0)) throw new IllegalArgumentException("InfoNCE temperature must be positive, got " + temperature);
        logitScale = registerParameter("logit_scale", new Parameter(Tensor.scalar((float) Math.log(1.0 / temperature))));
    }

    public Parameter logitScale() {
        return logitScale;
    }

    /** @param a [N, E] @param b [N, E] @return scalar */
    public Var forward(Var a, Var b) {
        return loss(a, b, logitScale.var());
    }

    /** Functional form with a given log-scale ({@code s}, a scalar var). */
    public static Var loss(Var a, Var b, Var logScale) {
        if (a.dim() != 2 || !java.util.Arrays.equals(a.shape(), b.shape()))
            throw new IllegalArgumentException("InfoNCE: embeddings must both be [N, E], got " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
        int n = a.size(0);
        Var logits = normalize(a).matmul(normalize(b).mT()).mul(logScale.clamp(Float.NEGATIVE_INFINITY, (float) Math.log(100)).exp());
        IntTensor diag = IntTensor.arange(n);
        Var l = CrossEntropy.loss(logits, diag).add(CrossEntropy.loss(logits.mT(), diag)).mul(0.5f);
        return LossCheck.finite("InfoNCE", l);
    }

    /** Rows divided by {@code max(||row||, 1e-12)} (PyTorch {@code F.normalize}). */
    static Var normalize(Var x) {
        return x.div(x.square().sum(-1, true).sqrt().clamp(1e-12f, Float.POSITIVE_INFINITY));
    }
}
