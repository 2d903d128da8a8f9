package org.bgtai.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Inception Score against cases computed by hand from its definition. */
class InceptionScoreTest {
    @Test
    void certainAndEvenlyUsedClassesScoreTheirNumber() {
        // one-hot rows, every class equally often: KL(p(y|x) || uniform) = log K for every x
        for (int k : new int[] {2, 3, 10}) {
            float[][] p = new float[3 * k][k];
            for (int i = 0; i < p.length; i++) p[i][i % k] = 1f;
            assertEquals(k, InceptionScore.score(p), 1e-9, "K = " + k);
        }
    }

    @Test
    void identicalRowsScoreOne() {
        float[][] p = new float[5][];
        for (int i = 0; i < p.length; i++) p[i] = new float[] {0.2f, 0.5f, 0.3f};
        assertEquals(1.0, InceptionScore.score(p), 1e-9);
        // also when each row is one-hot (certain, but no variety)
        assertEquals(1.0, InceptionScore.score(new float[][] {{0, 1}, {0, 1}}), 1e-12);
    }

    @Test
    void twoByTwoByHand() {
        // rows (3/4, 1/4) and (1/4, 3/4): p(y) = (1/2, 1/2); each KL = 3/4 log(3/2) + 1/4 log(1/2)
        float[][] p = {{0.75f, 0.25f}, {0.25f, 0.75f}};
        double kl = 0.75 * Math.log(1.5) + 0.25 * Math.log(0.5);
        assertEquals(Math.exp(kl), InceptionScore.score(p), 1e-7);
        assertEquals(1.1397535, InceptionScore.score(p), 1e-6);   // 3^(3/4) / 2
        // rows (1, 0) and (1/2, 1/2): p(y) = (3/4, 1/4); KL_1 = log(4/3), KL_2 = 1/2 log(2/3) + 1/2 log 2
        double want = Math.exp((Math.log(4.0 / 3) + 0.5 * Math.log(2.0 / 3) + 0.5 * Math.log(2)) / 2);
        assertEquals(want, InceptionScore.score(new float[][] {{1, 0}, {0.5f, 0.5f}}), 1e-7);
        assertTrue(want > 1 && want < 2);
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> InceptionScore.score(new float[0][]));
        assertThrows(IllegalArgumentException.class, () -> InceptionScore.score(new float[][] {{0.5f, 0.5f}, {1f}}));
        assertThrows(IllegalArgumentException.class, () -> InceptionScore.score(new float[][] {{-0.5f, 1.5f}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InceptionScore.score(new float[][] {{2f, 3f}}));
        assertTrue(e.getMessage().contains("not logits"), e.getMessage());
    }
}
