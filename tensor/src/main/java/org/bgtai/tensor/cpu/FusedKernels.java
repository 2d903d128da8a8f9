package org.bgtai.tensor.cpu;

import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Vectorization;

/**
 * Flat loops of the fused ops ({@link CpuFusedOps}): dropout masks, row bias, column sums and the
 * masked softmax row of attention. Each dispatches to {@link FusedVectorKernels} where C2 does
 * not vectorize the scalar loop by itself; tests compare the two.
 */
final class FusedKernels {
    private FusedKernels() {}

    private static final int GRAIN = 1 << 14;

    /** {@code x[xo + i] * (m[mo + i] * scale)}, {@code n} elements. */
    static float[] mulMask(float[] x, int xo, float[] m, int mo, float scale, int n) {
        float[] out = new float[n];
        Parallel.forRange(n, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) out[i] = x[xo + i] * (m[mo + i] * scale);
        });
        return out;
    }

    /** {@code r[ro + i] + x[xo + i] * (m[mo + i] * scale)}. */
    static float[] addMulMask(float[] r, int ro, float[] x, int xo, float[] m, int mo, float scale, int n) {
        float[] out = new float[n];
        Parallel.forRange(n, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) out[i] = r[ro + i] + x[xo + i] * (m[mo + i] * scale);
        });
        return out;
    }

    /** {@code max(h, 0) * (m * scale)}. */
    static float[] reluMulMask(float[] h, int ho, float[] m, int mo, float scale, int n) {
        float[] out = new float[n];
        Parallel.forRange(n, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) out[i] = Math.max(h[ho + i], 0f) * (m[mo + i] * scale);
        });
        return out;
    }

    /** {@code g * (m * scale)} where {@code h > 0}, else 0. */
    static float[] reluMaskGrad(float[] g, int go, float[] h, int ho, float[] m, int mo, float scale, int n) {
        float[] out = new float[n];
        Parallel.forRange(n, GRAIN, (lo, hi) -> {
            if (Vectorization.ENABLED) FusedVectorKernels.reluMaskGrad(g, go, h, ho, m, mo, scale, out, lo, hi);
            else reluMaskGradScalar(g, go, h, ho, m, mo, scale, out, lo, hi);
        });
        return out;
    }

    static void reluMaskGradScalar(float[] g, int go, float[] h, int ho, float[] m, int mo, float scale, float[] out, int lo, int hi) {
        for (int i = lo; i < hi; i++) out[i] = h[ho + i] > 0f ? g[go + i] * (m[mo + i] * scale) : 0f;
    }

    /** {@code y[r, c] += b[bo + c]} for a dense {@code y [rows, cols]}. */
    static void addRowBias(float[] y, float[] b, int bo, int rows, int cols) {
        Parallel.forRange(rows, Math.max(1, 16384 / Math.max(1, cols)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r * cols;
                for (int c = 0; c < cols; c++) y[o + c] += b[bo + c];
            }
        });
    }

    /** {@code y[p, j] += b[bo + p % channels]} for a dense {@code y} of planes {@code [outer * channels, inner]}. */
    static void addPlaneBias(float[] y, float[] b, int bo, int planes, int channels, int inner) {
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                float bv = b[bo + i % channels];
                for (int j = i * inner, e = j + inner; j < e; j++) y[j] += bv;
            }
        });
    }

    /** Sums of the rows of a dense {@code d [rows, cols]} from {@code off}: per-thread partial sums, added in chunk order. */
    static float[] columnSums(float[] d, int off, int rows, int cols) {
        int chunks = Math.max(1, Math.min(Parallel.threads(), rows / 64));
        float[][] part = new float[chunks][cols];
        Parallel.forEach(chunks, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                int r0 = (int) ((long) rows * k / chunks), r1 = (int) ((long) rows * (k + 1) / chunks);
                float[] p = part[k];
                for (int r = r0; r < r1; r++) {
                    int o = off + r * cols;
                    for (int j = 0; j < cols; j++) p[j] += d[o + j];
                }
            }
        });
        float[] out = part[0];
        for (int k = 1; k < chunks; k++) for (int j = 0; j < cols; j++) out[j] += part[k][j];
        return out;
    }

    /**
     * Scales row {@code [o, o+n)}, masks keys beyond {@code lastVisible} and padded keys, then
     * softmax in place; a row with every key masked becomes all zeros.
     */
    static void maskedSoftmaxRow(float[] x, int o, int n, float scale, float[] pad, int padOff, int lastVisible) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            boolean masked = j > lastVisible || (pad != null && pad[padOff + j] != 0f);
            float s = masked ? Float.NEGATIVE_INFINITY : x[o + j] * scale;
            x[o + j] = s;
            if (s > max) max = s;
        }
        if (max == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(x, o, o + n, 0f);
            return;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(x[o + j] - max);
            x[o + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < n; j++) x[o + j] *= inv;
    }
}
