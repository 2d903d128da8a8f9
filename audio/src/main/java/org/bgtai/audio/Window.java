package org.bgtai.audio;

/**
 * Analysis windows, periodic (for spectral analysis, the default of {@code torch.hann_window}
 * and {@code scipy.signal.get_window}) or symmetric (for filter design).
 *
 * <p>With {@code N = length} for periodic and {@code N = length - 1} for symmetric windows:
 * Hann {@code w[i] = 0.5 - 0.5 cos(2 pi i / N)}, Hamming {@code w[i] = 0.54 - 0.46 cos(2 pi i / N)},
 * rectangular {@code w[i] = 1}.
 */
public enum Window {
    /** Hann (raised cosine). */
    HANN,
    /** Hamming, alpha 0.54, beta 0.46 (as {@code torch.hamming_window}). */
    HAMMING,
    /** All ones. */
    RECTANGULAR;

    /** The periodic window of {@code length} samples (DFT-even: one period of a cosine). */
    public float[] periodic(int length) {
        return create(length, true);
    }

    /** The symmetric window of {@code length} samples ({@code w[i] = w[length - 1 - i]}). */
    public float[] symmetric(int length) {
        return create(length, false);
    }

    private float[] create(int length, boolean periodic) {
        if (length < 1) throw new IllegalArgumentException("window length must be >= 1, got " + length);
        float[] w = new float[length];
        if (length == 1) {
            w[0] = 1f;
            return w;
        }
        double n = periodic ? length : length - 1;
        for (int i = 0; i < length; i++) {
            double c = Math.cos(2 * Math.PI * i / n);
            w[i] = (float) switch (this) {
                case HANN -> 0.5 - 0.5 * c;
                case HAMMING -> 0.54 - 0.46 * c;
                case RECTANGULAR -> 1.0;
            };
        }
        return w;
    }
}
