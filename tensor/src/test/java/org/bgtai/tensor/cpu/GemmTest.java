package org.bgtai.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.bgtai.tensor.Parallel;

/**
 * {@link Gemm} against the scalar {@link GemmReference} on random shapes, layouts and thread counts.
 *
 * <p>Tolerance: every element must satisfy {@code |C - Cref| <= (k + 2) * 2^-23 * (sum_p |A(i,p) B(p,j)| + |C0|)},
 * the classic float32 dot-product error bound {@code ~k * eps} relative to the sum of absolute terms
 * (the reference accumulates in double, so its own error is negligible). A wrong index or a missed
 * block gives errors of order 1 relative to that sum and fails.
 */
class GemmTest {
    private static final int ORIGINAL_THREADS = Parallel.threads();

    @AfterContainer
    static void restoreThreads() {
        Parallel.setThreads(ORIGINAL_THREADS);
    }

    /** An operand: storage, offset, batch stride and strides of a logical rows x cols matrix. */
    record Operand(float[] data, int off, int bs, int rs, int cs) {
        float at(int r, int col) {
            return data[off + r * rs + col * cs];
        }

        Operand item(int t) {
            return new Operand(data, off + t * bs, 0, rs, cs);
        }
    }

    /**
     * Random storage for {@code batch} rows x cols matrices in one of four layouts: 0 row-major,
     * 1 transposed (column-major), 2 row-major with padded rows, 3 both strides > 1 (every other
     * element). Batch stride 0 when {@code broadcast}, else one matrix's span plus a random gap.
     */
    static Operand operand(Random rnd, int rows, int cols, int layout, int batch, boolean broadcast) {
        int off = rnd.nextInt(6);
        int pad = 1 + rnd.nextInt(5);
        int rs, cs;
        switch (layout) {
            case 0 -> { rs = cols; cs = 1; }
            case 1 -> { rs = 1; cs = rows; }
            case 2 -> { rs = cols + pad; cs = 1; }
            default -> { rs = 2 * cols + pad; cs = 2; }
        }
        int span = (rows - 1) * rs + (cols - 1) * cs + 1;
        int bs = broadcast ? 0 : span + rnd.nextInt(3);
        float[] d = new float[off + (batch - 1) * bs + span + rnd.nextInt(4)];
        for (int i = 0; i < d.length; i++) d[i] = rnd.nextFloat() * 2 - 1;
        return new Operand(d, off, bs, rs, cs);
    }

    static Operand operand(Random rnd, int rows, int cols, int layout) {
        return operand(rnd, rows, cols, layout, 1, true);
    }

    @Provide
    Arbitrary<Integer> dim() {
        return Arbitraries.integers().between(1, 300).withDistribution(RandomDistribution.biased());
    }

