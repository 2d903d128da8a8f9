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
 *
 * <p>With {@code groups}, rows of the same group are all positives of each other (the target of a
 * row is spread evenly over its group: {@code loss = -mean_i sum_j q_ij log softmax(logits_i)_j},
 * {@code q_ij = [g_i = g_j] / |g_i|}, both directions): for batches where several rows share one
 * content, e.g. the same canonical gloss, whose embeddings are then identical.
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

    /** @param groups [N] group of each row (equal = positives of each other), or null for the diagonal @return scalar */
    public Var forward(Var a, Var b, int[] groups) {
        return groups == null ? forward(a, b) : loss(a, b, logitScale.var(), groups);
    }

    /** Multi-positive form: rows of one group are positives of each other (see the class comment). */
    public static Var loss(Var a, Var b, Var logScale, int[] groups) {
        if (a.dim() != 2 || !java.util.Arrays.equals(a.shape(), b.shape()) || groups.length != a.size(0))
            throw new IllegalArgumentException("InfoNCE: embeddings must both be [N, E] with N groups, got " + Shape.str(a.shape()) + ", " + Shape.str(b.shape())
                + " and " + groups.length + " groups");
        int n = a.size(0);
        float[] q = new float[n * n];
        for (int i = 0; i < n; i++) {
            int k = 0;
            for (int j = 0; j < n; j++) if (groups[j] == groups[i]) k++;
            for (int j = 0; j < n; j++) if (groups[j] == groups[i]) q[i * n + j] = 1f / k;
        }
        Var target = Var.of(Tensor.of(q, n, n));   // symmetric: the same for both directions
        Var logits = normalize(a).matmul(normalize(b).mT()).mul(logScale.clamp(Float.NEGATIVE_INFINITY, (float) Math.log(100)).exp());
        Var ab = logits.logSoftmax(-1).mul(target).sum().neg(), ba = logits.mT().logSoftmax(-1).mul(target).sum().neg();
        return LossCheck.finite("InfoNCE", ab.add(ba).mul(0.5f / n));
    }

    /**
     * Supervised contrastive loss (Khosla et al. 2020) of one set of embeddings {@code z [N, E]}
     * whose rows of equal group are positives: for every row {@code i} with at least one other row
     * of its group, {@code l_i = -1/|P(i)| sum_{p in P(i)} log(exp(s_ip) / sum_{a != i} exp(s_ia))}
     * with {@code s = exp(scale) cos}; the mean over those rows (0 when there are none).
     */
    public static Var supervisedContrastive(Var z, Var logScale, int[] groups) {
        if (z.dim() != 2 || groups.length != z.size(0))
            throw new IllegalArgumentException("supervised contrastive loss: embeddings must be [N, E] with N groups, got " + Shape.str(z.shape()) + " and "
                + groups.length + " groups");
        int n = z.size(0);
        float[] q = new float[n * n], self = new float[n * n];
        int rows = 0;
        for (int i = 0; i < n; i++) {
            self[i * n + i] = 1;
            int k = 0;
            for (int j = 0; j < n; j++) if (j != i && groups[j] == groups[i]) k++;
            if (k == 0) continue;
            rows++;
            for (int j = 0; j < n; j++) if (j != i && groups[j] == groups[i]) q[i * n + j] = 1f / k;
        }
        Var zn = normalize(z);
        Var logits = zn.matmul(zn.mT()).mul(logScale.clamp(Float.NEGATIVE_INFINITY, (float) Math.log(100)).exp()).maskedFill(Tensor.of(self, n, n), -1e9f);
        if (rows == 0) return logits.sum().mul(0f);
        return LossCheck.finite("supervised contrastive", logits.logSoftmax(-1).mul(Var.of(Tensor.of(q, n, n))).sum().neg().mul(1f / rows));
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
