package org.bgtai.nn.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class DtwPropertiesTest {

    static float[] randomSeq(Random r, int n, int d) {
        float[] a = new float[n * d];
        for (int k = 0; k < a.length; k++) a[k] = (float) r.nextGaussian();
        return a;
    }

    static float[] randomCost(Random r, int q, int t) {
        float[] c = new float[q * t];
        // Small integers make ties frequent, which exercises the tie-breaking.
        for (int k = 0; k < c.length; k++) c[k] = r.nextBoolean() ? r.nextInt(4) : r.nextFloat() * 3;
        return c;
    }

    /** Minimum path cost over all paths, enumerated recursively (the independent reference). */
    static double bruteForce(float[] c, int q, int t, Constraint con, boolean openBegin, boolean openEnd) {
        double best = Double.POSITIVE_INFINITY;
        for (int j0 = 0; j0 < t; j0++) {
            if (j0 > 0 && !openBegin) break;
            best = Math.min(best, walk(c, q, t, con, openEnd, 0, j0, 0));
        }
        return best;
    }

    private static double walk(float[] c, int q, int t, Constraint con, boolean openEnd, int i, int j, double acc) {
        if (i >= q || j >= t || !con.allows(q, t, i, j)) return Double.POSITIVE_INFINITY;
        acc += c[i * t + j];
        double best = Double.POSITIVE_INFINITY;
        if (i == q - 1 && (openEnd || j == t - 1)) best = acc;
        best = Math.min(best, walk(c, q, t, con, openEnd, i + 1, j + 1, acc));
        best = Math.min(best, walk(c, q, t, con, openEnd, i + 1, j, acc));
        best = Math.min(best, walk(c, q, t, con, openEnd, i, j + 1, acc));
        return best;
    }

    static void assertValidPath(DtwAlignment a, float[] c, boolean openBegin, boolean openEnd) {
        int q = a.rows(), t = a.cols();
        assertEquals(0, a.qs()[0]);
        if (!openBegin) assertEquals(0, a.ts()[0]);
        assertEquals(q - 1, a.qs()[a.length() - 1]);
        if (!openEnd) assertEquals(t - 1, a.ts()[a.length() - 1]);
        double sum = c[a.qs()[0] * t + a.ts()[0]];
        for (int k = 1; k < a.length(); k++) {
            int di = a.qs()[k] - a.qs()[k - 1], dj = a.ts()[k] - a.ts()[k - 1];
            assertTrue((di == 1 && dj == 1) || (di == 1 && dj == 0) || (di == 0 && dj == 1), "step " + di + "," + dj + " at " + k);
            sum += c[a.qs()[k] * t + a.ts()[k]];
        }
        assertEquals(a.cost(), sum, 1e-4 * (1 + Math.abs(sum)), "cost equals the sum over the path");
    }

    static Constraint pick(int which, int radius, double slope) {
        return switch (which) {
            case 0 -> Constraint.none();
            case 1 -> Constraint.sakoeChiba(radius);
            default -> Constraint.itakura(slope);
        };
    }

    @Property(tries = 200)
    void selfDistanceIsZeroWithDiagonalPath(@ForAll @IntRange(min = 1, max = 30) int n, @ForAll @IntRange(min = 1, max = 5) int d, @ForAll long seed) {
        float[] x = randomSeq(new Random(seed), n, d);
        DtwAlignment a = Dtw.align(x, x, d, Dtw.Options.DEFAULT);
        assertEquals(0, a.cost(), 0);
        assertEquals(n, a.length());
        for (int k = 0; k < n; k++) {
            assertEquals(k, a.qs()[k]);
            assertEquals(k, a.ts()[k]);
        }
    }

    @Property(tries = 200)
    void equalsBruteForce(@ForAll @IntRange(min = 1, max = 6) int q, @ForAll @IntRange(min = 1, max = 6) int t,
                          @ForAll @IntRange(min = 0, max = 2) int which, @ForAll @IntRange(min = 0, max = 3) int radius,
                          @ForAll boolean openBegin, @ForAll boolean openEnd, @ForAll long seed) {
        Random r = new Random(seed);
        float[] c = randomCost(r, q, t);
        Constraint con = pick(which, radius, 1.5 + r.nextInt(3));
        Dtw.Options o = Dtw.Options.DEFAULT.withConstraint(con).withOpenBegin(openBegin).withOpenEnd(openEnd);
        double expected = bruteForce(c, q, t, con, openBegin, openEnd);
        if (Double.isInfinite(expected)) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Dtw.align(c, q, t, o));
            assertTrue(e.getMessage().contains(q + " x " + t), e.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Dtw.cost(c, q, t, o));
            return;
        }
        DtwAlignment a = Dtw.align(c, q, t, o);
        assertEquals(expected, a.cost(), 1e-4);
        assertEquals(expected, Dtw.cost(c, q, t, o), 1e-4);
        assertValidPath(a, c, openBegin, openEnd);
        for (int k = 0; k < a.length(); k++) assertTrue(con.allows(q, t, a.qs()[k], a.ts()[k]), "path leaves the constraint");
        double[] acc = Dtw.accumulatedCost(c, q, t, o);
        if (!openEnd) assertEquals(expected, acc[q * t - 1], 1e-4);
    }

    @Property(tries = 100)
    void bandCostAtLeastUnconstrained(@ForAll @IntRange(min = 1, max = 40) int q, @ForAll @IntRange(min = 1, max = 40) int t,
                                      @ForAll @IntRange(min = 0, max = 10) int radius, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = randomSeq(r, q, 2), y = randomSeq(r, t, 2);
        double free = Dtw.distance(x, y, 2, Dtw.Options.DEFAULT);
        for (Constraint con : List.of(Constraint.sakoeChiba(radius), Constraint.itakura(1.2 + radius))) {
            double banded;
            try {
                banded = Dtw.distance(x, y, 2, Dtw.Options.DEFAULT.withConstraint(con));
            } catch (IllegalArgumentException tooNarrow) {
                continue;
            }
            assertTrue(banded >= free - 1e-6, con + ": " + banded + " < " + free);
        }
        assertTrue(Dtw.distance(x, y, 2, Dtw.Options.DEFAULT.withOpenBegin(true).withOpenEnd(true)) <= free + 1e-6);
    }

    @Property(tries = 50)
    void pathIsMonotonicContinuousCornerToCorner(@ForAll @IntRange(min = 1, max = 60) int q, @ForAll @IntRange(min = 1, max = 60) int t,
                                                 @ForAll @IntRange(min = 0, max = 2) int costKind, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = randomSeq(r, q, 3), y = randomSeq(r, t, 3);
        Dtw.Options o = Dtw.Options.DEFAULT.withLocalCost(StandardCost.values()[costKind]);
        DtwAlignment a = Dtw.align(x, y, 3, o);
        assertValidPath(a, o.localCost().matrix(x, y, 3), false, false);
        assertEquals(a.cost(), Dtw.distance(x, y, 3, o), 1e-9);
        float[] m = a.matrix();
        double ones = 0;
        for (float v : m) ones += v;
        assertEquals(a.length(), ones);
        assertEquals(a.length(), a.steps().size());
    }

    @Property(tries = 20)
    void batchEqualsSingle(@ForAll @IntRange(min = 1, max = 20) int batch, @ForAll @IntRange(min = 1, max = 15) int q,
                           @ForAll @IntRange(min = 1, max = 15) int t, @ForAll long seed) {
        Random r = new Random(seed);
        float[] costs = new float[batch * q * t];
        for (int k = 0; k < costs.length; k++) costs[k] = r.nextFloat();
        DtwAlignment[] out = Dtw.alignBatch(costs, batch, q, t, Dtw.Options.DEFAULT);
        List<float[]> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            float[] c = java.util.Arrays.copyOfRange(costs, b * q * t, (b + 1) * q * t);
            DtwAlignment single = Dtw.align(c, q, t);
            assertEquals(single.cost(), out[b].cost(), 0);
            assertArrayEquals(single.ts(), out[b].ts());
            xs.add(randomSeq(r, 1 + r.nextInt(8), 2));
            ys.add(randomSeq(r, 1 + r.nextInt(8), 2));
        }
        DtwAlignment[] seqs = Dtw.alignBatch(xs, ys, 2, Dtw.Options.DEFAULT);
        for (int b = 0; b < batch; b++) assertEquals(Dtw.distance(xs.get(b), ys.get(b), 2, Dtw.Options.DEFAULT), seqs[b].cost(), 0);
    }
}
