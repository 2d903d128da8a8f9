package org.bgtai.nn.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.autograd.GradCheck;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The autograd alignment ops: central-difference gradient checks on random small shapes
 * (the values run in double and are rounded to float32, hence eps 3e-3 and a 2e-2 tolerance),
 * and agreement with independent compositions of plain Var ops.
 */
class AlignOpsTest {
    static final double EPS = 3e-3, RTOL = 2e-2, ATOL = 2e-3;

    static void check(String what, Function<Var[], Var> f, Tensor... in) {
        GradCheck.assertGradients(what, f, EPS, RTOL, ATOL, in);
    }

    static float gamma(Rng r) {
        return (float) (0.3 + 1.2 * r.nextDouble());
    }

    /** A DTW path [Q, T] of a random cost matrix. */
    static Tensor randomPath(Rng r, int q, int t) {
        return Tensor.of(Dtw.align(r.uniform(0f, 1f, q, t).toArray(), q, t).matrix(), q, t);
    }

    @Property(tries = 60)
    void softDtwOverCostMatrix(@ForAll @IntRange(min = 1, max = 6) int q, @ForAll @IntRange(min = 1, max = 6) int t, @ForAll long seed) {
        Rng r = new Rng(seed);
        float g = gamma(r);
        Tensor c = r.uniform(0f, 2f, q, t);
        check("softDtw(cost) " + q + "x" + t, v -> AlignOps.softDtw(v[0], g), c);
        assertEquals(SoftDtw.value(c.toArray(), q, t, g), AlignOps.softDtw(Var.of(c), g).item(), 1e-5);
    }

    @Property(tries = 60)
    void softDtwOverSequences(@ForAll @IntRange(min = 1, max = 5) int q, @ForAll @IntRange(min = 1, max = 5) int t,
                              @ForAll @IntRange(min = 1, max = 3) int d, @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll long seed) {
        StandardCost cost = StandardCost.values()[kind];
        // The Euclidean norm has a kink at x = y and the cosine cost a jump at x = 0 (and a
        // curvature of 1/|x|^2 near it): finite differences need points away from both.
        Assume.that(cost == StandardCost.SQUARED_EUCLIDEAN || d >= 2);
        Rng r = new Rng(seed);
        float g = gamma(r);
        Tensor x = r.uniform(-1f, 1f, q, d), y = r.uniform(-1f, 1f, t, d);
        if (cost == StandardCost.COSINE) Assume.that(minRowNorm(x) > 0.3 && minRowNorm(y) > 0.3);
        if (cost == StandardCost.EUCLIDEAN) Assume.that(minDistance(x, y) > 0.05);
        check("softDtw(x, y) " + cost, v -> AlignOps.softDtw(v[0], v[1], g, cost), x, y);
    }

