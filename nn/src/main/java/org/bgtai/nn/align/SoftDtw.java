package org.bgtai.nn.align;

import org.bgtai.tensor.Vectorization;

/**
 * Soft-DTW (Cuturi and Blondel, 2017): DTW with the minimum replaced by a smoothed minimum
 * <pre>
 *   min_g(a_1..a_n) = -g log sum_k exp(-a_k / g),
 *   R[i, j] = C[i, j] + min_g(R[i-1, j-1], R[i-1, j], R[i, j-1]),   sdtw = R[Q-1, T-1]
 * </pre>
 * computed with a log-sum-exp so it stays finite for g down to 1e-3 and sequences of 1,000+
 * elements. The gradient with respect to the cost matrix is the expected alignment matrix
 * {@code E = d sdtw / dC} [Q, T], computed by the backward recursion of the paper's Algorithm 2
 * (not by differentiating through the loop):
 * <pre>
 *   E[i, j] = E[i+1, j] a + E[i, j+1] b + E[i+1, j+1] c,
 *   a = exp((R[i+1, j] - R[i, j] - C[i+1, j]) / g)  (b, c likewise)
 * </pre>
 * where a is the weight of R[i, j] in the soft minimum of cell (i+1, j): the forward pass stores
 * these weights, so the backward pass needs no exponentials.
 * For a local cost with a gradient the chain rule gives the gradients with respect to the
 * sequences: {@code dx_i = sum_j E[i, j] dc(x_i, y_j)/dx_i}.
 *
 * <p>Use as an autograd op: {@link #forward} returns a {@link Forward} holding the value and the
 * weights of the backward recursion; {@link Forward#backward()} gives E, which times the upstream
 * gradient is the gradient of the cost matrix. {@link #valueAndGradient} and {@link #divergence} do everything
 * for sequences.
 *
 * <pre>{@code
 * SoftDtw.Result r = SoftDtw.valueAndGradient(x, y, d, 0.1, StandardCost.SQUARED_EUCLIDEAN);
 * r.value(); r.gradX(); r.gradY(); r.alignment();
 * }</pre>
 */
public final class SoftDtw {
    private static final double INF = Double.POSITIVE_INFINITY;

    private SoftDtw() {}

    /**
     * Value and gradients of soft-DTW (or of the divergence) between two sequences.
     *
     * @param value     soft-DTW value
     * @param alignment expected alignment E [Q, T] (dvalue/dC); null for the divergence
     * @param gradX     dvalue/dx [Q, D]
     * @param gradY     dvalue/dy [T, D]
     */
    public record Result(double value, float[] alignment, float[] gradX, float[] gradY) {}

    /**
     * The forward pass over one cost matrix: the value and, per cell, the weights of its three
     * predecessors in the soft minimum ({@code exp(-(R_p - m) / g) / sum}, p = diagonal, up, left),
     * which are exactly the factors of the backward recursion: so the backward pass is three
     * multiply-adds per cell and no exponentials.
     */
    public static final class Forward {
        private final int q, t;
        private final double gamma, value;
        private final Weights w;

        private Forward(int q, int t, double gamma, double value, Weights w) {
            this.q = q;
            this.t = t;
            this.gamma = gamma;
            this.value = value;
            this.w = w;
        }

        /** The soft-DTW value {@code R[Q-1, T-1]}. */
        public double value() {
            return value;
        }

        /** Q, the rows of the cost matrix. */
        public int rows() {
            return q;
        }

        /** T, the columns of the cost matrix. */
        public int cols() {
            return t;
        }

        /** The smoothing parameter. */
        public double gamma() {
            return gamma;
        }

