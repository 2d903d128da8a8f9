package org.bgtai.test;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bgtai.model.ModelIO;
import org.bgtai.tensor.io.Json;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/bgtai experiments table2 | table4 | fig2 --quick --seeds 1} end to end (the other
 * experiments' quick runs have their own tests: {@code AlignmentExperimentTest},
 * {@code BridgeExperimentTest}, {@code Table3ExperimentTest}, {@code Fig3QuickTest}; l2g-audio's
 * quick run is a one-epoch smoke run with nothing to check beyond what {@code L2gCommandTest}
 * does), then checks of what each wrote, with "better than chance" checks that state the chance
 * level. Table 4 and Fig. 2 quick runs train on one-digit strings from a short warm start (1,200
 * strings, 10 epochs), the most a smoke run learns; their 3- and 5-digit rows stay at chance and are
 * only checked to be there. Needs FSDD and MNIST
 * from ../shared/data (skips without them; fails under BGTAI_REQUIRE_SHARED=1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentsQuickTest {
    @TempDir
    static Path out;

    @BeforeAll
    void runQuick() {
        Path data = Shared.require("data/fsdd").getParent();
        Shared.require("data/mnist");
        Cli.ok("experiments", "table2", "--quick", "--seeds", "1", "--out", out.toString(), "--data-dir", data.toString());
        for (String e : List.of("table4", "fig2"))
            Cli.ok("experiments", e, "--quick", "--seeds", "1", "--out", out.resolve(e).toString(), "--data-dir", data.toString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path p) throws Exception {
        assertTrue(Files.exists(p), p + " was not written");
        return (Map<String, Object>) Json.read(p);
    }

    /** {@code results.<row>.<column>.mean} of a results.json (Table 2/5: metric, method; Table 4 / Fig. 2: arm, metric). */
    @SuppressWarnings("unchecked")
    static double mean(Map<String, Object> js, String row, String column) {
        Map<String, Object> r = (Map<String, Object>) ((Map<String, Object>) js.get("results")).get(row);
        assertNotNull(r, "no row " + row);
        Map<String, Object> c = (Map<String, Object>) r.get(column);
        assertNotNull(c, "row " + row + " has no " + column);
        return ((Number) c.get("mean")).doubleValue();
    }

    @Test
    void everyResultsFileSaysWhereItCameFrom() throws Exception {
        for (String e : List.of("table2", "table5", "table4", "fig2")) {
            Map<String, Object> js = json(out.resolve(e).resolve("results.json"));
            assertTrue(String.valueOf(js.get("command")).startsWith("bin/bgtai experiments " + e.replace("table5", "table2")), e + ": " + js.get("command"));
            assertTrue(String.valueOf(js.get("git_commit")).length() >= 4, e + ": git_commit " + js.get("git_commit"));
            assertEquals(1, ((Number) js.get("seeds")).intValue(), e);
            assertTrue(((Number) js.get("wall_seconds")).doubleValue() > 0, e);
            String md = Files.readString(out.resolve(e).resolve("results.md"));
            assertTrue(md.contains("Command: `bin/bgtai experiments") && md.contains("Machine: "), e + " results.md lacks its provenance:\n" + md);
        }
    }

    /** Table 2: linear probes on FSDD test takes beat chance (10 digits: 0.10) by a wide margin for all three models. */
    @Test
    void table2ProbesBeatChance() throws Exception {
        Map<String, Object> js = json(out.resolve("table2/results.json"));
        for (String m : List.of("supervised", "unibrivl", "bgtai"))
            assertTrue(mean(js, "linear_probe_acc", m) > 0.3, m + " linear probe " + mean(js, "linear_probe_acc", m) + " (chance 0.10)");
    }

    /**
     * Table 5: the emergent models never saw audio and text together (their metadata says so),
     * and are scored on test strings whose text never occurs in training.
     */
    @Test
    @SuppressWarnings("unchecked")
    void table5IsEmergentAndUsesUnseenPrompts() throws Exception {
        Map<String, Object> js = json(out.resolve("table5/results.json"));
        assertTrue(mean(js, "unseen_test_strings", "test set") >= 10, "too few unseen test strings");
        for (String v : List.of("unibrivl", "bgtai")) {
            for (String k : List.of("1", "10")) {
                double r = mean(js, "unseen_strings_audio_to_text_R@" + k, v);
                assertTrue(r >= 0 && r <= 1, v + " R@" + k + " = " + r);
            }
            Path model = out.resolve("digits-models-quick").resolve(v + "-disjoint-seed0").resolve("model.safetensors");
            Map<String, Object> sup = (Map<String, Object>) Json.parse(ModelIO.readMetadata(model).get("bgtai.supervision"));
            assertEquals(0, ((Number) sup.get("audio_text_pairs")).intValue(), v + ": " + sup);
        }
    }

    /**
     * Table 4: every arm and length is reported; on one-digit test strings (100 clips, 10 classes:
     * chance 0.10) every arm retrieves the right image at more than twice chance; the alignment
     * baselines are sane: one-digit strings are aligned perfectly by anything, and on 3- and
     * 5-digit strings the DTW teacher and the uniform split beat labelling each position with a
     * random token (1/k). The quick arms never train on longer strings, so their 3- and 5-digit
     * retrieval is only checked to be a probability.
     */
    @Test
    void table4ReportsEveryArmAndSaneAlignmentBaselines() throws Exception {
        Map<String, Object> js = json(out.resolve("table4/results.json"));
        for (String a : List.of("base", "l2", "sp", "total", "total+select"))
            for (int k : new int[] {1, 3, 5}) {
                double r = mean(js, a, "k=" + k + " a2i_R@1");
                assertTrue(r >= 0 && r <= 1, a + " k=" + k + " R@1 " + r);
            }
        for (String a : List.of("base", "l2", "sp", "total", "total+select"))
            assertTrue(mean(js, a, "k=1 a2i_R@1") > 0.2, a + ": one-digit audio->image R@1 " + mean(js, a, "k=1 a2i_R@1") + " (chance 0.10)");
        for (String b : List.of("uniform split", "DTW teacher")) {
            assertEquals(1.0, mean(js, b, "k=1 align_frame_acc"), 1e-9, b);
            for (int k : new int[] {3, 5}) assertTrue(mean(js, b, "k=" + k + " align_frame_acc") > 1.5 / k, b + " k=" + k);
        }
    }

    /**
     * Table 4's generation columns: every arm has the judge accuracy of its generated images (a
     * probability), their FID (finite, >= 0) and IS (between 1 and the 10 digit classes), and the
     * real-image column has the same figures of the real test images (the judge, trained on real
     * digits, reads them better than chance 0.10) with the real-vs-real FID floor.
     */
    @Test
    void table4ReportsGenerationPerArmAndOnRealImages() throws Exception {
        Map<String, Object> js = json(out.resolve("table4/results.json"));
        for (String a : List.of("base", "l2", "sp", "total", "total+select", "real images")) {
            double acc = mean(js, a, "gen_class_acc"), fid = mean(js, a, "gen_FID"), is = mean(js, a, "gen_IS");
            assertTrue(acc >= 0 && acc <= 1, a + " class accuracy " + acc);
            assertTrue(Double.isFinite(fid) && fid >= 0, a + " FID " + fid);
            assertTrue(is >= 1 && is <= 10, a + " IS " + is);
        }
        assertTrue(mean(js, "real images", "gen_class_acc") > 0.3, "judge on real test images " + mean(js, "real images", "gen_class_acc") + " (chance 0.10)");
        String md = Files.readString(out.resolve("table4/results.md"));
        assertTrue(md.contains("| gen_FID |") && md.contains("real-vs-real FID"), "results.md lacks the generation rows or their reading:\n" + md);
    }

    /**
     * Fig. 2: four arms, each with at least one epoch inside the budget and a best validation
     * accuracy above twice chance (100 one-digit strings, 10 texts: 0.10), a CSV row per epoch and
     * the plot.
     */
    @Test
    void fig2HasEveryArmCsvAndPlot() throws Exception {
        Map<String, Object> js = json(out.resolve("fig2/results.json"));
        for (String a : List.of("Base", "DS-Net", "Result Filter", "DS&RF")) {
            assertTrue(mean(js, a, "epochs_in_budget") >= 1, a);
            double acc = mean(js, a, "final_val_acc"), best = mean(js, a, "best_val_acc");
            assertTrue(acc >= 0 && acc <= 1, a + " accuracy " + acc);
            assertTrue(best > 0.2, a + ": best validation accuracy " + best + " (chance 0.10)");
        }
        List<String> csv = Files.readAllLines(out.resolve("fig2/fig2.csv"));
        assertTrue(csv.get(0).startsWith("arm,seed,epoch"), csv.get(0));
        assertTrue(csv.size() >= 5, "fig2.csv has " + csv.size() + " lines");
        assertTrue(Files.size(out.resolve("fig2/fig2.png")) > 1000);
    }
}