    /** Error bound for C(i,j) of one product (see the class comment). */
    static void assertClose(int m, int n, int k, Operand a, Operand b, float[] c0, float[] got, float[] want,
                            int cOff, int ldc, boolean acc, String what) {
        double eps = (k + 2) * Math.scalb(1.0, -23);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double abs = 0;
                for (int p = 0; p < k; p++) abs += Math.abs((double) a.at(i, p) * b.at(p, j));
                int ci = cOff + i * ldc + j;
                if (acc) abs += Math.abs(c0[ci]);
                double tol = eps * abs + 1e-30;
                double err = Math.abs(got[ci] - want[ci]);
                if (!(err <= tol)) {
                    throw new AssertionError(what + ": C(" + i + "," + j + ") = " + got[ci] + " but reference "
                        + want[ci] + " (err " + err + " > tol " + tol + ") for m=" + m + " n=" + n + " k=" + k);
                }
            }
        }
    }

    /** Copies C and checks that the elements between and after C's rows were left alone. */
    static void assertUntouchedOutsideC(float[] before, float[] after, int cOff, int m, int n, int ldc) {
        for (int idx = 0; idx < before.length; idx++) {
            int rel = idx - cOff;
            boolean inC = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inC) assertEquals(before[idx], after[idx], "element " + idx + " outside C was written");
        }
    }

    @Property(tries = 120)
    void sgemmMatchesReference(@ForAll("dim") int m, @ForAll("dim") int n, @ForAll("dim") int k,
                               @ForAll @IntRange(max = 3) int aLayout, @ForAll @IntRange(max = 3) int bLayout,
                               @ForAll boolean accumulate, @ForAll @IntRange(min = 1, max = 2) int threads,
                               @ForAll long seed) {
        Parallel.setThreads(threads);
        Random rnd = new Random(seed);
        Operand a = operand(rnd, m, k, aLayout);
        Operand b = operand(rnd, k, n, bLayout);
        int cOff = rnd.nextInt(5), ldc = n + rnd.nextInt(3);
        float[] c0 = new float[cOff + (m - 1) * ldc + n + rnd.nextInt(3)];
        for (int i = 0; i < c0.length; i++) c0[i] = rnd.nextFloat() * 2 - 1;
        float[] got = c0.clone(), want = c0.clone();
        Gemm.sgemm(m, n, k, a.data, a.off, a.rs, a.cs, b.data, b.off, b.rs, b.cs, got, cOff, ldc, accumulate);
        GemmReference.sgemm(m, n, k, a.data, a.off, a.rs, a.cs, b.data, b.off, b.rs, b.cs, want, cOff, ldc, accumulate);
        assertClose(m, n, k, a, b, c0, got, want, cOff, ldc, accumulate, "sgemm");
        assertUntouchedOutsideC(c0, got, cOff, m, n, ldc);
    }

    /** The scalar fallback used when the Vector API is absent, on random shapes and layouts. */
    @Property(tries = 60)
    void scalarFallbackMatchesReference(@ForAll @IntRange(min = 1, max = 80) int m,
                                        @ForAll @IntRange(min = 1, max = 80) int n,
                                        @ForAll @IntRange(max = 80) int k,
                                        @ForAll @IntRange(max = 3) int aLayout, @ForAll @IntRange(max = 3) int bLayout,
                                        @ForAll boolean accumulate, @ForAll long seed) {
        Random rnd = new Random(seed);
        Operand a = operand(rnd, m, Math.max(k, 1), aLayout);
        Operand b = operand(rnd, Math.max(k, 1), n, bLayout);
        int cOff = rnd.nextInt(5), ldc = n + rnd.nextInt(3);
        float[] c0 = new float[cOff + (m - 1) * ldc + n + rnd.nextInt(3)];
        for (int i = 0; i < c0.length; i++) c0[i] = rnd.nextFloat() * 2 - 1;
        float[] got = c0.clone(), want = c0.clone();
        Gemm.scalar(m, n, k, a.data, a.off, a.rs, a.cs, b.data, b.off, b.rs, b.cs, got, cOff, ldc, accumulate);
        GemmReference.sgemm(m, n, k, a.data, a.off, a.rs, a.cs, b.data, b.off, b.rs, b.cs, want, cOff, ldc, accumulate);
        assertClose(m, n, k, a, b, c0, got, want, cOff, ldc, accumulate, "scalar");
        assertUntouchedOutsideC(c0, got, cOff, m, n, ldc);
    }

    /** With the Vector API switched off, the public entry points dispatch to the scalar path. */
    @Example
    void publicEntryPointsWorkWithoutVectorApi() {
        boolean saved = Gemm.vectorized;
        Gemm.vectorized = false;
        try {
            float[] a = {1, 2, 3, 4, 5, 6};     // [2 x 3]
            float[] b = {1, 0, 0, 1, 1, 1};     // [3 x 2]
            float[] c = new float[4];
            Gemm.sgemm(2, 2, 3, a, 0, 3, 1, b, 0, 2, 1, c, 0, 2, false);
            assertArrayEquals(new float[] {4, 5, 10, 11}, c);
            float[] cb = new float[8];
            Gemm.sgemmBatched(2, 2, 2, 3, a, 0, 0, 3, 1, b, 0, 0, 2, 1, cb, 0, 4, 2, false);
            assertArrayEquals(new float[] {4, 5, 10, 11, 4, 5, 10, 11}, cb);
        } finally {
            Gemm.vectorized = saved;
        }
    }

    /** The packed path with tiny blocks, so every loop (jc, pc, ic, edges) runs several times. */
    @Property(tries = 80)
    void packedPathWithSmallBlocksMatchesReference(
            @ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 90) int n,
            @ForAll @IntRange(min = 1, max = 60) int k, @ForAll @IntRange(max = 3) int aLayout,
            @ForAll @IntRange(max = 3) int bLayout, @ForAll boolean accumulate, @ForAll boolean threaded,
            @ForAll @IntRange(min = 1, max = 30) int mcB, @ForAll @IntRange(min = 1, max = 20) int kcB,
            @ForAll @IntRange(min = 1, max = 50) int ncB, @ForAll long seed) {
        Parallel.setThreads(2);
        Random rnd = new Random(seed);
        Operand a = operand(rnd, m, k, aLayout);
        Operand b = operand(rnd, k, n, bLayout);
        int cOff = rnd.nextInt(5), ldc = n + rnd.nextInt(3);
        float[] c0 = new float[cOff + (m - 1) * ldc + n];
        for (int i = 0; i < c0.length; i++) c0[i] = rnd.nextFloat() * 2 - 1;
        float[] got = c0.clone(), want = c0.clone();
        Gemm.packed(m, n, k, a.data, a.off, a.rs, a.cs, b.data, b.off, b.rs, b.cs, got, cOff, ldc, accumulate,
            threaded, mcB, kcB, ncB);
        GemmReference.sgemm(m, n, k, a.data, a.off, a.rs, a.cs, b.data, b.off, b.rs, b.cs, want, cOff, ldc, accumulate);
        assertClose(m, n, k, a, b, c0, got, want, cOff, ldc, accumulate, "packed mc=" + mcB + " kc=" + kcB + " nc=" + ncB);
        assertUntouchedOutsideC(c0, got, cOff, m, n, ldc);
    }

    /** Every micro-kernel tile and threading scheme (independent parts; shared B by rows or columns), small blocks. */
    @Property(tries = 80)
    void everyTileMatchesReference(
            @ForAll @IntRange(max = 1) int tile, @ForAll @IntRange(min = 1, max = 60) int m,
            @ForAll @IntRange(min = 1, max = 90) int n, @ForAll @IntRange(min = 1, max = 50) int k,
            @ForAll @IntRange(max = 3) int aLayout, @ForAll @IntRange(max = 3) int bLayout,
            @ForAll boolean accumulate, @ForAll boolean threaded, @ForAll boolean sharedB, @ForAll boolean columnSplit,
            @ForAll @IntRange(min = 1, max = 30) int mcB, @ForAll @IntRange(min = 1, max = 20) int kcB,
            @ForAll @IntRange(min = 1, max = 50) int ncB, @ForAll boolean guided, @ForAll long seed) {
        int[][] tiles = {{4, 2}, {6, 2}};
        Parallel.setThreads(2);
        Random rnd = new Random(seed);
        Operand a = operand(rnd, m, k, aLayout);
        Operand b = operand(rnd, k, n, bLayout);
        int cOff = rnd.nextInt(5), ldc = n + rnd.nextInt(3);
        float[] c0 = new float[cOff + (m - 1) * ldc + n];
        for (int i = 0; i < c0.length; i++) c0[i] = rnd.nextFloat() * 2 - 1;
        float[] got = c0.clone(), want = c0.clone();
        GemmKernels.Config saved = GemmKernels.config;
        boolean savedSplit = GemmKernels.COLUMN_SPLIT, savedShared = GemmKernels.SHARED_B;
        boolean savedGuided = GemmKernels.GUIDED;
        try {
            GemmKernels.SHARED_B = sharedB;
            GemmKernels.GUIDED = guided;
            GemmKernels.config = new GemmKernels.Config(tiles[tile][0], tiles[tile][1], saved.kc(), saved.mc(), saved.nc());
            GemmKernels.COLUMN_SPLIT = columnSplit;
            Gemm.packed(m, n, k, a.data, a.off, a.rs, a.cs, b.data, b.off, b.rs, b.cs, got, cOff, ldc, accumulate,
                threaded, mcB, kcB, ncB);
        } finally {
            GemmKernels.config = saved;
            GemmKernels.COLUMN_SPLIT = savedSplit;
            GemmKernels.SHARED_B = savedShared;
            GemmKernels.GUIDED = savedGuided;
        }
        GemmReference.sgemm(m, n, k, a.data, a.off, a.rs, a.cs, b.data, b.off, b.rs, b.cs, want, cOff, ldc, accumulate);
        assertClose(m, n, k, a, b, c0, got, want, cOff, ldc, accumulate,
            "tile " + tiles[tile][0] + "x" + tiles[tile][1] + " sharedB=" + sharedB + " mc=" + mcB + " kc=" + kcB + " nc=" + ncB);
        assertUntouchedOutsideC(c0, got, cOff, m, n, ldc);
    }

    @Property(tries = 200)
    void chunkBoundsCoverTheRangeInShrinkingChunks(@ForAll @IntRange(min = 1, max = 5000) int n,
                                                   @ForAll @IntRange(min = 1, max = 8) int threads,
                                                   @ForAll @IntRange(min = 1, max = 32) int chunks) {
        int[] b = GemmKernels.chunkBounds(n, chunks, 1 - 0.5 / threads);
        assertEquals(0, b[0]);
        assertEquals(n, b[b.length - 1]);
        assertTrue(b.length >= 2 && b.length <= chunks + 1, "chunk count " + (b.length - 1) + " of at most " + chunks);
        for (int i = 1; i < b.length; i++) {
            assertTrue(b[i] > b[i - 1], "empty or reversed chunk at " + i + ": " + java.util.Arrays.toString(b));
            // sizes shrink (up to rounding: one index more than the previous chunk at most)
            if (i >= 2) assertTrue(b[i] - b[i - 1] <= b[i - 1] - b[i - 2] + 1, java.util.Arrays.toString(b));
        }
        assertTrue(b[1] >= b[b.length - 1] - b[b.length - 2], "last chunk larger than the first: "
            + java.util.Arrays.toString(b));
        if (n >= 100 && threads == 2 && chunks == 8) {
            // the two-thread GEMM case: the first chunk is several times the last
            assertTrue(b[1] >= 4 * (b[8] - b[7]), java.util.Arrays.toString(b));
        }
        // q = 1 (the equal-chunk switch): min(n, chunks) chunks whose sizes differ by at most one
        int[] e = GemmKernels.chunkBounds(n, chunks, 1);
        assertEquals(Math.min(n, chunks), e.length - 1, java.util.Arrays.toString(e));
        for (int i = 1; i < e.length; i++) {
            int size = e[i] - e[i - 1];
            assertTrue(size == n / chunks || size == n / chunks + 1 || n < chunks && size == 1, java.util.Arrays.toString(e));
        }
    }

    @Property(tries = 80)
    void batchedMatchesReference(@ForAll @IntRange(min = 1, max = 9) int batch,
                                 @ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 70) int n,
                                 @ForAll @IntRange(min = 1, max = 70) int k,
                                 @ForAll @IntRange(max = 3) int aLayout, @ForAll @IntRange(max = 3) int bLayout,
                                 @ForAll boolean broadcastA, @ForAll boolean broadcastB, @ForAll boolean sumIntoOneC,
                                 @ForAll boolean accumulate, @ForAll @IntRange(min = 1, max = 2) int threads,
                                 @ForAll long seed) {
        Parallel.setThreads(threads);
        Random rnd = new Random(seed);
        Operand a = operand(rnd, m, k, aLayout, batch, broadcastA);
        Operand b = operand(rnd, k, n, bLayout, batch, broadcastB);
        int aBs = a.bs, bBs = b.bs;
        boolean oneC = sumIntoOneC && accumulate; // cBs = 0 sums every item into one C
        int cOff = rnd.nextInt(5), ldc = n + rnd.nextInt(3);
        int cBs = oneC ? 0 : (m - 1) * ldc + n + rnd.nextInt(3);
        float[] c0 = new float[cOff + (batch - 1) * cBs + (m - 1) * ldc + n];
        for (int i = 0; i < c0.length; i++) c0[i] = rnd.nextFloat() * 2 - 1;
        float[] got = c0.clone(), want = c0.clone();
        Gemm.sgemmBatched(batch, m, n, k, a.data, a.off, aBs, a.rs, a.cs, b.data, b.off, bBs, b.rs, b.cs,
            got, cOff, cBs, ldc, accumulate);
        GemmReference.sgemmBatched(batch, m, n, k, a.data, a.off, aBs, a.rs, a.cs, b.data, b.off, bBs, b.rs, b.cs,
            want, cOff, cBs, ldc, accumulate);
        if (oneC) {
            // Summing `batch` products: bound each item's dot product plus the running sum.
            double eps = (batch * (k + 2)) * Math.scalb(1.0, -23);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double abs = Math.abs(c0[cOff + i * ldc + j]);
                    for (int t = 0; t < batch; t++) {
                        for (int p = 0; p < k; p++) {
                            abs += Math.abs((double) a.data[a.off + t * aBs + i * a.rs + p * a.cs]
                                * b.data[b.off + t * bBs + p * b.rs + j * b.cs]);
                        }
                    }
                    int ci = cOff + i * ldc + j;
                    assertTrue(Math.abs(got[ci] - want[ci]) <= eps * abs + 1e-30,
                        "summed batch C(" + i + "," + j + ") = " + got[ci] + " vs " + want[ci]);
                }
            }
            return;
        }
        for (int t = 0; t < batch; t++) {
            assertClose(m, n, k, a.item(t), b.item(t), c0, got, want, cOff + t * cBs, ldc, accumulate, "batch item " + t);
        }
    }

    /** The transformer's attention shapes: batch 128 of [24 x 64] x [64 x 24]^T and [24 x 24] x [24 x 64]. */
    @Example
    void attentionShapedBatches() {
        Parallel.setThreads(2);
        Random rnd = new Random(7);
        int batch = 128, t = 24, d = 64;
        float[] q = new float[batch * t * d], kk = new float[batch * t * d], s = new float[batch * t * t];
        for (int i = 0; i < q.length; i++) { q[i] = rnd.nextFloat() - 0.5f; kk[i] = rnd.nextFloat() - 0.5f; }
        float[] want = s.clone();
        // scores = Q K^T: B(p, j) = K(j, p) -> bRs = 1, bCs = d
        Gemm.sgemmBatched(batch, t, t, d, q, 0, t * d, d, 1, kk, 0, t * d, 1, d, s, 0, t * t, t, false);
        GemmReference.sgemmBatched(batch, t, t, d, q, 0, t * d, d, 1, kk, 0, t * d, 1, d, want, 0, t * t, t, false);
        for (int i = 0; i < s.length; i++) assertEquals(want[i], s[i], 1e-5f, "scores element " + i);
        float[] o = new float[batch * t * d], wantO = new float[batch * t * d];
        Gemm.sgemmBatched(batch, t, d, t, s, 0, t * t, t, 1, kk, 0, t * d, d, 1, o, 0, t * d, d, false);
        GemmReference.sgemmBatched(batch, t, d, t, s, 0, t * t, t, 1, kk, 0, t * d, d, 1, wantO, 0, t * d, d, false);
        for (int i = 0; i < o.length; i++) assertEquals(wantO[i], o[i], 1e-5f, "output element " + i);
    }

    /** A hand-computed case: [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]], then accumulate. */
    @Example
    void handComputedTwoByTwo() {
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
        Gemm.sgemm(2, 2, 2, a, 0, 2, 1, b, 0, 2, 1, c, 0, 2, false);
        assertArrayEquals(new float[] {19, 22, 43, 50}, c);
        Gemm.sgemm(2, 2, 2, a, 0, 2, 1, b, 0, 2, 1, c, 0, 2, true);
        assertArrayEquals(new float[] {38, 44, 86, 100}, c);
        // A^T x B with A read transposed through its strides: [[1,3],[2,4]] x B = [[26,30],[38,44]]
        Gemm.sgemm(2, 2, 2, a, 0, 1, 2, b, 0, 2, 1, c, 0, 2, false);
        assertArrayEquals(new float[] {26, 30, 38, 44}, c);
    }

    @Example
    void kZeroClearsOrKeepsC() {
        float[] c = {1, 2, 3};
        Gemm.sgemm(1, 3, 0, new float[0], 0, 0, 1, new float[0], 0, 3, 1, c, 0, 3, true);
        assertArrayEquals(new float[] {1, 2, 3}, c);
        Gemm.sgemm(1, 3, 0, new float[0], 0, 0, 1, new float[0], 0, 3, 1, c, 0, 3, false);
        assertArrayEquals(new float[] {0, 0, 0}, c);
    }

    @Example
    void badArgumentsThrowWithSizesInMessage() {
        float[] a = new float[6], b = new float[6], c = new float[4];
        var neg = assertThrows(IllegalArgumentException.class,
            () -> Gemm.sgemm(-1, 2, 3, a, 0, 3, 1, b, 0, 2, 1, c, 0, 2, false));
        assertTrue(neg.getMessage().contains("m=-1"), neg.getMessage());
        var aOut = assertThrows(IllegalArgumentException.class,
            () -> Gemm.sgemm(2, 2, 3, a, 1, 3, 1, b, 0, 2, 1, c, 0, 2, false));
        assertTrue(aOut.getMessage().contains("operand A") && aOut.getMessage().contains("[2 x 3] x [3 x 2]"),
            aOut.getMessage());
        var bOut = assertThrows(IllegalArgumentException.class,
            () -> Gemm.sgemm(2, 2, 3, a, 0, 3, 1, b, 0, 3, 1, c, 0, 2, false));
        assertTrue(bOut.getMessage().contains("operand B") && bOut.getMessage().contains("length 6"), bOut.getMessage());
        var cOut = assertThrows(IllegalArgumentException.class,
            () -> Gemm.sgemm(2, 2, 3, a, 0, 3, 1, b, 0, 2, 1, c, 1, 2, false));
        assertTrue(cOut.getMessage().contains("operand C"), cOut.getMessage());
        var negOff = assertThrows(IllegalArgumentException.class,
            () -> Gemm.sgemm(2, 2, 3, a, -1, 3, 1, b, 0, 2, 1, c, 0, 2, false));
        assertTrue(negOff.getMessage().contains("offset -1"), negOff.getMessage());
        var ldc = assertThrows(IllegalArgumentException.class,
            () -> Gemm.sgemm(2, 2, 3, a, 0, 3, 1, b, 0, 2, 1, c, 0, 1, false));
        assertTrue(ldc.getMessage().contains("ldc=1 < n=2"), ldc.getMessage());
        var batch = assertThrows(IllegalArgumentException.class,
            () -> Gemm.sgemmBatched(2, 2, 2, 3, a, 0, 6, 3, 1, b, 0, 0, 2, 1, c, 0, 0, 2, false));
        assertTrue(batch.getMessage().contains("operand A") && batch.getMessage().contains("batch 2"), batch.getMessage());
        var negBatch = assertThrows(IllegalArgumentException.class,
            () -> GemmReference.sgemmBatched(-3, 2, 2, 3, a, 0, 6, 3, 1, b, 0, 0, 2, 1, c, 0, 0, 2, false));
        assertTrue(negBatch.getMessage().contains("batch=-3"), negBatch.getMessage());
    }
}
