package org.bgtai.audio;

/**
 * Anti-aliasing filter design of {@link Resampler}, in fractions of the lower of the two
 * Nyquist frequencies {@code min(from, to) / 2}.
 *
 * <p>The default (pass band 0.90, stop band 1.00, 80 dB) keeps every frequency up to 90% of the
 * new Nyquist frequency with a ripple below 0.001 dB, and attenuates everything above the lower
 * Nyquist frequency by at least 80 dB (aliases when downsampling, images when upsampling);
 * between 0.90 and 1.00 the response rolls off (-6 dB at 0.95). Lower {@code attenuationDb} or a
 * wider transition gives shorter (faster) filters.
 *
 * @param passband      end of the pass band, fraction of the lower Nyquist frequency, (0, stopband)
 * @param stopband      start of the stop band, fraction of the lower Nyquist frequency, (passband, 1]
 * @param attenuationDb stop-band attenuation in dB (sets the Kaiser beta and the filter length), >= 20
 */
public record ResampleConfig(double passband, double stopband, double attenuationDb) {
    /** Pass band to 0.90, stop band from 1.00 of the lower Nyquist frequency, 80 dB. */
    public static final ResampleConfig DEFAULT = new ResampleConfig(0.90, 1.0, 80);

    public ResampleConfig {
        if (!(passband > 0 && passband < stopband && stopband <= 1.0)) {
            throw new IllegalArgumentException("need 0 < passband < stopband <= 1 (fractions of the lower Nyquist), got passband="
                + passband + ", stopband=" + stopband);
        }
        if (!(attenuationDb >= 20 && attenuationDb <= 200)) {
            throw new IllegalArgumentException("attenuationDb must be in [20, 200], got " + attenuationDb);
        }
    }

    public ResampleConfig withPassband(double p) {
        return new ResampleConfig(p, stopband, attenuationDb);
    }

    public ResampleConfig withAttenuationDb(double a) {
        return new ResampleConfig(passband, stopband, a);
    }
}
