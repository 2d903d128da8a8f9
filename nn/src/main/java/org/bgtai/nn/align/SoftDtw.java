package org.bgtai.nn.align;

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
 * For a local cost with a gradient the chain rule gives the gradients with respect to the
 * sequences: {@code dx_i = sum_j E[i, j] dc(x_i, y_j)/dx_i}.
 *
 * <p>Use as an autograd op: {@link #forward} returns a {@link Forward} holding the value and the
 * matrix R; {@link Forward#backward()} gives E, which times the upstream gradient is the
 * gradient of the cost matrix. {@link #valueAndGradient} and {@link #divergence} do everything
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
     * The forward pass over one cost matrix: the value and the matrix R needed by the backward pass.
     * R is stored with a border: [(Q+2), (T+2)] with R[i+1, j+1] the paper's R_{i, j}.
     */
    public static final class Forward {
        private final float[] cost;
        private final int q, t;
        private final double gamma;
        private final double[] r;

        private Forward(float[] cost, int q, int t, double gamma, double[] r) {
            this.cost = cost;
            this.q = q;
            this.t = t;
            this.gamma = gamma;
            this.r = r;
        }

        /** The soft-DTW value {@code R[Q-1, T-1]}. */
        public double value() {
            return r[q * (t + 2) + t];
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
         * The expected alignment matrix E = d value / d cost, by the backward recursion.
         *
         * @return E [Q, T] row-major; rows and columns of E sum to at least 1, and E is in [0, 1]
         */
        public float[] backward() {
            double[] e = backwardDouble();
            float[] out = new float[q * t];
            int w = t + 2;
            for (int i = 0; i < q; i++) {
                for (int j = 0; j < t; j++) out[i * t + j] = (float) e[(i + 1) * w + j + 1];
            }
            return out;
        }

        /** E with the border, [(Q+2), (T+2)]. */
        double[] backwardDouble() {
            int w = t + 2;
            double[] rr = r.clone();
            double[] c = new double[(q + 2) * w];
            for (int i = 0; i < q; i++) {
                for (int j = 0; j < t; j++) c[(i + 1) * w + j + 1] = cost[i * t + j];
            }
            for (int j = 0; j < w; j++) rr[(q + 1) * w + j] = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < q + 2; i++) rr[i * w + t + 1] = Double.NEGATIVE_INFINITY;
            rr[(q + 1) * w + t + 1] = rr[q * w + t];
            double[] e = new double[(q + 2) * w];
            e[(q + 1) * w + t + 1] = 1;
            double inv = 1 / gamma;
            for (int i = q; i >= 1; i--) {
                int row = i * w, down = row + w;
                for (int j = t; j >= 1; j--) {
                    double rij = rr[row + j];
                    double a = Math.exp((rr[down + j] - rij - c[down + j]) * inv);
                    double b = Math.exp((rr[row + j + 1] - rij - c[row + j + 1]) * inv);
                    double cc = Math.exp((rr[down + j + 1] - rij - c[down + j + 1]) * inv);
                    e[row + j] = e[down + j] * a + e[row + j + 1] * b + e[down + j + 1] * cc;
                }
            }
            return e;
        }
    }

    /**
     * Soft-DTW forward pass over a given cost matrix.
     *
     * @param cost  C [Q, T] row-major, finite (kept by reference for the backward pass)
     * @param gamma smoothing, > 0 (gamma -> 0 gives DTW)
     */
    public static Forward forward(float[] cost, int q, int t, double gamma) {
        Checks.matrix("cost matrix", cost, q, t);
        if (!(gamma > 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("soft-DTW gamma must be a positive finite number, got " + gamma);
        int w = t + 2;
        double[] r = new double[(q + 2) * w];
        java.util.Arrays.fill(r, INF);
        r[0] = 0;
        double inv = 1 / gamma;
        for (int i = 1; i <= q; i++) {
            int row = i * w, up = row - w;
            for (int j = 1; j <= t; j++) {
                double r0 = r[up + j - 1], r1 = r[up + j], r2 = r[row + j - 1];
                double m = r0 < r1 ? r0 : r1;
                m = r2 < m ? r2 : m;
                double s = Math.exp((m - r0) * inv) + Math.exp((m - r1) * inv) + Math.exp((m - r2) * inv);
                r[row + j] = cost[(i - 1) * t + j - 1] + m - gamma * Math.log(s);
            }
        }
        return new Forward(cost, q, t, gamma, r);
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
