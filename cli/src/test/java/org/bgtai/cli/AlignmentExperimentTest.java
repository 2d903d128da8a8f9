package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bgtai.tensor.io.Json;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bgtai experiments alignment --quick} end to end on the shared FSDD and MNIST: it writes
 * results.json, results.md and the figure, and its numbers clear margins that a broken teacher,
 * network or data generator would miss (chance is a random monotonic segmentation).
 */
class AlignmentExperimentTest {
    @SuppressWarnings("unchecked")
    static double mean(Map<String, Object> results, String target, String metric, String method) {
        Map<String, Object> t = (Map<String, Object>) results.get(target);
        Map<String, Object> m = (Map<String, Object>) ((Map<String, Object>) t.get(metric)).get(method);
        return ((Number) m.get("mean")).doubleValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void quickRunWritesResultsAndDsNetAlignsBothSequences(@TempDir Path tmp) throws Exception {
        Path data = Shared.require("data/fsdd").getParent();
        Path out = tmp.resolve("alignment");
        String printed = RealDataCommandsTest.ok("experiments", "alignment", "--quick", "--seeds", "1", "--data-dir", data.toString(), "--out", out.toString());
        assertTrue(printed.contains("| metric |"), printed);
        Map<String, Object> js = (Map<String, Object>) Json.parse(Files.readString(out.resolve("results.json")));
        assertEquals(1L, ((Number) js.get("seeds")).longValue());
        assertTrue(js.get("git_commit") instanceof String && js.get("machine").toString().contains("cores"));
        Map<String, Object> res = (Map<String, Object>) js.get("results");
        for (String target : new String[] {"audio", "image"}) {
            double random = mean(res, target, "frame_acc_5", "random"), uniform = mean(res, target, "frame_acc_5", "uniform");
            double dtw = mean(res, target, "frame_acc_5", "dtw"), rf = mean(res, target, "frame_acc_5", "rf-ce");
            // one token: every method is exact
            assertEquals(1.0, mean(res, target, "frame_acc_1", "rf-ce"), 1e-9, target);
            // honest strings: equal parts are a poor guess, but better than chance
            assertTrue(uniform < 0.9 && uniform > random + 0.1, target + ": uniform " + uniform + ", random " + random);
            // the teacher finds the gaps, DS-Net learns it even in 4 epochs on 60 strings
            assertTrue(dtw > uniform + 0.05, target + ": teacher " + dtw + " vs uniform " + uniform);
            assertTrue(rf > random + 0.3 && rf > 0.85, target + ": DS-Net " + rf + " vs random " + random);
            assertTrue(mean(res, target, "boundary_err_5", "rf-ce") < mean(res, target, "boundary_err_5", "uniform"), target + " boundary error");
            // Eq. 4 readout: the teacher's spans pool frames that look like their digit more often than random spans do
            assertTrue(mean(res, target, "eq4_acc_5", "dtw") > mean(res, target, "eq4_acc_5", "random"), target + " Eq. 4 readout");
            double rejTrue = mean(res, target, "reject_true", "rf-ce");
            assertTrue(rejTrue >= 0 && rejTrue <= 0.5, target + ": the calibrated threshold rejects " + rejTrue + " of true pairs");
        }
        String md = Files.readString(out.resolve("results.md"));
        // the command as typed (the provenance of the result)
        assertTrue(md.contains("Command: `bin/bgtai experiments alignment --quick --seeds 1 --data-dir ") && md.contains("What this shows"), md);
        assertTrue(md.contains("## Audio frames") && md.contains("## Image columns"), md);
        BufferedImage png = ImageIO.read(out.resolve("alignment.png").toFile());
        assertTrue(png != null && png.getWidth() == 1000 && png.getHeight() > 300, "figure");
    }
}
