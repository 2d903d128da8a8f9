package org.bgtai.nn.align;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API DTW kernel: {@link #H} full rows at once, one row per vector lane, on the
 * anti-diagonal wavefront. Lane k holds row i+k and runs k columns behind lane k-1, so in one
 * step every lane's cell depends only on the previous two steps: its left neighbour is the
 * lane's last value, its upper neighbour the last value of lane k-1 (a one-lane shift across
 * the four vectors), its diagonal neighbour the upper neighbour of the step before. A step does
 * 16 cells with compare + blend (the costs are checked finite first, so no NaN handling is
 * needed, unlike {@code Math.min}) and one add per vector; the only chain is one step long.
 *
 * <p>The costs reach the lanes through a small skewed buffer (step s, lane k = cost (i+k, s-k),
 * +infinity outside the row) filled {@link #CHUNK} steps at a time so it stays in L1.
 * Directions are packed two bits per cell: per step and vector one byte, bit l = "up" and bit
 * l+4 = "left" for lane l (neither = diagonal), with the ties of {@link Dtw#row}: diagonal, then
 * up, then left. Only loaded when the Vector API is present ({@code Dtw} checks
 * {@code Vectorization.ENABLED}).
 */
final class DtwStrip {
    /** Rows per strip: four vectors of four doubles. */
    static final int H = 16;
    /** Steps per refill of the skewed cost buffer. */
    static final int CHUNK = 128;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final double INF = Double.POSITIVE_INFINITY;

    private DtwStrip() {}

    /** Bytes of packed directions one strip of {@code t} columns needs. */
    static int directionBytes(int t) {
        return (t + H - 1) * (H / 4);
    }

    /** Floats of skewed-cost buffer a strip needs. */
    static int bufferFloats() {
        return CHUNK * H;
    }

    /**
     * Rows i .. i+H-1 of the recursion, all columns.
     *
     * @param crow offset of row i in {@code c}
     * @param prev row i-1 (index j+1 = column j, prev[0] = +inf), readable up to index t+H-1 with
     *             any non-NaN value past t
     * @param out  receives row i+H-1 (same layout, indices 0 .. t)
     * @param dir  receives {@link #directionBytes} packed bytes from {@code dOff}; null = cost only
     * @param sk   scratch of {@link #bufferFloats} floats
     * @return false when a cost in the strip is NaN or infinite (nothing is then computed)
     */
    static boolean strip(float[] c, int crow, int t, double[] prev, double[] out, byte[] dir, int dOff, float[] sk) {
        if (!finite(c, crow, crow + H * t)) return false;
        int steps = t + H - 1;
        DoubleVector inf = DoubleVector.broadcast(D, INF);
        DoubleVector v0 = inf, v1 = inf, v2 = inf, v3 = inf;   // last values of lanes 0-3, 4-7, ...
        DoubleVector u0 = inf, u1 = inf, u2 = inf, u3 = inf;   // last upper neighbours = this step's diagonals
        for (int s0 = 0; s0 < steps; s0 += CHUNK) {
            int s1 = Math.min(steps, s0 + CHUNK);
            skew(c, crow, t, s0, s1, sk);
            for (int s = s0; s < s1; s++) {
                DoubleVector p = DoubleVector.broadcast(D, prev[s + 1]);
                DoubleVector n0 = p.slice(3, v0), n1 = v0.slice(3, v1), n2 = v1.slice(3, v2), n3 = v2.slice(3, v3);
                int b = (s - s0) * H;
                // Written out: a helper returning a vector is not always inlined, and a vector that
                // leaves compiled code is boxed (measured: 3x slower).
                DoubleVector x0 = (DoubleVector) FloatVector.fromArray(F4, sk, b).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector x1 = (DoubleVector) FloatVector.fromArray(F4, sk, b + 4).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector x2 = (DoubleVector) FloatVector.fromArray(F4, sk, b + 8).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector x3 = (DoubleVector) FloatVector.fromArray(F4, sk, b + 12).convertShape(VectorOperators.F2D, D, 0);
                VectorMask<Double> a0 = n0.compare(VectorOperators.LT, u0), a1 = n1.compare(VectorOperators.LT, u1);
                VectorMask<Double> a2 = n2.compare(VectorOperators.LT, u2), a3 = n3.compare(VectorOperators.LT, u3);
                DoubleVector m0 = u0.blend(n0, a0), m1 = u1.blend(n1, a1), m2 = u2.blend(n2, a2), m3 = u3.blend(n3, a3);
                VectorMask<Double> l0 = v0.compare(VectorOperators.LT, m0), l1 = v1.compare(VectorOperators.LT, m1);
                VectorMask<Double> l2 = v2.compare(VectorOperators.LT, m2), l3 = v3.compare(VectorOperators.LT, m3);
                v0 = m0.blend(v0, l0).add(x0);
                v1 = m1.blend(v1, l1).add(x1);
                v2 = m2.blend(v2, l2).add(x2);
                v3 = m3.blend(v3, l3).add(x3);
                u0 = n0;
                u1 = n1;
                u2 = n2;
                u3 = n3;
                if (dir != null) {
                    int d = dOff + s * 4;
                    dir[d] = (byte) (a0.toLong() | l0.toLong() << 4);
                    dir[d + 1] = (byte) (a1.toLong() | l1.toLong() << 4);
                    dir[d + 2] = (byte) (a2.toLong() | l2.toLong() << 4);
                    dir[d + 3] = (byte) (a3.toLong() | l3.toLong() << 4);
                }
                // Lane H-1 is at column s-H+1; column -1 is out[0] = +inf.
                if (s >= H - 2) out[s - H + 2] = v3.lane(3);
            }
        }
        return true;
    }

    /** The direction of cell (row k of the strip, column j): {@link Dtw#DIAG}, {@link Dtw#UP} or {@link Dtw#LEFT}. */
    static byte direction(byte[] dir, int dOff, int k, int j) {
        int b = dir[dOff + (j + k) * 4 + (k >> 2)], lane = k & 3;
        if ((b >> (lane + 4) & 1) != 0) return Dtw.LEFT;
        return (b >> lane & 1) != 0 ? Dtw.UP : Dtw.DIAG;
    }

    /** Fills sk[(s - s0) * H + k] = cost (row k, column s - k) for steps [s0, s1), +inf outside the row. */
    static void skew(float[] c, int crow, int t, int s0, int s1, float[] sk) {
        for (int k = 0; k < H; k++) {
            int row = crow + k * t - k;   // + s = column s - k of row k
            int a = Math.min(Math.max(s0, k), s1), b = Math.max(Math.min(s1, t + k), a);
            for (int s = s0; s < a; s++) sk[(s - s0) * H + k] = Float.POSITIVE_INFINITY;
            for (int s = a; s < b; s++) sk[(s - s0) * H + k] = c[row + s];
            for (int s = b; s < s1; s++) sk[(s - s0) * H + k] = Float.POSITIVE_INFINITY;
        }
    }

    /** Whether c[from .. to) are all finite (x - x is 0 for finite x, NaN otherwise). */
    private static boolean finite(float[] c, int from, int to) {
        FloatVector g0 = FloatVector.zero(F8), g1 = g0;
        int i = from, step = F8.length();
        for (; i + 2 * step <= to; i += 2 * step) {
            FloatVector x = FloatVector.fromArray(F8, c, i), y = FloatVector.fromArray(F8, c, i + step);
            g0 = g0.add(x.sub(x));
            g1 = g1.add(y.sub(y));
        }
        float g = g0.add(g1).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) g += c[i] - c[i];
        return g == 0;
    }
}
