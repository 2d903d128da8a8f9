package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bgtai.audio.Audio;
import org.bgtai.audio.WavEncoding;
import org.bgtai.audio.WavWriter;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.joint.DataSource;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelIO;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * retrieve and eval default to the data a model was trained on: its folder's data.json, else the
 * "data" record in its metadata, else a demo report's metrics.json; a model on the wrong data
 * fails naming the model, the data and the fix.
 */
class ModelDataDefaultsTest {
    /** A small world (2 training samples per class, 2 held-out combinations) so the tests load it fast. */
    static final WorldConfig WORLD = new WorldConfig(32, 8000, 0.8, 2, 4, 2);

    @TempDir
    static Path dir;
    static JointModel model;
    static Path wav;

    @BeforeAll
    static void worldModel() throws Exception {
        ModelConfig mc = ModelConfig.world(ModelConfig.Variant.UNIBRIVL).withSizes(16, 2, 32, 1, 16);
        var world = new DataSource.World(WORLD).load(mc, 3);
        model = new JointModel(mc, world.textTokenizer(), world.glossTokenizer(), new Rng(1));
        wav = dir.resolve("clip.wav");
        WavWriter.write(wav, Audio.mono(8000, BuiltinWorld.generate(WORLD, org.bgtai.data.Split.TEST, 3).items().get(0).audio()), WavEncoding.PCM_S16);
    }

    static Map<String, Object> record() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("data", "world");
        r.put("held_out_combinations", WORLD.heldOutCombinations());
        r.put("data_seed", 3);
        r.put("per_class", WORLD.perClass());
        return r;
    }

    @Test
    void retrieveTakesTheGalleryFromTheModelsMetadata() throws Exception {
        Path m = dir.resolve("meta").resolve("model.safetensors");
        Files.createDirectories(m.getParent());
        ModelIO.save(m, model, Map.of(DataOptions.METADATA_KEY, Json.write(record())), Map.of());
        for (Path arg : new Path[] {m, m.getParent()}) {   // the file, and the folder (no data.json in it)
            Object[] r = RealDataCommandsTest.run("retrieve", "--model", arg.toString(), "--audio", wav.toString(), "--k", "2");
            assertEquals(0, r[0], (String) r[2]);
            assertTrue(((String) r[2]).contains("--data world (from the metadata of " + m + ")"), (String) r[2]);
            int test = 4 * BuiltinWorld.numClasses();
            assertTrue(((String) r[1]).contains("nearest of " + test + " builtin-world test images"), (String) r[1]);
        }
    }

    @Test
    void aDemoReportFolderWithoutTheRecordUsesItsMetricsJson() throws Exception {
        Path d = dir.resolve("old-demo");
        Files.createDirectories(d);
        ModelIO.save(d.resolve("model.safetensors"), model);
        int trainClasses = BuiltinWorld.numClasses() - WORLD.heldOutCombinations();
        Json.writeFile(d.resolve("metrics.json"), Map.of("demo", "builtin-world",
            "world", Map.of("held_out_combinations", WORLD.heldOutCombinations(), "train", WORLD.perClass() * trainClasses, "seed", 3)));
        Object[] r = RealDataCommandsTest.run("retrieve", "--model", d.toString(), "--audio", wav.toString(), "--k", "1");
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("(a bin/bgtai demo report)"), (String) r[2]);
    }

    @Test
    void theWrongDataNamesTheModelTheDataAndTheFix() throws Exception {
        Path m = dir.resolve("wrong.safetensors");
        ModelIO.save(m, model, Map.of(DataOptions.METADATA_KEY, Json.write(record())), Map.of());
        // 1-channel data for a 3-channel model: refused before any data is read
        String err = RealDataCommandsTest.fails("retrieve", "--model", m.toString(), "--audio", wav.toString(), "--data", "avdigits");
        assertTrue(err.contains("model " + m + " takes 3-channel images (the built-in world) but --data avdigits has 1-channel images; pass --data world"), err);
        err = RealDataCommandsTest.fails("eval", "--model", m.toString(), "--data", "strings");
        assertTrue(err.contains("but --data strings has 1-channel images"), err);
        // the right kind of data but another world: the vocabularies differ
        err = RealDataCommandsTest.fails("retrieve", "--model", m.toString(), "--audio", wav.toString(), "--data", "world", "--held-out-combinations", "0");
        assertTrue(err.contains("vocabulary of model " + m), err);
        assertTrue(err.contains("is not that of --data world"), err);
    }

    @Test
    void aModelWithoutAnyRecordIsTakenForWorldByItsImageChannels() throws Exception {
        Path m = dir.resolve("bare.safetensors");
        ModelIO.save(m, model);
        Object[] r = RealDataCommandsTest.run("retrieve", "--model", m.toString(), "--audio", wav.toString());
        assertTrue(((String) r[2]).contains("--data world (from the model's 3-channel images"), (String) r[2]);
        // the default world is not this small one: the vocabulary check names the model
        assertEquals(1, r[0]);
        assertTrue(((String) r[2]).contains("vocabulary of model " + m), (String) r[2]);
    }
}
