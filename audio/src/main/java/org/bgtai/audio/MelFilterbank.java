package org.bgtai.audio;

/**
 * Triangular mel filterbank, the matrix of {@code librosa.filters.mel} (and the transpose of
 * {@code torchaudio.functional.melscale_fbanks}).
 *
 * <p>{@code nMels + 2} points are spaced evenly on the mel scale from {@code fMin} to
 * {@code fMax} and converted back to Hz: {@code f[0..nMels+1]}. Filter {@code m} rises linearly
 * from {@code f[m]} to {@code f[m+1]} and falls to {@code f[m+2]}:
 * <pre>
 *   W[m, k] = max(0, min((fk - f[m]) / (f[m+1] - f[m]), (f[m+2] - fk) / (f[m+2] - f[m+1])))
 * </pre>
 * times {@code 2 / (f[m+2] - f[m])} with Slaney normalisation. Applied to a power spectrogram:
 * {@code mel[m, t] = sum_k W[m, k] P[k, t]}.
 *
 * <pre>{@code
 * MelFilterbank fb = new MelFilterbank(MelConfig.librosa(16000, 512, 64));
 * Spectrogram mel = fb.apply(new Stft(StftConfig.of(512).withHop(160)).power(x));   // [64, frames]
 * }</pre>
 */
public final class MelFilterbank {
    private final MelConfig config;
    private final float[] weights; // [nMels, bins]
    private final int[] lo, hi;    // non-zero range [lo, hi) of each filter

    public MelFilterbank(MelConfig config) {
        this.config = config;
        int nMels = config.nMels(), bins = config.bins();
        MelScale s = config.scale();
        double mMin = s.hzToMel(config.fMin()), mMax = s.hzToMel(config.fMax());
        double[] f = new double[nMels + 2];
        for (int i = 0; i < f.length; i++) f[i] = s.melToHz(mMin + (mMax - mMin) * i / (nMels + 1));
        weights = new float[nMels * bins];
        lo = new int[nMels];
        hi = new int[nMels];
        double binHz = config.sampleRate() / 2.0 / (bins - 1);
        for (int m = 0; m < nMels; m++) {
            double scale = config.norm() == MelNorm.SLANEY ? 2.0 / (f[m + 2] - f[m]) : 1.0;
            int first = -1, last = -1;
            for (int k = 0; k < bins; k++) {
                double fk = k * binHz;
                double lower = (fk - f[m]) / (f[m + 1] - f[m]);
                double upper = (f[m + 2] - fk) / (f[m + 2] - f[m + 1]);
                double w = Math.max(0, Math.min(lower, upper)) * scale;
                weights[m * bins + k] = (float) w;
                if (w > 0) {
                    if (first < 0) first = k;
                    last = k;
                }
            }
            lo[m] = first < 0 ? 0 : first;
            hi[m] = first < 0 ? 0 : last + 1;
        }
    }

    public MelConfig config() {
        return config;
    }

    /** The filter matrix [nMels, nFft/2 + 1] (a copy), as {@code librosa.filters.mel}. */
    public float[][] weights() {
        int bins = config.bins();
        float[][] w = new float[config.nMels()][bins];
        for (int m = 0; m < w.length; m++) System.arraycopy(weights, m * bins, w[m], 0, bins);
        return w;
    }

    /**
     * Mel spectrogram of a power (or magnitude) spectrogram.
     *
     * @param spec [nFft/2 + 1, frames]
     * @return [nMels, frames]
     */
    public Spectrogram apply(Spectrogram spec) {
        int bins = config.bins();
        if (spec.bins() != bins) {
            throw new IllegalArgumentException("mel filterbank for n_fft=" + config.nFft() + " expects " + bins
                + " frequency bins, spectrogram has " + spec.bins());
        }
        int frames = spec.frames();
        float[] out = new float[config.nMels() * frames];
        float[] p = spec.data();
        for (int m = 0; m < config.nMels(); m++) {
            int o = m * frames;
            for (int k = lo[m]; k < hi[m]; k++) {
                float w = weights[m * bins + k];
                int r = k * frames;
                for (int t = 0; t < frames; t++) out[o + t] += w * p[r + t];
            }
        }
        return new Spectrogram(config.nMels(), frames, out);
    }

    /**
     * One frame: {@code out[m] = sum_k W[m, k] power[k]}.
     *
     * @param power [nFft/2 + 1]
     * @param out   [nMels]
     */
    public void applyFrame(float[] power, float[] out) {
        int bins = config.bins();
        for (int m = 0; m < config.nMels(); m++) {
            float s = 0f;
            for (int k = lo[m]; k < hi[m]; k++) s += weights[m * bins + k] * power[k];
            out[m] = s;
        }
    }
}
