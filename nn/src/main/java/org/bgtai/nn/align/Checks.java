package org.bgtai.nn.align;

/** Argument checks shared by the alignment kernels; messages name the sizes and the fix. */
final class Checks {
    private Checks() {}

    /** The number of rows of a row-major [n, d] sequence. */
    static int length(String name, float[] seq, int d) {
        if (seq == null) throw new IllegalArgumentException(name + " is null");
        if (d <= 0) throw new IllegalArgumentException("feature dimension must be >= 1, got d=" + d);
        if (seq.length == 0) throw new IllegalArgumentException(name + " is an empty sequence (0 x " + d + "); DTW needs at least one element");
        if (seq.length % d != 0) {
            throw new IllegalArgumentException(name + " has " + seq.length + " values, not a multiple of the feature dimension d=" + d
                + "; expected [n, " + d + "] row-major (dimension mismatch?)");
        }
        return seq.length / d;
    }

    /** Checks that {@code m} holds a non-empty [q, t] matrix (values not checked). */
    static void shape(String name, float[] m, int q, int t) {
        if (m == null) throw new IllegalArgumentException(name + " is null");
        if (q <= 0 || t <= 0) throw new IllegalArgumentException(name + " must be non-empty, got [" + q + ", " + t + "]");
        if ((long) q * t != m.length) {
            throw new IllegalArgumentException(name + " has " + m.length + " values but the shape [" + q + ", " + t + "] needs " + (long) q * t);
        }
    }

    /** Checks that {@code m} is a finite [q, t] matrix. */
    static void matrix(String name, float[] m, int q, int t) {
        shape(name, m, q, t);
        for (int k = 0; k < m.length; k++) {
            if (!Float.isFinite(m[k])) {
                throw new IllegalArgumentException(name + " [" + q + ", " + t + "] has a non-finite value " + m[k]
                    + " at (" + k / t + ", " + k % t + "); check the inputs for NaN/Inf");
            }
        }
    }
}
