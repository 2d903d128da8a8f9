package org.bgtai.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bgtai.audio.MelConfig;
import org.bgtai.audio.MelScale;
import org.bgtai.model.ModelConfig.Variant;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MelAugmentTest {
    static final ModelConfig C = ModelConfig.digits(Variant.BGTAI);

    /** Centre frequency (Hz) of each band of the model's front end, from the mel scale's definition. */
    static double[] centres(MelConfig mel) {
        MelScale s = mel.scale();
        double lo = s.hzToMel(mel.fMin()), hi = s.hzToMel(mel.fMax());
        double[] f = new double[mel.nMels()];
        for (int j = 0; j < f.length; j++) f[j] = s.melToHz(lo + (hi - lo) * (j + 1) / (f.length + 1));
        return f;
    }

    @Test
    void warpOneIsTheIdentity() {
        MelAugment.Vtlp v = MelAugment.Vtlp.of(0.1, C);
        double[] src = v.sources(1.0);
        for (int j = 0; j < src.length; j++) assertEquals(j, src[j], 1e-9);
    }

    @Test
    void eachBandReadsTheSpectrumAtItsFrequencyOverTheWarp() {
        MelAugment.Vtlp v = MelAugment.Vtlp.of(0.1, C);
        double[] f = centres(v.mel());
        int m = f.length, n = 3;
        float[] row = new float[n * m];   // the "spectrum" at band j is its centre frequency
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) row[i * m + j] = (float) f[j];
        for (double w : new double[] {0.9, 1.1}) {
            float[] out = MelAugment.warp(row, n, m, v.sources(w));
            int checked = 0;
            for (int j = 0; j < m; j++) {
                double want = f[j] / w;
                if (want < f[0] || want > f[m - 1]) continue;   // held at the edges
                for (int i = 0; i < n; i++) assertEquals(want, out[i * m + j], 0.02 * want, "w " + w + " band " + j);
                checked++;
            }
            assertTrue(checked > m * 3 / 4, "most bands are inside the range: " + checked);
        }
    }

    @Test
    void vtlpChangesOnlyTheValidFramesAndKeepsShapes() {
        int rows = 2, t = 6, m = C.nMels();
        Rng rng = new Rng(4);
        Tensor mel = rng.normal(0f, 1f, rows, t, m);
        Batch b = new Batch(mel, new int[] {6, 4}, Tensor.zeros(rows, 1, 4, 4), null, null, new int[] {0, 1}, null);
        MelAugment a = new MelAugment(0, 0, null).withVtlp(0.1, C);
        Batch out = a.apply(b, new Rng(9));
        float[] x = mel.toArray(), y = out.mel().toArray();
        for (int k = t * m + 4 * m; k < 2 * t * m; k++) assertEquals(x[k], y[k], 0f, "padding frame value " + k);
        boolean changed = false;
        for (int k = 0; k < t * m; k++) changed |= x[k] != y[k];
        assertTrue(changed, "a warp drawn from U[0.9, 1.1] moves the spectrum");
        assertThrows(IllegalArgumentException.class, () -> new MelAugment(0, 0, null).withVtlp(0.6, C));
    }
}
