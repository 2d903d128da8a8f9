package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bgtai.tensor.io.Json;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bin/bgtai experiments fig3 --quick} on the shared FSDD and MNIST (skipped without them,
 * failing under BGTAI_REQUIRE_SHARED=1): both data sets run and write their figures, the generated
 * images are further from real ones than a second real set is, the digit judge recognises real
 * digits, and the world's images generated from test audio have the colour and size the sound
 * says above chance. (AV-Digits' quick joint model is too weak for its generated digits to be
 * recognised above chance; the full run is.)
 */
class Fig3QuickTest {
    @Test
    void quickRunGeneratesRecognisableImages(@TempDir Path tmp) throws Exception {
        Path root = Shared.require("data/fsdd").getParent();
        Shared.require("data/mnist");
        Path out = tmp.resolve("fig3");
        long t0 = System.nanoTime();
        int code = new CommandLine(new Main()).execute("experiments", "fig3", "--quick", "--data-dir", root.toString(), "--out", out.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, code);
        System.out.printf(java.util.Locale.ROOT, "Fig3QuickTest: experiments fig3 --quick took %.0f s%n", seconds);
        Map<?, ?> res = (Map<?, ?>) Json.read(out.resolve("results.json"));
        assertTrue(String.valueOf(((Map<?, ?>) res.get("provenance")).get("command")).startsWith("bin/bgtai experiments fig3 --quick"), res.get("provenance").toString());
        Map<?, ?> sets = (Map<?, ?>) res.get("datasets");
        assertEquals(List.of("world", "avdigits"), List.copyOf(sets.keySet()));
        for (Object id : sets.keySet()) {
            Map<?, ?> m = (Map<?, ?>) ((Map<?, ?>) sets.get(id)).get("mean");
            double chance = num(m, "chance", "class_acc"), gen = num(m, "generated", "class_acc"), real = num(m, "judge_on_real_test_images", "class_acc");
            double fid = ((Number) m.get("fid_generated_vs_real")).doubleValue(), floor = ((Number) m.get("fid_real_vs_real_floor")).doubleValue();
            System.out.printf(java.util.Locale.ROOT, "Fig3QuickTest %s: generated %.3f, real %.3f, chance %.3f, FID %.1f (floor %.1f)%n", id, gen, real, chance, fid, floor);
            assertTrue(Double.isFinite(fid) && Double.isFinite(floor) && floor < fid, id + ": FID " + fid + " vs real floor " + floor);
            for (String png : List.of("samples.png", "controls.png", "interpolation.png")) assertTrue(Files.size(out.resolve(id + "/" + png)) > 1000, id + "/" + png);
            if (id.equals("avdigits")) assertTrue(real >= 0.85, "the digit judge recognises " + real + " of the real test images");
        }
        // the world: colour (pitch) and size (loudness) of images generated from test audio above chance (the quick joint model
        // is a few epochs of UniBriVL; runs with these and similar sizes gave colour 0.33-0.35 against 1/6, size 0.85-0.88 against 1/2)
        Map<?, ?> world = (Map<?, ?>) ((Map<?, ?>) sets.get("world")).get("mean");
        double colour = num(world, "generated", "colour_acc"), size = num(world, "generated", "size_acc");
        assertTrue(colour >= 1.4 * num(world, "chance", "colour_acc"), "generated colour accuracy " + colour + ", chance " + num(world, "chance", "colour_acc"));
        assertTrue(size >= 0.7, "generated size accuracy " + size + ", chance 0.5");
        assertTrue(Files.readString(out.resolve("results.md")).startsWith("Command: `bin/bgtai experiments fig3 --quick"));
    }

    private static double num(Map<?, ?> m, String a, String b) {
        return ((Number) ((Map<?, ?>) m.get(a)).get(b)).doubleValue();
    }
}
