package org.bgtai.nn.align;

/**
 * SP-Loss (BGTAI Eq. 6): the mean absolute difference between the normalised positions of a
 * predicted alignment and a DTW target alignment,
 * <pre>
 *   SP = 1/Q sum_q | p*_q - p^_q |
 * </pre>
 * where, for a target element q,
 * <ul>
 *   <li>the predicted position is the expected source position of the row-stochastic
 *       predicted alignment A^ [Q, T], normalised to [0, 1]:
 *       {@code p^_q = sum_t t A^[q, t] / (T - 1)};</li>
 *   <li>the target position is the mean source index of the DTW path's cells in row q,
 *       normalised the same way: {@code p*_q = mean{t : A*[q, t] > 0} / (T - 1)}.</li>
 * </ul>
 * For T = 1 every position is 0. Both positions lie in [0, 1], so the loss does too. The
 * gradient with respect to the predicted alignment is
 * {@code dSP/dA^[q, t] = sign(p^_q - p*_q) t / (Q (T - 1))} (sign(0) = 0, a subgradient).
 * Per-pair self-paced weighting is in {@link SelfPaced} and {@link #weightedBatch}.
 *
 * <pre>{@code
 * SpLoss.Result r = SpLoss.of(predicted, dtw.matrix(), q, t);   // r.value(), r.gradient()
 * }</pre>
 */
public final class SpLoss {
    private SpLoss() {}

    /**
     * @param value    the loss
     * @param gradient d value / d predicted alignment, [Q, T] row-major
     */
    public record Result(double value, float[] gradient) {}

    /**
     * Self-paced SP-Loss over a batch of pairs: {@code L = 1/B sum_b w_b SP_b}, the weights
     * {@code w_b = schedule.weight(SP_b, epoch)} being constants (not differentiated).
     *
     * @param value    the weighted mean loss
     * @param losses   SP_b for each pair [B]
     * @param weights  w_b for each pair [B] (log these)
     * @param gradient dL/dA^ [B, Q, T] row-major
     */
    public record BatchResult(double value, float[] losses, float[] weights, float[] gradient) {}

    /**
     * Expected normalised source position of each row of a predicted alignment.
     *
     * @param predicted A^ [Q, T] row-major, rows non-negative and summing to 1
     * @return p^ [Q], each in [0, 1]
     */
    public static double[] predictedPositions(float[] predicted, int q, int t) {
        checkStochastic(predicted, q, t);
        double[] p = new double[q];
        if (t == 1) return p;
        for (int i = 0; i < q; i++) {
            double s = 0;
            for (int j = 0; j < t; j++) s += (double) j * predicted[i * t + j];
            p[i] = s / (t - 1);
        }
        return p;
    }

    /**
     * Normalised position of each row of a target alignment: the mean column index of the row's
     * non-zero cells, over T - 1.
     *
     * @param path A* [Q, T] row-major, e.g. {@link DtwAlignment#matrix()}; each row needs a non-zero cell
     * @return p* [Q], each in [0, 1]
     */
    public static double[] targetPositions(float[] path, int q, int t) {
        Checks.matrix("target alignment", path, q, t);
        double[] p = new double[q];
        for (int i = 0; i < q; i++) {
            double s = 0;
            int n = 0;
            for (int j = 0; j < t; j++) {
                if (path[i * t + j] > 0) {
                    s += j;
                    n++;
                }
            }
            if (n == 0) throw new IllegalArgumentException("target alignment [" + q + ", " + t + "] has no cell in row " + i + "; a DTW path visits every row");
            p[i] = t == 1 ? 0 : s / n / (t - 1);
        }
        return p;
    }

    /**
     * SP-Loss between a predicted alignment and a target alignment.
     *
     * @param predicted A^ [Q, T] row-stochastic
     * @param target    A* [Q, T] binary path matrix
     */
    public static Result of(float[] predicted, float[] target, int q, int t) {
        double[] ph = predictedPositions(predicted, q, t);
        double[] ps = targetPositions(target, q, t);
        double value = 0;
        float[] g = new float[q * t];
        for (int i = 0; i < q; i++) {
            double diff = ph[i] - ps[i];
            value += Math.abs(diff);
            if (t > 1 && diff != 0) {
                double s = Math.signum(diff) / ((double) q * (t - 1));
                for (int j = 0; j < t; j++) g[i * t + j] = (float) (s * j);
            }
        }
        return new Result(value / q, g);
    }

    /**
     * Self-paced SP-Loss over a batch of equally sized pairs.
     *
     * @param predicted A^ [B, Q, T] row-stochastic
     * @param target    A* [B, Q, T] binary path matrices
     * @param schedule  the self-paced weighting
     * @param epoch     the current epoch (0-based), selects the threshold lambda
     */
    public static BatchResult weightedBatch(float[] predicted, float[] target, int batch, int q, int t, SelfPaced schedule, int epoch) {
        long n = (long) batch * q * t;
        if (predicted.length != n || target.length != n) {
            throw new IllegalArgumentException("expected [" + batch + ", " + q + ", " + t + "] = " + n + " values, got predicted "
                + predicted.length + " and target " + target.length);
        }
        int cells = q * t;
        float[] losses = new float[batch], weights = new float[batch], grad = new float[(int) n];
        double total = 0;
        for (int b = 0; b < batch; b++) {
            Result r = of(java.util.Arrays.copyOfRange(predicted, b * cells, (b + 1) * cells),
                java.util.Arrays.copyOfRange(target, b * cells, (b + 1) * cells), q, t);
            double w = schedule.weight(r.value(), epoch);
            losses[b] = (float) r.value();
            weights[b] = (float) w;
            total += w * r.value();
            if (w == 0) continue; // skipped pair: zero gradient
            float[] g = r.gradient();
            for (int k = 0; k < cells; k++) grad[b * cells + k] = (float) (w * g[k] / batch);
        }
        return new BatchResult(total / batch, losses, weights, grad);
    }

    static void checkStochastic(float[] a, int q, int t) {
        Checks.matrix("predicted alignment", a, q, t);
        for (int i = 0; i < q; i++) {
            double s = 0;
            for (int j = 0; j < t; j++) {
                float v = a[i * t + j];
                if (v < 0) throw new IllegalArgumentException("predicted alignment [" + q + ", " + t + "] has a negative entry " + v + " at (" + i + ", " + j + "); pass softmax probabilities");
                s += v;
            }
            if (Math.abs(s - 1) > 1e-3) {
                throw new IllegalArgumentException("predicted alignment [" + q + ", " + t + "] row " + i + " sums to " + s + ", expected 1 (row-stochastic); apply a softmax over T");
            }
        }
    }
}
