package org.bgtai.nn.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The fast DTW kernels (four-row scalar, sixteen-row Vector API) against the one-row reference loop: same cost, same path (ties included); the cost-only kernel gives the same cost. */
class DtwKernelTest {

    static DtwAlignment run(float[] c, int q, int t, Dtw.Options o, Dtw.Kernel kernel) {
        return Dtw.alignKernel(c, 0, q, t, o.constraint().window(q, t), o.openBegin(), o.openEnd(), o.constraint(), kernel);
    }

    @Property(tries = 200)
    void fastKernelsEqualReference(@ForAll @IntRange(min = 1, max = 70) int q, @ForAll @IntRange(min = 1, max = 40) int t,
                                   @ForAll @IntRange(min = 0, max = 3) int variant, @ForAll boolean ties, @ForAll long seed) {
        Random r = new Random(seed);
        float[] c = DtwPropertiesTest.randomCost(r, q, t);
        // Small integer costs make equal accumulated costs (ties between directions) common.
        if (ties) for (int k = 0; k < c.length; k++) c[k] = r.nextInt(3);
        // Negative costs in some rows (the kernel must not assume non-negative values).
        if (r.nextBoolean()) for (int k = 0; k < c.length; k++) c[k] -= (k / t) % 3 == 0 ? 1.5f : 0;
        Dtw.Options o = switch (variant) {
            case 0 -> Dtw.Options.DEFAULT;
            case 1 -> Dtw.Options.DEFAULT.withOpenBegin(true).withOpenEnd(true);
            case 2 -> Dtw.Options.DEFAULT.withOpenEnd(true);
            default -> Dtw.Options.DEFAULT.withConstraint(Constraint.sakoeChiba(Math.max(Math.abs(q - t), 1) + 2));
        };
        DtwAlignment ref = run(c, q, t, o, Dtw.Kernel.ROW);
        for (Dtw.Kernel k : new Dtw.Kernel[] {Dtw.Kernel.BLOCK4, Dtw.Kernel.STRIP}) {
            DtwAlignment fast = run(c, q, t, o, k);
            assertEquals(ref.cost(), fast.cost(), k.name());
            assertArrayEquals(ref.qs(), fast.qs(), k.name());
            assertArrayEquals(ref.ts(), fast.ts(), k.name());
            double cost = Dtw.costKernel(c, q, t, o.constraint().window(q, t), o.openBegin(), o.openEnd(), o.constraint(), k);
            assertEquals(ref.cost(), cost, "cost only, " + k.name());
        }
    }

    @Test
    void nonFiniteInsideABlockIsReported() {
        int q = 9, t = 7;
        float[] c = new float[q * t];
        c[5 * t + 6] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dtw.align(c, q, t));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("(5, 6)"), e.getMessage());
    }

    @Test
    void nonFiniteInsideAStripIsReportedByEveryKernel() {
        int q = 40, t = 23;
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int[] at : new int[][] {{1, 0}, {16, 22}, {17, 0}, {32, 11}}) {
                float[] c = new float[q * t];
                c[at[0] * t + at[1]] = bad;
                for (Dtw.Kernel k : Dtw.Kernel.values()) {
                    String cell = "(" + at[0] + ", " + at[1] + ")";
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(c, q, t, Dtw.Options.DEFAULT, k));
                    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(cell), k + " " + bad + ": " + e.getMessage());
                    Constraint none = Constraint.none();
                    e = assertThrows(IllegalArgumentException.class, () -> Dtw.costKernel(c, q, t, none.window(q, t), false, false, none, k));
                    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(cell), "cost only, " + k + " " + bad + ": " + e.getMessage());
                }
            }
        }
    }
}
