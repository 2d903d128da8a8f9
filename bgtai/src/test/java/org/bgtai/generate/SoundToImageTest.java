package org.bgtai.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Image;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.bgtai.tensor.Rng;
import org.bgtai.model.ModelIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sound-to-image: controls and the save/load round trip on a tiny model (the generate command: GenerateCommandTest in cli/). */
class SoundToImageTest {
    @TempDir
    Path dir;

    @Test
    void controlsChangeLoudnessAndPitch() {
        int rate = 8000;
        float[] tone = new float[rate];
        for (int i = 0; i < rate; i++) tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / rate));
        float[] loud = SoundToImage.controls(tone, rate, 2f, 0f);
        assertEquals(0.6f, max(loud), 1e-3f);
        assertEquals(1f, max(SoundToImage.controls(tone, rate, 10f, 0f)), 0f);   // clipped, not overflowing
        float[] octave = SoundToImage.controls(tone, rate, 1f, 12f);
        assertEquals(rate / 2, octave.length, 2);
        // one octave up: 880 Hz, i.e. about 2 * 880 zero crossings per second of the shortened sound
        int crossings = 0;
        for (int i = 1; i < octave.length; i++) if ((octave[i - 1] < 0) != (octave[i] < 0)) crossings++;
        assertEquals(880, crossings, 12);
        assertThrows(IllegalArgumentException.class, () -> SoundToImage.controls(tone, rate, 0f, 0f));
    }

    @Test
    void interpolationEndsAtBothEmbeddings() {
        float[] a = {1, 0, 0}, b = {0, 1, 0};
        float[][] p = SoundToImage.interpolate(a, b, 5);
        assertArrayEquals(a, p[0], 1e-6f);
        assertArrayEquals(b, p[4], 1e-6f);
        assertArrayEquals(new float[] {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5), 0}, p[2], 1e-6f);
    }

    @Test
    void savedGeneratorReloads() throws Exception {
        WorldConfig world = new WorldConfig(16, 8000, 0.25, 1, 1);
        List<Sample> train = BuiltinWorld.generate(world, Split.TRAIN, 3).items();
        Tokenizer tv = WordTokenizer.train(BuiltinWorld.captions(), 1, true), gv = WordTokenizer.train(BuiltinWorld.glosses(), 1, false);
        ModelConfig mc = ModelConfig.world(ModelConfig.Variant.BGTAI).withSizes(16, 2, 32, 1, 16);
        JointModel model = new JointModel(mc, tv, gv, new Rng(1));
        Prepared[] p = Prepared.prepare(train, mc, tv, gv);
        SoundToImage s2i = SoundToImage.train(model, p, 16, 16, new SoundToImage.Config(8, 1, 16, 1e-3, 3, FlowGenerator.Solver.HEUN, 2.5f, 0.1f), 4, true);
        Path g = dir.resolve("generator.safetensors"), m = dir.resolve("model.safetensors");
        s2i.save(g);
        ModelIO.save(m, model);
        JointModel model2 = ModelIO.load(m);
        SoundToImage back = SoundToImage.load(g, model2);
        assertEquals(s2i.config().withGuidance(2.5f).solver(), back.config().solver());
        assertEquals(2.5f, back.config().guidance());
        assertEquals(3, back.config().steps());
        float[][] e = s2i.embedSamples(train.subList(0, 3)), e2 = back.embedSamples(train.subList(0, 3));
        for (int i = 0; i < 3; i++) assertArrayEquals(e[i], e2[i], 1e-6f);
        Image[] x = s2i.generate(e, 9), y = back.generate(e2, 9);
        for (int i = 0; i < 3; i++) assertArrayEquals(x[i].data(), y[i].data(), 1e-5f);

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> SoundToImage.load(m, model2));
        assertTrue(bad.getMessage().contains("not a sound-to-image generator"), bad.getMessage());
        assertTrue(Files.size(g) > 0);
    }

    private static float max(float[] x) {
        float m = 0;
        for (float v : x) m = Math.max(m, Math.abs(v));
        return m;
    }
}
