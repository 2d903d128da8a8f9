package org.bgtai.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ResamplerTest {
    static float[] tone(double freq, double amp, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (amp * Math.sin(2 * Math.PI * freq * i / rate + 0.3));
        return x;
    }

    /** RMS over the middle half (away from the zero-padded edges). */
    static double midRms(float[] y) {
        int lo = y.length / 4, hi = 3 * y.length / 4;
        double s = 0;
        for (int i = lo; i < hi; i++) s += (double) y[i] * y[i];
        return Math.sqrt(s / (hi - lo));
    }

    /** Frequency of the strongest DFT bin of the middle half (Hann window, 0.25 Hz grid by zero-padding is not needed: we compare to the bin spacing). */
    static double peakFrequency(float[] y, int rate) {
        int n = 8192;
        int off = (y.length - n) / 2;
        float[] seg = new float[n];
        float[] w = Window.HANN.periodic(n);
        for (int i = 0; i < n; i++) seg[i] = y[off + i] * w[i];
        Spectrogram m = new Stft(new StftConfig(n, n, n, Window.RECTANGULAR, false, PadMode.CONSTANT)).magnitude(seg);
        int best = 0;
        for (int f = 0; f < m.bins(); f++) if (m.get(f, 0) > m.get(best, 0)) best = f;
        return best * (double) rate / n;
    }

    @Test
    void toneBelowNewNyquistKeepsFrequencyAndAmplitude() {
        int[][] pairs = {{16000, 8000}, {44100, 8000}, {8000, 16000}, {44100, 48000}, {48000, 22050}, {22050, 16000}};
        for (int[] pr : pairs) {
            int from = pr[0], to = pr[1];
            double f = 0.8 * Math.min(from, to) / 2; // inside the pass band (< 0.9 x lower Nyquist)
            float[] x = tone(f, 0.5, from, 2 * from); // 2 s
            float[] y = Resampler.of(from, to).apply(x);
            assertEquals(Resampler.of(from, to).outputLength(2 * from), y.length);
            assertEquals(2 * to, y.length);
            assertEquals(f, peakFrequency(y, to), (double) to / 8192, from + "->" + to);
            assertEquals(0.5 / Math.sqrt(2), midRms(y), 0.5 / Math.sqrt(2) * 2e-4, from + "->" + to + " amplitude");
        }
    }

    @Test
    void toneAboveNewNyquistIsAttenuatedBy60dB() {
        int[][] pairs = {{16000, 8000}, {44100, 8000}, {48000, 22050}, {22050, 16000}};
        for (int[] pr : pairs) {
            int from = pr[0], to = pr[1];
            for (double rel : new double[] {1.01, 1.3, 1.9}) {
                double f = Math.min(rel * to / 2, 0.99 * from / 2);
                float[] y = Resampler.of(from, to).apply(tone(f, 1.0, from, from));
                double db = 20 * Math.log10(midRms(y) / (1 / Math.sqrt(2)));
                assertTrue(db < -60, from + "->" + to + " tone " + f + " Hz only " + db + " dB down");
            }
        }
    }

    @Test
    void upsamplingImagesAreAttenuated() {
        // upsampled 3.5 kHz tone from 8 kHz must not create an image at 8000 - 3500 = 4500 Hz
        float[] y = Resampler.of(8000, 16000).apply(tone(3500, 1.0, 8000, 8000));
        int n = 8192, off = 4000;
        float[] seg = new float[n];
        float[] w = Window.HANN.periodic(n);
        for (int i = 0; i < n; i++) seg[i] = y[off + i] * w[i];
        Spectrogram m = new Stft(new StftConfig(n, n, n, Window.RECTANGULAR, false, PadMode.CONSTANT)).magnitude(seg);
        int tone = (int) Math.round(3500.0 * n / 16000), image = (int) Math.round(4500.0 * n / 16000);
        double ratio = 20 * Math.log10(m.get(image, 0) / m.get(tone, 0));
        assertTrue(ratio < -60, "image only " + ratio + " dB down");
    }

    @Test
    void equalRatesCopy() {
        float[] x = {1, 2, 3};
        float[] y = Resampler.of(16000, 16000).apply(x);
        assertArrayEquals(x, y);
        assertNotSame(x, y);
    }

    @Test
    void upsamplingByTwoKeepsOriginalSamplesNearly() {
        // y[2j] is the interpolation at input instant j: equals x[j] up to the filter's pass-band error for band-limited x
        float[] x = tone(1000, 0.7, 8000, 4000);
        float[] y = Resampler.of(8000, 16000).apply(x);
        for (int j = 500; j < 3500; j++) assertEquals(x[j], y[2 * j], 1e-4);
    }

    @Test
    void badRatesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Resampler.of(0, 16000));
        assertThrows(IllegalArgumentException.class, () -> new ResampleConfig(0.9, 0.8, 80));
    }

    @Property(tries = 100)
    void outputLengthIsCeilOfRatio(@ForAll @IntRange(min = 1000, max = 96000) int from, @ForAll @IntRange(min = 1000, max = 96000) int to,
                                   @ForAll @IntRange(min = 0, max = 500) int n) {
        Resampler r = Resampler.of(from, to, ResampleConfig.DEFAULT.withAttenuationDb(40));
        long expected = (long) Math.ceil(n * (double) to / from - 1e-12);
        assertEquals(expected, r.outputLength(n));
        assertEquals(expected, r.apply(new float[n]).length);
    }

    @Property(tries = 200)
    void vectorDotMatchesScalar(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll @IntRange(min = 0, max = 7) int offA,
                                @ForAll @IntRange(min = 0, max = 7) int offB, @ForAll long seed) {
        Random r = new Random(seed);
        float[] a = new float[n + offA], b = new float[n + offB];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        float s = Kernels.dotScalar(a, offA, b, offB, n);
        assertEquals(s, Kernels.dot(a, offA, b, offB, n), 1e-5 * (n + 1));
    }

    @Property(tries = 150)
    void vectorFirMatchesScalarExactly(@ForAll @IntRange(min = 0, max = 100) int count, @ForAll @IntRange(min = 1, max = 120) int taps,
                                       @ForAll @IntRange(min = 1, max = 4) int stride, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = new float[count + taps];
        float[] h = new float[taps + 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < h.length; i++) h[i] = (float) r.nextGaussian();
        float[] a = new float[count * stride + 2], b = new float[count * stride + 2];
        Kernels.fir(x, h, 3, taps, a, 1, stride, count);
        Kernels.firScalar(x, h, 3, taps, b, 1, stride, count);
        assertArrayEquals(b, a); // same fused multiply-adds in the same order per output
    }
}
