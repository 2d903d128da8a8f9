package org.bgtai.nn.align;

/**
 * DTW of a dictionary sequence against a continuous sequence with the asymmetric step pattern:
 * every source position t is matched to exactly one dictionary row, rows in order, the path
 * advancing 0, 1 or 2 rows per source position. With a [R, T] cost matrix C:
 * <pre>
 *   D[r, t] = C[r, t] + min(D[r, t-1], D[r-1, t-1], D[r-2, t-1]),   D[r, 0] = C[r, 0] for r in {0, 1}
 *   cost    = min(D[R-1, T-1], D[R-2, T-1])
 * </pre>
 * so the cost is the sum of exactly T local costs (no step is cheaper than another, unlike the
 * symmetric pattern of {@link Dtw}, whose diagonal step counts one cell where a horizontal and a
 * vertical step count two). A jump of two rows skips one row; a row may only be skipped when
 * {@code skippable[r]} (e.g. an optional silence row between two words, or one frame of a
 * word's template), and the path may start on row 1 or end on row R-2 only when row 0 or row
 * R-1 is skippable. Ties prefer staying, then advancing one row.
 *
 * <pre>{@code
 * int[] rows = AsymmetricDtw.align(cost, r, t, skippable).rows();   // the dictionary row of every source position
 * }</pre>
 */
public final class AsymmetricDtw {
    private AsymmetricDtw() {}

    /**
     * @param cost the summed local cost along the path (T cells)
     * @param rows the dictionary row matched with each source position [T], non-decreasing, advancing at most 2
     */
    public record Path(double cost, int[] rows) {}

    /**
     * @param cost      C [R, T] row-major, finite
     * @param skippable [R]: whether the path may pass over row r without matching it
     * @throws IllegalArgumentException when no path exists (T too short for the rows that cannot be skipped)
     */
    public static Path align(float[] cost, int r, int t, boolean[] skippable) {
        Checks.matrix("asymmetric DTW cost matrix", cost, r, t);
        if (skippable.length != r) throw new IllegalArgumentException("skippable has " + skippable.length + " flags for R=" + r + " rows");
        double inf = Double.POSITIVE_INFINITY;
        double[] prev = new double[r], cur = new double[r];
        byte[] step = new byte[r * t];   // rows advanced into (r, t): 0, 1 or 2
        java.util.Arrays.fill(prev, inf);
        prev[0] = cost[0];
        if (r > 1 && skippable[0]) prev[1] = cost[t];
        for (int j = 1; j < t; j++) {
            for (int i = 0; i < r; i++) {
                double best = prev[i];
                byte s = 0;
                if (i >= 1 && prev[i - 1] < best) {
                    best = prev[i - 1];
                    s = 1;
                }
                if (i >= 2 && skippable[i - 1] && prev[i - 2] < best) {
                    best = prev[i - 2];
                    s = 2;
                }
                cur[i] = best == inf ? inf : best + cost[i * t + j];
                step[i * t + j] = s;
            }
            double[] sw = prev;
            prev = cur;
            cur = sw;
        }
        int end = r - 1;
        if (r > 1 && skippable[r - 1] && prev[r - 2] < prev[r - 1]) end = r - 2;
        if (prev[end] == inf)
            throw new IllegalArgumentException("no asymmetric DTW path: T=" + t + " source positions cannot cover the " + r
                + " dictionary rows advancing at most two rows per position; use fewer template rows or a longer sequence");
        int[] rows = new int[t];
        int i = end;
        for (int j = t - 1; j >= 0; j--) {
            rows[j] = i;
            if (j > 0) i -= step[i * t + j];
        }
        return new Path(prev[end], rows);
    }
}
