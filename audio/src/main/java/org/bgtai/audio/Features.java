package org.bgtai.audio;

/**
 * Feature transforms on [bins, frames] spectrograms: log compression, decibels, MFCC, deltas and
 * per-utterance normalisation. All return new spectrograms; inputs are not modified.
 *
 * <pre>{@code
 * Spectrogram mel  = new MelFilterbank(MelConfig.librosa(16000, 512, 64)).apply(stft.power(x)); // [64, T]
 * Spectrogram db   = Features.powerToDb(mel);          // librosa.power_to_db defaults
 * Spectrogram mfcc = Features.mfcc(db, 13);            // librosa.feature.mfcc on that mel: [13, T]
 * Spectrogram d1   = Features.deltas(mfcc, 2);         // torchaudio compute_deltas(win_length=5)
 * }</pre>
 */
public final class Features {
    private Features() {}

    /**
     * Natural log with a floor: {@code ln(max(x, floor))} (the usual log-mel front end, e.g.
     * {@code torch.log(torch.clamp(mel, min=1e-10))}).
     *
     * @param s     [bins, frames]
     * @param floor > 0
     */
    public static Spectrogram log(Spectrogram s, double floor) {
        if (!(floor > 0)) throw new IllegalArgumentException("log floor must be > 0, got " + floor);
        float[] d = s.data(), o = new float[d.length];
        float f = (float) floor;
        for (int i = 0; i < d.length; i++) o[i] = (float) Math.log(Math.max(d[i], f));
        return new Spectrogram(s.bins(), s.frames(), o);
    }

    /** {@code librosa.power_to_db(S)} defaults: ref 1, amin 1e-10, top_db 80. */
    public static Spectrogram powerToDb(Spectrogram s) {
        return powerToDb(s, 1.0, 1e-10, 80.0);
    }

    /**
     * Power to decibels, {@code librosa.power_to_db}: {@code 10 log10(max(amin, S)) - 10 log10(max(amin, ref))},
     * then clipped from below at {@code max - topDb} (the maximum over the whole spectrogram).
     * {@code torchaudio.transforms.AmplitudeToDB(stype="power", top_db=None)} is
     * {@code powerToDb(s, 1, 1e-10, Double.POSITIVE_INFINITY)}.
     *
     * @param s     [bins, frames] power
     * @param ref   reference power (0 dB), > 0
     * @param amin  smallest power considered, > 0
     * @param topDb dynamic range kept below the maximum; {@code Double.POSITIVE_INFINITY} for none
     */
    public static Spectrogram powerToDb(Spectrogram s, double ref, double amin, double topDb) {
        if (!(amin > 0) || !(ref > 0) || !(topDb >= 0)) {
            throw new IllegalArgumentException("need ref > 0, amin > 0, topDb >= 0; got ref=" + ref + ", amin=" + amin + ", topDb=" + topDb);
        }
        float[] d = s.data(), o = new float[d.length];
        double off = 10 * Math.log10(Math.max(amin, ref));
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < d.length; i++) {
            o[i] = (float) (10 * Math.log10(Math.max(amin, d[i])) - off);
            max = Math.max(max, o[i]);
        }
        if (topDb != Double.POSITIVE_INFINITY) {
            float lo = (float) (max - topDb);
            for (int i = 0; i < o.length; i++) o[i] = Math.max(o[i], lo);
        }
        return new Spectrogram(s.bins(), s.frames(), o);
    }

    /**
     * MFCC: orthonormal DCT-II over the mel axis, keeping the first {@code nMfcc} coefficients:
     * <pre>
     *   c[k, t] = s_k sum_m x[m, t] cos(pi k (2m + 1) / (2M)),   s_0 = sqrt(1/M), s_k = sqrt(2/M)
     * </pre>
     * As {@code librosa.feature.mfcc(S=logmel, n_mfcc=, dct_type=2, norm="ortho")} and
     * {@code torchaudio.functional.create_dct(n_mfcc, n_mels, "ortho")}. Feed it decibels
     * ({@link #powerToDb}) to match librosa/torchaudio MFCC values.
     *
     * @param logMel [nMels, frames]
     * @return [nMfcc, frames]
     */
    public static Spectrogram mfcc(Spectrogram logMel, int nMfcc) {
        int m = logMel.bins(), frames = logMel.frames();
        if (nMfcc < 1 || nMfcc > m) throw new IllegalArgumentException("n_mfcc must be in [1, n_mels=" + m + "], got " + nMfcc);
        float[] out = new float[nMfcc * frames];
        float[] x = logMel.data();
        for (int k = 0; k < nMfcc; k++) {
            double scale = Math.sqrt((k == 0 ? 1.0 : 2.0) / m);
            for (int j = 0; j < m; j++) {
                float c = (float) (scale * Math.cos(Math.PI * k * (2 * j + 1) / (2.0 * m)));
                for (int t = 0; t < frames; t++) out[k * frames + t] += c * x[j * frames + t];
            }
        }
        return new Spectrogram(nMfcc, frames, out);
    }

    /**
     * Delta (time-derivative) features, {@code torchaudio.functional.compute_deltas(x, win_length=2N+1)}
     * (HTK's regression formula, edges replicated):
     * <pre>
     *   d[b, t] = sum_{n=1..N} n (x[b, t+n] - x[b, t-n]) / (2 sum_{n=1..N} n^2)
     * </pre>
     * Apply twice for delta-deltas.
     *
     * @param s [bins, frames]
     * @param n half window N >= 1 (N = 2 is the torchaudio and HTK default)
     * @return [bins, frames]
     */
    public static Spectrogram deltas(Spectrogram s, int n) {
        if (n < 1) throw new IllegalArgumentException("delta half-window must be >= 1, got " + n);
        int bins = s.bins(), frames = s.frames();
        float[] x = s.data(), o = new float[x.length];
        double denom = 2.0 * n * (n + 1) * (2 * n + 1) / 6.0;
        for (int b = 0; b < bins; b++) {
            int r = b * frames;
            for (int t = 0; t < frames; t++) {
                double acc = 0;
                for (int k = 1; k <= n; k++) {
                    int ahead = Math.min(frames - 1, t + k), behind = Math.max(0, t - k);
                    acc += k * ((double) x[r + ahead] - x[r + behind]);
                }
                o[r + t] = (float) (acc / denom);
            }
        }
        return new Spectrogram(bins, frames, o);
    }

    /**
     * Per-utterance mean and variance normalisation (CMVN) of each bin over time:
     * {@code (x[b, t] - mean_b) / sqrt(var_b + eps)}, population variance (0 where that is 0 / 0).
     *
     * @param s   [bins, frames]
     * @param eps added to the variance, >= 0 (e.g. 1e-5)
     */
    public static Spectrogram normalizePerUtterance(Spectrogram s, double eps) {
        int bins = s.bins(), frames = s.frames();
        float[] x = s.data(), o = new float[x.length];
        for (int b = 0; b < bins; b++) {
            int r = b * frames;
            double sum = 0, sq = 0;
            for (int t = 0; t < frames; t++) sum += x[r + t];
            double mean = frames == 0 ? 0 : sum / frames;
            for (int t = 0; t < frames; t++) sq += (x[r + t] - mean) * (x[r + t] - mean);
            double var = (frames == 0 ? 0 : sq / frames) + eps;
            double inv = var > 0 ? 1 / Math.sqrt(var) : 0; // a constant bin with eps 0 becomes 0, not NaN
            for (int t = 0; t < frames; t++) o[r + t] = (float) ((x[r + t] - mean) * inv);
        }
        return new Spectrogram(bins, frames, o);
    }
}
