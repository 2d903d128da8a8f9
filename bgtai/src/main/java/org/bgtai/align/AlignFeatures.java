package org.bgtai.align;

import java.util.List;
import org.bgtai.audio.LogMel;
import org.bgtai.data.DigitString;

/**
 * Source features for alignment: log-mel frames (8 kHz, n_fft 256, hop 160 = 20 ms, 32 bands,
 * centred so frame t sits at {@code t * 20 ms}) standardised per band with a mean and standard
 * deviation fitted on training audio.
 */
public final class AlignFeatures {
    public static final int SAMPLE_RATE = 8000, N_FFT = 256, HOP = 160, MELS = 32;
    private final LogMel logMel = LogMel.of(SAMPLE_RATE, N_FFT, HOP, MELS);
    private final float[] mean, std;

    private AlignFeatures(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Fits the per-band statistics on the given 8 kHz waveforms. */
    public static AlignFeatures fit(List<float[]> audio) {
        if (audio.isEmpty()) throw new IllegalArgumentException("need at least one waveform to fit feature statistics");
        LogMel lm = LogMel.of(SAMPLE_RATE, N_FFT, HOP, MELS);
        double[] s = new double[MELS], ss = new double[MELS];
        long n = 0;
        for (float[] a : audio) {
            float[] m = lm.apply(a).timeMajor();
            for (int i = 0; i < m.length; i++) {
                s[i % MELS] += m[i];
                ss[i % MELS] += (double) m[i] * m[i];
            }
            n += m.length / MELS;
        }
        float[] mean = new float[MELS], std = new float[MELS];
        for (int b = 0; b < MELS; b++) {
            double mu = s[b] / n;
            mean[b] = (float) mu;
            std[b] = (float) Math.sqrt(Math.max(1e-6, ss[b] / n - mu * mu));
        }
        return new AlignFeatures(mean, std);
    }

    public double frameMs() {
        return 1000.0 * HOP / SAMPLE_RATE;
    }

    /** Standardised log-mel Y [T, 32] of an 8 kHz waveform. */
    public float[] frames(float[] audio) {
        float[] m = logMel.apply(audio).timeMajor();
        for (int i = 0; i < m.length; i++) m[i] = (m[i] - mean[i % MELS]) / std[i % MELS];
        return m;
    }

    /** A pair from a waveform, its tokens and the true sample range {@code [starts[q], ends[q])} of each. */
    public AlignPair pair(float[] audio, int sampleRate, int[] tokens, int[] starts, int[] ends) {
        if (sampleRate != SAMPLE_RATE) throw new IllegalArgumentException("alignment features expect " + SAMPLE_RATE + " Hz audio, got " + sampleRate + " Hz; resample first");
        float[] y = frames(audio);
        int t = y.length / MELS;
        double[] s = new double[tokens.length], e = new double[tokens.length];
        for (int q = 0; q < tokens.length; q++) {
            s[q] = 1000.0 * starts[q] / sampleRate;
            e[q] = 1000.0 * ends[q] / sampleRate;
        }
        return new AlignPair(y, t, MELS, tokens.clone(), AlignMetrics.truthLabels(t, frameMs(), s, e), s, e, frameMs());
    }

    /** A pair from a spoken digit string (tokens = digits 0-9). */
    public AlignPair pair(DigitString d) {
        return pair(d.audio(), d.sampleRate(), d.digits(), d.starts(), d.ends());
    }
}
