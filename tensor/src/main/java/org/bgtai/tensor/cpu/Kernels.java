package org.bgtai.tensor.cpu;

import org.bgtai.tensor.BinaryOp;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.UnaryOp;
import org.bgtai.tensor.Vectorization;

/**
 * Flat (unit-stride) elementwise and row kernels. Each entry point dispatches to the Vector API
 * implementation ({@link VectorKernels}) when it is available and the op has one, else to the
 * scalar reference in this class. Tests compare the two paths.
 */
public final class Kernels {
    private Kernels() {}

    static final boolean VEC = Vectorization.ENABLED;

    // ---------------------------------------------------------------- unary

    public static void unary(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        if (VEC && VectorKernels.unary(op, x, xo, out, oo, n)) return;
        unaryScalar(op, x, xo, out, oo, n);
    }

    public static void unaryScalar(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = unary(op, x[xo + i]);
    }

    public static float unary(UnaryOp op, float v) {
        return switch (op) {
            case NEG -> -v;
            case EXP -> (float) Math.exp(v);
            case LOG -> (float) Math.log(v);
            case SQRT -> (float) Math.sqrt(v);
            case RSQRT -> (float) (1.0 / Math.sqrt(v));
            case RECIPROCAL -> 1f / v;
            case SQUARE -> v * v;
            case ABS -> Math.abs(v);
            case SIGN -> Math.signum(v);
            case SIN -> (float) Math.sin(v);
            case COS -> (float) Math.cos(v);
            case TANH -> (float) Math.tanh(v);
            case SIGMOID -> MathF.sigmoid(v);
            case RELU -> v > 0 ? v : 0f;
            case GELU -> MathF.gelu(v);
            case GELU_TANH -> MathF.geluTanh(v);
            case SILU -> v * MathF.sigmoid(v);
            case ERF -> (float) MathF.erf(v);
            case LOG1P -> (float) Math.log1p(v);
            case EXPM1 -> (float) Math.expm1(v);
            case FLOOR -> (float) Math.floor(v);
            case CEIL -> (float) Math.ceil(v);
            case ROUND -> (float) Math.rint(v);
        };
    }

    // ---------------------------------------------------------------- binary

    public static float binary(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAX -> Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.max(a, b);
            case MIN -> Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.min(a, b);
            case ATAN2 -> (float) Math.atan2(a, b);
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case RELU_GRAD -> a > 0 ? b : 0f;
            case GELU_GRAD -> b * MathF.geluGrad(a);
            case GELU_TANH_GRAD -> b * MathF.geluTanhGrad(a);
            case SILU_GRAD -> {
                float s = MathF.sigmoid(a);
                yield b * s * (1 + a * (1 - s));
            }
            case TANH_GRAD -> b * (1 - a * a);
            case SIGMOID_GRAD -> b * a * (1 - a);
        };
    }

    /**
     * One row of a broadcast binary op: {@code out[oo + i] = op(a[ao + i*as], b[bo + i*bs])},
     * output unit stride.
     */
    public static void binaryRow(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
        if (VEC && VectorKernels.binaryRow(op, a, ao, as, b, bo, bs, out, oo, n)) return;
        binaryRowScalar(op, a, ao, as, b, bo, bs, out, oo, n);
    }

    public static void binaryRowScalar(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = binary(op, a[ao + i * as], b[bo + i * bs]);
    }

    // ---------------------------------------------------------------- row reductions

    public static float sum(float[] x, int off, int n) {
        if (VEC && n >= 16) return VectorKernels.sum(x, off, n);
        return sumScalar(x, off, n);
    }

    public static float sumScalar(float[] x, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[off + i];
        return (float) s;
    }

    public static float max(float[] x, int off, int n) {
        if (VEC && n >= 16) return VectorKernels.max(x, off, n);
        return maxScalar(x, off, n);
    }

    public static float maxScalar(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            if (v > m || Float.isNaN(v)) m = v;
            if (Float.isNaN(m)) return m;
        }
        return m;
    }

    /**
     * Bernoulli draws {@code d[i] = 1} with probability p, else 0, for i in [from, to): element i
     * is draw {@code base + i} of {@link Rng#draw}(seed, .) turned into a uniform in [0, 1) with 53
     * bits, kept when below p (as an integer compare: {@code bits >>> 11 < ceil(p * 2^53)}).
     */
    public static void bernoulli(float[] d, int from, int to, long seed, long base, float p) {
        long threshold = bernoulliThreshold(p);
        if (VEC && to - from >= 16) VectorKernels.bernoulli(d, from, to, seed, base, threshold);
        else bernoulliScalar(d, from, to, seed, base, threshold);
    }

    /** {@link #bernoulli} one draw at a time, with the threshold of {@link #bernoulliThreshold}. */
    static void bernoulliScalar(float[] d, int from, int to, long seed, long base, long threshold) {
        for (int i = from; i < to; i++) d[i] = (Rng.draw(seed, base + i) >>> 11) < threshold ? 1f : 0f;
    }

    /** The 53-bit integer t with {@code x * 2^-53 < p} exactly when {@code x < t}. */
    static long bernoulliThreshold(float p) {
        return (long) Math.ceil(p * 0x1.0p53);
    }

    /** {@code y[yo+i] += alpha * x[xo+i]}. */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        if (VEC && n >= 16) {
            VectorKernels.axpy(alpha, x, xo, y, yo, n);
            return;
        }
        for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /**
     * Softmax (or log-softmax) of one contiguous row in place into {@code out}; stable (subtracts
     * the max).
     */
    public static void softmaxRow(float[] x, int xo, float[] out, int oo, int n, boolean log) {
        if (VEC && n >= 16) {
            VectorKernels.softmaxRow(x, xo, out, oo, n, log);
            return;
        }
        softmaxRowScalar(x, xo, out, oo, n, log);
    }

    public static void softmaxRowScalar(float[] x, int xo, float[] out, int oo, int n, boolean log) {
        float m = maxScalar(x, xo, n);
        if (m == Float.NEGATIVE_INFINITY) m = 0f;  // all -inf: keep the result NaN-free where possible
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.exp(x[xo + i] - m);
        if (log) {
            float ls = (float) Math.log(s);  // (x - m) - log(s): exact near the max even for huge logits
            for (int i = 0; i < n; i++) out[oo + i] = (x[xo + i] - m) - ls;
        } else {
            float inv = (float) (1.0 / s);
            for (int i = 0; i < n; i++) out[oo + i] = (float) Math.exp(x[xo + i] - m) * inv;
        }
    }
}