        /**
         * The expected alignment matrix E = d value / d cost, by the backward recursion
         * {@code E[i, j] = E[i+1, j] w_up(i+1, j) + E[i, j+1] w_left(i, j+1) + E[i+1, j+1] w_diag(i+1, j+1)},
         * {@code E[Q-1, T-1] = 1}, in double.
         *
         * @return E [Q, T] row-major; E is in [0, 1]
         */
        public float[] backward() {
            float[] out = new float[q * t];
            double[] next = new double[t], cur = new double[t];   // E of rows i+1 and i
            float[] wv = w.values;
            for (int i = q - 1; i >= 0; i--) {
                int row = w.rowBase[i], step = w.rowStep[i], left = row + LEFT * w.rowComp[i];
                int o = i * t;
                if (i == q - 1) {
                    // last row: only the left neighbour; E[Q-1, T-1] = 1
                    double e = 1;
                    cur[t - 1] = e;
                    out[o + t - 1] = 1f;
                    for (int j = t - 2; j >= 0; j--) {
                        e *= wv[left + (j + 1) * step];
                        cur[j] = e;
                        out[o + j] = (float) e;
                    }
                } else {
                    int bStep = w.rowStep[i + 1];
                    int up = w.rowBase[i + 1] + UP * w.rowComp[i + 1], diag = w.rowBase[i + 1] + DIAG * w.rowComp[i + 1];
                    // last column: only the cell below
                    double e = next[t - 1] * wv[up + (t - 1) * bStep];
                    cur[t - 1] = e;
                    out[o + t - 1] = (float) e;
                    for (int j = t - 2; j >= 0; j--) {
                        // the terms from row i+1 first: the loop-carried chain is one multiply and one add
                        // (Math.fma would be one instruction, but a BigDecimal call on CPUs without FMA)
                        double fromBelow = next[j] * wv[up + j * bStep] + next[j + 1] * wv[diag + (j + 1) * bStep];
                        e = e * wv[left + (j + 1) * step] + fromBelow;
                        cur[j] = e;
                        out[o + j] = (float) e;
                    }
                }
                double[] tmp = next;
                next = cur;
                cur = tmp;
            }
            return out;
        }
    }

    /** Predecessor index of a weight: diagonal, up, left. */
    static final int DIAG = 0, UP = 1, LEFT = 2;

    /**
     * The predecessor weights of every cell: weight c of cell (i, j) is
     * {@code values[rowBase[i] + j * rowStep[i] + c * rowComp[i]]} (row-wise rows: step 3, comp 1;
     * the vector kernel stores its rows lane-interleaved).
     */
    static final class Weights {
        final float[] values;
        final int[] rowBase, rowStep, rowComp;

        Weights(float[] values, int q) {
            this.values = values;
            rowBase = new int[q];
            rowStep = new int[q];
            rowComp = new int[q];
        }
    }

    /**
     * Soft-DTW forward pass over a given cost matrix.
     *
     * @param cost  C [Q, T] row-major, finite
     * @param gamma smoothing, > 0 (gamma -> 0 gives DTW)
     */
    public static Forward forward(float[] cost, int q, int t, double gamma) {
        return forward(cost, q, t, gamma, Vectorization.ENABLED);
    }

