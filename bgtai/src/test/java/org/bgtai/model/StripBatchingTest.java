package org.bgtai.model;

import static org.junit.jupiter.api.Assertions.*;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Digit strips of different widths batched with right padding + masks give each row's own result. */
class StripBatchingTest {
    static final ImageEncoder ENC = new ImageEncoder(1, new int[] {4, 6, 8}, new Rng(3));

    /** Encodes rows of widths {@code w} (height h) batched and one by one; returns the largest difference. */
    static double maxDiff(int h, int[] widths, long seed) {
        Rng rng = new Rng(seed);
        int b = widths.length, wMax = 0;
        for (int w : widths) wMax = Math.max(wMax, w);
        float[] padded = new float[b * h * wMax];
        float[][] rows = new float[b][];
        for (int r = 0; r < b; r++) {
            rows[r] = rng.uniform(0f, 1f, h * widths[r]).toArray();
            for (int y = 0; y < h; y++) System.arraycopy(rows[r], y * widths[r], padded, (r * h + y) * wMax, widths[r]);
        }
        try (var ignored = GradMode.noGrad()) {
            float[] batched = ENC.forward(Var.of(Tensor.of(padded, b, 1, h, wMax)), widths).value().contiguous().toArray();
            int f = batched.length / b;
            double worst = 0;
            for (int r = 0; r < b; r++) {
                float[] alone = ENC.forward(Var.of(Tensor.of(rows[r], 1, 1, h, widths[r]))).value().toArray();
                for (int k = 0; k < f; k++) worst = Math.max(worst, Math.abs(alone[k] - batched[r * f + k]));
            }
            return worst;
        }
    }

    @Test
    void digitStripsOfOneToFiveDigits() {
        assertTrue(maxDiff(28, new int[] {28, 140, 56, 84, 112, 28}, 1) < 1e-5);
    }

    @Property(tries = 40)
    void anyWidthsIncludingOddOnes(@ForAll @IntRange(min = 1, max = 4) int b, @ForAll @IntRange(min = 4, max = 12) int h,
                                   @ForAll @IntRange(min = 5, max = 40) int w0, @ForAll @IntRange(min = 5, max = 40) int w1, @ForAll long seed) {
        int[] widths = new int[b];
        for (int r = 0; r < b; r++) widths[r] = r % 2 == 0 ? w0 : w1;
        widths[b - 1] = Math.max(w0, w1) - (b > 1 ? 1 : 0);   // odd sizes and a row narrower than the tensor (>= 4: two poolings leave a column)
        assertTrue(maxDiff(h, widths, seed) < 1e-5);
    }

    @Test
    void batchOfPadsImagesAndKeepsWidths() {
        float[] a = new float[28 * 28], c = new float[28 * 56];
        java.util.Arrays.fill(a, 0.5f);
        java.util.Arrays.fill(c, 0.25f);
        Prepared[] p = {new Prepared(new float[40], 1, a, new int[5], new int[5], 3), new Prepared(new float[80], 2, c, new int[5], new int[5], 4)};
        Batch b = Batch.of(p, new int[] {0, 1}, 40, 1, 28, -1);
        assertArrayEquals(new int[] {28, 56}, b.imageWidths());
        assertArrayEquals(new int[] {2, 1, 28, 56}, b.images().shape());
        assertEquals(0.5f, b.images().get(0, 0, 5, 27), 0f);
        assertEquals(0f, b.images().get(0, 0, 5, 28), 0f);    // padding
        assertEquals(0.25f, b.images().get(1, 0, 5, 55), 0f);
        assertTrue(b.paddedImages());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Batch.of(new Prepared[] {new Prepared(new float[40], 1, new float[30], new int[5], new int[5], 0)}, new int[] {0}, 40, 1, 28, -1));
        assertTrue(e.getMessage().contains("not a multiple of 1x28"), e.getMessage());
    }
}
