package org.bgtai.audio;

/**
 * Hertz-to-mel conversions.
 *
 * <ul>
 *   <li>{@link #HTK}: {@code mel = 2595 log10(1 + f / 700)} (HTK; {@code librosa htk=True},
 *       {@code torchaudio mel_scale="htk"}, the torchaudio default).</li>
 *   <li>{@link #SLANEY}: linear {@code mel = 3 f / 200} below 1 kHz, logarithmic above,
 *       {@code mel = 15 + 27 ln(f / 1000) / ln(6.4)} (Slaney's Auditory Toolbox; the librosa
 *       default, {@code torchaudio mel_scale="slaney"}).</li>
 * </ul>
 */
public enum MelScale {
    HTK, SLANEY;

    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOGSTEP = Math.log(6.4) / 27.0;

    /** Hertz to mel. */
    public double hzToMel(double hz) {
        if (this == HTK) return 2595.0 * Math.log10(1.0 + hz / 700.0);
        return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
    }

    /** Mel to hertz. */
    public double melToHz(double mel) {
        if (this == HTK) return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
        return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
    }
}
