package org.bgtai.align;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class DsNetTrainerTest {
    @Test
    void skipScheduleFallsLinearlyFromStartToZero() {
        assertEquals(0.2, DsNetTrainer.skipFraction(0, 5, 0.2), 1e-12);
        assertEquals(0.1, DsNetTrainer.skipFraction(2, 5, 0.2), 1e-12);
        assertEquals(0.0, DsNetTrainer.skipFraction(4, 5, 0.2), 1e-12);
        assertEquals(0.0, DsNetTrainer.skipFraction(0, 1, 0.2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> DsNetTrainer.skipFraction(5, 5, 0.2));
    }

    @Test
    void selectDropsTheLowestScores() {
        double[] scores = {0.9, 0.1, 0.5, 0.3, 0.7};
        assertArrayEquals(new int[] {0, 2, 3, 4}, DsNetTrainer.select(scores, 0.2));
        assertArrayEquals(new int[] {0, 2, 4}, DsNetTrainer.select(scores, 0.4));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, DsNetTrainer.select(scores, 0.0));
    }

    @Test
    void configNeedsALoss() {
        var c = DsNetTrainer.Config.resultFilter(1, 0);
        assertThrows(IllegalArgumentException.class, () -> c.withAlignCe(false));
    }
}
