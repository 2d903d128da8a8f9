package org.bgtai.joint;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.Test;

class SelectionTest {
    @Test
    void scheduleStartsAfterTheFirstEpochAndFalls() {
        assertEquals(0.0, AlignedTrainer.skipFraction(0, 6, 0.2), 1e-12);
        assertEquals(0.2, AlignedTrainer.skipFraction(1, 6, 0.2), 1e-12);
        assertEquals(0.16, AlignedTrainer.skipFraction(2, 6, 0.2), 1e-12);
        assertEquals(0.04, AlignedTrainer.skipFraction(5, 6, 0.2), 1e-12);
        assertEquals(0.0, AlignedTrainer.skipFraction(6, 6, 0.2), 1e-12);
        assertEquals(0.2, AlignedTrainer.skipFraction(1, 2, 0.2), 1e-12);
    }

    @Test
    void skipsTheLowestConfidencesAndKeepsUnscoredPairs() {
        double[] c = {0.9, 0.1, Double.NaN, 0.5, 0.3, 0.7, 0.2, 0.8, 0.6, 0.4};
        // epoch 1 of 6: 20% of 10 = 2 skipped: 0.1 (index 1) and 0.2 (index 6)
        assertArrayEquals(new int[] {0, 2, 3, 4, 5, 7, 8, 9}, AlignedTrainer.kept(c, 1, 6, 0.2));
        // epoch 0: nothing
        assertEquals(10, AlignedTrainer.kept(c, 0, 6, 0.2).length);
        // unscored pairs are never the ones skipped
        double[] all = new double[10];
        Arrays.fill(all, Double.NaN);
        all[4] = 0.99;
        assertArrayEquals(new int[] {0, 1, 2, 3, 5, 6, 7, 8, 9}, AlignedTrainer.kept(all, 1, 2, 0.15));
    }

    @Property(tries = 100)
    void keptAreExactlyTheHighestScores(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll @IntRange(min = 1, max = 9) int epoch,
                                        @ForAll @DoubleRange(min = 0, max = 0.9) double start, @ForAll long seed) {
        Rng rng = new Rng(seed);
        double[] c = new double[n];
        for (int i = 0; i < n; i++) c[i] = rng.nextInt(1000) / 1000.0;
        int[] keep = AlignedTrainer.kept(c, epoch, 10, start);
        int drop = (int) Math.floor(AlignedTrainer.skipFraction(epoch, 10, start) * n);
        assertEquals(n - drop, keep.length);
        boolean[] in = new boolean[n];
        for (int k : keep) in[k] = true;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (in[i] && !in[j]) assertTrue(c[i] > c[j] || (c[i] == c[j] && i > j), "kept " + i + " (" + c[i] + ") over skipped " + j + " (" + c[j] + ")");
    }
}
