package org.bgtai.nn.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MonotonicViterbiTest {

    /** Best score over all segmentations of [0, t) into q non-empty ordered spans (recursive enumeration). */
    static double bruteForce(float[] s, int q, int t, int i, int start) {
        if (i == q - 1) {
            double v = 0;
            for (int j = start; j < t; j++) v += s[i * t + j];
            return v;
        }
        double best = Double.NEGATIVE_INFINITY, acc = 0;
        // Element i covers [start, end); leave at least one position for each later element.
        for (int end = start + 1; end <= t - (q - 1 - i); end++) {
            acc += s[i * t + end - 1];
            best = Math.max(best, acc + bruteForce(s, q, t, i + 1, end));
        }
        return best;
    }

    @Property(tries = 200)
    void equalsBruteForce(@ForAll @IntRange(min = 1, max = 5) int q, @ForAll @IntRange(min = 0, max = 5) int extra, @ForAll long seed) {
        int t = q + extra;
        Random r = new Random(seed);
        float[] s = new float[q * t];
        for (int k = 0; k < s.length; k++) s[k] = r.nextBoolean() ? r.nextInt(3) : (float) r.nextGaussian();
        MonotonicViterbi.Segmentation seg = MonotonicViterbi.decode(s, q, t);
        assertEquals(bruteForce(s, q, t, 0, 0), seg.score(), 1e-4);
        // The returned spans tile [0, T) in order, are non-empty, and score what they claim.
        assertEquals(0, seg.starts()[0]);
        assertEquals(t, seg.ends()[q - 1]);
        double score = 0;
        for (int i = 0; i < q; i++) {
            if (i > 0) assertEquals(seg.ends()[i - 1], seg.starts()[i]);
            org.junit.jupiter.api.Assertions.assertTrue(seg.ends()[i] > seg.starts()[i]);
            for (int j = seg.starts()[i]; j < seg.ends()[i]; j++) score += s[i * t + j];
        }
        assertEquals(seg.score(), score, 1e-4);
        float[] m = seg.matrix();
        for (int j = 0; j < t; j++) {
            float col = 0;
            for (int i = 0; i < q; i++) col += m[i * t + j];
            assertEquals(1, col, "each source position belongs to exactly one target element");
        }
    }

    @Test
    void handExample() {
        // Q = 2, T = 4: row 0 likes positions 0..1, row 1 likes 2..3.
        float[] s = {0, 0, -5, -5, -5, -5, 0, 0};
        MonotonicViterbi.Segmentation seg = MonotonicViterbi.decode(s, 2, 4);
        assertArrayEquals(new int[] {0, 2}, seg.starts());
        assertArrayEquals(new int[] {2, 4}, seg.ends());
        assertArrayEquals(new int[] {2, 2}, seg.durations());
        assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 1, 1}, seg.matrix());
    }

    @Test
    void dictionaryInterpolation() {
        float[] p = {1, 2, 3, 4, 5, 6}; // Q = 3, D = 2
        assertArrayEquals(new int[] {2, 2, 3}, DictionaryInterpolation.uniformDurations(3, 7));
        assertArrayEquals(new float[] {1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6, 5, 6}, DictionaryInterpolation.uniform(p, 3, 2, 7));
        assertArrayEquals(new float[] {1, 2, 3, 4, 3, 4, 3, 4, 5, 6}, DictionaryInterpolation.withDurations(p, 2, new int[] {1, 3, 1}));
        assertArrayEquals(p, DictionaryInterpolation.uniform(p, 3, 2, 3));
        // A dictionary laid out with Viterbi durations aligns with DTW to the same spans at zero cost.
        int[] dur = {1, 3, 1};
        float[] seq = DictionaryInterpolation.withDurations(p, 2, dur);
        DtwAlignment a = Dtw.align(p, seq, 2, Dtw.Options.DEFAULT);
        assertEquals(0, a.cost(), 0);
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1}, a.matrix());
    }
}
