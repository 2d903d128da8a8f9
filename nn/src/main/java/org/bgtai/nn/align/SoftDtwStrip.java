package org.bgtai.nn.align;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API soft-DTW forward kernel: {@link DtwStrip#H} rows at once on the anti-diagonal
 * wavefront, one row per lane, as in {@link DtwStrip} (lane k runs k columns behind lane k-1;
 * costs come through the same skewed buffer). Each step computes sixteen soft minima with vector
 * exponentials and logarithms, where one row at a time waits on an exp + log chain per cell.
 *
 * <p>The weights of a strip are stored lane-interleaved: weight c of lane k at step s at
 * {@code base + (s * 3 + c) * H + k}, so cell (i0 + k, j) is read at
 * {@code base + 49 k + 48 j + 16 c} ({@link SoftDtw.Weights}). Only loaded when the Vector API
 * is present.
 */
final class SoftDtwStrip {
    static final int H = DtwStrip.H;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final DoubleVector LANE0 = DoubleVector.fromArray(D, new double[] {0, 1, 2, 3}, 0);

    private SoftDtwStrip() {}

    /** Floats of weights one strip of {@code t} columns needs. */
    static int weightFloats(int t) {
        return (t + H - 1) * 3 * H;
    }

    /** Sets the weight addressing of rows i0 .. i0+H-1 whose strip weights start at {@code base}. */
    static void address(SoftDtw.Weights w, int i0, int base) {
        for (int k = 0; k < H; k++) {
            w.rowBase[i0 + k] = base + k * (3 * H + 1);
            w.rowStep[i0 + k] = 3 * H;
            w.rowComp[i0 + k] = H;
        }
    }

    /**
     * Rows i .. i+H-1 of the soft-DTW recursion, all columns.
     *
     * @param crow offset of row i in {@code c} (costs finite: checked by the caller)
     * @param prev row i-1 (index j+1 = column j, index 0 = column -1), readable up to index t+H-1
     * @param out  receives row i+H-1 (same layout, indices 0 .. t)
     * @param w    receives {@link #weightFloats} floats from {@code base}
     * @param sk   scratch of {@link DtwStrip#bufferFloats} floats
     */
    static void strip(float[] c, int crow, int t, double gamma, double[] prev, double[] out, float[] w, int base, float[] sk) {
        int steps = t + H - 1;
        double inv = 1 / gamma;
        DoubleVector inf = DoubleVector.broadcast(D, INF), one = DoubleVector.broadcast(D, 1);
        DoubleVector v0 = inf, v1 = inf, v2 = inf, v3 = inf;   // last values of lanes 0-3, 4-7, ...
        // Last upper neighbours = this step's diagonals; lane 0's first diagonal is prev[0] (R[-1, -1] = 0 above row 0).
        DoubleVector u0 = DoubleVector.broadcast(D, prev[0]), u1 = inf, u2 = inf, u3 = inf;
        for (int s0 = 0; s0 < steps; s0 += DtwStrip.CHUNK) {
            int s1 = Math.min(steps, s0 + DtwStrip.CHUNK);
            DtwStrip.skew(c, crow, t, s0, s1, sk);
            for (int s = s0; s < s1; s++) {
                DoubleVector p = DoubleVector.broadcast(D, prev[s + 1]);
                DoubleVector n0 = p.slice(3, v0), n1 = v0.slice(3, v1), n2 = v1.slice(3, v2), n3 = v2.slice(3, v3);
                int b = (s - s0) * H, wb = base + s * 3 * H;
                // Each vector written out (a helper returning a vector may not inline, and a vector
                // leaving compiled code is boxed).
                DoubleVector x = (DoubleVector) FloatVector.fromArray(F4, sk, b).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector m = u0.min(n0).min(v0);
                DoubleVector ed = m.sub(u0).mul(inv).lanewise(VectorOperators.EXP), eu = m.sub(n0).mul(inv).lanewise(VectorOperators.EXP);
                DoubleVector el = m.sub(v0).mul(inv).lanewise(VectorOperators.EXP), sum = ed.add(eu).add(el), norm = one.div(sum);
                v0 = x.add(m).sub(sum.lanewise(VectorOperators.LOG).mul(gamma));
                ((FloatVector) ed.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb);
                ((FloatVector) eu.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb + H);
                ((FloatVector) el.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb + 2 * H);

                x = (DoubleVector) FloatVector.fromArray(F4, sk, b + 4).convertShape(VectorOperators.F2D, D, 0);
                m = u1.min(n1).min(v1);
                ed = m.sub(u1).mul(inv).lanewise(VectorOperators.EXP);
                eu = m.sub(n1).mul(inv).lanewise(VectorOperators.EXP);
                el = m.sub(v1).mul(inv).lanewise(VectorOperators.EXP);
                sum = ed.add(eu).add(el);
                norm = one.div(sum);
                v1 = x.add(m).sub(sum.lanewise(VectorOperators.LOG).mul(gamma));
                ((FloatVector) ed.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb + 4);
                ((FloatVector) eu.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb + H + 4);
                ((FloatVector) el.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb + 2 * H + 4);

                x = (DoubleVector) FloatVector.fromArray(F4, sk, b + 8).convertShape(VectorOperators.F2D, D, 0);
                m = u2.min(n2).min(v2);
                ed = m.sub(u2).mul(inv).lanewise(VectorOperators.EXP);
                eu = m.sub(n2).mul(inv).lanewise(VectorOperators.EXP);
                el = m.sub(v2).mul(inv).lanewise(VectorOperators.EXP);
                sum = ed.add(eu).add(el);
                norm = one.div(sum);
                v2 = x.add(m).sub(sum.lanewise(VectorOperators.LOG).mul(gamma));
                ((FloatVector) ed.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb + 8);
                ((FloatVector) eu.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb + H + 8);
                ((FloatVector) el.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb + 2 * H + 8);

                x = (DoubleVector) FloatVector.fromArray(F4, sk, b + 12).convertShape(VectorOperators.F2D, D, 0);
                m = u3.min(n3).min(v3);
                ed = m.sub(u3).mul(inv).lanewise(VectorOperators.EXP);
                eu = m.sub(n3).mul(inv).lanewise(VectorOperators.EXP);
                el = m.sub(v3).mul(inv).lanewise(VectorOperators.EXP);
                sum = ed.add(eu).add(el);
                norm = one.div(sum);
                v3 = x.add(m).sub(sum.lanewise(VectorOperators.LOG).mul(gamma));
                ((FloatVector) ed.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb + 12);
                ((FloatVector) eu.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb + H + 12);
                ((FloatVector) el.mul(norm).convertShape(VectorOperators.D2F, F4, 0)).intoArray(w, wb + 2 * H + 12);

                u0 = n0;
                u1 = n1;
                u2 = n2;
                u3 = n3;
                if (s < H - 1) {
                    // Lanes that have not reached column 0 stay +inf (the border left of column 0):
                    // their soft minimum over three infinities is NaN.
                    v0 = inf.blend(v0, LANE0.compare(VectorOperators.LE, s));
                    v1 = inf.blend(v1, LANE0.add(4).compare(VectorOperators.LE, s));
                    v2 = inf.blend(v2, LANE0.add(8).compare(VectorOperators.LE, s));
                    v3 = inf.blend(v3, LANE0.add(12).compare(VectorOperators.LE, s));
                }
                // Lane H-1 is at column s-H+1; column -1 is out[0] = +inf.
                if (s >= H - 2) out[s - H + 2] = v3.lane(3);
            }
        }
    }
}
