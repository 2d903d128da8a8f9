package org.bgtai.tensor.cpu;

import java.util.Arrays;
import org.bgtai.tensor.Vectorization;

/**
 * Single-precision matrix product on the CPU: {@code C[m x n] (+)= A[m x k] * B[k x n]}.
 *
 * <p>Operands are addressed by offset and element strides, so transposed and strided views need
 * no copy: {@code A(i,p) = a[aOff + i*aRs + p*aCs]}, {@code B(p,j) = b[bOff + p*bRs + j*bCs]},
 * {@code C(i,j) = c[cOff + i*ldc + j]}. For example {@code A^T} of a row-major {@code [k x m]}
 * array is {@code aRs = 1, aCs = m}. C must not overlap A or B.
 *
 * <p>When the Vector API is available ({@link Vectorization#ENABLED}) the work goes to
 * {@link GemmKernels}: GotoBLAS/BLIS-style packing, a register-tiled FMA micro-kernel and
 * {@link org.bgtai.tensor.Parallel} threads. Otherwise (JVM started without {@code --add-modules
 * jdk.incubator.vector}) a plain scalar loop runs instead, {@code C(i,:) += A(i,p) * B(p,:)}, so
 * no Vector API class is ever loaded.
 *
 * <pre>{@code
 * // y[rows x out] = x[rows x in] * w^T, w stored row-major [out x in]
 * Gemm.sgemm(rows, out, in, x, 0, in, 1, w, 0, 1, in, y, 0, out, false);
 * }</pre>
 *
 * <p>{@link GemmReference} is the scalar reference the tests compare against.
 */
public final class Gemm {
    /** Whether the Vector API kernels run; tests flip it to exercise the scalar path. */
    static boolean vectorized = Vectorization.ENABLED;

    private Gemm() {}

    /**
     * {@code C[m x n] (+)= A[m x k] * B[k x n]} with strided operands (see the class comment).
     *
     * @param a A(i,p) = a[aOff + i*aRs + p*aCs], i in [0,m), p in [0,k)
     * @param b B(p,j) = b[bOff + p*bRs + j*bCs], j in [0,n)
     * @param c C(i,j) = c[cOff + i*ldc + j], row-major output; must not overlap a or b
     * @param accumulate false overwrites C, true adds the product to it
     * @throws IllegalArgumentException on negative sizes, {@code ldc < n} or indices outside an array
     */
    public static void sgemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                             float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate) {
        GemmChecks.check(1, m, n, k, a, aOff, 0, aRs, aCs, b, bOff, 0, bRs, bCs, c, cOff, 0, ldc);
        if (vectorized) {
            GemmKernels.sgemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
        } else {
            scalar(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
        }
    }

    /**
     * Batched product: for {@code t} in {@code [0, batch)}, the same as {@link #sgemm} with offsets
     * {@code aOff + t*aBs}, {@code bOff + t*bBs}, {@code cOff + t*cBs}. A batch stride of 0
     * broadcasts that operand; with {@code cBs = 0} and {@code accumulate = true} the products of all
     * batch items are summed into one C (items then run in order).
     *
     * @throws IllegalArgumentException on negative sizes, {@code ldc < n} or indices outside an array
     */
    public static void sgemmBatched(int batch, int m, int n, int k, float[] a, int aOff, int aBs, int aRs, int aCs,
                                    float[] b, int bOff, int bBs, int bRs, int bCs, float[] c, int cOff, int cBs, int ldc,
                                    boolean accumulate) {
        GemmChecks.check(batch, m, n, k, a, aOff, aBs, aRs, aCs, b, bOff, bBs, bRs, bCs, c, cOff, cBs, ldc);
        if (vectorized) {
            GemmKernels.sgemmBatched(batch, m, n, k, a, aOff, aBs, aRs, aCs, b, bOff, bBs, bRs, bCs,
                c, cOff, cBs, ldc, accumulate);
        } else {
            for (int t = 0; t < batch; t++) {
                scalar(m, n, k, a, aOff + t * aBs, aRs, aCs, b, bOff + t * bBs, bRs, bCs, c, cOff + t * cBs, ldc,
                    accumulate);
            }
        }
    }

    /** Entry for tests: the packed vector path with explicit block sizes, threaded or not. */
    static void packed(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                       float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate,
                       boolean threaded, int mcB, int kcB, int ncB) {
        GemmKernels.packed(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate,
            threaded, mcB, kcB, ncB);
    }

    /**
     * Scalar fallback without the Vector API: for each row i, {@code C(i,:) = sum_p A(i,p) B(p,:)}
     * as row updates (unit-stride inner loop when B has unit column stride), in float.
     */
    static void scalar(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                       float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + i * aRs + p * aCs];
                int bp = bOff + p * bRs;
                if (bCs == 1) {
                    for (int j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
                } else {
                    for (int j = 0; j < n; j++) c[ci + j] += aip * b[bp + j * bCs];
                }
            }
        }
    }
}
