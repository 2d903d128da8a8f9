package org.bgtai.nn.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The four-row lagged DTW kernel against the one-row reference loop: same cost, same path (ties included). */
class DtwKernelTest {

    static DtwAlignment run(float[] c, int q, int t, Dtw.Options o, boolean blocked) {
        return Dtw.alignKernel(c, 0, q, t, o.constraint().window(q, t), o.openBegin(), o.openEnd(), o.constraint(), blocked);
    }

    @Property(tries = 150)
    void blockedEqualsReference(@ForAll @IntRange(min = 1, max = 40) int q, @ForAll @IntRange(min = 1, max = 40) int t,
                                @ForAll @IntRange(min = 0, max = 3) int variant, @ForAll long seed) {
        Random r = new Random(seed);
        float[] c = DtwPropertiesTest.randomCost(r, q, t);
        // Negative costs in some rows (the kernel must not assume non-negative values).
        if (r.nextBoolean()) for (int k = 0; k < c.length; k++) c[k] -= (k / t) % 3 == 0 ? 1.5f : 0;
        Dtw.Options o = switch (variant) {
            case 0 -> Dtw.Options.DEFAULT;
            case 1 -> Dtw.Options.DEFAULT.withOpenBegin(true).withOpenEnd(true);
            case 2 -> Dtw.Options.DEFAULT.withOpenEnd(true);
            default -> Dtw.Options.DEFAULT.withConstraint(Constraint.sakoeChiba(Math.max(Math.abs(q - t), 1) + 2));
        };
        DtwAlignment ref = run(c, q, t, o, false), fast = run(c, q, t, o, true);
        assertEquals(ref.cost(), fast.cost());
        assertArrayEquals(ref.qs(), fast.qs());
        assertArrayEquals(ref.ts(), fast.ts());
    }

    @Test
    void nonFiniteInsideABlockIsReported() {
        int q = 9, t = 7;
        float[] c = new float[q * t];
        c[5 * t + 6] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dtw.align(c, q, t));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("(5, 6)"), e.getMessage());
    }
}
