package org.bgtai.align;

import java.util.Arrays;
import org.bgtai.nn.align.MonotonicViterbi;

/**
 * Scores of a predicted monotonic segmentation against the ground truth of an {@link AlignPair},
 * and the threshold calibration of the Result Filter.
 *
 * <ul>
 *   <li>frame accuracy: fraction of frames whose predicted token index equals the true one;</li>
 *   <li>boundary error: for each of the Q-1 inner boundaries, the distance in ms from the
 *       predicted boundary (between frames s-1 and s, i.e. at {@code (s - 1/2) * frameMs}) to the
 *       true silence gap {@code [clipEnd[q], clipStart[q+1]]} (0 inside the gap), averaged.</li>
 * </ul>
 */
public final class AlignMetrics {
    private AlignMetrics() {}

    /** Frame labels [T] of spans {@code [starts[q], ends[q])}; frames outside every span get -1. */
    public static int[] labels(int[] starts, int[] ends, int t) {
        if (starts.length != ends.length) throw new IllegalArgumentException("starts has " + starts.length + " entries, ends " + ends.length);
        int[] l = new int[t];
        Arrays.fill(l, -1);
        for (int q = 0; q < starts.length; q++) for (int j = Math.max(0, starts[q]); j < Math.min(t, ends[q]); j++) l[j] = q;
        return l;
    }

    /** @param pred predicted token index per frame [T]; @param truth true token index per frame [T] */
    public static double frameAccuracy(int[] pred, int[] truth) {
        if (pred.length != truth.length) throw new IllegalArgumentException("predicted labels have " + pred.length + " frames, truth " + truth.length);
        if (pred.length == 0) throw new IllegalArgumentException("no frames to score");
        int ok = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == truth[i]) ok++;
        return (double) ok / pred.length;
    }

    /**
     * Mean boundary error in ms; NaN when Q = 1 (no inner boundary).
     *
     * @param starts predicted first frame of each token [Q]
     */
    public static double boundaryErrorMs(int[] starts, double frameMs, double[] clipStartMs, double[] clipEndMs) {
        int q = starts.length;
        if (clipStartMs.length != q || clipEndMs.length != q)
            throw new IllegalArgumentException("predicted " + q + " spans but the truth has " + clipStartMs.length + " clips");
        if (q == 1) return Double.NaN;
        double sum = 0;
        for (int i = 1; i < q; i++) {
            double b = (starts[i] - 0.5) * frameMs, lo = clipEndMs[i - 1], hi = clipStartMs[i];
            sum += b < lo ? lo - b : b > hi ? b - hi : 0;
        }
        return sum / (q - 1);
    }

    /** Ground-truth frame labels: frame t (centred at t * frameMs) goes to the token before the first gap midpoint after it. */
    public static int[] truthLabels(int t, double frameMs, double[] clipStartMs, double[] clipEndMs) {
        int[] l = new int[t];
        for (int j = 0; j < t; j++) {
            double ms = j * frameMs;
            int q = 0;
            while (q + 1 < clipStartMs.length && ms >= 0.5 * (clipEndMs[q] + clipStartMs[q + 1])) q++;
            l[j] = q;
        }
        return l;
    }

    /**
     * The tiling of a sparse selection, by the convention of {@link #truthLabels}: positions
     * selected by token q go to q; a run of skipped positions (-1) between tokens q and q+1 is
     * split at its middle (the first {@code floor(n / 2)} of its n positions to q); a leading
     * (trailing) run goes to the first (last) selected token.
     *
     * @param selection token index of each position [T], non-decreasing where >= 0, -1 = skipped; every token 0..Q-1 selects a position
     * @return contiguous ordered spans, one per token, tiling [0, T)
     */
    public static MonotonicViterbi.Segmentation tiling(int[] selection, int q) {
        int t = selection.length;
        int[] label = new int[t];
        int j = 0;
        while (j < t) {
            if (selection[j] >= 0) {
                label[j] = selection[j];
                j++;
                continue;
            }
            int a = j;
            while (j < t && selection[j] < 0) j++;
            int before = a == 0 ? -1 : label[a - 1], after = j == t ? -1 : selection[j];
            if (before < 0 && after < 0) throw new IllegalArgumentException("selection skips every position; each token must select one");
            int left = before >= 0 ? before : after, right = after >= 0 ? after : before, n = j - a;
            for (int u = a; u < j; u++) label[u] = u - a < n / 2 ? left : right;
        }
        int[] starts = new int[q], ends = new int[q];
        Arrays.fill(starts, -1);
        for (int u = 0; u < t; u++) {
            int k = label[u];
            if (k < 0 || k >= q || (u > 0 && k < label[u - 1])) throw new IllegalArgumentException("selection is not monotonic over tokens 0.." + (q - 1) + " at position " + u);
            if (starts[k] < 0) starts[k] = u;
            ends[k] = u + 1;
        }
        for (int k = 0; k < q; k++) if (starts[k] < 0) throw new IllegalArgumentException("token " + k + " selects no position");
        return new MonotonicViterbi.Segmentation(0, starts, ends, t);
    }

    /** The p-quantile (0..1) of {@code values} with linear interpolation (numpy's default). */
    public static double quantile(double[] values, double p) {
        if (values.length == 0) throw new IllegalArgumentException("cannot take a quantile of no values");
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("quantile p must be in [0, 1], got " + p);
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = p * (s.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /** Fraction of {@code costs} strictly above {@code threshold} (the pairs the Result Filter rejects). */
    public static double rejectionRate(double[] costs, double threshold) {
        if (costs.length == 0) throw new IllegalArgumentException("no costs");
        int n = 0;
        for (double c : costs) if (c > threshold) n++;
        return (double) n / costs.length;
    }

    /** Mean and sample standard deviation (0 for one value), ignoring NaN. */
    public static double[] meanStd(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) if (!Double.isNaN(x)) { s += x; n++; }
        if (n == 0) return new double[] {Double.NaN, Double.NaN};
        double m = s / n, ss = 0;
        for (double x : v) if (!Double.isNaN(x)) ss += (x - m) * (x - m);
        return new double[] {m, n > 1 ? Math.sqrt(ss / (n - 1)) : 0};
    }
}
