package org.bgtai.tensor.cpu;

/** Argument validation shared by {@link Gemm} and {@link GemmReference}. */
final class GemmChecks {
    private GemmChecks() {}

    /**
     * Throws {@link IllegalArgumentException} when a size is negative, an array is null, C rows
     * overlap ({@code ldc < n} with {@code m > 1}) or any element the product touches lies outside
     * its array. The message names the sizes so the caller can see which operand is wrong.
     */
    static void check(int batch, int m, int n, int k, float[] a, int aOff, int aBs, int aRs, int aCs,
                      float[] b, int bOff, int bBs, int bRs, int bCs, float[] c, int cOff, int cBs, int ldc) {
        if (batch < 0 || m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, got batch=" + batch + " m=" + m + " n=" + n
                + " k=" + k + " (C[m x n] = A[m x k] * B[k x n])");
        }
        if (a == null || b == null || c == null) {
            throw new IllegalArgumentException("gemm arrays must not be null (a=" + (a == null ? "null" : "ok")
                + ", b=" + (b == null ? "null" : "ok") + ", c=" + (c == null ? "null" : "ok") + ")");
        }
        if (m > 1 && ldc < n) {
            throw new IllegalArgumentException("gemm output rows overlap: ldc=" + ldc + " < n=" + n + " for C[" + m + " x "
                + n + "]; pass ldc >= n");
        }
        if (batch == 0 || m == 0 || n == 0) return;
        String shape = "[" + m + " x " + k + "] x [" + k + " x " + n + "], batch " + batch;
        if (k > 0) {
            range("A", shape, a, aOff, batch, aBs, m, aRs, k, aCs);
            range("B", shape, b, bOff, batch, bBs, k, bRs, n, bCs);
        }
        range("C", shape, c, cOff, batch, cBs, m, ldc, n, 1);
    }

    private static void range(String name, String shape, float[] arr, int off, int batch, int bs,
                              int rows, int rs, int cols, int cs) {
        long lo = off, hi = off;
        long[] spans = {(long) (batch - 1) * bs, (long) (rows - 1) * rs, (long) (cols - 1) * cs};
        for (long s : spans) {
            if (s < 0) lo += s; else hi += s;
        }
        if (lo < 0 || hi >= arr.length) {
            throw new IllegalArgumentException("gemm operand " + name + " (" + rows + " x " + cols + ", offset " + off
                + ", strides batch=" + bs + " row=" + rs + " col=" + cs + ") reaches indices [" + lo + ", " + hi
                + "] outside its array of length " + arr.length + " for " + shape);
        }
    }
}
