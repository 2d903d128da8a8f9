package org.bgtai.audio;

/**
 * Log-mel front end: STFT power, mel filterbank, natural log with a floor, fused frame by frame
 * (no full power spectrogram is materialised).
 * <pre>
 *   logmel[m, t] = ln(max(floor, sum_k W[m, k] |STFT(x)[k, t]|^2))
 * </pre>
 * Same values as {@code Features.log(new MelFilterbank(mel).apply(new Stft(stft).power(x)), floor)}.
 *
 * <pre>{@code
 * LogMel lm = LogMel.of(16000, 512, 160, 64);   // librosa-style Slaney mel, floor 1e-10
 * Spectrogram f = lm.apply(WavReader.read(path));   // mono mix, resampled to 16 kHz: [64, frames]
 * }</pre>
 *
 * <p>Thread-safe; a resampler per input sample rate is created on first use and cached.
 */
public final class LogMel {
    private final Stft stft;
    private final MelFilterbank mel;
    private final double floor;
    private final java.util.concurrent.ConcurrentHashMap<Integer, Resampler> resamplers = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param stft  STFT settings; {@code nFft} must equal the mel config's
     * @param mel   filterbank settings; its sample rate is the rate features are computed at
     * @param floor smallest mel power before the log, > 0 (e.g. 1e-10)
     */
    public LogMel(StftConfig stft, MelConfig mel, double floor) {
        if (stft.nFft() != mel.nFft()) {
            throw new IllegalArgumentException("STFT n_fft=" + stft.nFft() + " differs from the mel filterbank's n_fft=" + mel.nFft());
        }
        if (!(floor > 0)) throw new IllegalArgumentException("log floor must be > 0, got " + floor);
        this.stft = new Stft(stft);
        this.mel = new MelFilterbank(mel);
        this.floor = floor;
    }

    /**
     * {@code nMels} Slaney mel bands (librosa defaults, 0 .. sr/2), periodic Hann STFT of
     * {@code nFft} with {@code hop}, centered with reflect padding, floor 1e-10.
     */
    public static LogMel of(int sampleRate, int nFft, int hop, int nMels) {
        return new LogMel(StftConfig.of(nFft).withHop(hop), MelConfig.librosa(sampleRate, nFft, nMels), 1e-10);
    }

    public StftConfig stftConfig() {
        return stft.config();
    }

    public MelConfig melConfig() {
        return mel.config();
    }

    /** Sample rate the features are computed at. */
    public int sampleRate() {
        return mel.config().sampleRate();
    }

    /**
     * @param signal [samples] at {@link #sampleRate()}
     * @return [nMels, frames]
     */
    public Spectrogram apply(float[] signal) {
        int frames = stft.checkedFrameCount(signal.length);
        int nMels = mel.config().nMels();
        float[] out = new float[nMels * frames];
        float[] padded = stft.pad(signal);
        double[] buf = new double[2 * stft.config().nFft()];
        float[] power = new float[stft.config().bins()];
        float[] melFrame = new float[nMels];
        float fl = (float) floor;
        for (int t = 0; t < frames; t++) {
            stft.powerFrame(padded, t, buf, power);
            mel.applyFrame(power, melFrame);
            for (int m = 0; m < nMels; m++) out[m * frames + t] = (float) Math.log(Math.max(melFrame[m], fl));
        }
        return new Spectrogram(nMels, frames, out);
    }

    /** Mono mix of {@code audio}, resampled to {@link #sampleRate()} when needed; [nMels, frames]. */
    public Spectrogram apply(Audio audio) {
        float[] x = audio.mono();
        if (audio.sampleRate() != sampleRate()) {
            x = resamplers.computeIfAbsent(audio.sampleRate(), r -> Resampler.of(r, sampleRate())).apply(x);
        }
        return apply(x);
    }
}
