package org.bgtai.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.Test;

/** The bulk Bernoulli kernel (Vector API when present) against the per-draw definition. */
class BernoulliKernelTest {

    @Property(tries = 200)
    void vectorEqualsScalar(@ForAll long seed, @ForAll long base, @ForAll @FloatRange(min = 0, max = 1) float p,
                            @ForAll @IntRange(min = 0, max = 7) int from, @ForAll @IntRange(min = 0, max = 300) int n) {
        float[] fast = new float[from + n], ref = new float[from + n];
        Kernels.bernoulli(fast, from, from + n, seed, base, p);
        for (int i = from; i < from + n; i++) ref[i] = (Rng.draw(seed, base + i) >>> 11) * 0x1.0p-53 < p ? 1f : 0f;
        assertArrayEquals(ref, fast);
    }

    @Test
    void integerThresholdIsTheDoubleCompare() {
        for (float p : new float[] {0f, Float.MIN_VALUE, 1e-7f, 0.1f, 0.5f, 0.9f, Math.nextDown(1f), 1f}) {
            long t = Kernels.bernoulliThreshold(p);
            for (long x = Math.max(0, t - 2); x <= Math.min((1L << 53) - 1, t + 2); x++) {
                boolean kept = x * 0x1.0p-53 < p;
                if (x < t) assertTrue(kept, "p " + p + " x " + x);
                else assertFalse(kept, "p " + p + " x " + x);
            }
        }
    }

    @Test
    void rngBernoulliKeepsItsStream() {
        // Rng.bernoulli draws element i as draw (counter + i): the same masks as before the bulk kernel.
        Rng rng = new Rng(7);
        rng.nextLong();
        float[] got = rng.bernoulli(0.3f, 1000).toArray();
        for (int i = 0; i < got.length; i++) {
            float want = (Rng.draw(7, 1 + i) >>> 11) * 0x1.0p-53 < 0.3f ? 1f : 0f;
            org.junit.jupiter.api.Assertions.assertEquals(want, got[i], "element " + i);
        }
    }
}
