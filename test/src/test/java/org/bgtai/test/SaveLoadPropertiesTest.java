package org.bgtai.test;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.bgtai.model.Embeddings;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelIO;
import org.bgtai.model.Prepared;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * A joint model survives save and load through safetensors ({@link ModelIO}: weights of the nn
 * modules, the config and both tokenizers in the file's metadata; tensor io underneath): the
 * loaded model has the same state dict, bit for bit, and embeds random inputs exactly as the
 * original does.
 */
class SaveLoadPropertiesTest {
    Path dir;

    @BeforeProperty
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("bgtai-save-load");
    }

    @AfterProperty
    void removeDir() throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 20)
    void savedModelLoadsWithTheSameWeightsAndOutputs(@ForAll @IntRange(min = 0, max = 31) int kind, @ForAll @IntRange(min = 1, max = 4) int heads,
                                                     @ForAll @IntRange(min = 4, max = 24) int embedDim, @ForAll @IntRange(min = 0, max = 100_000) int seed)
        throws IOException {
        ModelConfig c = Models.config(kind, heads, embedDim);
        JointModel m = Models.model(c, seed);
        // perturb every weight so that nothing equals its initial value by construction (a loader that
        // re-initialised some tensor from a fixed seed would be caught)
        Rng noise = new Rng(seed + 7);
        for (var p : m.namedParameters().values()) p.value().addInPlace(noise.normal(0f, 0.01f, p.value().shape()), 1f);
        Path f = dir.resolve("m" + seed + "-" + kind + ".safetensors");
        ModelIO.save(f, m);
        JointModel back = ModelIO.load(f);

        assertEquals(ModelIO.metadata(m).get("model_config"), ModelIO.metadata(back).get("model_config"), "config");
        assertEquals(m.textTokenizer().toJson(), back.textTokenizer().toJson());
        assertEquals(m.glossTokenizer().toJson(), back.glossTokenizer().toJson());
        Map<String, Tensor> a = m.stateDict(), b = back.stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toArray(), b.get(k).toArray(), 0f, k);

        Prepared[] data = Models.samples(c, 3, new Rng(seed + 1));
        Embeddings x = Embeddings.of(m, data, 16, Models.width(c), 3), y = Embeddings.of(back, data, 16, Models.width(c), 3);
        assertEquals(0.0, Models.maxDiff(x.audio(), y.audio()), 1e-6, "audio embeddings");
        assertEquals(0.0, Models.maxDiff(x.image(), y.image()), 1e-6, "image embeddings");
        assertEquals(0.0, Models.maxDiff(x.text(), y.text()), 1e-6, "text embeddings");
    }
}
