package org.bgtai.nn.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SoftDtwTest {

    /** Independent double-precision soft-DTW value (plain recursion over sequences). */
    static double reference(double[] x, double[] y, int d, double gamma, int costKind) {
        int q = x.length / d, t = y.length / d;
        double[][] r = new double[q + 1][t + 1];
        for (double[] row : r) java.util.Arrays.fill(row, Double.POSITIVE_INFINITY);
        r[0][0] = 0;
        for (int i = 1; i <= q; i++) {
            for (int j = 1; j <= t; j++) {
                double[] a = {r[i - 1][j - 1], r[i - 1][j], r[i][j - 1]};
                double m = Math.min(a[0], Math.min(a[1], a[2]));
                double s = 0;
                for (double v : a) s += Math.exp(-(v - m) / gamma);
                r[i][j] = cost(x, i - 1, y, j - 1, d, costKind) + m - gamma * Math.log(s);
            }
        }
        return r[q][t];
    }

    static double cost(double[] x, int i, double[] y, int j, int d, int kind) {
        double xy = 0, xx = 0, yy = 0, sq = 0;
        for (int k = 0; k < d; k++) {
            double a = x[i * d + k], b = y[j * d + k];
            sq += (a - b) * (a - b);
            xy += a * b;
            xx += a * a;
            yy += b * b;
        }
        return switch (kind) {
            case 0 -> sq;
            case 1 -> Math.sqrt(sq);
            default -> 1 - xy / Math.sqrt(xx * yy);
        };
    }

    static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int k = 0; k < a.length; k++) out[k] = a[k];
        return out;
    }

    static double divergenceRef(double[] x, double[] y, int d, double g, int kind) {
        return reference(x, y, d, g, kind) - 0.5 * (reference(x, x, d, g, kind) + reference(y, y, d, g, kind));
    }

    /** Central differences in double of the reference against the analytic gradients. */
    @Property(tries = 40)
    void gradientMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 6) int q, @ForAll @IntRange(min = 1, max = 6) int t,
                                          @ForAll @IntRange(min = 1, max = 3) int d, @ForAll @IntRange(min = 0, max = 2) int kind,
                                          @ForAll boolean divergence, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = DtwPropertiesTest.randomSeq(r, q, d), y = DtwPropertiesTest.randomSeq(r, t, d);
        double gamma = 0.05 + r.nextDouble();
        LocalCost lc = StandardCost.values()[kind];
        SoftDtw.Result res = divergence ? SoftDtw.divergence(x, y, d, gamma, lc) : SoftDtw.valueAndGradient(x, y, d, gamma, lc);
        double[] xd = toDouble(x), yd = toDouble(y);
        double value = divergence ? divergenceRef(xd, yd, d, gamma, kind) : reference(xd, yd, d, gamma, kind);
        assertEquals(value, res.value(), 1e-4 * (1 + Math.abs(value)));
        double h = 1e-5;
        for (int side = 0; side < 2; side++) {
            double[] v = side == 0 ? xd : yd;
            float[] g = side == 0 ? res.gradX() : res.gradY();
            for (int k = 0; k < v.length; k++) {
                double old = v[k];
                v[k] = old + h;
                double plus = divergence ? divergenceRef(xd, yd, d, gamma, kind) : reference(xd, yd, d, gamma, kind);
                v[k] = old - h;
                double minus = divergence ? divergenceRef(xd, yd, d, gamma, kind) : reference(xd, yd, d, gamma, kind);
                v[k] = old;
                double fd = (plus - minus) / (2 * h);
                assertEquals(fd, g[k], 2e-3 * (1 + Math.abs(fd)), (side == 0 ? "x" : "y") + "[" + k + "] " + lc);
            }
        }
    }

    @Property(tries = 50)
    void approachesDtwAsGammaShrinks(@ForAll @IntRange(min = 1, max = 30) int q, @ForAll @IntRange(min = 1, max = 30) int t, @ForAll long seed) {
        Random r = new Random(seed);
        float[] c = new float[q * t];
        for (int k = 0; k < c.length; k++) c[k] = r.nextFloat() * 5;
        double dtw = Dtw.cost(c, q, t);
        double prevGap = Double.POSITIVE_INFINITY;
        for (double gamma : new double[] {1, 0.1, 0.01, 0.001}) {
            double s = SoftDtw.value(c, q, t, gamma);
            // min_g <= min, and min - min_g <= g log 3 per step, at most Q + T - 1 steps.
            assertTrue(s <= dtw + 1e-6, "soft-DTW " + s + " above DTW " + dtw);
            double gap = dtw - s;
            assertTrue(gap <= gamma * Math.log(3) * (q + t - 1) + 1e-6);
            assertTrue(gap <= prevGap + 1e-6);
            prevGap = gap;
        }
        assertEquals(dtw, SoftDtw.value(c, q, t, 1e-3), 1e-3 * Math.log(3) * (q + t) + 1e-6);
    }

    @Test
    void stableForLongSequencesAndSmallGamma() {
        Random r = new Random(7);
        int q = 1000, t = 1100;
        float[] x = DtwPropertiesTest.randomSeq(r, q, 2), y = DtwPropertiesTest.randomSeq(r, t, 2);
        float[] c = StandardCost.SQUARED_EUCLIDEAN.matrix(x, y, 2);
        double dtw = Dtw.cost(c, q, t);
        SoftDtw.Forward f = SoftDtw.forward(c, q, t, 1e-3);
        assertTrue(Double.isFinite(f.value()));
        assertEquals(dtw, f.value(), 1e-3 * Math.log(3) * (q + t));
        float[] e = f.backward();
        for (float v : e) assertTrue(v >= 0 && v <= 1 + 1e-5 && Float.isFinite(v), "E out of [0, 1]: " + v);
        assertEquals(1, e[0], 1e-5);
        assertEquals(1, e[q * t - 1], 1e-5);
        // With a tiny gamma the expected alignment concentrates on the DTW path.
        float[] path = Dtw.align(c, q, t).matrix();
        double onPath = 0, total = 0;
        for (int k = 0; k < e.length; k++) {
            total += e[k];
            onPath += e[k] * path[k];
        }
        assertTrue(onPath / total > 0.95, "mass on DTW path " + onPath / total);
    }

    @Test
    void divergenceIsZeroForEqualSequences() {
        float[] x = DtwPropertiesTest.randomSeq(new Random(3), 9, 4);
        SoftDtw.Result r = SoftDtw.divergence(x, x.clone(), 4, 0.5, StandardCost.SQUARED_EUCLIDEAN);
        assertEquals(0, r.value(), 1e-5);
        for (float g : r.gradX()) assertEquals(0, g, 1e-4);
    }

    @Test
    void userCostWithoutGradientSaysSo() {
        LocalCost l1 = (x, xo, y, yo, d) -> Math.abs(x[xo] - y[yo]);
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
            () -> SoftDtw.valueAndGradient(new float[] {1, 2}, new float[] {0, 3}, 1, 0.1, l1));
        // DTW with the same user cost works: |1-0| + |2-3| = 2 on the diagonal.
        assertEquals(2, Dtw.distance(new float[] {1, 2}, new float[] {0, 3}, 1, Dtw.Options.DEFAULT.withLocalCost(l1)), 1e-9);
    }

    /** The Vector API forward pass (sixteen-row strips) against the row-by-row one: value and expected alignment. */
    @Property(tries = 80)
    void stripKernelMatchesRows(@ForAll @IntRange(min = 1, max = 60) int q, @ForAll @IntRange(min = 1, max = 40) int t,
                                @ForAll @IntRange(min = -3, max = 1) int logGamma, @ForAll long seed) {
        Random r = new Random(seed);
        float[] c = new float[q * t];
        for (int k = 0; k < c.length; k++) c[k] = r.nextFloat() * 4 - (r.nextInt(5) == 0 ? 1 : 0);
        double gamma = Math.pow(10, logGamma) * (0.5 + r.nextDouble());
        SoftDtw.Forward rows = SoftDtw.forward(c, q, t, gamma, false), strips = SoftDtw.forward(c, q, t, gamma, true);
        assertEquals(rows.value(), strips.value(), 1e-9 * (1 + Math.abs(rows.value())));
        float[] a = rows.backward(), b = strips.backward();
        for (int k = 0; k < a.length; k++) assertEquals(a[k], b[k], 1e-5, "E at (" + k / t + ", " + k % t + ")");
    }
}
