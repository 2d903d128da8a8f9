package org.bgtai.audio;

/**
 * Mel filterbank settings.
 *
 * <p>Defaults of the two common libraries:
 * <ul>
 *   <li>{@link #librosa(int, int, int)}: {@code librosa.filters.mel(sr=, n_fft=, n_mels=)} defaults:
 *       fmin 0, fmax sr/2, Slaney scale ({@code htk=False}), Slaney area normalisation.</li>
 *   <li>{@link #torchaudio(int, int, int)}: {@code torchaudio.transforms.MelSpectrogram} /
 *       {@code torchaudio.functional.melscale_fbanks} defaults: f_min 0, f_max sr/2, HTK scale,
 *       no normalisation.</li>
 * </ul>
 * FFT bin {@code k} is at {@code k * (sr / 2) / (nFft / 2)} Hz (librosa's {@code fft_frequencies};
 * torchaudio uses the integer {@code sr // 2}, which differs only for odd sample rates).
 *
 * @param sampleRate Hz
 * @param nFft       FFT size of the spectrogram the filters apply to ({@code nFft / 2 + 1} bins)
 * @param nMels      number of mel bands, >= 1
 * @param fMin       lowest filter edge, Hz, >= 0
 * @param fMax       highest filter edge, Hz, in (fMin, sampleRate / 2]
 * @param scale      HTK or Slaney mel scale
 * @param norm       filter normalisation
 */
public record MelConfig(int sampleRate, int nFft, int nMels, double fMin, double fMax, MelScale scale, MelNorm norm) {
    public MelConfig {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        if (nFft < 2) throw new IllegalArgumentException("n_fft must be >= 2, got " + nFft);
        if (nMels < 1) throw new IllegalArgumentException("n_mels must be >= 1, got " + nMels);
        if (!(fMin >= 0 && fMin < fMax && fMax <= sampleRate / 2.0)) {
            throw new IllegalArgumentException("need 0 <= fMin < fMax <= sampleRate/2 = " + sampleRate / 2.0 + ", got fMin=" + fMin + ", fMax=" + fMax);
        }
        if (scale == null || norm == null) throw new IllegalArgumentException("scale and norm must not be null");
    }

    /** librosa defaults: Slaney scale, Slaney normalisation, 0 .. sr/2. */
    public static MelConfig librosa(int sampleRate, int nFft, int nMels) {
        return new MelConfig(sampleRate, nFft, nMels, 0, sampleRate / 2.0, MelScale.SLANEY, MelNorm.SLANEY);
    }

    /** torchaudio defaults: HTK scale, no normalisation, 0 .. sr/2. */
    public static MelConfig torchaudio(int sampleRate, int nFft, int nMels) {
        return new MelConfig(sampleRate, nFft, nMels, 0, sampleRate / 2.0, MelScale.HTK, MelNorm.NONE);
    }

    public MelConfig withRange(double fMinHz, double fMaxHz) {
        return new MelConfig(sampleRate, nFft, nMels, fMinHz, fMaxHz, scale, norm);
    }

    public MelConfig withScale(MelScale s) {
        return new MelConfig(sampleRate, nFft, nMels, fMin, fMax, s, norm);
    }

    public MelConfig withNorm(MelNorm n) {
        return new MelConfig(sampleRate, nFft, nMels, fMin, fMax, scale, n);
    }

    public MelConfig withNMels(int n) {
        return new MelConfig(sampleRate, nFft, n, fMin, fMax, scale, norm);
    }

    /** Number of FFT bins, {@code nFft / 2 + 1}. */
    public int bins() {
        return nFft / 2 + 1;
    }
}
