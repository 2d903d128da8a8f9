package org.bgtai.experiments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generation sentence of Table 4's reading, computed from made-up tables. */
class Table4ReadingTest {
    /** A table of one seed: per arm {class accuracy, FID, IS}, and the real images. */
    static Map<String, Map<String, List<Double>>> table(double acc, double[] fid, double[] is) {
        Map<String, Map<String, List<Double>>> res = new LinkedHashMap<>();
        String[] arms = {"base", "l2", "sp", "total", "total+select"};
        for (int a = 0; a < arms.length; a++) {
            Map<String, List<Double>> m = new LinkedHashMap<>();
            m.put(Table4Generation.ACC, List.of(acc));
            m.put(Table4Generation.FID, List.of(fid[a]));
            m.put(Table4Generation.IS, List.of(is[a]));
            res.put(arms[a], m);
        }
        res.put(Table4Generation.REAL, Map.of(Table4Generation.ACC, List.of(0.97), Table4Generation.FID, List.of(20.0), Table4Generation.IS, List.of(9.1)));
        return res;
    }

    @Test
    void nearChanceSaysNothing() {
        String r = Table4Experiment.generationReading(table(0.11, new double[] {300, 250, 200, 150, 140}, new double[] {1.5, 2, 3, 4, 5}));
        assertTrue(r.contains("near chance") && r.contains("says nothing"), r);
        assertTrue(r.contains("real-vs-real FID (the floor) 20.0"), r);
    }

    @Test
    void thePapersOrderAgrees() {
        String r = Table4Experiment.generationReading(table(0.6, new double[] {300, 250, 200, 150, 140}, new double[] {1.5, 2, 3, 4, 5}));
        assertTrue(r.contains("250.0 -> 200.0 -> 150.0 (falls, as in the paper)") && r.contains("ours agrees with the paper"), r);
    }

    @Test
    void otherOrdersDisagreeOrPartlyAgree() {
        String r = Table4Experiment.generationReading(table(0.6, new double[] {300, 150, 200, 250, 140}, new double[] {1.5, 4, 3, 2, 5}));
        assertTrue(r.contains("does not fall throughout") && r.contains("does not rise throughout") && r.contains("ours does not agree with"), r);
        r = Table4Experiment.generationReading(table(0.6, new double[] {300, 250, 200, 150, 140}, new double[] {1.5, 4, 3, 2, 5}));
        assertTrue(r.contains("partly agrees with"), r);
    }

    @Test
    void skippedGenerationIsSaid() {
        assertTrue(Table4Experiment.generationReading(new LinkedHashMap<>()).contains("not measured in this run"));
    }
}
