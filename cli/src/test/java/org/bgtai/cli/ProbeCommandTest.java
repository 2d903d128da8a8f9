package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * {@code bin/bgtai probe} on a labelled folder the test writes (3 classes of synthetic tones, an
 * ESC-50-style CSV with folds, a class-per-subfolder image folder): the load report counts the
 * missing and corrupt files, the CSV's folds give one accuracy per held-out fold, the probe beats
 * chance on tones a linear model can separate, and nothing usable fails clearly.
 */
class ProbeCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    /** An untrained model with the vocabulary of the pairs: the probe measures features, and 3 tones an octave apart separate even there. */
    @BeforeAll
    static void folderAndModel() throws Exception {
        OwnData.write(dir);
        ModelConfig mc = ModelConfig.pairs(ModelConfig.Variant.BGTAI).withSizes(16, 2, 32, 1, 16);
        DataSource.Loaded d = new DataSource.Pairs(dir.resolve("pairs.csv")).load(mc, 1);
        model = dir.resolve("m");
        Files.createDirectories(model);
        ModelIO.save(model.resolve("model.safetensors"), new JointModel(mc, d.textTokenizer(), d.glossTokenizer(), new Rng(2)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void foldsGiveOneAccuracyPerHeldOutFoldAndBeatChance() throws Exception {
        Path csv = dir.resolve("labels.csv"), out = dir.resolve("probe-folds.json");
        OwnData.Result r = OwnData.run("probe", "--model", model.toString(), "--audio-csv", csv.toString(), "--audio-dir", dir.resolve("clips").toString(),
            "--json", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("loaded 18 clips from " + csv + ", skipped 2: 1 missing file (first: gone.wav: listed in labels.csv (line 20)"), r.err());
        assertTrue(r.err().contains(", 1 unreadable WAV (first: " + dir.resolve("clips/bad.wav")), r.err());
        Map<String, Object> a = (Map<String, Object>) ((Map<String, Object>) Json.read(out)).get("audio");
        assertEquals(18, ((Number) a.get("loaded")).intValue());
        assertEquals(3, ((Number) a.get("classes")).intValue());
        assertEquals("3-fold cross-validation over column fold", a.get("protocol"));
        Map<String, Object> probe = (Map<String, Object>) a.get("linear_probe");
        List<Map<String, Object>> folds = (List<Map<String, Object>>) probe.get("folds");
        assertEquals(List.of("1", "2", "3"), folds.stream().map(f -> f.get("fold")).toList());
        // 2 clips of each class per fold (the skipped ones were in folds 1 and 2)
        assertEquals(List.of(6, 6, 6), folds.stream().map(f -> ((Number) f.get("test")).intValue()).toList());
        double mean = ((Number) probe.get("mean_acc")).doubleValue();
        assertTrue(mean > 0.6, "3 tones an octave or more apart: the probe should beat chance (1/3) clearly, got " + mean);
        assertTrue(r.out().contains("linear probe (encoder features): "), r.out());
        assertTrue(r.out().contains("(fold 1 "), r.out());
        double zs = ((Number) a.get("zero_shot_acc")).doubleValue();
        assertTrue(zs >= 0 && zs <= 1);
        assertEquals(List.of(), a.get("class_names_outside_vocabulary"), "low, mid, high are words of the pairs the model's vocabulary came from");
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutFoldsASeededSplitAndImageFoldersToo() throws Exception {
        Path out = dir.resolve("probe-split.json");
        OwnData.Result r = OwnData.run("probe", "--model", model.toString(), "--audio-csv", dir.resolve("labels.csv").toString(), "--audio-dir",
            dir.resolve("clips").toString(), "--no-folds", "--images", dir.resolve("images").toString(), "--json", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> res = (Map<String, Object>) Json.read(out);
        Map<String, Object> a = (Map<String, Object>) res.get("audio");
        assertEquals("seeded 80/20 split (seed 1)", a.get("protocol"));
        List<?> folds = (List<?>) ((Map<String, Object>) a.get("linear_probe")).get("folds");
        assertEquals(1, folds.size());
        assertEquals(4, ((Number) ((Map<String, Object>) folds.get(0)).get("test")).intValue(), "20% of 18 clips");
        assertTrue(r.err().contains("loaded 12 images in 3 classes from " + dir.resolve("images") + ", skipped 1: 1 unreadable image (first: "
            + dir.resolve("images/low/broken.png")), r.err());
        Map<String, Object> im = (Map<String, Object>) res.get("images");
        assertEquals(12, ((Number) im.get("loaded")).intValue());
        assertEquals(3, ((Number) im.get("classes")).intValue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void esc50AndUrbanSound8kLayoutsWorkAsTheyAre() throws Exception {
        // ESC-50: meta/esc50.csv (filename,fold,target,category,...) beside audio/
        Path esc = dir.resolve("ESC-50"), us = dir.resolve("UrbanSound8K");
        Files.createDirectories(esc.resolve("meta"));
        Files.createDirectories(esc.resolve("audio"));
        StringBuilder e = new StringBuilder("filename,fold,target,category,esc10,src_file,take\n");
        // UrbanSound8K: metadata/UrbanSound8K.csv (slice_file_name,...,fold,classID,class) beside audio/fold1, audio/fold2
        StringBuilder u = new StringBuilder("slice_file_name,fsID,start,end,salience,fold,classID,class\n");
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 4; i++) {
                String name = OwnData.CLASSES[c] + "_" + i + ".wav";
                int fold = 1 + i % 2;
                Files.copy(dir.resolve("clips").resolve(name), esc.resolve("audio").resolve(name));
                Files.createDirectories(us.resolve("audio/fold" + fold));
                Files.copy(dir.resolve("clips").resolve(name), us.resolve("audio/fold" + fold).resolve(name));
                e.append(name).append(',').append(fold).append(',').append(c).append(',').append(OwnData.CLASSES[c]).append(",False,x,A\n");
                u.append(name).append(",1,0,1,1,").append(fold).append(',').append(c).append(',').append(OwnData.CLASSES[c]).append('\n');
            }
        Files.writeString(esc.resolve("meta/esc50.csv"), e);
        Files.createDirectories(us.resolve("metadata"));
        Files.writeString(us.resolve("metadata/UrbanSound8K.csv"), u);
        for (Path csv : new Path[] {esc.resolve("meta/esc50.csv"), us.resolve("metadata/UrbanSound8K.csv")}) {
            Path out = csv.resolveSibling("probe.json");
            OwnData.Result r = OwnData.run("probe", "--model", model.toString(), "--audio-csv", csv.toString(), "--json", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("loaded 12 clips from " + csv + ", skipped 0"), r.err());
            Map<String, Object> a = (Map<String, Object>) ((Map<String, Object>) Json.read(out)).get("audio");
            assertEquals("2-fold cross-validation over column fold", a.get("protocol"));
            assertEquals(3, ((Number) a.get("classes")).intValue(), "the label is the class name (category / class), not the numeric target / classID");
        }
    }

    @Test
    void nothingUsableFailsNamingTheFileAndWhy() throws Exception {
        Path csv = dir.resolve("nothing.csv");
        Files.writeString(csv, "filename,category\ngone.wav,low\nbad.wav,mid\nshort-row\n");
        OwnData.Result r = OwnData.run("probe", "--model", model.toString(), "--audio-csv", csv.toString(), "--audio-dir", dir.resolve("clips").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bgtai: no usable clips in " + csv + " (loaded 0 clips"), r.err());
        assertTrue(r.err().contains("skipped 3: 1 missing file"), r.err());
        assertTrue(r.err().contains(", 1 bad row (first: CSV line 4 has 1 fields, needs 2)"), r.err());
        Files.writeString(csv, "wav,what\nlow_0.wav,low\n");
        r = OwnData.run("probe", "--model", model.toString(), "--audio-csv", csv.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no column named any of [file, filename"), r.err());
        Path empty = dir.resolve("no-images");
        Files.createDirectories(empty.resolve("a"));
        r = OwnData.run("probe", "--model", model.toString(), "--images", empty.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bgtai: no usable images in " + empty), r.err());
        r = OwnData.run("probe", "--model", model.toString());
        assertTrue(r.err().contains("nothing to probe"), r.err());
    }

    @Test
    void crossValidationHoldsOutEachFoldOnce() {
        // two well-separated clusters; fold 3 holds only class 1, so its accuracy is that of class 1 alone
        float[][] x = new float[12][];
        int[] y = new int[12];
        String[] fold = new String[12];
        Rng rng = new Rng(3);
        for (int i = 0; i < 12; i++) {
            y[i] = i < 6 ? 0 : 1;
            x[i] = new float[] {(float) (y[i] * 4 + rng.nextGaussian() * 0.3), (float) rng.nextGaussian()};
            fold[i] = i < 6 ? String.valueOf(1 + i % 2) : i < 9 ? "10" : "3";
        }
        var p = org.bgtai.metrics.LinearProbe.crossValidate(x, y, fold, 2, 1e-3, 200);
        assertEquals(List.of("1", "2", "3", "10"), p.folds(), "numeric folds in numeric order");
        assertArrayEquals(new int[] {3, 3, 3, 3}, p.test());
        for (double acc : p.accuracy()) assertEquals(1.0, acc, 1e-12);
        assertEquals(0.0, p.std(), 1e-12);
        String[] one = new String[12];
        java.util.Arrays.fill(one, "1");
        assertThrows(IllegalArgumentException.class, () -> org.bgtai.metrics.LinearProbe.crossValidate(x, y, one, 2, 1e-3, 10), "one fold is no cross-validation");
    }
}
