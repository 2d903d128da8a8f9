package org.bgtai.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.bgtai.tensor.BinaryOp;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.UnaryOp;

/**
 * Vector API versions of the hot {@link Kernels}. Only loaded when {@code jdk.incubator.vector}
 * is present. Methods returning boolean report whether they handled the op (false: use the
 * scalar reference).
 */
final class VectorKernels {
    private VectorKernels() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final VectorSpecies<Long> L4 = LongVector.SPECIES_256;
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    private static final LongVector ONE_TO_FOUR = LongVector.fromArray(L4, new long[] {1, 2, 3, 4}, 0);

    /**
     * {@link Kernels#bernoulli} four draws at a time: the SplitMix64 stream of {@link Rng#draw}
     * in 64-bit lanes (about 3x the scalar loop), bit-identical to it.
     */
    static void bernoulli(float[] d, int from, int to, long seed, long base, long threshold) {
        FloatVector one = FloatVector.broadcast(F4, 1f), zero = FloatVector.zero(F4);
        int i = from;
        for (; i + 4 <= to; i += 4) {
            // draw(seed, base + i + k) = mix(seed + (base + i + k + 1) * GAMMA), k = 0..3
            LongVector z = ONE_TO_FOUR.add(base + i).mul(Rng.GAMMA).add(seed);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31)).lanewise(VectorOperators.LSHR, 11);
            VectorMask<Long> keep = z.compare(VectorOperators.LT, threshold);
            zero.blend(one, keep.cast(F4)).intoArray(d, i);
        }
        Kernels.bernoulliScalar(d, i, to, seed, base, threshold);
    }

    /**
     * Sum of the lanes in lane order. {@code reduceLanes(ADD)} adds in a different order when
     * C2 intrinsifies it than in its Java fallback, so results would depend on JIT timing; this
     * keeps every reduction bit-identical from the first call on.
     */
    static float sumLanes(FloatVector v) {
        float[] lanes = new float[L];
        v.intoArray(lanes, 0);
        float s = 0f;
        for (float x : lanes) s += x;
        return s;
    }

    static boolean unary(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        int ub = n - n % L, i = 0;
        switch (op) {
            case NEG -> { for (; i < ub; i += L) FloatVector.fromArray(S, x, xo + i).neg().intoArray(out, oo + i); }
            case EXP -> { for (; i < ub; i += L) FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.EXP).intoArray(out, oo + i); }
            case LOG -> { for (; i < ub; i += L) FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG).intoArray(out, oo + i); }
            case TANH -> { for (; i < ub; i += L) FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.TANH).intoArray(out, oo + i); }
            case SQRT -> { for (; i < ub; i += L) FloatVector.fromArray(S, x, xo + i).sqrt().intoArray(out, oo + i); }
            case SQUARE -> { for (; i < ub; i += L) { var v = FloatVector.fromArray(S, x, xo + i); v.mul(v).intoArray(out, oo + i); } }
            case ABS -> { for (; i < ub; i += L) FloatVector.fromArray(S, x, xo + i).abs().intoArray(out, oo + i); }
            case RELU -> { for (; i < ub; i += L) FloatVector.fromArray(S, x, xo + i).max(0f).intoArray(out, oo + i); }
            case RECIPROCAL -> { for (; i < ub; i += L) FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, x, xo + i)).intoArray(out, oo + i); }
            case RSQRT -> { for (; i < ub; i += L) FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, x, xo + i).sqrt()).intoArray(out, oo + i); }
            case SIGMOID -> {
                for (; i < ub; i += L) {
                    var v = FloatVector.fromArray(S, x, xo + i);
                    FloatVector.broadcast(S, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(out, oo + i);
                }
            }
            case SILU -> {
                for (; i < ub; i += L) {
                    var v = FloatVector.fromArray(S, x, xo + i);
                    v.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(out, oo + i);
                }
            }
            case GELU_TANH -> {
                float c = (float) MathF.SQRT_2_OVER_PI;
                for (; i < ub; i += L) {
                    var v = FloatVector.fromArray(S, x, xo + i);
                    var u = v.mul(v).mul(0.044715f * c).add(c).mul(v);
                    u.lanewise(VectorOperators.TANH).add(1f).mul(v).mul(0.5f).intoArray(out, oo + i);
                }
            }
            default -> { return false; }
        }
        for (; i < n; i++) out[oo + i] = Kernels.unary(op, x[xo + i]);
        return true;
    }

    static boolean binaryRow(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
        if (n < L || (op != BinaryOp.ADD && op != BinaryOp.SUB && op != BinaryOp.MUL && op != BinaryOp.DIV)) return false;
        int ub = n - n % L, i = 0;
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L)
                lane(op, FloatVector.fromArray(S, a, ao + i), FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
        } else if (as == 1 && bs == 0) {
            var bv = FloatVector.broadcast(S, b[bo]);
            for (; i < ub; i += L) lane(op, FloatVector.fromArray(S, a, ao + i), bv).intoArray(out, oo + i);
        } else if (as == 0 && bs == 1) {
            var av = FloatVector.broadcast(S, a[ao]);
            for (; i < ub; i += L) lane(op, av, FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
        } else {
            return false;
        }
        for (; i < n; i++) out[oo + i] = Kernels.binary(op, a[ao + i * as], b[bo + i * bs]);
        return true;
    }

    /**
     * One lane-wise op. Each case names its operator as a constant: {@code lanewise(vop, ...)}
     * with a non-constant {@code vop} is not intrinsified by C2 and runs the slow Java fallback.
     */
    private static FloatVector lane(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            default -> x.div(y);
        };
    }

    static float sum(float[] x, int off, int n) {
        var acc0 = FloatVector.zero(S);
        var acc1 = FloatVector.zero(S);
        int i = 0, ub2 = n - n % (2 * L);
        for (; i < ub2; i += 2 * L) {
            acc0 = acc0.add(FloatVector.fromArray(S, x, off + i));
            acc1 = acc1.add(FloatVector.fromArray(S, x, off + i + L));
        }
        float s = sumLanes(acc0.add(acc1));
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    static float max(float[] x, int off, int n) {
        var acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0, ub = n - n % L;
        boolean nan = false;
        for (; i < ub; i += L) {
            var v = FloatVector.fromArray(S, x, off + i);
            nan |= v.test(jdk.incubator.vector.VectorOperators.IS_NAN).anyTrue();
            acc = acc.max(v);
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            float v = x[off + i];
            if (Float.isNaN(v)) nan = true;
            else if (v > m) m = v;
        }
        return nan ? Float.NaN : m;
    }

    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, ub = n - n % L;
        var av = FloatVector.broadcast(S, alpha);
        for (; i < ub; i += L)
            FloatVector.fromArray(S, x, xo + i).fma(av, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    static void softmaxRow(float[] x, int xo, float[] out, int oo, int n, boolean log) {
        float m = max(x, xo, n);
        if (m == Float.NEGATIVE_INFINITY) m = 0f;
        int i = 0, ub = n - n % L;
        var mv = FloatVector.broadcast(S, m);
        var acc = FloatVector.zero(S);
        if (log) {
            for (; i < ub; i += L) acc = acc.add(FloatVector.fromArray(S, x, xo + i).sub(mv).lanewise(VectorOperators.EXP));
            double s = sumLanes(acc);
            for (; i < n; i++) s += Math.exp(x[xo + i] - m);
            float ls = (float) Math.log(s);
            i = 0;
            for (; i < ub; i += L) FloatVector.fromArray(S, x, xo + i).sub(mv).sub(ls).intoArray(out, oo + i);
            for (; i < n; i++) out[oo + i] = (x[xo + i] - m) - ls;
        } else {
            for (; i < ub; i += L) {
                var e = FloatVector.fromArray(S, x, xo + i).sub(mv).lanewise(VectorOperators.EXP);
                e.intoArray(out, oo + i);
                acc = acc.add(e);
            }
            double s = sumLanes(acc);
            for (; i < n; i++) {
                float e = (float) Math.exp(x[xo + i] - m);
                out[oo + i] = e;
                s += e;
            }
            float inv = (float) (1.0 / s);
            i = 0;
            for (; i < ub; i += L) FloatVector.fromArray(S, out, oo + i).mul(inv).intoArray(out, oo + i);
            for (; i < n; i++) out[oo + i] *= inv;
        }
    }
}
