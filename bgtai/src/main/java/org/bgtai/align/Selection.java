package org.bgtai.align;

import java.util.Arrays;

/**
 * DS-Net data-pair selection: in each epoch the training pairs with the lowest DS-Net confidence
 * are skipped, a fraction that starts at {@code start} in the first epoch with scores and falls
 * linearly towards 0, which it reaches one epoch after the last:
 * <pre>
 *   f(e) = start * (1 - (e - e0) / (E - e0))    for e0 <= e < E,   0 otherwise
 * </pre>
 * with {@code e} the 0-based epoch, {@code E} the epochs and {@code e0} the first epoch that has
 * scores: 0 when pairs are scored before each epoch (standalone DS-Net), 1 when the scores come
 * from the previous epoch's training forward passes (joint training).
 *
 * <pre>{@code
 * int[] keep = Selection.kept(confidences, Selection.skipFraction(epoch, epochs, 0.2, 1));
 * }</pre>
 */
public final class Selection {
    private Selection() {}

    /** {@code f(e)} above. */
    public static double skipFraction(int epoch, int epochs, double start, int firstScored) {
        if (epoch < 0 || epochs < 1 || firstScored < 0)
            throw new IllegalArgumentException("epoch " + epoch + " of " + epochs + " (first scored " + firstScored + "): need epoch >= 0, epochs >= 1");
        if (start < 0 || start >= 1) throw new IllegalArgumentException("start fraction must be in [0, 1), got " + start);
        if (epoch < firstScored || epoch >= epochs) return 0;
        return start * (1 - (double) (epoch - firstScored) / (epochs - firstScored));
    }

    /**
     * Indices of the pairs kept, ascending: all but the {@code floor(fraction * n)} lowest scores
     * (ties: the lower index is skipped first). Pairs without a score yet (NaN) count as the most
     * confident.
     */
    public static int[] kept(double[] scores, double fraction) {
        int n = scores.length, drop = (int) Math.floor(fraction * n);
        double[] s = scores.clone();
        for (int i = 0; i < n; i++) if (Double.isNaN(s[i])) s[i] = Double.POSITIVE_INFINITY;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> s[a] != s[b] ? Double.compare(s[a], s[b]) : Integer.compare(a, b));
        int[] keep = new int[n - drop];
        for (int i = drop; i < n; i++) keep[i - drop] = idx[i];
        Arrays.sort(keep);
        return keep;
    }
}
