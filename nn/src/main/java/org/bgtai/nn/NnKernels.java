package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.Vectorization;

/** Small CPU loops shared by the fused layer ops (row bias, column sums). */
final class NnKernels {
    private NnKernels() {}

    /** Sums of the rows of {@code g [rows, cols]} -> {@code [cols]}. */
    static Tensor columnSums(Tensor g) {
        if (g.device() != Device.CPU) return g.sum(0, false);
        Tensor c = g.contiguous();
        float[] d = c.cpuData();
        int off = c.offset(), rows = c.size(0), cols = c.size(1);
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
        return Tensor.of(out, cols);
    }

    /**
     * {@code v} copied to {@code device} as a graph op (the gradient is copied back): the host
     * round trip of the layers that have only a CPU kernel (convolution, pooling).
     */
    static Var moved(Var v, Device device) {
        Device from = v.value().device();
        if (from == device) return v;
        return Var.op("to_" + device.name(), v.value().to(device), g -> new Tensor[] {g.to(from)}, v);
    }

    private static final int GRAIN = 1 << 14;

    /** {@code x[xo + i] * m[i] * scale}. */
    static float[] mulMask(float[] x, int xo, float[] m, float scale) {
        float[] out = new float[m.length];
        Parallel.forRange(m.length, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) out[i] = x[xo + i] * (m[i] * scale);
        });
        return out;
    }

    /** {@code r[ro + i] + x[xo + i] * m[i] * scale}. */
    static float[] addMulMask(float[] r, int ro, float[] x, int xo, float[] m, float scale) {
        float[] out = new float[m.length];
        Parallel.forRange(m.length, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) out[i] = r[ro + i] + x[xo + i] * (m[i] * scale);
        });
        return out;
    }

    /** {@code max(h, 0) * m * scale}. */
    static float[] reluMulMask(float[] h, int ho, float[] m, float scale) {
        float[] out = new float[m.length];
        Parallel.forRange(m.length, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) out[i] = Math.max(h[ho + i], 0f) * (m[i] * scale);
        });
        return out;
    }

    /** {@code g * m * scale} where {@code h > 0}, else 0. */
    static float[] reluMaskGrad(float[] g, int go, float[] h, int ho, float[] m, float scale) {
        float[] out = new float[m.length];
        Parallel.forRange(m.length, GRAIN, (lo, hi) -> {
            if (Vectorization.ENABLED) NnVectorKernels.reluMaskGrad(g, go, h, ho, m, scale, out, lo, hi);
            else reluMaskGradScalar(g, go, h, ho, m, scale, out, lo, hi);
        });
        return out;
    }

    static void reluMaskGradScalar(float[] g, int go, float[] h, int ho, float[] m, float scale, float[] out, int lo, int hi) {
        for (int i = lo; i < hi; i++) out[i] = h[ho + i] > 0f ? g[go + i] * (m[i] * scale) : 0f;
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
}
