package org.bgtai.tensor.cpu;

/**
 * Scalar reference for {@link Gemm}: the textbook triple loop, {@code C(i,j) (+)= sum_p A(i,p) B(p,j)}.
 *
 * <p>Same arguments and strided addressing as {@link Gemm#sgemm} / {@link Gemm#sgemmBatched}:
 * {@code A(i,p) = a[aOff + i*aRs + p*aCs]}, {@code B(p,j) = b[bOff + p*bRs + j*bCs]},
 * {@code C(i,j) = c[cOff + i*ldc + j]}. Each dot product is accumulated in {@code double} and
 * rounded to float once, after adding the previous value of C when {@code accumulate} is true.
 * It is slow on purpose: it exists to check the fast kernel and to give the benchmark a baseline.
 * Arguments are validated exactly like {@link Gemm}.
 */
public final class GemmReference {
    private GemmReference() {}

    /** Reference for {@link Gemm#sgemm}: C[m x n] (+)= A[m x k] * B[k x n]. */
    public static void sgemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                             float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate) {
        GemmChecks.check(1, m, n, k, a, aOff, 0, aRs, aCs, b, bOff, 0, bRs, bCs, c, cOff, 0, ldc);
        product(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
    }

    /** Reference for {@link Gemm#sgemmBatched}: the batches run one after the other, in order. */
    public static void sgemmBatched(int batch, int m, int n, int k, float[] a, int aOff, int aBs, int aRs, int aCs,
                                    float[] b, int bOff, int bBs, int bRs, int bCs, float[] c, int cOff, int cBs, int ldc,
                                    boolean accumulate) {
        GemmChecks.check(batch, m, n, k, a, aOff, aBs, aRs, aCs, b, bOff, bBs, bRs, bCs, c, cOff, cBs, ldc);
        for (int t = 0; t < batch; t++) {
            product(m, n, k, a, aOff + t * aBs, aRs, aCs, b, bOff + t * bBs, bRs, bCs, c, cOff + t * cBs, ldc, accumulate);
        }
    }

    private static void product(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                                float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[aOff + i * aRs + p * aCs] * b[bOff + p * bRs + j * bCs];
                }
                int ci = cOff + i * ldc + j;
                c[ci] = (float) (accumulate ? c[ci] + s : s);
            }
        }
    }
}
