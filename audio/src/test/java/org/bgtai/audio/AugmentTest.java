package org.bgtai.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AugmentTest {
    static float[] tone(double f, int sr, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * f * i / sr));
        return x;
    }

    static double power(float[] x) {
        double s = 0;
        for (float v : x) s += (double) v * v;
        return s / x.length;
    }

    /** Peak frequency of the middle 4096 samples, zero-padded to 32768 for a 0.49 Hz grid at 16 kHz. */
    static double peakHz(float[] y, int sr) {
        int n = 4096, big = 32768, off = (y.length - n) / 2;
        float[] seg = new float[big];
        float[] w = Window.HANN.periodic(n);
        for (int i = 0; i < n; i++) seg[i] = y[off + i] * w[i];
        Spectrogram m = new Stft(new StftConfig(big, big, big, Window.RECTANGULAR, false, PadMode.CONSTANT)).magnitude(seg);
        int best = 0;
        for (int f = 0; f < m.bins(); f++) if (m.get(f, 0) > m.get(best, 0)) best = f;
        return best * (double) sr / big;
    }

    @Test
    void gainScalesByDecibels() {
        float[] y = Augment.gain(new float[] {0.5f, -0.25f}, -6.020599913279624); // exactly 1/2
        assertArrayEquals(new float[] {0.25f, -0.125f}, y, 1e-7f);
    }

    @Test
    void noiseIsAddedAtTheRequestedSnr() {
        float[] x = tone(440, 16000, 16000);
        for (double snr : new double[] {-5, 0, 10, 30}) {
            float[] y = Augment.addWhiteNoise(x, snr, 42);
            float[] n = new float[x.length];
            for (int i = 0; i < n.length; i++) n[i] = y[i] - x[i];
            assertEquals(snr, 10 * Math.log10(power(x) / power(n)), 0.01);
        }
        float[] noise = tone(3000, 16000, 1000);
        float[] y = Augment.addNoise(x, noise, 6, 7);
        float[] n = new float[x.length];
        for (int i = 0; i < n.length; i++) n[i] = y[i] - x[i];
        assertEquals(6, 10 * Math.log10(power(x) / power(n)), 0.01);
        assertThrows(IllegalArgumentException.class, () -> Augment.addNoise(x, new float[10], 6, 1));
    }

    @Test
    void timeShiftDelaysOrRolls() {
        float[] x = {1, 2, 3, 4};
        assertArrayEquals(new float[] {0, 1, 2, 3}, Augment.timeShift(x, 1, false));
        assertArrayEquals(new float[] {3, 4, 0, 0}, Augment.timeShift(x, -2, false));
        assertArrayEquals(new float[] {4, 1, 2, 3}, Augment.timeShift(x, 1, true));
        assertArrayEquals(new float[] {2, 3, 4, 1}, Augment.timeShift(x, -5, true));
    }

    @Test
    void speedChangesLengthAndPitchTogether() {
        int sr = 16000;
        float[] x = tone(1000, sr, sr);
        float[] y = Augment.speed(x, 1.1);
        assertEquals(Math.ceil(sr / 1.1), y.length, 1);
        assertEquals(1100, peakHz(y, sr), 1.0);
        float[] z = Augment.speed(x, 0.9);
        assertEquals(900, peakHz(z, sr), 1.0);
    }

    @Test
    void pitchShiftKeepsLengthAndMovesTheTone() {
        int sr = 16000;
        float[] x = tone(1000, sr, sr);
        float[] y = Augment.pitchShift(x, 2);
        assertEquals(x.length, y.length);
        // +2 semitones: 1000 * 2^(2/12) = 1122.46 Hz; allow the vocoder's bin-level smearing (31 Hz bins at n_fft 512)
        assertEquals(1000 * Math.pow(2, 2.0 / 12), peakHz(y, sr), 8);
        double rms = Math.sqrt(power(java.util.Arrays.copyOfRange(y, 2000, 14000)));
        assertEquals(0.5 / Math.sqrt(2), rms, 0.1);
        float[] s = Augment.timeStretch(x, 2.0);
        assertEquals(8000, s.length);
        assertEquals(1000, peakHz(java.util.Arrays.copyOf(s, 8000), sr), 8);
    }

    @Test
    void specAugmentMasksWithinLimits() {
        Spectrogram s = new Spectrogram(40, 100, filled(40 * 100, 1f));
        SpecAugment sa = new SpecAugment(2, 8, 2, 10, 1.0, 0f);
        for (long seed = 0; seed < 50; seed++) {
            Spectrogram m = sa.apply(s, seed);
            int zeroRows = 0, zeroCols = 0;
            for (int f = 0; f < 40; f++) {
                boolean all = true;
                for (int t = 0; t < 100; t++) all &= m.get(f, t) == 0f;
                if (all) zeroRows++;
            }
            for (int t = 0; t < 100; t++) {
                boolean all = true;
                for (int f = 0; f < 40; f++) all &= m.get(f, t) == 0f;
                if (all) zeroCols++;
            }
            assertTrue(zeroRows <= 16 && zeroCols <= 20, "rows " + zeroRows + " cols " + zeroCols);
            for (float v : m.data()) assertTrue(v == 0f || v == 1f);
        }
        assertEquals(1f, s.data()[0]); // input untouched
        // p bounds the time mask: at most 10% of 100 frames
        Spectrogram m = new SpecAugment(0, 0, 1, 1000, 0.1, -1f).apply(s, 3);
        int masked = 0;
        for (int t = 0; t < 100; t++) if (m.get(0, t) == -1f) masked++;
        assertTrue(masked <= 10);
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Property(tries = 50)
    void sameSeedSameOutput(@ForAll @IntRange(min = 1, max = 2000) int n, @ForAll long seed) {
        Random r = new Random(n);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        assertArrayEquals(Augment.addWhiteNoise(x, 10, seed), Augment.addWhiteNoise(x, 10, seed));
        assertArrayEquals(Augment.addNoise(x, x, 3, seed), Augment.addNoise(x, x, 3, seed));
        assertArrayEquals(Augment.randomTimeShift(x, 100, false, seed), Augment.randomTimeShift(x, 100, false, seed));
        double[] factors = {0.9, 1.0, 1.1};
        assertArrayEquals(Augment.randomSpeed(x, factors, seed), Augment.randomSpeed(x, factors, seed));
        float[] grid = new float[8 * n];
        for (int i = 0; i < grid.length; i++) grid[i] = x[i % n];
        Spectrogram s = new Spectrogram(8, n, grid);
        SpecAugment sa = new SpecAugment(2, 3, 2, 50, 0.5, 0f);
        assertArrayEquals(sa.apply(s, seed).data(), sa.apply(s, seed).data());
        // with one sample the scaled noise is +-c, which two seeds may share; longer clips must differ
        if (n >= 8) assertFalse(java.util.Arrays.equals(Augment.addWhiteNoise(x, 10, seed), Augment.addWhiteNoise(x, 10, seed + 1)));
    }
}
