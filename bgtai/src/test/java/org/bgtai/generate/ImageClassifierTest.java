package org.bgtai.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.Test;

/** The judge's class probabilities: distributions whose argmax is its prediction. */
class ImageClassifierTest {
    static float[][] noise(int n, int d, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[][] x = new float[n][d];
        for (float[] row : x) for (int i = 0; i < d; i++) row[i] = r.nextFloat();
        return x;
    }

    /** Rows are distributions over every class and their argmax is {@link ImageClassifier#predict}. */
    static void assertConsistent(ImageClassifier c, float[][] x, int classes) {
        float[][] p = c.probabilities(x);
        int[] pred = c.predict(x);
        assertEquals(x.length, p.length);
        for (int i = 0; i < p.length; i++) {
            assertEquals(classes, p[i].length);
            double s = 0;
            int arg = 0;
            for (int l = 0; l < classes; l++) {
                assertTrue(p[i][l] >= 0 && p[i][l] <= 1, "p = " + p[i][l]);
                s += p[i][l];
                if (p[i][l] > p[i][arg]) arg = l;
            }
            assertEquals(1.0, s, 1e-5, "row " + i);
            assertEquals(pred[i], arg, "row " + i);
        }
    }

    @Test
    void probabilitiesOfOneHeadAfterTraining() {
        // two classes of 1x8x8 images (bright left half or bright right half) and a few epochs, so the softmax is not flat
        int n = 64;
        float[][] x = noise(n, 64, 3);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int r = 0; r < 8; r++) for (int k = 0; k < 4; k++) x[i][r * 8 + k + 4 * y[i]] += 2f;
        }
        ImageClassifier c = new ImageClassifier(1, 8, 8, 2, new Rng(1));
        c.fit(x, y, 5, 5, true, null, false);
        assertConsistent(c, x, 2);
        // more rows than one batch of 512
        assertConsistent(c, noise(600, 64, 4), 2);
    }

    @Test
    void probabilitiesOfSeveralFactorsAreTheProductOfTheHeads() {
        ImageClassifier c = new ImageClassifier(1, 8, 8, new int[] {2, 3}, new Rng(2));
        assertConsistent(c, noise(40, 64, 5), 6);
    }
}
