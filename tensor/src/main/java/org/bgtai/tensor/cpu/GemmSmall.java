package org.bgtai.tensor.cpu;

import static org.bgtai.tensor.cpu.Gemm.S;
import static org.bgtai.tensor.cpu.Gemm.VL;

import jdk.incubator.vector.FloatVector;

/**
 * The unpacked path of {@link Gemm} for small products (attention heads, tiny layers): no packing
 * of A, no threads. B must have unit column stride; otherwise it is first copied row-major into a
 * per-thread buffer. Register tiles of 4 rows x 2 vectors (8 accumulators, enough to hide FMA
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
        int nv2 = n / (2 * VL) * (2 * VL);
        int nv = n / VL * VL;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j < nv2; j += 2 * VL) tile4x2(k, a, aOff + i * aRs, aRs, aCs, b, bOff + j, bRs, c, cOff + i * ldc + j, ldc, acc);
            for (; j < nv; j += VL) tile4x1(k, a, aOff + i * aRs, aRs, aCs, b, bOff + j, bRs, c, cOff + i * ldc + j, ldc, acc);
            for (int r = i; r < i + 4; r++) scalar(r, j, n, k, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, ldc, acc);
        }
        for (; i < m; i++) {
            int j = 0;
            for (; j < nv2; j += 2 * VL) tile1x2(k, a, aOff + i * aRs, aCs, b, bOff + j, bRs, c, cOff + i * ldc + j, acc);
            for (; j < nv; j += VL) tile1x1(k, a, aOff + i * aRs, aCs, b, bOff + j, bRs, c, cOff + i * ldc + j, acc);
            scalar(i, j, n, k, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, ldc, acc);
        }
    }

    private static void tile4x2(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int bRs,
                                float[] c, int c0, int ldc, boolean acc) {
        int a1 = a0 + aRs, a2 = a1 + aRs, a3 = a2 + aRs;
        FloatVector c00 = (acc ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S)), c01 = (acc ? FloatVector.fromArray(S, c, c0 + VL) : FloatVector.zero(S));
        FloatVector c10 = (acc ? FloatVector.fromArray(S, c, c0 + ldc) : FloatVector.zero(S)), c11 = (acc ? FloatVector.fromArray(S, c, c0 + ldc + VL) : FloatVector.zero(S));
        FloatVector c20 = (acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc) : FloatVector.zero(S)), c21 = (acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc + VL) : FloatVector.zero(S));
        FloatVector c30 = (acc ? FloatVector.fromArray(S, c, c0 + 3 * ldc) : FloatVector.zero(S)), c31 = (acc ? FloatVector.fromArray(S, c, c0 + 3 * ldc + VL) : FloatVector.zero(S));
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
            x = FloatVector.broadcast(S, a[a3 + q]);
            c30 = v0.fma(x, c30);
            c31 = v1.fma(x, c31);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + VL);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + VL);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + VL);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + VL);
    }

    private static void tile4x1(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int bRs,
                                float[] c, int c0, int ldc, boolean acc) {
        int a1 = a0 + aRs, a2 = a1 + aRs, a3 = a2 + aRs;
        FloatVector c0v = (acc ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S)), c1v = (acc ? FloatVector.fromArray(S, c, c0 + ldc) : FloatVector.zero(S));
        FloatVector c2v = (acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc) : FloatVector.zero(S)), c3v = (acc ? FloatVector.fromArray(S, c, c0 + 3 * ldc) : FloatVector.zero(S));
        for (int p = 0, q = 0, bi = b0; p < k; p++, q += aCs, bi += bRs) {
            FloatVector v = FloatVector.fromArray(S, b, bi);
            c0v = v.fma(FloatVector.broadcast(S, a[a0 + q]), c0v);
            c1v = v.fma(FloatVector.broadcast(S, a[a1 + q]), c1v);
            c2v = v.fma(FloatVector.broadcast(S, a[a2 + q]), c2v);
            c3v = v.fma(FloatVector.broadcast(S, a[a3 + q]), c3v);
        }
        c0v.intoArray(c, c0);
        c1v.intoArray(c, c0 + ldc);
        c2v.intoArray(c, c0 + 2 * ldc);
        c3v.intoArray(c, c0 + 3 * ldc);
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
