package org.bgtai.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The fused-op loops against their scalar references. */
class FusedKernelsTest {

    @Property(tries = 100)
    void reluMaskGradMatchesScalar(@ForAll @IntRange(min = 0, max = 70000) int n, @ForAll @IntRange(min = 0, max = 5) int off,
                                   @ForAll @IntRange(min = 0, max = 3) int maskOff, @ForAll long seed) {
        Random r = new Random(seed);
        float[] g = new float[off + n], h = new float[off + n], m = new float[maskOff + n];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) r.nextGaussian();
            // Zeros of both signs and NaN at the boundary of the mask.
            int kind = r.nextInt(10);
            h[i] = kind == 0 ? 0f : kind == 1 ? -0f : kind == 2 ? Float.NaN : (float) r.nextGaussian();
        }
        for (int i = 0; i < m.length; i++) m[i] = r.nextBoolean() ? 1f : 0f;
        float scale = 1f / 0.9f;
        float[] want = new float[n];
        FusedKernels.reluMaskGradScalar(g, off, h, off, m, maskOff, scale, want, 0, n);
        assertArrayEquals(want, FusedKernels.reluMaskGrad(g, off, h, off, m, maskOff, scale, n));
    }
}
