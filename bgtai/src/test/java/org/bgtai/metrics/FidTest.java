package org.bgtai.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fréchet distance against closed forms. */
class FidTest {
    static float[][] gaussian(Random r, int n, double[] mean, double[] std) {
        float[][] x = new float[n][mean.length];
        for (float[] row : x) for (int i = 0; i < mean.length; i++) row[i] = (float) (mean[i] + std[i] * r.nextGaussian());
        return x;
    }

    @Test
    void identicalSetsAreAtZero() {
        float[][] a = gaussian(new Random(1), 500, new double[] {1, -2, 0.5}, new double[] {1, 2, 0.3});
        assertEquals(0, Fid.distance(a, a), 1e-6);
    }

    @Test
    void diagonalCovariancesMatchTheClosedForm() {
        // For diagonal covariances d^2 = sum (mu1 - mu2)^2 + sum (s1 - s2)^2 (s = standard deviations),
        // computed here from the samples' own moments so that only the formula is tested.
        Random r = new Random(7);
        float[][] a = gaussian(r, 4000, new double[] {0, 0, 0, 0}, new double[] {1, 2, 0.5, 1});
        float[][] b = gaussian(r, 4000, new double[] {1, 0, -1, 0.5}, new double[] {2, 2, 0.5, 3});
        double want = 0;
        for (int i = 0; i < 4; i++) {
            double[] ma = moments(a, i), mb = moments(b, i);
            want += (ma[0] - mb[0]) * (ma[0] - mb[0]) + Math.pow(Math.sqrt(ma[1]) - Math.sqrt(mb[1]), 2);
        }
        // sample cross-covariances are not exactly 0: allow their small effect
        assertEquals(want, Fid.distance(a, b), 0.05 * want);
        assertEquals(1 + 1 + 0.25 + 1 + 4, want, 0.3);
    }

    @Test
    void correlatedCaseMatchesTheTwoByTwoFormula() {
        // S1 = I, S2 = [[2, 1], [1, 2]] (eigenvalues 1 and 3): Tr sqrt(S1 S2) = 1 + sqrt 3.
        Random r = new Random(3);
        int n = 20000;
        float[][] a = new float[n][2], b = new float[n][2];
        double c = Math.sqrt(1.5), d = Math.sqrt(0.5);
        for (int k = 0; k < n; k++) {
            a[k][0] = (float) r.nextGaussian();
            a[k][1] = (float) r.nextGaussian();
            double u = r.nextGaussian(), v = r.nextGaussian();   // (u + v) / sqrt2 * sqrt3, (u - v)/sqrt2 ...
            b[k][0] = (float) (c * u + d * v);
            b[k][1] = (float) (c * u - d * v);
        }
        double want = 2 + 4 - 2 * (1 + Math.sqrt(3));
        assertEquals(want, Fid.distance(a, b), 0.08);
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> Fid.distance(new float[1][2], new float[3][2]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fid.distance(new float[3][2], new float[3][4]));
        assertEquals("feature sizes differ: 2 vs 4", e.getMessage());
    }

    private static double[] moments(float[][] x, int i) {
        double s = 0, s2 = 0;
        for (float[] r : x) s += r[i];
        double m = s / x.length;
        for (float[] r : x) s2 += (r[i] - m) * (r[i] - m);
        return new double[] {m, s2 / (x.length - 1)};
    }
}
