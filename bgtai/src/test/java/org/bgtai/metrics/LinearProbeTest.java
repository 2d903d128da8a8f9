package org.bgtai.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.Test;

class LinearProbeTest {
    /** n points of k classes in d dims: class c at mean 3 e_c (separable with margin), unit noise / 4. */
    static float[][] blobs(int n, int k, int d, int[] labels, long seed) {
        Rng r = new Rng(seed);
        float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
            for (int j = 0; j < d; j++) x[i][j] = (float) (r.nextGaussian() / 4 + (j == labels[i] ? 3 : 0));
        }
        return x;
    }

    @Test
    void separableClassesAreLearnedExactly() {
        int[] yTrain = new int[400], yTest = new int[200];
        float[][] train = blobs(400, 10, 16, yTrain, 1), test = blobs(200, 10, 16, yTest, 2);
        LinearProbe p = LinearProbe.fit(train, yTrain, 10, 1e-3, 200);
        assertEquals(1.0, p.accuracy(train, yTrain), 1e-9);
        assertTrue(p.accuracy(test, yTest) >= 0.995, "test accuracy " + p.accuracy(test, yTest));
        double[] prob = p.probabilities(test[0]);
        double s = 0;
        for (double v : prob) s += v;
        assertEquals(1.0, s, 1e-9);
        assertEquals(yTest[0], p.predict(test[0]));
    }

    @Test
    void randomLabelsStayAtChanceOnHeldOutData() {
        Rng r = new Rng(7);
        int n = 600, d = 8;
        float[][] x = new float[n][d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) x[i][j] = (float) r.nextGaussian();
            y[i] = r.nextInt(10);
        }
        float[][] xtr = java.util.Arrays.copyOfRange(x, 0, 400), xte = java.util.Arrays.copyOfRange(x, 400, n);
        int[] ytr = java.util.Arrays.copyOfRange(y, 0, 400), yte = java.util.Arrays.copyOfRange(y, 400, n);
        double acc = LinearProbe.fit(xtr, ytr, 10, 1e-3, 300).accuracy(xte, yte);
        // chance is 0.1; 200 test points give a standard error of about 0.02
        assertTrue(acc < 0.2, "held-out accuracy on random labels " + acc);
    }

    @Test
    void oneDimensionalThresholdByHand() {
        // labels 1 for x > 0: the fitted boundary must sit between the two groups
        float[][] x = {{-2}, {-1}, {-0.5f}, {0.5f}, {1}, {2}};
        int[] y = {0, 0, 0, 1, 1, 1};
        LinearProbe p = LinearProbe.fit(x, y, 2, 0, 500);
        assertEquals(0, p.predict(new float[] {-0.3f}));
        assertEquals(1, p.predict(new float[] {0.3f}));
        assertTrue(p.probabilities(new float[] {2})[1] > 0.9);
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearProbe.fit(new float[][] {{1}, {2}}, new int[] {0, 3}, 2, 0, 10));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinearProbe.fit(new float[][] {{1}, {2, 3}}, new int[] {0, 1}, 2, 0, 10));
        assertTrue(e.getMessage().contains("embedding 1 has 2 dims"), e.getMessage());
    }
}
