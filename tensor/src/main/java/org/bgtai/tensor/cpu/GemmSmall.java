package org.bgtai.tensor.cpu;

import static org.bgtai.tensor.cpu.Gemm.S;
import static org.bgtai.tensor.cpu.Gemm.VL;

import jdk.incubator.vector.FloatVector;

/**
 * The unpacked path of {@link Gemm} for small products (attention heads, tiny layers): no packing
 * of A, no threads. B must have unit column stride; otherwise it is first copied row-major into a
 * per-thread buffer. Register tiles of 3 rows x 3 vectors (9 accumulators, enough to hide FMA
 * latency) cover most of C, narrower tiles and a scalar loop the edges.
 */
final class GemmSmall {
    private GemmSmall() {}

    private static final ThreadLocal<float[][]> B_COPY = ThreadLocal.withInitial(() -> new float[1][0]);

    static void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean acc) {
        if (bCs != 1 && n > 1) {
            float[][] holder = B_COPY.get();
            if (holder[0].length < k * n) holder[0] = new float[k * n];
            float[] bb = holder[0];
            for (int p = 0; p < k; p++) {
                int src = bOff + p * bRs, dst = p * n;
                for (int j = 0; j < n; j++, src += bCs) bb[dst + j] = b[src];
            }
            b = bb;
            bOff = 0;
            bRs = n;
        }
        int nv3 = n / (3 * VL) * (3 * VL);
        int i = 0;
        for (; i + 3 <= m; i += 3) {
            int ai = aOff + i * aRs, ci = cOff + i * ldc;
            int j = 0;
            for (; j < nv3; j += 3 * VL) tile3x3(k, a, ai, aRs, aCs, b, bOff + j, bRs, c, ci + j, ldc, acc);
            if (j + 2 * VL <= n) {
                tile3x2(k, a, ai, aRs, aCs, b, bOff + j, bRs, c, ci + j, ldc, acc);
                j += 2 * VL;
            }
            if (j + VL <= n) {
                tile3x1(k, a, ai, aRs, aCs, b, bOff + j, bRs, c, ci + j, ldc, acc);
                j += VL;
            }
            for (int r = i; r < i + 3; r++) scalar(r, j, n, k, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, ldc, acc);
        }
        int nv2 = n / (2 * VL) * (2 * VL);
        int nv = n / VL * VL;
        for (; i < m; i++) {
            int j = 0;
            for (; j < nv2; j += 2 * VL) tile1x2(k, a, aOff + i * aRs, aCs, b, bOff + j, bRs, c, cOff + i * ldc + j, acc);
            for (; j < nv; j += VL) tile1x1(k, a, aOff + i * aRs, aCs, b, bOff + j, bRs, c, cOff + i * ldc + j, acc);
            scalar(i, j, n, k, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, ldc, acc);
        }
    }

    private static void tile3x3(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int bRs,
                                float[] c, int c0, int ldc, boolean acc) {
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        FloatVector c00 = acc ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S);
        FloatVector c01 = acc ? FloatVector.fromArray(S, c, c0 + VL) : FloatVector.zero(S);
        FloatVector c02 = acc ? FloatVector.fromArray(S, c, c0 + 2 * VL) : FloatVector.zero(S);
        FloatVector c10 = acc ? FloatVector.fromArray(S, c, c0 + ldc) : FloatVector.zero(S);
        FloatVector c11 = acc ? FloatVector.fromArray(S, c, c0 + ldc + VL) : FloatVector.zero(S);
        FloatVector c12 = acc ? FloatVector.fromArray(S, c, c0 + ldc + 2 * VL) : FloatVector.zero(S);
        FloatVector c20 = acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc) : FloatVector.zero(S);
        FloatVector c21 = acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc + VL) : FloatVector.zero(S);
        FloatVector c22 = acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc + 2 * VL) : FloatVector.zero(S);
        for (int p = 0, q = 0, bi = b0; p < k; p++, q += aCs, bi += bRs) {
            FloatVector v0 = FloatVector.fromArray(S, b, bi);
            FloatVector v1 = FloatVector.fromArray(S, b, bi + VL);
            FloatVector v2 = FloatVector.fromArray(S, b, bi + 2 * VL);
            FloatVector x = FloatVector.broadcast(S, a[a0 + q]);
            c00 = v0.fma(x, c00);
            c01 = v1.fma(x, c01);
            c02 = v2.fma(x, c02);
            x = FloatVector.broadcast(S, a[a1 + q]);
            c10 = v0.fma(x, c10);
            c11 = v1.fma(x, c11);
            c12 = v2.fma(x, c12);
            x = FloatVector.broadcast(S, a[a2 + q]);
            c20 = v0.fma(x, c20);
            c21 = v1.fma(x, c21);
            c22 = v2.fma(x, c22);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + VL);
        c02.intoArray(c, c0 + 2 * VL);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + VL);
        c12.intoArray(c, c0 + ldc + 2 * VL);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + VL);
        c22.intoArray(c, c0 + 2 * ldc + 2 * VL);
    }

    private static void tile3x2(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int bRs,
                                float[] c, int c0, int ldc, boolean acc) {
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        FloatVector c00 = acc ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S);
        FloatVector c01 = acc ? FloatVector.fromArray(S, c, c0 + VL) : FloatVector.zero(S);
        FloatVector c10 = acc ? FloatVector.fromArray(S, c, c0 + ldc) : FloatVector.zero(S);
        FloatVector c11 = acc ? FloatVector.fromArray(S, c, c0 + ldc + VL) : FloatVector.zero(S);
        FloatVector c20 = acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc) : FloatVector.zero(S);
        FloatVector c21 = acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc + VL) : FloatVector.zero(S);
        for (int p = 0, q = 0, bi = b0; p < k; p++, q += aCs, bi += bRs) {
            FloatVector v0 = FloatVector.fromArray(S, b, bi);
            FloatVector v1 = FloatVector.fromArray(S, b, bi + VL);
            FloatVector x = FloatVector.broadcast(S, a[a0 + q]);
            c00 = v0.fma(x, c00);
            c01 = v1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + q]);
            c10 = v0.fma(x, c10);
            c11 = v1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + q]);
            c20 = v0.fma(x, c20);
            c21 = v1.fma(x, c21);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + VL);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + VL);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + VL);
    }

    private static void tile3x1(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int bRs,
                                float[] c, int c0, int ldc, boolean acc) {
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        FloatVector c00 = acc ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S);
        FloatVector c10 = acc ? FloatVector.fromArray(S, c, c0 + ldc) : FloatVector.zero(S);
        FloatVector c20 = acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc) : FloatVector.zero(S);
        for (int p = 0, q = 0, bi = b0; p < k; p++, q += aCs, bi += bRs) {
            FloatVector v0 = FloatVector.fromArray(S, b, bi);
            FloatVector x = FloatVector.broadcast(S, a[a0 + q]);
            c00 = v0.fma(x, c00);
            x = FloatVector.broadcast(S, a[a1 + q]);
            c10 = v0.fma(x, c10);
            x = FloatVector.broadcast(S, a[a2 + q]);
            c20 = v0.fma(x, c20);
        }
        c00.intoArray(c, c0);
        c10.intoArray(c, c0 + ldc);
        c20.intoArray(c, c0 + 2 * ldc);
    }

    private static void tile1x2(int k, float[] a, int a0, int aCs, float[] b, int b0, int bRs,
                                float[] c, int c0, boolean acc) {
        FloatVector c0v = (acc ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S)), c1v = (acc ? FloatVector.fromArray(S, c, c0 + VL) : FloatVector.zero(S));
        for (int p = 0, q = a0, bi = b0; p < k; p++, q += aCs, bi += bRs) {
            FloatVector x = FloatVector.broadcast(S, a[q]);
            c0v = FloatVector.fromArray(S, b, bi).fma(x, c0v);
            c1v = FloatVector.fromArray(S, b, bi + VL).fma(x, c1v);
        }
        c0v.intoArray(c, c0);
        c1v.intoArray(c, c0 + VL);
    }

    private static void tile1x1(int k, float[] a, int a0, int aCs, float[] b, int b0, int bRs,
                                float[] c, int c0, boolean acc) {
        FloatVector cv = (acc ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S));
        for (int p = 0, q = a0, bi = b0; p < k; p++, q += aCs, bi += bRs) {
            cv = FloatVector.fromArray(S, b, bi).fma(FloatVector.broadcast(S, a[q]), cv);
        }
        cv.intoArray(c, c0);
    }

    /** Row i, columns [j0, n): plain dot products (B has unit column stride here). */
    private static void scalar(int i, int j0, int n, int k, float[] a, int aOff, int aRs, int aCs,
                               float[] b, int bOff, int bRs, float[] c, int cOff, int ldc, boolean acc) {
        for (int j = j0; j < n; j++) {
            float s = 0f;
            for (int p = 0, q = aOff + i * aRs, bi = bOff + j; p < k; p++, q += aCs, bi += bRs) s += a[q] * b[bi];
            int ci = cOff + i * ldc + j;
            c[ci] = acc ? c[ci] + s : s;
        }
    }
}
