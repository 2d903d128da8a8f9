package org.bgtai.nn.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** SP-Loss, self-paced weights and alignment cross-entropy. */
class AlignmentLossesTest {

    /** A random monotonic DTW path matrix [q, t]. */
    static float[] randomPath(Random r, int q, int t) {
        float[] c = new float[q * t];
        for (int k = 0; k < c.length; k++) c[k] = r.nextFloat();
        return Dtw.align(c, q, t).matrix();
    }

    static float[] randomStochastic(Random r, int q, int t) {
        float[] a = new float[q * t];
        for (int i = 0; i < q; i++) {
            double s = 0;
            for (int j = 0; j < t; j++) s += a[i * t + j] = (float) Math.exp(2 * r.nextGaussian());
            for (int j = 0; j < t; j++) a[i * t + j] /= (float) s;
        }
        return a;
    }

    static float[] rowNormalised(float[] p, int q, int t) {
        float[] a = p.clone();
        for (int i = 0; i < q; i++) {
            float s = 0;
            for (int j = 0; j < t; j++) s += a[i * t + j];
            for (int j = 0; j < t; j++) a[i * t + j] /= s;
        }
        return a;
    }

    @Property(tries = 100)
    void spLossZeroForIdenticalAlignmentsAndInUnitInterval(@ForAll @IntRange(min = 1, max = 12) int q, @ForAll @IntRange(min = 1, max = 12) int t, @ForAll long seed) {
        Random r = new Random(seed);
        float[] path = randomPath(r, q, t);
        SpLoss.Result same = SpLoss.of(rowNormalised(path, q, t), path, q, t);
        assertEquals(0, same.value(), 1e-6);
        SpLoss.Result other = SpLoss.of(randomStochastic(r, q, t), path, q, t);
        assertTrue(other.value() >= 0 && other.value() <= 1, "SP-Loss " + other.value());
        SpLoss.Result extreme = SpLoss.of(rowNormalised(randomPath(r, q, t), q, t), path, q, t);
        assertTrue(extreme.value() >= 0 && extreme.value() <= 1);
    }