    /** The forward pass; {@code strips} runs rows sixteen at a time in Vector API lanes ({@link SoftDtwStrip}). */
    static Forward forward(float[] cost, int q, int t, double gamma, boolean strips) {
        Checks.matrix("cost matrix", cost, q, t);
        if (!(gamma > 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("soft-DTW gamma must be a positive finite number, got " + gamma);
        int h = DtwStrip.H, stripCount = strips ? q / h : 0;
        int stripFloats = stripCount > 0 ? SoftDtwStrip.weightFloats(t) : 0;
        Weights w = new Weights(new float[stripCount * stripFloats + 3 * (q - stripCount * h) * t], q);
        float[] skew = stripCount > 0 ? new float[DtwStrip.bufferFloats()] : null;
        // prev: row i-1, index j+1 = column j, index 0 = column -1 (readable past t by a strip);
        // row -1 is +inf except R[-1, -1] = 0.
        double[] prev = new double[t + h], cur = new double[t + h];
        java.util.Arrays.fill(prev, INF);
        java.util.Arrays.fill(cur, INF);
        prev[0] = 0;
        int base = 0;
        for (int i = 0; i < q; ) {
            if (i + h <= q && stripCount > 0) {
                SoftDtwStrip.address(w, i, base);
                SoftDtwStrip.strip(cost, i * t, t, gamma, prev, cur, w.values, base, skew);
                base += stripFloats;
                i += h;
            } else {
                w.rowBase[i] = base;
                w.rowStep[i] = 3;
                w.rowComp[i] = 1;
                row(cost, i * t, t, gamma, prev, cur, w.values, base);
                base += 3 * t;
                i++;
            }
            double[] tmp = prev;
            prev = cur;
            cur = tmp;
            cur[0] = INF;
        }
        return new Forward(q, t, gamma, prev[t], w);
    }

    /**
     * One row of the recursion: {@code cur[j+1] = C[i, j] + softmin(prev[j], prev[j+1], cur[j])}
     * and the three weights of each cell from {@code wAt}. Every cell has a finite predecessor,
     * so the minimum m is finite and the largest term of the sum is exp(0) = 1.
     */
    static void row(float[] cost, int crow, int t, double gamma, double[] prev, double[] cur, float[] w, int wAt) {
        double inv = 1 / gamma, left = cur[0];
        for (int j = 0; j < t; j++, wAt += 3) {
            double r0 = prev[j], r1 = prev[j + 1];
            double m = Math.min(Math.min(r0, r1), left);
            double e0 = Math.exp((m - r0) * inv), e1 = Math.exp((m - r1) * inv), e2 = Math.exp((m - left) * inv);
            double sum = e0 + e1 + e2, norm = 1 / sum;
            w[wAt] = (float) (e0 * norm);
            w[wAt + 1] = (float) (e1 * norm);
            w[wAt + 2] = (float) (e2 * norm);
            left = cost[crow + j] + m - gamma * Math.log(sum);
            cur[j + 1] = left;
        }
    }

    /** Soft-DTW value over a cost matrix C [Q, T]. */
    public static double value(float[] cost, int q, int t, double gamma) {
        return forward(cost, q, t, gamma).value();
    }

    /**
     * Soft-DTW between two sequences: value, expected alignment and gradients.
     *
     * @param x [Q, D] row-major
     * @param y [T, D] row-major
     * @param localCost needs {@link LocalCost#addGradient} (every {@link StandardCost} has it)
     */
    public static Result valueAndGradient(float[] x, float[] y, int d, double gamma, LocalCost localCost) {
        int q = Checks.length("x", x, d), t = Checks.length("y", y, d);
        float[] c = localCost.matrix(x, y, d);
        Forward f = forward(c, q, t, gamma);
        float[] e = f.backward();
        double[] gx = new double[q * d], gy = new double[t * d];
        addSequenceGradients(e, x, y, d, localCost, 1.0, gx, gy);
        return new Result(f.value(), e, toFloat(gx), toFloat(gy));
    }

    /**
     * Chain rule from the cost matrix to the sequences: adds {@code scale * sum_j E[i, j] dc(x_i, y_j)}
     * to gx and the matching sum to gy.
     *
     * @param e  dL/dC [Q, T] row-major
     * @param x  [Q, D]
     * @param y  [T, D]
     * @param gx [Q, D] accumulator
     * @param gy [T, D] accumulator
     */
    public static void addSequenceGradients(float[] e, float[] x, float[] y, int d, LocalCost localCost, double scale,
                                            double[] gx, double[] gy) {
        int q = x.length / d, t = y.length / d;
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < t; j++) {
                float eij = e[i * t + j];
                if (eij != 0) localCost.addGradient(x, i * d, y, j * d, d, scale * eij, gx, gy);
            }
        }
    }

    /**
     * The soft-DTW divergence {@code sdtw(x, y) - (sdtw(x, x) + sdtw(y, y)) / 2} (zero for x = y,
     * non-negative for the squared Euclidean cost) and its gradients.
     *
     * @param x [Q, D] row-major
     * @param y [T, D] row-major
     * @return value and gradients; {@code alignment()} is null
     */
    public static Result divergence(float[] x, float[] y, int d, double gamma, LocalCost localCost) {
        int q = Checks.length("x", x, d), t = Checks.length("y", y, d);
        double[] gx = new double[q * d], gy = new double[t * d];
        double value = 0;
        // sdtw(x, y)
        Forward fxy = forward(localCost.matrix(x, y, d), q, t, gamma);
        addSequenceGradients(fxy.backward(), x, y, d, localCost, 1.0, gx, gy);
        value += fxy.value();
        // -1/2 sdtw(x, x): x appears on both sides
        Forward fxx = forward(localCost.matrix(x, x, d), q, q, gamma);
        addSequenceGradients(fxx.backward(), x, x, d, localCost, -0.5, gx, gx);
        value -= 0.5 * fxx.value();
        // -1/2 sdtw(y, y)
        Forward fyy = forward(localCost.matrix(y, y, d), t, t, gamma);
        addSequenceGradients(fyy.backward(), y, y, d, localCost, -0.5, gy, gy);
        value -= 0.5 * fyy.value();
        return new Result(value, null, toFloat(gx), toFloat(gy));
    }

    private static float[] toFloat(double[] a) {
        float[] out = new float[a.length];
        for (int k = 0; k < a.length; k++) out[k] = (float) a[k];
        return out;
    }
}
