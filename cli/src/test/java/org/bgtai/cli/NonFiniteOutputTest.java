package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bgtai.audio.Audio;
import org.bgtai.audio.WavEncoding;
import org.bgtai.audio.WavWriter;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelIO;
import org.bgtai.nn.Parameter;
import org.bgtai.tensor.Rng;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** embed never writes NaN: a WAV with NaN samples is refused (or repaired when asked), and a model giving NaN stops before any output. */
class NonFiniteOutputTest {
    @TempDir
    Path dir;

    /** A tiny untrained built-in-world model saved to {@code file}; with {@code nanWeights} every weight is NaN (UniBriVL: no gloss decoder to stop first). */
    static Path model(Path file, boolean nanWeights) throws Exception {
        Tokenizer tv = WordTokenizer.train(BuiltinWorld.captions(), 1, true), gv = WordTokenizer.train(BuiltinWorld.glosses(), 1, false);
        ModelConfig mc = ModelConfig.world(nanWeights ? ModelConfig.Variant.UNIBRIVL : ModelConfig.Variant.BGTAI).withSizes(16, 2, 32, 1, 16);
        JointModel m = new JointModel(mc, tv, gv, new Rng(1));
        if (nanWeights) for (Parameter p : m.parameters()) p.value().fill(Float.NaN);
        ModelIO.save(file, m);
        return file;
    }

    static Path wav(Path file, int nanAt) throws Exception {
        float[] x = new float[4000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(i * 0.2));
        if (nanAt >= 0) x[nanAt] = Float.NaN;
        WavWriter.write(file, Audio.mono(8000, x), WavEncoding.FLOAT32);
        return file;
    }

    @Test
    void aNanWavIsRefusedWithFileAndIndexAndNothingIsWritten() throws Exception {
        Path m = model(dir.resolve("model.safetensors"), false), w = wav(dir.resolve("nan.wav"), 1234), csv = dir.resolve("e.csv");
        String err = RealDataCommandsTest.fails("embed", "--model", m.toString(), "--out", csv.toString(), w.toString());
        assertTrue(err.contains(w + ": sample 1234 is NaN"), err);
        assertTrue(err.contains("--repair-nonfinite"), err);
        assertFalse(Files.exists(csv));
        // retrieve and generate read audio the same way
        for (String cmd : List.of("embed", "retrieve", "generate"))
            assertTrue(RealDataCommandsTest.ok(cmd, "--help").contains("--repair-nonfinite"), cmd + " --help");
    }

    @Test
    void repairReplacesTheSamplesSaysHowManyAndWritesFiniteNumbers() throws Exception {
        Path m = model(dir.resolve("model.safetensors"), false), w = wav(dir.resolve("nan.wav"), 1234), csv = dir.resolve("e.csv");
        Object[] r = RealDataCommandsTest.run("embed", "--model", m.toString(), "--repair-nonfinite", "--out", csv.toString(), w.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains(w + ": replaced 1 NaN/infinite sample(s) of 4000 with 0"), (String) r[2]);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(2, lines.size());
        String[] cells = lines.get(1).split(",");
        assertEquals(2 + 16, cells.length, lines.get(1));
        for (int i = 2; i < cells.length; i++) assertTrue(Double.isFinite(Double.parseDouble(cells[i])), lines.get(1));
        // the repaired file embeds as the same clip with 0 written there
        Path zero = dir.resolve("zero.wav");
        float[] x = org.bgtai.audio.WavReader.read(wav(dir.resolve("ok.wav"), -1)).mono();
        x[1234] = 0;
        WavWriter.write(zero, Audio.mono(8000, x), WavEncoding.FLOAT32);
        Path csv2 = dir.resolve("zero.csv");
        RealDataCommandsTest.ok("embed", "--model", m.toString(), "--out", csv2.toString(), zero.toString());
        assertEquals(lines.get(1).substring(lines.get(1).indexOf(',')), Files.readAllLines(csv2).get(1).substring(Files.readAllLines(csv2).get(1).indexOf(',')));
    }

    @Test
    void aModelGivingNanStopsBeforeAnyOutput() throws Exception {
        Path m = model(dir.resolve("nan-model.safetensors"), true), w = wav(dir.resolve("ok.wav"), -1);
        for (String out : List.of("e.csv", "e.json")) {
            Path f = dir.resolve(out);
            String err = RealDataCommandsTest.fails("embed", "--model", m.toString(), "--out", f.toString(), w.toString());
            assertTrue(err.contains("the audio embedding of " + w + " is NaN at dimension 0 of 16; nothing was written"), err);
            assertTrue(err.contains("The model " + m + " produced it"), err);
            assertFalse(Files.exists(f), out);
        }
        String err = RealDataCommandsTest.fails("embed", "--model", m.toString(), "--text", "a red circle");
        assertTrue(err.contains("the text embedding of --text 'a red circle' is NaN"), err);
    }

    @Test
    void evalOfAModelGivingNanNamesTheSampleAndWritesNoMetrics() throws Exception {
        // the world's own vocabularies, so that eval gets past its vocabulary check
        ModelConfig mc = ModelConfig.world(ModelConfig.Variant.UNIBRIVL).withSizes(16, 2, 32, 1, 16);
        var world = new org.bgtai.joint.DataSource.World(org.bgtai.data.BuiltinWorld.WorldConfig.DEFAULT).load(mc, 1);
        JointModel nan = new JointModel(mc, world.textTokenizer(), world.glossTokenizer(), new Rng(1));
        for (Parameter p : nan.parameters()) p.value().fill(Float.NaN);
        Path m = dir.resolve("nan-model.safetensors"), json = dir.resolve("eval.json");
        ModelIO.save(m, nan);
        String err = RealDataCommandsTest.fails("eval", "--model", m.toString(), "--data", "world", "--json", json.toString());
        assertTrue(err.contains("the audio embedding of builtin-world test sample 0 is NaN at dimension 0 of 16"), err);
        assertTrue(err.contains("nothing was written"), err);
        assertFalse(Files.exists(json));
    }

    @Test
    void firstNonFiniteNamesTheJsonPath() {
        Map<String, Object> ok = Map.of("a", 1.0, "b", List.of(2f, 3.0), "c", "NaN");
        assertNull(Finite.firstNonFinite(ok, "$"));
        assertEquals("$.m.R@1", Finite.firstNonFinite(Map.of("m", Map.of("R@1", Double.NaN)), "$"));
        assertEquals("$[1][0]", Finite.firstNonFinite(List.of(1.0, List.of(Float.POSITIVE_INFINITY)), "$"));
        assertEquals("$.v[2]", Finite.firstNonFinite(Map.of("v", new float[] {0, 1, Float.NaN}), "$"));
    }
}
