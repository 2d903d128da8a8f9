package org.bgtai.audio;

/**
 * Global (data set) mean and standard deviation per bin, for {@code (x - mean) / std}
 * normalisation with statistics from the training set.
 *
 * <pre>{@code
 * GlobalStats st = GlobalStats.fit(trainFeatures);   // List<Spectrogram>, each [bins, frames]
 * Spectrogram z = st.apply(feature);
 * }</pre>
 *
 * @param mean [bins]
 * @param std  [bins], each > 0
 */
public record GlobalStats(float[] mean, float[] std) {
    public GlobalStats {
        if (mean.length != std.length) throw new IllegalArgumentException("mean has " + mean.length + " bins, std " + std.length);
    }

    /**
     * Mean and population standard deviation over all frames of all spectrograms (accumulated in
     * double), {@code std = sqrt(var + eps)} with {@code eps = 1e-10}.
     *
     * @param specs each [bins, frames], all with the same bins
     */
    public static GlobalStats fit(Iterable<Spectrogram> specs) {
        double[] sum = null, sq = null;
        long count = 0;
        int bins = -1;
        for (Spectrogram s : specs) {
            if (bins < 0) {
                bins = s.bins();
                sum = new double[bins];
                sq = new double[bins];
            } else if (s.bins() != bins) {
                throw new IllegalArgumentException("all spectrograms must have " + bins + " bins, got one with " + s.bins());
            }
            for (int b = 0; b < bins; b++) {
                for (int t = 0; t < s.frames(); t++) {
                    double v = s.data()[b * s.frames() + t];
                    sum[b] += v;
                    sq[b] += v * v;
                }
            }
            count += s.frames();
        }
        if (bins < 0 || count == 0) throw new IllegalArgumentException("need at least one frame to fit global statistics");
        float[] mean = new float[bins], std = new float[bins];
        for (int b = 0; b < bins; b++) {
            double m = sum[b] / count;
            mean[b] = (float) m;
            std[b] = (float) Math.sqrt(Math.max(0, sq[b] / count - m * m) + 1e-10);
        }
        return new GlobalStats(mean, std);
    }

    /** {@code (x[b, t] - mean[b]) / std[b]}, [bins, frames]. */
    public Spectrogram apply(Spectrogram s) {
        if (s.bins() != mean.length) throw new IllegalArgumentException("statistics have " + mean.length + " bins, spectrogram " + s.bins());
        float[] x = s.data(), o = new float[x.length];
        int frames = s.frames();
        for (int b = 0; b < mean.length; b++) {
            float m = mean[b], inv = 1f / std[b];
            for (int t = 0; t < frames; t++) o[b * frames + t] = (x[b * frames + t] - m) * inv;
        }
        return new Spectrogram(s.bins(), frames, o);
    }
}
