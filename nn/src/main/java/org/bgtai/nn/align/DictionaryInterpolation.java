package org.bgtai.nn.align;

/**
 * The interpolated dictionary sequence of BGTAI Eq. 5: per-element prototype features
 * {@code P} [Q, D] laid out to the length T of a continuous sequence, element q repeated over
 * its span. With uniform spans element q covers {@code [floor(q T / Q), floor((q+1) T / Q))};
 * with given durations it covers {@code durations[q]} positions (e.g. from
 * {@link MonotonicViterbi.Segmentation#durations()}).
 *
 * <pre>{@code
 * float[] seq = DictionaryInterpolation.uniform(prototypes, q, d, t);   // [T, D]
 * }</pre>
 */
public final class DictionaryInterpolation {
    private DictionaryInterpolation() {}

    /**
     * Uniform spans of T positions among Q elements.
     *
     * @return durations [Q], each >= 1, summing to T
     */
    public static int[] uniformDurations(int q, int t) {
        if (q <= 0 || t < q) throw new IllegalArgumentException("uniform spans need 1 <= Q <= T so every element gets a position, got Q=" + q + ", T=" + t);
        int[] d = new int[q];
        for (int i = 0; i < q; i++) d[i] = (int) ((long) (i + 1) * t / q - (long) i * t / q);
        return d;
    }

    /**
     * @param prototypes P [Q, D] row-major
     * @return I [T, D] row-major with uniform spans
     */
    public static float[] uniform(float[] prototypes, int q, int d, int t) {
        int rows = Checks.length("prototypes", prototypes, d);
        if (rows != q) throw new IllegalArgumentException("prototypes has " + rows + " rows of dimension " + d + ", expected Q=" + q);
        return withDurations(prototypes, d, uniformDurations(q, t));
    }

    /**
     * @param prototypes P [Q, D] row-major
     * @param durations  [Q], each >= 1
     * @return I [sum(durations), D] row-major
     */
    public static float[] withDurations(float[] prototypes, int d, int[] durations) {
        int q = Checks.length("prototypes", prototypes, d);
        if (durations.length != q) throw new IllegalArgumentException("got " + durations.length + " durations for " + q + " prototypes [" + q + ", " + d + "]");
        long total = 0;
        for (int i = 0; i < q; i++) {
            if (durations[i] < 1) throw new IllegalArgumentException("duration of element " + i + " is " + durations[i] + ", must be >= 1");
            total += durations[i];
        }
        float[] out = new float[Math.toIntExact(total * d)];
        int pos = 0;
        for (int i = 0; i < q; i++) {
            for (int r = 0; r < durations[i]; r++, pos++) System.arraycopy(prototypes, i * d, out, pos * d, d);
        }
        return out;
    }
}
