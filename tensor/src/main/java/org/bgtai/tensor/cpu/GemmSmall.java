package org.bgtai.tensor.cpu;

import static org.bgtai.tensor.cpu.GemmKernels.S;
import static org.bgtai.tensor.cpu.GemmKernels.VL;

import jdk.incubator.vector.FloatVector;

/**
 * The unpacked path of {@link Gemm} for small products (attention heads, tiny layers): no packing
 * of A, no threads. Register tiles of 3 rows x 3 vectors (9 accumulators, enough to hide FMA
 * latency) cover most of C, narrower tiles the edges. B must have unit column stride: otherwise
 * (e.g. {@code K^T} in attention scores) it is first copied row-major into a per-thread buffer,
 * its rows zero-padded to whole vectors; B is padded the same way when C's last partial vector
 * of columns is worth it, so that those columns run as a vector strip (into a small buffer,
 * then copied) instead of scalar dot products, which are bound by the add latency (a 12 x 12 x
 * 64 product with K^T took 4.0 us with 4 of its 12 columns scalar, 1.9 us padded).
 */
final class GemmSmall {
    private GemmSmall() {}

    /** Per thread: [0] the copy of B, [1] a 3-row tile of the padded last columns. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[3 * VL]});

    static void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean acc) {
        int nv = n / VL * VL;
        // Copy (and pad) B when it is strided, or when its last partial vector of columns, done
        // scalar, would cost more (~4 cycles per multiply-add) than copying B (~1 per element).
        boolean padded = n > 1 && (bCs != 1 || nv < n && 4L * m * (n - nv) > n + VL);
        float[] tail = null;
        if (padded) {
            float[][] buf = BUFFERS.get();
            int ldb = nv < n ? nv + VL : n;
            if (buf[0].length < k * ldb) buf[0] = new float[k * ldb];
            float[] bb = buf[0];
            if (bRs == 1 && bCs != 1) {
                // B^T is row-major (e.g. K in attention scores): read its rows contiguously
                for (int j = 0; j < n; j++) {
                    int src = bOff + j * bCs;
                    for (int p = 0; p < k; p++) bb[j + p * ldb] = b[src + p];   // indices linear in p: no range checks in the loop
                }
                for (int p = 0; p < k; p++) for (int j = n; j < ldb; j++) bb[p * ldb + j] = 0f;
            } else {
                for (int p = 0; p < k; p++) {
                    int src = bOff + p * bRs, dst = p * ldb;
                    if (bCs == 1) System.arraycopy(b, src, bb, dst, n);
                    else for (int j = 0; j < n; j++, src += bCs) bb[dst + j] = b[src];
                    for (int j = n; j < ldb; j++) bb[dst + j] = 0f;
                }
            }
            b = bb;
            bOff = 0;
            bRs = ldb;
            tail = buf[1];
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
            if (j < n && tail != null) {
                tile3x1(k, a, ai, aRs, aCs, b, bOff + j, bRs, tail, 0, VL, false);
                for (int r = 0; r < 3; r++) copyTail(tail, r * VL, c, ci + r * ldc + j, n - j, acc);
            } else {
                for (int r = i; r < i + 3; r++) scalar(r, j, n, k, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, ldc, acc);
            }
        }
        int nv2 = n / (2 * VL) * (2 * VL);
        for (; i < m; i++) {
            int ai = aOff + i * aRs, ci = cOff + i * ldc;
            int j = 0;
            for (; j < nv2; j += 2 * VL) tile1x2(k, a, ai, aCs, b, bOff + j, bRs, c, ci + j, acc);
            for (; j < nv; j += VL) tile1x1(k, a, ai, aCs, b, bOff + j, bRs, c, ci + j, acc);
            if (j < n && tail != null) {
                tile1x1(k, a, ai, aCs, b, bOff + j, bRs, tail, 0, false);
                copyTail(tail, 0, c, ci + j, n - j, acc);
            } else {
                scalar(i, j, n, k, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, ldc, acc);
            }
        }
    }

    /** {@code c[ci, ci+len) (+)= t[ti, ti+len)}. */
    private static void copyTail(float[] t, int ti, float[] c, int ci, int len, boolean acc) {
        for (int j = 0; j < len; j++) c[ci + j] = acc ? c[ci + j] + t[ti + j] : t[ti + j];
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
