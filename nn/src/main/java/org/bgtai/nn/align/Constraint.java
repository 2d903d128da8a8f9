package org.bgtai.nn.align;

/**
 * A global path constraint for DTW: which cells {@code (i, j)} of the [Q, T] cost matrix a
 * warping path may visit. Every constraint allows a contiguous range of columns in each row.
 *
 * <p>Positions are compared on the scaled diagonal from {@code (0, 0)} to {@code (Q-1, T-1)},
 * so both constraints also make sense for sequences of different lengths; with Q = T they are
 * the textbook definitions. A constraint that leaves no connected path from corner to corner
 * makes DTW throw an {@link IllegalArgumentException} naming the sizes.
 */
public sealed interface Constraint {

    /** No constraint: every cell is allowed. */
    record None() implements Constraint {
        @Override
        public boolean allows(int q, int t, int i, int j) {
            return true;
        }
    }

    /**
     * Sakoe-Chiba band: {@code |i/(Q-1) - j/(T-1)| * max(Q-1, T-1) <= radius}, i.e. at most
     * {@code radius} cells (measured along the longer axis) away from the scaled diagonal;
     * for Q = T this is {@code |i - j| <= radius}.
     */
    record SakoeChiba(int radius) implements Constraint {
        public SakoeChiba {
            if (radius < 0) throw new IllegalArgumentException("Sakoe-Chiba radius must be >= 0, got " + radius);
        }

        @Override
        public boolean allows(int q, int t, int i, int j) {
            double longer = Math.max(q - 1, t - 1);
            return Math.abs(frac(i, q) - frac(j, t)) * longer <= radius + 1e-9;
        }
    }

    /**
     * Itakura parallelogram with maximum slope {@code maxSlope > 1}: in coordinates
     * {@code u = i/(Q-1), v = j/(T-1)} a cell is allowed when
     * {@code u/s <= v <= s*u} and {@code (1-u)/s <= 1-v <= s*(1-u)}. The cells nearest the
     * scaled diagonal are always allowed, so the region is never empty on a row.
     */
    record Itakura(double maxSlope) implements Constraint {
        public Itakura {
            if (!(maxSlope > 1)) throw new IllegalArgumentException("Itakura maximum slope must be > 1, got " + maxSlope);
        }

        @Override
        public boolean allows(int q, int t, int i, int j) {
            double u = frac(i, q), v = frac(j, t), s = maxSlope, eps = 1e-9;
            boolean inside = v <= s * u + eps && v >= u / s - eps && 1 - v <= s * (1 - u) + eps && 1 - v >= (1 - u) / s - eps;
            double diag = u * (t - 1);
            return inside || j == (int) Math.floor(diag + eps) || j == (int) Math.ceil(diag - eps);
        }
    }

    /** No constraint. */
    static Constraint none() {
        return new None();
    }

    /** A Sakoe-Chiba band of the given radius (in cells). */
    static Constraint sakoeChiba(int radius) {
        return new SakoeChiba(radius);
    }

    /** An Itakura parallelogram with the given maximum slope (> 1). */
    static Constraint itakura(double maxSlope) {
        return new Itakura(maxSlope);
    }

    /** Whether cell {@code (i, j)} of a [q, t] cost matrix is allowed. */
    boolean allows(int q, int t, int i, int j);

    private static double frac(int i, int n) {
        return n == 1 ? 0 : (double) i / (n - 1);
    }

    /**
     * The allowed columns of each row as half-open ranges {@code [lo[i], hi[i])}, empty rows as lo = hi.
     * The allowed set of each row is contiguous, so it is found by scanning from the scaled diagonal.
     */
    default Window window(int q, int t) {
        int[] lo = new int[q], hi = new int[q];
        if (this instanceof None) {
            java.util.Arrays.fill(hi, t);
            return new Window(lo, hi);
        }
        for (int i = 0; i < q; i++) {
            int c = (int) Math.round(frac(i, q) * (t - 1));
            int a = c, b = c;
            if (!allows(q, t, i, c)) {
                // The diagonal cell is outside (narrow band on a steep diagonal): search both ways.
                a = -1;
                for (int j = 0; j < t; j++) {
                    if (allows(q, t, i, j)) {
                        a = j;
                        break;
                    }
                }
                if (a < 0) {
                    lo[i] = 0;
                    hi[i] = 0;
                    continue;
                }
                b = a;
            }
            while (a > 0 && allows(q, t, i, a - 1)) a--;
            while (b < t - 1 && allows(q, t, i, b + 1)) b++;
            lo[i] = a;
            hi[i] = b + 1;
        }
        return new Window(lo, hi);
    }

    /** Per-row allowed column ranges {@code [lo[i], hi[i])} of a [Q, T] grid. */
    record Window(int[] lo, int[] hi) {
        /** Whether (i, j) lies in the window. */
        public boolean contains(int i, int j) {
            return j >= lo[i] && j < hi[i];
        }
    }
}
