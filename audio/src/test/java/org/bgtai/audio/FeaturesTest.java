package org.bgtai.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeaturesTest {
    @Test
    void powerToDbMatchesLibrosaDefinition() {
        // 10 log10(max(1e-10, S)) - 10 log10(ref), clipped at max - top_db
        Spectrogram s = new Spectrogram(1, 4, new float[] {1f, 100f, 1e-3f, 0f});
        assertArrayEquals(new float[] {0f, 20f, -30f, -100f}, Features.powerToDb(s, 1, 1e-10, Double.POSITIVE_INFINITY).data(), 1e-4f);
        assertArrayEquals(new float[] {0f, 20f, -30f, -60f}, Features.powerToDb(s).data(), 1e-4f);
        assertArrayEquals(new float[] {-20f, 0f, -50f, -120f}, Features.powerToDb(s, 100, 1e-10, Double.POSITIVE_INFINITY).data(), 1e-4f);
    }

    @Test
    void logWithFloor() {
        Spectrogram s = new Spectrogram(1, 3, new float[] {(float) Math.E, 0f, 1f});
        assertArrayEquals(new float[] {1f, (float) Math.log(1e-5), 0f}, Features.log(s, 1e-5).data(), 1e-6f);
    }

    @Test
    void mfccIsOrthonormalDct() {
        // constant log-mel c over M bands: DCT-II ortho gives c * sqrt(M) in coefficient 0, zeros elsewhere
        int m = 10;
        float[] x = new float[m];
        java.util.Arrays.fill(x, 2f);
        Spectrogram c = Features.mfcc(new Spectrogram(m, 1, x), 5);
        assertEquals(2 * Math.sqrt(m), c.get(0, 0), 1e-5);
        for (int k = 1; k < 5; k++) assertEquals(0, c.get(k, 0), 1e-5);
        // a basis vector e_j gives c_k = s_k cos(pi k (2j+1) / 2M) (scipy.fft.dct(e_j, norm='ortho'))
        float[] e = new float[4];
        e[1] = 1f;
        Spectrogram d = Features.mfcc(new Spectrogram(4, 1, e), 4);
        // python one-off: scipy.fft.dct([0,1,0,0], norm='ortho') = [0.5, 0.27059805, -0.5, -0.65328148]
        assertArrayEquals(new float[] {0.5f, 0.27059805f, -0.5f, -0.65328148f}, d.data(), 1e-6f);
        // orthonormal: energy preserved with all coefficients
        float[] r = {0.3f, -1.2f, 2.5f, 0.7f, 0.1f, -0.4f};
        Spectrogram all = Features.mfcc(new Spectrogram(6, 1, r), 6);
        double e1 = 0, e2 = 0;
        for (float v : r) e1 += v * v;
        for (float v : all.data()) e2 += v * v;
        assertEquals(e1, e2, 1e-5);
    }

    @Test
    void deltasOfARampAreItsSlopeInside() {
        // x[t] = 3t: sum n (3(t+n) - 3(t-n)) / (2 sum n^2) = 3 away from the edges;
        // at t = 0 with replicated edges (N = 2): (1*(3-0) + 2*(6-0)) / 10 = 1.5
        float[] x = new float[10];
        for (int t = 0; t < 10; t++) x[t] = 3 * t;
        Spectrogram d = Features.deltas(new Spectrogram(1, 10, x), 2);
        for (int t = 2; t < 8; t++) assertEquals(3f, d.get(0, t), 1e-6);
        assertEquals(1.5f, d.get(0, 0), 1e-6);
        assertEquals((1 * (6 - 0) + 2 * (9 - 0)) / 10f, d.get(0, 1), 1e-6);
    }

    @Test
    void perUtteranceNormalisationGivesZeroMeanUnitVariancePerBin() {
        float[] x = {1, 2, 3, 4, 10, 10, 10, 10};
        Spectrogram n = Features.normalizePerUtterance(new Spectrogram(2, 4, x), 0);
        // bin 0: mean 2.5, population std sqrt(1.25)
        double sd = Math.sqrt(1.25);
        assertArrayEquals(new float[] {(float) (-1.5 / sd), (float) (-0.5 / sd), (float) (0.5 / sd), (float) (1.5 / sd)},
            java.util.Arrays.copyOf(n.data(), 4), 1e-6f);
        for (int t = 0; t < 4; t++) assertEquals(0f, n.get(1, t)); // constant bin with eps 0: 0, not NaN
    }

    @Test
    void globalStatsPoolAllFrames() {
        Spectrogram a = new Spectrogram(1, 2, new float[] {0, 2});
        Spectrogram b = new Spectrogram(1, 2, new float[] {4, 6});
        GlobalStats st = GlobalStats.fit(List.of(a, b));
        assertEquals(3f, st.mean()[0], 1e-6);
        assertEquals(Math.sqrt(5), st.std()[0], 1e-5);
        assertArrayEquals(new float[] {(float) (-3 / Math.sqrt(5)), (float) (-1 / Math.sqrt(5))}, st.apply(a).data(), 1e-5f);
        assertThrows(IllegalArgumentException.class, () -> GlobalStats.fit(List.of(a, Spectrogram.zeros(2, 1))));
    }
}
