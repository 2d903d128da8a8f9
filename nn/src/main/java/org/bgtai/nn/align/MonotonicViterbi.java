package org.bgtai.nn.align;

/**
 * Monotonic Viterbi decoding: the best monotonic segmentation of T source positions among Q
 * target elements for a score matrix S [Q, T] (e.g. log-probabilities). Target element q covers
 * a contiguous, non-empty span {@code [start[q], end[q])}; the spans are in order and tile
 * [0, T), and the path maximises {@code sum_q sum_{t in span q} S[q, t]}:
 * <pre>
 *   V[q, t] = S[q, t] + max(V[q, t-1], V[q-1, t-1]),   V[0, 0] = S[0, 0],   best = V[Q-1, T-1]
 * </pre>
 * Ties go to staying on the same target element. Needs T >= Q.
 *
 * <pre>{@code
 * MonotonicViterbi.Segmentation s = MonotonicViterbi.decode(logProbs, q, t);
 * s.starts(); s.ends(); s.matrix();
 * }</pre>
 */
public final class MonotonicViterbi {
    private MonotonicViterbi() {}

    /**
     * A monotonic segmentation.
     *
     * @param score  total score of the path
     * @param starts first source position of each target element [Q]
     * @param ends   one past the last source position of each target element [Q]
     * @param cols   T
     */
    public record Segmentation(double score, int[] starts, int[] ends, int cols) {
        /** Span lengths [Q], each >= 1, summing to T. */
        public int[] durations() {
            int[] d = new int[starts.length];
            for (int i = 0; i < d.length; i++) d[i] = ends[i] - starts[i];
            return d;
        }

        /** The binary path [Q, T] row-major: 1 where source position t belongs to target element q. */
        public float[] matrix() {
            float[] m = new float[starts.length * cols];
            for (int i = 0; i < starts.length; i++) {
                for (int j = starts[i]; j < ends[i]; j++) m[i * cols + j] = 1f;
            }
            return m;
        }
    }

    /**
     * @param scores S [Q, T] row-major, finite
     * @throws IllegalArgumentException when T < Q (no monotonic path with non-empty spans) or scores are bad
     */
    public static Segmentation decode(float[] scores, int q, int t) {
        if (q > 0 && t > 0 && t < q) {
            throw new IllegalArgumentException("monotonic Viterbi needs at least as many source positions as target elements, got Q=" + q
                + " targets and T=" + t + " source positions; each target element covers a non-empty span");
        }
        Checks.matrix("score matrix", scores, q, t);
        double[] v = new double[q * t];
        boolean[] advanced = new boolean[q * t];
        double ninf = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < t; j++) {
            // Reachable rows at column j: target q needs q <= j and Q-1-q <= T-1-j.
            for (int i = 0; i < q; i++) {
                int k = i * t + j;
                if (i > j || q - 1 - i > t - 1 - j) {
                    v[k] = ninf;
                    continue;
                }
                if (j == 0) {
                    v[k] = scores[k];
                    continue;
                }
                double stay = v[k - 1];
                double adv = i > 0 ? v[k - t - 1] : ninf;
                if (adv > stay) {
                    v[k] = scores[k] + adv;
                    advanced[k] = true;
                } else {
                    v[k] = scores[k] + stay;
                }
            }
        }
        int[] starts = new int[q], ends = new int[q];
        int i = q - 1;
        ends[i] = t;
        for (int j = t - 1; j > 0; j--) {
            if (advanced[i * t + j]) {
                starts[i] = j;
                i--;
                ends[i] = j;
            }
        }
        starts[0] = 0;
        return new Segmentation(v[q * t - 1], starts, ends, t);
    }
}