    @Test
    void spLossHandComputed() {
        // Q = 2, T = 3. Target path rows {0, 1} and {2}: positions 0.25 and 1.
        float[] target = {1, 1, 0, 0, 0, 1};
        // Predicted rows: (0, 1, 0) -> 0.5; (0.5, 0, 0.5) -> 0.5.
        float[] pred = {0, 1, 0, 0.5f, 0, 0.5f};
        SpLoss.Result r = SpLoss.of(pred, target, 2, 3);
        assertEquals((0.25 + 0.5) / 2, r.value(), 1e-7);
        // Row 0 predicted too late (+), row 1 too early (-): dL/dA[q, t] = sign * t / (Q (T-1)).
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0, -0.25f, -0.5f}, r.gradient(), 1e-7f);
    }

    @Property(tries = 50)
    void spLossGradientMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 6) int q, @ForAll @IntRange(min = 2, max = 7) int t, @ForAll long seed) {
        Random r = new Random(seed);
        float[] path = randomPath(r, q, t);
        float[] pred = randomStochastic(r, q, t);
        SpLoss.Result res = SpLoss.of(pred, path, q, t);
        double[] target = SpLoss.targetPositions(path, q, t);
        double h = 1e-6;
        for (int k = 0; k < pred.length; k++) {
            // The loss is linear in A between kinks; differentiate the double formula directly
            // (perturbing one entry leaves the row unnormalised, which the formula does not need).
            double plus = spDouble(pred, target, q, t, k, h), minus = spDouble(pred, target, q, t, k, -h);
            double fd = (plus - minus) / (2 * h);
            int i = k / t;
            double pos = 0;
            for (int j = 0; j < t; j++) pos += j * (double) pred[i * t + j] / (t - 1);
            if (Math.abs(pos - target[i]) < 1e-4) continue; // at a kink
            assertEquals(fd, res.gradient()[k], 1e-5);
        }
    }

    private static double spDouble(float[] pred, double[] target, int q, int t, int k, double h) {
        double s = 0;
        for (int i = 0; i < q; i++) {
            double pos = 0;
            for (int j = 0; j < t; j++) pos += j * ((double) pred[i * t + j] + (i * t + j == k ? h : 0)) / (t - 1);
            s += Math.abs(pos - target[i]);
        }
        return s / q;
    }

    @Test
    void selfPacedScheduleAndWeights() {
        SelfPaced hard = SelfPaced.hard(0.1, 2, 0.3);
        assertEquals(0.1, hard.lambda(0), 1e-12);
        assertEquals(0.2, hard.lambda(1), 1e-12);
        assertEquals(0.3, hard.lambda(5), 1e-12);
        assertEquals(1, hard.weight(0.05, 0));
        assertEquals(0, hard.weight(0.15, 0));
        assertEquals(1, hard.weight(0.15, 1));
        SelfPaced soft = SelfPaced.soft(0.2, 1, 0.2);
        assertEquals(0.5, soft.weight(0.1, 3), 1e-12);
        assertEquals(0, soft.weight(0.3, 3), 1e-12);
        // Batch: pair 0 matches exactly (loss 0, weight 1), pair 1 has loss 0.375 (weight 0 under lambda 0.1).
        float[] target = {1, 1, 0, 0, 0, 1, /* pair 1 */ 1, 1, 0, 0, 0, 1};
        float[] pred = {0.5f, 0.5f, 0, 0, 0, 1, /* pair 1 */ 0, 1, 0, 0.5f, 0, 0.5f};
        SpLoss.BatchResult b = SpLoss.weightedBatch(pred, target, 2, 2, 3, hard, 0);
        assertArrayEquals(new float[] {0, 0.375f}, b.losses(), 1e-6f);
        assertArrayEquals(new float[] {1, 0}, b.weights());
        assertEquals(0, b.value(), 1e-9);
        for (float g : b.gradient()) assertEquals(0, g);
        SpLoss.BatchResult late = SpLoss.weightedBatch(pred, target, 2, 2, 3, SelfPaced.hard(0.5, 1, 0.5), 0);
        assertEquals(0.375 / 2, late.value(), 1e-6);
        assertEquals(0.25f / 2, late.gradient()[6 + 1], 1e-6f);
    }

    @Test
    void crossEntropyHandComputed() {
        // Q = 1, T = 2, logits (0, 0) -> p = (1/2, 1/2); target path (1, 1) -> (1/2, 1/2): CE = log 2.
        AlignmentCrossEntropy.Result r = AlignmentCrossEntropy.of(new float[] {0, 0}, new float[] {1, 1}, 1, 2);
        assertEquals(Math.log(2), r.value(), 1e-7);
        assertArrayEquals(new float[] {0, 0}, r.gradient(), 1e-7f);
        // Q = 2: row 0 logits (ln 3, 0) -> p = (3/4, 1/4), target (1, 0): -ln(3/4);
        //        row 1 logits (0, 0), target (0, 1): ln 2. Mean over Q.
        float ln3 = (float) Math.log(3);
        AlignmentCrossEntropy.Result s = AlignmentCrossEntropy.of(new float[] {ln3, 0, 0, 0}, new float[] {1, 0, 0, 1}, 2, 2);
        assertEquals((-Math.log(0.75) + Math.log(2)) / 2, s.value(), 1e-6);
        assertArrayEquals(new float[] {-0.125f, 0.125f, 0.25f, -0.25f}, s.gradient(), 1e-6f);
    }

    @Property(tries = 60)
    void crossEntropyGradientMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 6) int q, @ForAll @IntRange(min = 1, max = 8) int t, @ForAll long seed) {
        Random r = new Random(seed);
        float[] path = randomPath(r, q, t);
        float[] logits = new float[q * t];
        for (int k = 0; k < logits.length; k++) logits[k] = (float) (3 * r.nextGaussian());
        AlignmentCrossEntropy.Result res = AlignmentCrossEntropy.of(logits, path, q, t);
        assertTrue(res.value() >= 0);
        double h = 1e-5;
        for (int k = 0; k < logits.length; k++) {
            double fd = (ceDouble(logits, path, q, t, k, h) - ceDouble(logits, path, q, t, k, -h)) / (2 * h);
            assertEquals(fd, res.gradient()[k], 1e-5);
        }
        assertEquals(ceDouble(logits, path, q, t, 0, 0), res.value(), 1e-5);
    }

    /** Independent double reference: -1/Q sum_q sum_t P*[q,t] log softmax(z)[q,t], entry k shifted by h. */
    private static double ceDouble(float[] logits, float[] path, int q, int t, int k, double h) {
        double total = 0;
        for (int i = 0; i < q; i++) {
            double[] z = new double[t];
            double rowSum = 0, lse = 0;
            for (int j = 0; j < t; j++) {
                z[j] = logits[i * t + j] + (i * t + j == k ? h : 0);
                rowSum += path[i * t + j];
            }
            for (int j = 0; j < t; j++) lse += Math.exp(z[j]);
            lse = Math.log(lse);
            for (int j = 0; j < t; j++) total -= path[i * t + j] / rowSum * (z[j] - lse);
        }
        return total / q;
    }
}