    static double minRowNorm(Tensor x) {
        int n = x.size(0), d = x.size(1);
        float[] a = x.toArray();
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) s += a[i * d + k] * a[i * d + k];
            m = Math.min(m, Math.sqrt(s));
        }
        return m;
    }

    static double minDistance(Tensor x, Tensor y) {
        int d = x.size(1);
        float[] a = x.toArray(), b = y.toArray();
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < x.size(0); i++)
            for (int j = 0; j < y.size(0); j++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += (a[i * d + k] - b[j * d + k]) * (a[i * d + k] - b[j * d + k]);
                m = Math.min(m, Math.sqrt(s));
            }
        return m;
    }

    @Property(tries = 40)
    void softDtwDivergence(@ForAll @IntRange(min = 1, max = 5) int q, @ForAll @IntRange(min = 1, max = 5) int t,
                           @ForAll @IntRange(min = 1, max = 3) int d, @ForAll long seed) {
        Rng r = new Rng(seed);
        float g = gamma(r);
        Tensor x = r.uniform(-1f, 1f, q, d), y = r.uniform(-1f, 1f, t, d);
        check("softDtwDivergence", v -> AlignOps.softDtwDivergence(v[0], v[1], g), x, y);
        // The same as the composition of three soft-DTW ops.
        Var xv = Var.of(x), yv = Var.of(y);
        StandardCost se = StandardCost.SQUARED_EUCLIDEAN;
        double composed = AlignOps.softDtw(xv, yv, g, se).item() - 0.5 * (AlignOps.softDtw(xv, xv, g, se).item() + AlignOps.softDtw(yv, yv, g, se).item());
        assertEquals(composed, AlignOps.softDtwDivergence(xv, yv, g).item(), 1e-4 * (1 + Math.abs(composed)));
    }

    @Property(tries = 30)
    void softDtwBatchOverCostMatrices(@ForAll @IntRange(min = 1, max = 4) int b, @ForAll @IntRange(min = 1, max = 5) int q,
                                      @ForAll @IntRange(min = 1, max = 5) int t, @ForAll long seed) {
        Rng r = new Rng(seed);
        float g = gamma(r);
        Tensor c = r.uniform(0f, 2f, b, q, t);
        check("softDtwBatch(costs)", v -> AlignOps.softDtwBatch(v[0], g), c);
        // Each entry and each gradient slice equals the single-pair op.
        Var cv = Var.param(c.copy());
        Var batch = AlignOps.softDtwBatch(cv, g);
        assertArrayEquals(new int[] {b}, batch.shape());
        batch.sum().backward();
        float[] all = c.toArray(), grad = cv.grad().toArray();
        for (int k = 0; k < b; k++) {
            Var one = Var.param(Tensor.of(java.util.Arrays.copyOfRange(all, k * q * t, (k + 1) * q * t), q, t));
            Var v = AlignOps.softDtw(one, g);
            assertEquals(v.item(), batch.value().toArray()[k], 1e-6);
            v.backward();
            assertArrayEquals(one.grad().toArray(), java.util.Arrays.copyOfRange(grad, k * q * t, (k + 1) * q * t), 1e-6f);
        }
    }

    @Property(tries = 30)
    void softDtwBatchOverSequences(@ForAll @IntRange(min = 1, max = 3) int b, @ForAll @IntRange(min = 1, max = 4) int q,
                                   @ForAll @IntRange(min = 1, max = 4) int t, @ForAll @IntRange(min = 1, max = 3) int d, @ForAll long seed) {
        Rng r = new Rng(seed);
        float g = gamma(r);
        Tensor x = r.uniform(-1f, 1f, b, q, d), y = r.uniform(-1f, 1f, b, t, d);
        check("softDtwBatch(x, y)", v -> AlignOps.softDtwBatch(v[0], v[1], g, StandardCost.SQUARED_EUCLIDEAN), x, y);
    }

    @Property(tries = 60)
    void spLossThroughSoftmax(@ForAll @IntRange(min = 1, max = 6) int q, @ForAll @IntRange(min = 1, max = 7) int t, @ForAll long seed) {
        Rng r = new Rng(seed);
        Tensor logits = r.uniform(-2f, 2f, q, t);
        Tensor path = randomPath(r, q, t);
        // |p^ - p*| has a kink at 0: keep every row away from it.
        double[] ph = SpLoss.predictedPositions(logits.softmax(1).toArray(), q, t), ps = SpLoss.targetPositions(path.toArray(), q, t);
        for (int i = 0; i < q && t > 1; i++) Assume.that(Math.abs(ph[i] - ps[i]) > 0.02);
        check("spLoss", v -> AlignOps.spLoss(v[0].softmax(1), path), logits);
        // Independent value: mean over rows of |sum_t t A^[q, t] / (T-1) - p*_q|.
        float[] a = logits.softmax(1).toArray();
        double expected = 0;
        for (int i = 0; i < q; i++) {
            double s = 0;
            for (int j = 0; j < t; j++) s += j * (double) a[i * t + j];
            expected += Math.abs((t == 1 ? 0 : s / (t - 1)) - ps[i]);
        }
        assertEquals(expected / q, AlignOps.spLoss(Var.of(logits.softmax(1)), path).item(), 1e-5);
    }

    @Property(tries = 40)
    void spLossSelfPacedHard(@ForAll @IntRange(min = 1, max = 4) int b, @ForAll @IntRange(min = 1, max = 4) int q,
                             @ForAll @IntRange(min = 2, max = 5) int t, @ForAll long seed) {
        Rng r = new Rng(seed);
        Tensor logits = r.uniform(-2f, 2f, b, q, t);
        Tensor[] paths = new Tensor[b];
        for (int k = 0; k < b; k++) paths[k] = randomPath(r, q, t).reshape(1, q, t);
        Tensor path = Tensor.cat(0, paths);
        SelfPaced sp = SelfPaced.hard(0.1, 2, 1);
        SpLoss.BatchResult plain = SpLoss.weightedBatch(logits.softmax(2).toArray(), path.toArray(), b, q, t, sp, 1);
        // Hard weights are locally constant away from the threshold lambda and the kinks of |.|.
        for (float l : plain.losses()) Assume.that(Math.abs(l - sp.lambda(1)) > 0.02);
        float[] a = logits.softmax(2).toArray(), pa = path.toArray();
        for (int k = 0; k < b; k++) {
            float[] ak = java.util.Arrays.copyOfRange(a, k * q * t, (k + 1) * q * t), pk = java.util.Arrays.copyOfRange(pa, k * q * t, (k + 1) * q * t);
            double[] ph = SpLoss.predictedPositions(ak, q, t), ps = SpLoss.targetPositions(pk, q, t);
            for (int i = 0; i < q; i++) Assume.that(Math.abs(ph[i] - ps[i]) > 0.02);
        }
        check("spLossSelfPaced", v -> AlignOps.spLossSelfPaced(v[0].softmax(2), path, sp, 1).loss(), logits);
        AlignOps.SelfPacedLoss res = AlignOps.spLossSelfPaced(Var.of(logits.softmax(2)), path, sp, 1);
        double mean = 0;
        float[] losses = res.losses().toArray(), weights = res.weights().toArray();
        for (int k = 0; k < b; k++) {
            assertEquals(losses[k] < sp.lambda(1) ? 1f : 0f, weights[k]);
            mean += weights[k] * losses[k];
        }
        assertEquals(mean / b, res.loss().item(), 1e-6);
    }

    @Test
    void spLossSelfPacedSoftWeightsScaleTheSingleGradients() {
        Rng r = new Rng(5);
        int b = 3, q = 4, t = 6;
        Tensor a = r.uniform(-2f, 2f, b, q, t).softmax(2);
        Tensor[] paths = new Tensor[b];
        for (int k = 0; k < b; k++) paths[k] = randomPath(r, q, t).reshape(1, q, t);
        Tensor path = Tensor.cat(0, paths);
        SelfPaced sp = SelfPaced.soft(0.5, 1, 0.5);
        Var av = Var.param(a.copy());
        AlignOps.SelfPacedLoss res = AlignOps.spLossSelfPaced(av, path, sp, 0);
        res.loss().backward();
        float[] all = a.toArray(), pall = path.toArray(), grad = av.grad().toArray(), losses = res.losses().toArray(), w = res.weights().toArray();
        for (int k = 0; k < b; k++) {
            int from = k * q * t, to = (k + 1) * q * t;
            Var one = Var.param(Tensor.of(java.util.Arrays.copyOfRange(all, from, to), q, t));
            Var l = AlignOps.spLoss(one, Tensor.of(java.util.Arrays.copyOfRange(pall, from, to), q, t));
            assertEquals(l.item(), losses[k], 1e-6);
            assertEquals(Math.max(0, 1 - l.item() / 0.5), w[k], 1e-6);
            l.backward();
            float[] g1 = one.grad().toArray();
            for (int c = 0; c < g1.length; c++) assertEquals(w[k] * g1[c] / b, grad[from + c], 1e-6);
        }
    }

    @Property(tries = 60)
    void alignmentCrossEntropy(@ForAll @IntRange(min = 1, max = 6) int q, @ForAll @IntRange(min = 1, max = 7) int t, @ForAll long seed) {
        Rng r = new Rng(seed);
        Tensor logits = r.uniform(-3f, 3f, q, t);
        Tensor path = randomPath(r, q, t);
        check("alignmentCrossEntropy", v -> AlignOps.alignmentCrossEntropy(v[0], path), logits);
        // Independent composition: -1/Q sum P* log_softmax(z), P* the row-normalised path.
        Tensor target = path.div(path.sum(1, true));
        Var z1 = Var.param(logits.copy()), z2 = Var.param(logits.copy());
        Var fused = AlignOps.alignmentCrossEntropy(z1, path);
        Var composed = z2.logSoftmax(1).mul(Var.of(target)).sum().mul(-1f / q);
        assertEquals(composed.item(), fused.item(), 1e-5);
        fused.backward();
        composed.backward();
        assertArrayEquals(z2.grad().toArray(), z1.grad().toArray(), 1e-6f);
    }

    @Test
    void upstreamGradientScalesTheResult() {
        Rng r = new Rng(9);
        Tensor c = r.uniform(0f, 1f, 3, 4);
        Var c1 = Var.param(c.copy()), c2 = Var.param(c.copy());
        AlignOps.softDtw(c1, 0.5f).backward();
        AlignOps.softDtw(c2, 0.5f).mul(3f).backward();
        float[] g1 = c1.grad().toArray(), g3 = c2.grad().toArray();
        for (int k = 0; k < g1.length; k++) assertEquals(3 * g1[k], g3[k], 1e-6);
        // The expected alignment of a corner-to-corner path: E[0, 0] = E[Q-1, T-1] = 1.
        assertEquals(1, g1[0], 1e-6);
        assertEquals(1, g1[g1.length - 1], 1e-6);
    }

    @Test
    void badShapesNameTheProblem() {
        Var v = Var.param(Tensor.zeros(3, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlignOps.softDtw(Var.param(Tensor.zeros(2, 3, 4)), 0.1f));
        assertTrue(e.getMessage().contains("[Q, T]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AlignOps.softDtw(Var.param(Tensor.zeros(3, 2)), Var.of(Tensor.zeros(4, 3)), 0.1f, StandardCost.SQUARED_EUCLIDEAN));
        assertTrue(e.getMessage().contains("feature dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AlignOps.alignmentCrossEntropy(v, Tensor.zeros(3, 5)));
        assertTrue(e.getMessage().contains("[3, 5]") || e.getMessage().contains("(3, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AlignOps.softDtw(v, 0f));
        assertTrue(e.getMessage().contains("gamma"), e.getMessage());
    }
}
