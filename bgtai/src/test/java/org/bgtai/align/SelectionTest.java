package org.bgtai.align;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.Test;

/** DS-Net data-pair selection: one schedule for joint training (scores from epoch 1) and standalone DS-Net (scores from epoch 0). */
class SelectionTest {
    @Test
    void scheduleStartsAfterTheFirstEpochAndFalls() {
        assertEquals(0.0, Selection.skipFraction(0, 6, 0.2, 1), 1e-12);
        assertEquals(0.2, Selection.skipFraction(1, 6, 0.2, 1), 1e-12);
        assertEquals(0.16, Selection.skipFraction(2, 6, 0.2, 1), 1e-12);
        assertEquals(0.04, Selection.skipFraction(5, 6, 0.2, 1), 1e-12);
        assertEquals(0.0, Selection.skipFraction(6, 6, 0.2, 1), 1e-12);
        assertEquals(0.2, Selection.skipFraction(1, 2, 0.2, 1), 1e-12);
    }

    @Test
    void preScoredScheduleStartsAtEpochZero() {
        // e0 = 0: f(e) = 0.2 (1 - e / 5)
        assertEquals(0.2, Selection.skipFraction(0, 5, 0.2, 0), 1e-12);
        assertEquals(0.12, Selection.skipFraction(2, 5, 0.2, 0), 1e-12);
        assertEquals(0.04, Selection.skipFraction(4, 5, 0.2, 0), 1e-12);
        assertEquals(0.0, Selection.skipFraction(5, 5, 0.2, 0), 1e-12);
        assertEquals(0.2, Selection.skipFraction(0, 1, 0.2, 0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Selection.skipFraction(-1, 5, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> Selection.skipFraction(0, 5, 1.0, 0));
    }

    @Test
    void selectDropsTheLowestScores() {
        double[] scores = {0.9, 0.1, 0.5, 0.3, 0.7};
        assertArrayEquals(new int[] {0, 2, 3, 4}, Selection.kept(scores, 0.2));
        assertArrayEquals(new int[] {0, 2, 4}, Selection.kept(scores, 0.4));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, Selection.kept(scores, 0.0));
    }

    @Test
    void skipsTheLowestConfidencesAndKeepsUnscoredPairs() {
        double[] c = {0.9, 0.1, Double.NaN, 0.5, 0.3, 0.7, 0.2, 0.8, 0.6, 0.4};
        // epoch 1 of 6: 20% of 10 = 2 skipped: 0.1 (index 1) and 0.2 (index 6)
        assertArrayEquals(new int[] {0, 2, 3, 4, 5, 7, 8, 9}, Selection.kept(c, Selection.skipFraction(1, 6, 0.2, 1)));
        // epoch 0: nothing
        assertEquals(10, Selection.kept(c, Selection.skipFraction(0, 6, 0.2, 1)).length);
        // unscored pairs are never the ones skipped
        double[] all = new double[10];
        Arrays.fill(all, Double.NaN);
        all[4] = 0.99;
        assertArrayEquals(new int[] {0, 1, 2, 3, 5, 6, 7, 8, 9}, Selection.kept(all, Selection.skipFraction(1, 2, 0.15, 1)));
    }

    @Property(tries = 100)
    void keptAreExactlyTheHighestScores(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll @IntRange(min = 1, max = 9) int epoch,
                                        @ForAll @DoubleRange(min = 0, max = 0.9) double start, @ForAll long seed) {
        Rng rng = new Rng(seed);
        double[] c = new double[n];
        for (int i = 0; i < n; i++) c[i] = rng.nextInt(1000) / 1000.0;
        int[] keep = Selection.kept(c, Selection.skipFraction(epoch, 10, start, 1));
        int drop = (int) Math.floor(Selection.skipFraction(epoch, 10, start, 1) * n);
        assertEquals(n - drop, keep.length);
        boolean[] in = new boolean[n];
        for (int k : keep) in[k] = true;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (in[i] && !in[j]) assertTrue(c[i] > c[j] || (c[i] == c[j] && i > j), "kept " + i + " (" + c[i] + ") over skipped " + j + " (" + c[j] + ")");
    }
}
