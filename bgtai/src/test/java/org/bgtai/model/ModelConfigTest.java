package org.bgtai.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bgtai.model.ModelConfig.Variant;
import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
    @Test
    void beamAndCmvnRoundTripThroughJson() {
        ModelConfig c = ModelConfig.digits(Variant.BGTAI).withBeam(5).withCmvn(true);
        ModelConfig back = ModelConfig.fromJson(c.toJson());
        assertEquals(5, back.beam());
        assertTrue(back.cmvn());
        assertEquals(c.toJson(), back.toJson());
    }

    @Test
    void aConfigWrittenBeforeBeamAndCmvnDecodesGreedilyWithoutNormalisation() {
        Map<String, Object> old = new LinkedHashMap<>(ModelConfig.world(Variant.BGTAI).toJson());
        old.remove("beam");
        old.remove("cmvn");
        ModelConfig c = ModelConfig.fromJson(old);
        assertEquals(1, c.beam(), "models of earlier versions were measured with greedy decoding");
        assertFalse(c.cmvn());
    }

    @Test
    void newModelsDecodeWithTheDefaultBeam() {
        assertEquals(ModelConfig.DEFAULT_BEAM, ModelConfig.world(Variant.BGTAI).beam());
        assertTrue(ModelConfig.DEFAULT_BEAM > 1);
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.world(Variant.BGTAI).withBeam(0));
    }

    @Test
    void cmvnRemovesAConstantPerBandAndKeepsTheChangesOverTime() {
        int frames = 7, mels = 5;
        Rng rng = new Rng(3);
        float[] x = rng.normal(0f, 1f, frames * mels).toArray();
        float[] tilted = x.clone();
        for (int i = 0; i < frames; i++) for (int j = 0; j < mels; j++) tilted[i * mels + j] += 0.5f * j - 1f;   // a microphone's tilt
        Prepared.cmvn(x, mels);
        Prepared.cmvn(tilted, mels);
        for (int k = 0; k < x.length; k++) assertEquals(x[k], tilted[k], 1e-5, "frame " + k / mels + " band " + k % mels);
        for (int j = 0; j < mels; j++) {
            double s = 0;
            for (int i = 0; i < frames; i++) s += x[i * mels + j];
            assertEquals(0, s / frames, 1e-6, "band " + j + " mean");
        }
        // what changes over time is kept: frame 0 minus frame 1 is unchanged
        float[] y = rng.normal(0f, 1f, frames * mels).toArray(), z = y.clone();
        Prepared.cmvn(z, mels);
        for (int j = 0; j < mels; j++) assertEquals(y[j] - y[mels + j], z[j] - z[mels + j], 1e-5);
    }

    @Test
    void featuresApplyCmvnOnlyWhenTheConfigSaysSo() {
        ModelConfig off = ModelConfig.digits(Variant.BGTAI), on = off.withCmvn(true);
        float[] wave = new float[4000];
        Rng rng = new Rng(1);
        for (int i = 0; i < wave.length; i++) wave[i] = (float) Math.sin(i * 0.3) * 0.5f + 0.01f * (float) rng.nextGaussian();
        float[] a = Prepared.features(off, Prepared.logMel(off), wave, 8000), b = Prepared.features(on, Prepared.logMel(on), wave, 8000);
        float[] expected = a.clone();
        Prepared.cmvn(expected, off.nMels());
        for (int k = 0; k < a.length; k++) assertEquals(expected[k], b[k], 1e-6);
        assertFalse(java.util.Arrays.equals(a, b));
    }
}
