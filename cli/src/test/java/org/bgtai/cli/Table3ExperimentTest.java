package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bgtai.tensor.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bgtai experiments table3 --quick} end to end. The quick run captions the built-in world
 * only (the digit strings need minutes of training to leave chance), so it needs no shared data
 * and always runs: every arm has every metric, and captioning through BGTAI's gloss and UniBriVL's
 * retrieval beat a random training caption on CIDEr-D and BLEU-4.
 */
class Table3ExperimentTest {
    static final List<String> ARMS = List.of("chance", "unibrivl-retrieval", "bgtai-retrieval", "bgtai-gloss", "seq2seq", "oracle-retrieval");
    static final List<String> METRICS = List.of("BLEU-1", "BLEU-4", "ROUGE-L", "CIDEr-D", "METEOR");

    /** {@code arms.<arm>.<metric>.mean} of an experiment's results.json (also used by {@link BridgeExperimentTest}). */
    @SuppressWarnings("unchecked")
    static double mean(Map<String, Object> arms, String arm, String metric) {
        Map<String, Object> a = (Map<String, Object>) arms.get(arm);
        assertNotNull(a, "no arm '" + arm + "' in " + arms.keySet());
        Map<String, Object> m = (Map<String, Object>) a.get(metric);
        assertNotNull(m, arm + " has no '" + metric + "'");
        Object v = m.get("mean");
        assertNotNull(v, arm + " " + metric + " is not a number");
        return ((Number) v).doubleValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void quickRunCaptionsTheWorldAboveChance(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("table3");
        String printed = RealDataCommandsTest.ok("experiments", "table3", "--quick", "--seeds", "1", "--out", out.toString());
        assertTrue(printed.contains("| arm |") && printed.contains("Against the paper's Table 3"), printed);
        Map<String, Object> js = (Map<String, Object>) Json.read(out.resolve("results.json"));
        assertEquals("table3", js.get("experiment"));
        assertNotNull(js.get("git_commit"), "provenance");
        Map<String, Object> data = (Map<String, Object>) js.get("data");
        assertEquals(List.of("world"), List.copyOf(data.keySet()), "--quick captions the world only");
        Map<String, Object> arms = (Map<String, Object>) ((Map<String, Object>) data.get("world")).get("arms");
        assertEquals(ARMS, List.copyOf(arms.keySet()));
        for (String arm : ARMS)
            for (String metric : METRICS) {
                double v = mean(arms, arm, metric);
                assertTrue(v >= 0 && v <= (metric.equals("CIDEr-D") ? 10 : 1), arm + " " + metric + " = " + v);
            }
        // seed 1: chance CIDEr-D 0.25, BLEU-4 0.23; UniBriVL 0.88 / 0.56; BGTAI via gloss 0.88 / 0.53 (a quarter of the glosses exact)
        for (String arm : List.of("bgtai-gloss", "unibrivl-retrieval"))
            for (String metric : List.of("CIDEr-D", "BLEU-4"))
                assertTrue(mean(arms, arm, metric) > mean(arms, "chance", metric) + (metric.equals("CIDEr-D") ? 0.2 : 0.1),
                    arm + " " + metric + " " + mean(arms, arm, metric) + " vs chance " + mean(arms, "chance", metric));
        // the oracle is the best a retrieval captioner can do
        for (String arm : List.of("chance", "unibrivl-retrieval", "bgtai-retrieval", "bgtai-gloss"))
            assertTrue(mean(arms, "oracle-retrieval", "METEOR") >= mean(arms, arm, "METEOR"), arm + " above the oracle on METEOR");
        Map<String, Object> diag = (Map<String, Object>) ((Map<String, Object>) data.get("world")).get("diagnostics");
        assertTrue(diag.containsKey("gloss unseen in training (fallback to retrieval)"), diag.keySet().toString());
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("Command: `bin/bgtai experiments table3 --quick --seeds 1 --out " + out + "`"), md);
    }
}
