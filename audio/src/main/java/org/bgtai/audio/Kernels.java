package org.bgtai.audio;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Hot inner loops on the Vector API, each with the scalar reference it must agree with. */
final class Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Kernels() {}

    /** {@code sum_i a[aOff + i] * b[bOff + i]} for {@code i < n}, vectorised (summation order differs from {@link #dotScalar}). */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        int upper = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < upper; i += S.length()) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        // lanes summed in lane order: reduceLanes(ADD) orders differently once C2 intrinsifies it,
        // which would make features depend on JIT timing
        float[] lanes = new float[S.length()];
        acc.intoArray(lanes, 0);
        float s = 0f;
        for (float x : lanes) s += x;
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** Scalar reference of {@link #dot}. */
    static float dotScalar(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /**
     * One phase of an integer-factor FIR: {@code out[outOff + m * stride] = sum_{i < taps} x[m + i] * h[hOff + i]}
     * for {@code m < count}. Vectorised over outputs (one broadcast tap times a run of inputs per
     * step, no horizontal sums); same products as {@link #firScalar}, summed in the same order per output.
     */
    static void fir(float[] x, float[] h, int hOff, int taps, float[] out, int outOff, int stride, int count) {
        int vl = S.length();
        float[] lane = new float[vl];
        int m = 0;
        for (; m + vl <= count; m += vl) {
            FloatVector acc = FloatVector.zero(S);
            for (int i = 0; i < taps; i++) {
                acc = FloatVector.fromArray(S, x, m + i).fma(FloatVector.broadcast(S, h[hOff + i]), acc);
            }
            if (stride == 1) {
                acc.intoArray(out, outOff + m);
            } else {
                acc.intoArray(lane, 0);
                for (int l = 0; l < vl; l++) out[outOff + (m + l) * stride] = lane[l];
            }
        }
        for (; m < count; m++) {
            float s = 0f;
            for (int i = 0; i < taps; i++) s = Math.fma(x[m + i], h[hOff + i], s);
            out[outOff + m * stride] = s;
        }
    }

    /** Scalar reference of {@link #fir}. */
    static void firScalar(float[] x, float[] h, int hOff, int taps, float[] out, int outOff, int stride, int count) {
        for (int m = 0; m < count; m++) {
            float s = 0f;
            for (int i = 0; i < taps; i++) s = Math.fma(x[m + i], h[hOff + i], s);
            out[outOff + m * stride] = s;
        }
    }
}
