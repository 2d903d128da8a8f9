package org.bgtai.audio;

import java.util.SplittableRandom;

/**
 * SpecAugment masks (Park et al. 2019) on a [bins, frames] spectrogram: {@code freqMasks} bands
 * of width uniform in {@code [0, freqWidth]} and {@code timeMasks} spans of width uniform in
 * {@code [0, min(timeWidth, maxTimeFraction * frames)]}, each at a uniform start, set to
 * {@code maskValue} (as {@code torchaudio.transforms.FrequencyMasking / TimeMasking}, which mask with 0).
 *
 * <pre>{@code
 * Spectrogram aug = SpecAugment.LIBRISPEECH_BASIC.apply(logMel, seed);
 * }</pre>
 *
 * @param freqMasks       number of frequency masks
 * @param freqWidth       largest frequency-mask width F, in bins
 * @param timeMasks       number of time masks
 * @param timeWidth       largest time-mask width T, in frames
 * @param maxTimeFraction upper bound p on a time mask as a fraction of the frames, in (0, 1]
 * @param maskValue       value written into masked cells (0, or e.g. the mean of a log-mel)
 */
public record SpecAugment(int freqMasks, int freqWidth, int timeMasks, int timeWidth, double maxTimeFraction, float maskValue) {
    /** The paper's LibriSpeech basic policy (LB): 1 frequency mask F=27, 1 time mask T=100, p=1. */
    public static final SpecAugment LIBRISPEECH_BASIC = new SpecAugment(1, 27, 1, 100, 1.0, 0f);

    public SpecAugment {
        if (freqMasks < 0 || freqWidth < 0 || timeMasks < 0 || timeWidth < 0) {
            throw new IllegalArgumentException("mask counts and widths must be >= 0");
        }
        if (!(maxTimeFraction > 0 && maxTimeFraction <= 1)) throw new IllegalArgumentException("maxTimeFraction must be in (0, 1], got " + maxTimeFraction);
    }

    public SpecAugment withMaskValue(float v) {
        return new SpecAugment(freqMasks, freqWidth, timeMasks, timeWidth, maxTimeFraction, v);
    }

    /**
     * @param s    [bins, frames] (not modified)
     * @param seed the same seed gives the same masks
     * @return a masked copy, [bins, frames]
     */
    public Spectrogram apply(Spectrogram s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int bins = s.bins(), frames = s.frames();
        float[] o = s.data().clone();
        for (int k = 0; k < freqMasks; k++) {
            int w = r.nextInt(Math.min(freqWidth, bins) + 1);
            int f0 = r.nextInt(bins - w + 1);
            for (int f = f0; f < f0 + w; f++) java.util.Arrays.fill(o, f * frames, (f + 1) * frames, maskValue);
        }
        int maxT = Math.min(timeWidth, (int) Math.floor(maxTimeFraction * frames));
        for (int k = 0; k < timeMasks; k++) {
            int w = r.nextInt(maxT + 1);
            int t0 = r.nextInt(frames - w + 1);
            for (int f = 0; f < bins; f++) java.util.Arrays.fill(o, f * frames + t0, f * frames + t0 + w, maskValue);
        }
        return new Spectrogram(bins, frames, o);
    }
}
