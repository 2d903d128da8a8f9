package org.bgtai.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MelTest {
    @Test
    void slaneyScaleMatchesLibrosaDocs() {
        // librosa docs: hz_to_mel(60) = 0.9; hz_to_mel([110, 220, 440]) = [1.65, 3.3, 6.6]; mel_to_hz(3) = 200
        assertEquals(0.9, MelScale.SLANEY.hzToMel(60), 1e-12);
        assertEquals(6.6, MelScale.SLANEY.hzToMel(440), 1e-12);
        assertEquals(200, MelScale.SLANEY.melToHz(3), 1e-12);
        assertEquals(15, MelScale.SLANEY.hzToMel(1000), 1e-12);
        // above 1 kHz: 15 + 27 ln(f / 1000) / ln 6.4, so 6400 Hz is 42 mel
        assertEquals(42, MelScale.SLANEY.hzToMel(6400), 1e-12);
        assertEquals(6400, MelScale.SLANEY.melToHz(42), 1e-9);
    }

    @Test
    void htkScaleClosedForm() {
        // 2595 log10(1 + 700/700) = 2595 log10 2
        assertEquals(2595 * Math.log10(2), MelScale.HTK.hzToMel(700), 1e-9);
        assertEquals(999.9855371396244, MelScale.HTK.hzToMel(1000), 1e-9);
        assertEquals(1000, MelScale.HTK.melToHz(MelScale.HTK.hzToMel(1000)), 1e-9);
    }

    /**
     * librosa.filters.mel(sr=22050, n_fft=2048) (128 bands, Slaney scale and norm): the first rows as
     * published in the docs example (0.016 at [0, 1]) and in full precision in the mel_filter crate's
     * docs (a port checked against librosa), which a numpy re-implementation of librosa's formula
     * reproduces to the last digit.
     */
    @Test
    void librosaDefaultsMatchPublishedValues() {
        float[][] w = new MelFilterbank(MelConfig.librosa(22050, 2048, 128)).weights();
        assertEquals(128, w.length);
        assertEquals(1025, w[0].length);
        double[] row0 = {0, 0.016182853208219942, 0.032365706416439884, 0.028990088037379964, 0.012807234829160026, 0};
        double[] row1 = {0, 0, 0, 0.009779235793639925, 0.025962089001859864, 0.035393705451959974, 0.01921085224374004, 0.003027999035520103, 0};
        for (int k = 0; k < row0.length; k++) assertEquals(row0[k], w[0][k], 1e-7, "w[0][" + k + "]");
        for (int k = 0; k < row1.length; k++) assertEquals(row1[k], w[1][k], 1e-7, "w[1][" + k + "]");
    }

    /**
     * torchaudio defaults (HTK, no norm) at sr 16000, n_fft 400, 40 bands, and Slaney with
     * fmin 20 / fmax 7600 at n_fft 512, 64 bands. Expected values from a numpy one-off of
     * librosa's filters.mel formula in float64 (librosa not installed):
     * {@code mel_f = mel_to_hz(linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2));
     * w[i] = max(0, min(-(mel_f[i] - fft) / diff[i], (mel_f[i+2] - fft) / diff[i+1]))}, Slaney: {@code * 2 / (mel_f[i+2] - mel_f[i])}.
     */
    @Test
    void htkAndRangeSettingsMatchNumpyReference() {
        float[][] h = new MelFilterbank(MelConfig.torchaudio(16000, 400, 40)).weights();
        assertEquals(0.24500584098241338, h[0][2], 1e-6);
        assertEquals(0.9014272001903754, h[0][1], 1e-6);
        assertEquals(0.9329720543785582, h[7][11], 1e-6);
        assertEquals(0.781857074935104, h[20][47], 1e-6);
        assertEquals(0.9255159174251947, h[39][188], 1e-6);
        assertEquals(0.3856316322604998, h[39][195], 1e-6);
        assertEquals(0, h[39][174]);
        assertTrue(h[39][175] > 0 && h[39][200] > 0);
        float[][] s = new MelFilterbank(MelConfig.librosa(16000, 512, 64).withRange(20, 7600)).weights();
        assertEquals(0.005474261729692051, s[0][1], 1e-8);
        assertEquals(0.02068054431216997, s[0][2], 1e-8);
        assertEquals(0.01833012235902897, s[7][12], 1e-8);
        assertEquals(0.020324580004569888, s[20][31], 1e-8);
        assertEquals(0.002707093905226648, s[63][233], 1e-8);
        assertEquals(0, s[63][221]);
        assertEquals(0, s[63][244]);
    }

    @Test
    void slaneyNormGivesUnitAreaTriangles() {
        // sum_k w[m, k] * binHz ~= 1 for wide enough filters (area of a triangle of height 2/width)
        MelConfig c = MelConfig.librosa(16000, 4096, 20);
        float[][] w = new MelFilterbank(c).weights();
        double binHz = 16000.0 / 4096;
        for (int m = 5; m < 20; m++) {
            double area = 0;
            for (float v : w[m]) area += v * binHz;
            assertEquals(1.0, area, 0.01, "band " + m);
        }
    }

    @Test
    void applyEqualsMatrixProduct() {
        MelFilterbank fb = new MelFilterbank(MelConfig.librosa(8000, 256, 24));
        Random r = new Random(3);
        int frames = 7;
        float[] p = new float[129 * frames];
        for (int i = 0; i < p.length; i++) p[i] = r.nextFloat();
        Spectrogram mel = fb.apply(new Spectrogram(129, frames, p));
        float[][] w = fb.weights();
        for (int m = 0; m < 24; m++) {
            for (int t = 0; t < frames; t++) {
                double s = 0;
                for (int k = 0; k < 129; k++) s += w[m][k] * p[k * frames + t];
                assertEquals(s, mel.get(m, t), 1e-5);
            }
        }
    }

    @Test
    void fusedLogMelEqualsComposition() {
        Random r = new Random(5);
        float[] x = new float[5000];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * 0.1f;
        LogMel lm = LogMel.of(16000, 512, 160, 64);
        Spectrogram fused = lm.apply(x);
        Spectrogram ref = Features.log(new MelFilterbank(lm.melConfig()).apply(new Stft(lm.stftConfig()).power(x)), 1e-10);
        assertEquals(64, fused.bins());
        assertEquals(1 + 5000 / 160, fused.frames());
        assertArrayEquals(ref.data(), fused.data(), 1e-4f);
        // an 8 kHz clip is resampled first
        Spectrogram viaAudio = lm.apply(Audio.mono(8000, java.util.Arrays.copyOf(x, 2500)));
        assertEquals(1 + 5000 / 160, viaAudio.frames());
    }

    @Test
    void toneEnergyLandsInTheBandAroundIt() {
        int sr = 16000;
        float[] x = new float[sr];
        for (int i = 0; i < sr; i++) x[i] = (float) Math.sin(2 * Math.PI * 2000 * i / sr);
        MelConfig c = MelConfig.torchaudio(sr, 512, 40);
        Spectrogram mel = new MelFilterbank(c).apply(new Stft(StftConfig.of(512).withHop(160)).power(x));
        int best = 0, t = mel.frames() / 2;
        for (int m = 0; m < 40; m++) if (mel.get(m, t) > mel.get(best, t)) best = m;
        // band centers: mel_to_hz(linspace(0, hz_to_mel(8000), 42))[m + 1]; the one nearest 2000 Hz
        double step = MelScale.HTK.hzToMel(8000) / 41;
        int expected = (int) Math.round(MelScale.HTK.hzToMel(2000) / step) - 1;
        assertEquals(expected, best);
    }

    @Test
    void badConfigsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> MelConfig.librosa(16000, 512, 64).withRange(0, 9000));
        assertThrows(IllegalArgumentException.class, () -> new LogMel(StftConfig.of(400), MelConfig.librosa(16000, 512, 64), 1e-10));
        MelFilterbank fb = new MelFilterbank(MelConfig.librosa(16000, 512, 64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fb.apply(Spectrogram.zeros(201, 3)));
        assertTrue(e.getMessage().contains("257"));
    }
}
