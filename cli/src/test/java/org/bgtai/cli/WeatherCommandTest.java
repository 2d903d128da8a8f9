package org.bgtai.cli;

import static org.bgtai.cli.RealDataCommandsTest.fails;
import static org.bgtai.cli.RealDataCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import org.bgtai.model.ModelIO;
import org.bgtai.tensor.io.Json;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/bgtai train --data weather}: a tiny Langue2Gloss folder starts the language side
 * ({@code --language-init}), the run is recorded in the model's metadata and metrics, eval reloads
 * it; and the errors (DS-Net terms on text-only data, a folder that is no model, init on other data).
 */
class WeatherCommandTest {
    @Test
    @SuppressWarnings("unchecked")
    void trainWithLanguageInitThenEval(@TempDir Path tmp) throws Exception {
        Path phoenix = Shared.require("data/phoenix14t-text2gloss"), root = phoenix.getParent();
        Path l2g = tmp.resolve("l2g"), model = tmp.resolve("m");
        ok("l2g", "train", "--data", phoenix.toString(), "--out", l2g.toString(), "--epochs", "1", "--batch", "10", "--warmup", "5", "--d-model", "32",
            "--heads", "2", "--ff", "64", "--encoder-layers", "1", "--decoder-layers", "1", "--train-limit", "50", "--dev-limit", "10", "--average", "1", "--members", "1");
        String printed = ok("train", "--data", "weather", "--data-dir", root.toString(), "--limit", "48", "--epochs", "1", "--batch", "16",
            "--language-init", l2g.toString(), "--out", model.toString());
        assertTrue(printed.contains("text->image") && printed.contains("image->text") && printed.contains("gloss decoded from text"), printed);
        assertFalse(printed.contains("audio->image"), printed);
        Map<String, Object> metrics = (Map<String, Object>) Json.read(model.resolve(TrainCommand.METRICS));
        Map<String, Object> init = (Map<String, Object>) metrics.get("language_init");
        assertEquals(32L, ((Number) ((Map<String, Object>) init.get("model")).get("d_model")).longValue());
        Map<String, String> meta = ModelIO.readMetadata(model.resolve(TrainCommand.MODEL));
        assertTrue(meta.containsKey("language_init"), meta.keySet().toString());
        assertEquals(32L, ((Number) ((Map<?, ?>) Json.parse(meta.get("model_config"))).get("dModel")).longValue());
        String ev = ok("eval", "--model", model.toString());
        assertTrue(ev.contains("text->image"), ev);
    }

    @Test
    void refusals(@TempDir Path tmp) {
        Path root = Shared.require("data/phoenix14t-text2gloss").getParent();
        assertTrue(fails("train", "--data", "weather", "--data-dir", root.toString(), "--ce-align", "0.2", "--out", tmp.resolve("a").toString())
            .contains("text-only"));
        assertTrue(fails("train", "--data", "weather", "--data-dir", root.toString(), "--language-init", tmp.toString(), "--out", tmp.resolve("b").toString())
            .contains("not a Langue2Gloss model folder"));
        assertTrue(fails("train", "--data", "world", "--language-init", tmp.toString(), "--out", tmp.resolve("c").toString()).contains("--data weather"));
    }
}
