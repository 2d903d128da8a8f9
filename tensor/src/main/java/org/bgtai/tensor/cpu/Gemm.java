package org.bgtai.tensor.cpu;

/** Placeholder GEMM (replaced by the blocked Vector API kernel from the gemm branch). */
public final class Gemm {
    private Gemm() {}

    public static void sgemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                             float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int crow = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(c, crow, crow + n, 0f);
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * aRs + p * aCs];
                if (bCs == 1) Kernels.axpy(av, b, bOff + p * bRs, c, crow, n);
                else for (int j = 0; j < n; j++) c[crow + j] += av * b[bOff + p * bRs + j * bCs];
            }
        }
    }

    public static void sgemmBatched(int batch, int m, int n, int k, float[] a, int aOff, int aBs, int aRs, int aCs,
                                    float[] b, int bOff, int bBs, int bRs, int bCs, float[] c, int cOff, int cBs, int ldc, boolean accumulate) {
        for (int t = 0; t < batch; t++)
            sgemm(m, n, k, a, aOff + t * aBs, aRs, aCs, b, bOff + t * bBs, bRs, bCs, c, cOff + t * cBs, ldc, accumulate);
    }
}
