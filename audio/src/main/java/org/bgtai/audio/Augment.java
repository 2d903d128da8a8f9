package org.bgtai.audio;

import java.util.SplittableRandom;

/**
 * Waveform augmentations. Every random choice comes from the {@code seed} argument, so the same
 * seed gives the same output on every run and thread. Inputs are never modified.
 *
 * <pre>{@code
 * float[] y = Augment.addWhiteNoise(Augment.gain(x, -6), 20, seed);     // -6 dB, then noise at 20 dB SNR
 * float[] z = Augment.speed(x, 0.9);                                     // Kaldi-style 0.9x speed perturbation
 * float[] p = Augment.pitchShift(x, 2);                                  // +2 semitones, same length
 * }</pre>
 *
 * @see SpecAugment for masks on spectrograms
 */
public final class Augment {
    private Augment() {}

    /** {@code x * 10^(db / 20)}, [samples]. */
    public static float[] gain(float[] x, double db) {
        float g = (float) Math.pow(10, db / 20);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] * g;
        return y;
    }

    /**
     * Adds white Gaussian noise at signal-to-noise ratio {@code snrDb}: the noise is scaled so
     * that {@code 10 log10(mean(x^2) / mean(n^2)) = snrDb} exactly for the drawn noise.
     */
    public static float[] addWhiteNoise(float[] x, double snrDb, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] n = new float[x.length];
        for (int i = 0; i < n.length; i++) n[i] = (float) gaussian(r);
        return mix(x, n, snrDb);
    }

    /**
     * Adds a segment of {@code noise} (starting at a random offset, repeated if shorter than x)
     * scaled to signal-to-noise ratio {@code snrDb} (measured over the whole clip).
     *
     * @param x     [samples]
     * @param noise [noiseSamples], not all zero
     */
    public static float[] addNoise(float[] x, float[] noise, double snrDb, long seed) {
        if (noise.length == 0) throw new IllegalArgumentException("noise clip is empty");
        SplittableRandom r = new SplittableRandom(seed);
        int off = r.nextInt(noise.length);
        float[] n = new float[x.length];
        for (int i = 0; i < n.length; i++) n[i] = noise[(off + i) % noise.length];
        return mix(x, n, snrDb);
    }

    private static float[] mix(float[] x, float[] n, double snrDb) {
        double px = 0, pn = 0;
        for (int i = 0; i < x.length; i++) {
            px += (double) x[i] * x[i];
            pn += (double) n[i] * n[i];
        }
        if (pn == 0) throw new IllegalArgumentException("noise is silent over the clip; cannot scale it to an SNR");
        double scale = Math.sqrt(px / pn / Math.pow(10, snrDb / 10));
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (float) (x[i] + scale * n[i]);
        return y;
    }

    /**
     * Shifts by {@code shift} samples (positive = later); the vacated part is zero, or, with
     * {@code roll}, the samples shifted out wrap around.
     */
    public static float[] timeShift(float[] x, int shift, boolean roll) {
        int n = x.length;
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int j = i - shift;
            if (roll) y[i] = n == 0 ? 0 : x[Math.floorMod(j, n)];
            else if (j >= 0 && j < n) y[i] = x[j];
        }
        return y;
    }

    /** {@link #timeShift} by a shift drawn uniformly from {@code [-maxShift, maxShift]}. */
    public static float[] randomTimeShift(float[] x, int maxShift, boolean roll, long seed) {
        int s = new SplittableRandom(seed).nextInt(-maxShift, maxShift + 1);
        return timeShift(x, s, roll);
    }

    /**
     * Speed perturbation (Kaldi / sox {@code speed}): plays the clip {@code factor} times faster,
     * changing tempo and pitch together; the output has about {@code length / factor} samples.
     * Implemented as band-limited resampling from rate {@code factor * r} to {@code r}, with the
     * factor rounded to 1/1000.
     *
     * @param factor in [0.5, 2], e.g. 0.9, 1.0, 1.1
     */
    public static float[] speed(float[] x, double factor) {
        if (!(factor >= 0.5 && factor <= 2.0)) throw new IllegalArgumentException("speed factor must be in [0.5, 2], got " + factor);
        int from = (int) Math.round(factor * 1000);
        return Resampler.of(from, 1000).apply(x);
    }

    /** {@link #speed} with a factor drawn uniformly from {@code factors}. */
    public static float[] randomSpeed(float[] x, double[] factors, long seed) {
        return speed(x, factors[new SplittableRandom(seed).nextInt(factors.length)]);
    }

    /**
     * Pitch shift by {@code semitones} keeping the duration: phase-vocoder time stretch by
     * {@code 2^(semitones / 12)} followed by resampling back (as {@code librosa.effects.pitch_shift},
     * STFT n_fft 512, hop 128, Hann).
     *
     * @param x         [samples]
     * @param semitones in [-12, 12]
     * @return [samples], same length as x
     */
    public static float[] pitchShift(float[] x, double semitones) {
        if (!(semitones >= -12 && semitones <= 12)) throw new IllegalArgumentException("semitones must be in [-12, 12], got " + semitones);
        if (semitones == 0) return x.clone();
        double ratio = Math.pow(2, semitones / 12);
        float[] stretched = timeStretch(x, 1 / ratio);
        // play the stretched clip `ratio` times faster: back to the original length, pitch times ratio
        int from = (int) Math.round(ratio * 1000);
        float[] y = Resampler.of(from, 1000).apply(stretched);
        return java.util.Arrays.copyOf(y, x.length);
    }

    /**
     * Phase-vocoder time stretch: {@code rate > 1} is faster (shorter), pitch unchanged; output
     * length {@code round(length / rate)} ({@code librosa.effects.time_stretch}).
     */
    public static float[] timeStretch(float[] x, double rate) {
        if (!(rate >= 0.25 && rate <= 4)) throw new IllegalArgumentException("stretch rate must be in [0.25, 4], got " + rate);
        int nFft = 512, hop = 128;
        if (x.length == 0) return new float[0];
        Stft stft = new Stft(StftConfig.of(nFft).withHop(hop).withPadMode(PadMode.CONSTANT));
        ComplexSpectrogram d = stft.forward(x);
        int bins = d.bins(), frames = d.frames();
        int outFrames = (int) Math.ceil(frames / rate);
        float[] re = new float[bins * outFrames], im = new float[bins * outFrames];
        double[] phase = new double[bins];
        for (int f = 0; f < bins; f++) phase[f] = Math.atan2(d.imag()[f * frames], d.real()[f * frames]);
        for (int o = 0; o < outFrames; o++) {
            double t = o * rate;
            int t0 = (int) t;
            double alpha = t - t0;
            for (int f = 0; f < bins; f++) {
                double r0 = at(d.real(), f, t0, frames), i0 = at(d.imag(), f, t0, frames);
                double r1 = at(d.real(), f, t0 + 1, frames), i1 = at(d.imag(), f, t0 + 1, frames);
                double mag = (1 - alpha) * Math.hypot(r0, i0) + alpha * Math.hypot(r1, i1);
                re[f * outFrames + o] = (float) (mag * Math.cos(phase[f]));
                im[f * outFrames + o] = (float) (mag * Math.sin(phase[f]));
                double advance = 2 * Math.PI * hop * f / nFft;
                double dp = Math.atan2(i1, r1) - Math.atan2(i0, r0) - advance;
                dp -= 2 * Math.PI * Math.rint(dp / (2 * Math.PI));
                phase[f] += advance + dp;
            }
        }
        int len = (int) Math.round(x.length / rate);
        return stft.inverse(new ComplexSpectrogram(bins, outFrames, re, im), len);
    }

    private static double at(float[] a, int f, int t, int frames) {
        return t < frames ? a[f * frames + t] : 0;
    }

    /** Standard normal draw (Box-Muller, one value per call). */
    static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }
}
