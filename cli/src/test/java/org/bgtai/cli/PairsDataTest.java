package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bgtai.data.PairsFile;
import org.bgtai.data.Sample;
import org.bgtai.tensor.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own paired data ({@code --data pairs:FILE}): the load report counts every skipped row
 * by reason, train and eval run on it end to end (eval finds the data in the model's data.json),
 * and a file with nothing usable fails saying so.
 */
class PairsDataTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void folder() throws Exception {
        OwnData.write(dir);
    }

    @Test
    void theLoadReportCountsEverySkippedRowByReason() throws Exception {
        PairsFile.Loaded p = PairsFile.read(dir.resolve("pairs.csv"), 3, 32, 32, 20, 1);
        PairsFile.Report r = p.report();
        assertEquals(18, r.loaded());
        assertEquals(2, r.skipped().size());
        assertEquals(1, r.count(PairsFile.Reason.MISSING_FILE));
        assertEquals(1, r.count(PairsFile.Reason.UNREADABLE_WAV));
        // no split column: a seeded 80/10/10 (18 -> 14 / 2 / 2)
        assertEquals(List.of(14, 2, 2), List.of(p.train().size(), p.val().size(), p.test().size()));
        assertTrue(r.toString().startsWith("loaded 18 pairs from " + dir.resolve("pairs.csv") + " (train 14 / val 2 / test 2), skipped 2: 1 missing file (first: pairs.csv:20: "),
            r.toString());
        assertTrue(r.toString().contains("1 unreadable WAV (first: pairs.csv:21: clips/bad.wav: "), r.toString());
        assertEquals(List.of("high", "low", "mid"), p.labels());
        for (Sample s : p.train()) {
            assertEquals(3 * 32 * 32, s.image().data().length, "images are resized from 40x24 to the model's 32x32");
            assertEquals("a " + p.labels().get(s.label()) + " tone", s.text());
            assertEquals(p.labels().get(s.label()).toUpperCase(java.util.Locale.ROOT) + " TONE", s.gloss(), "derived gloss: content words upper-cased");
            assertEquals(16000, s.sampleRate());
        }
        // a red image stays red after resizing
        Sample low = p.train().stream().filter(s -> p.labels().get(s.label()).equals("low")).findFirst().orElseThrow();
        assertEquals(1f, low.image().get(0, 5, 5), 1e-6);
        assertEquals(0f, low.image().get(1, 5, 5), 1e-6);
        // the same seed gives the same split; the gloss of a text without content words keeps all words
        assertEquals(p.test().get(0).audio().length, PairsFile.read(dir.resolve("pairs.csv"), 3, 32, 32, 20, 1).test().get(0).audio().length);
        assertEquals("IT IS", PairsFile.glossOf("it is"));
        assertEquals("DOG BARKS LOUDLY", PairsFile.glossOf("A dog barks, loudly."));
    }

    @Test
    void jsonlWithASplitColumnKeepsTheGivenSplits() throws Exception {
        StringBuilder sb = new StringBuilder();
        String[] split = {"train", "train", "train", "val", "test", "unknown"};
        for (int i = 0; i < 6; i++)
            sb.append(Json.write(Map.of("audio", "clips/" + OwnData.CLASSES[i % 3] + "_" + i + ".wav", "image", "pics/" + OwnData.CLASSES[i % 3] + ".png",
                "text", "a " + OwnData.CLASSES[i % 3] + " tone", "split", split[i]))).append('\n');
        sb.append("{not json\n");
        Files.writeString(dir.resolve("pairs.jsonl"), sb);
        PairsFile.Loaded p = PairsFile.read(dir.resolve("pairs.jsonl"), 1, 28, 28, 20, 1);
        assertEquals(List.of(3, 1, 1), List.of(p.train().size(), p.val().size(), p.test().size()));
        assertEquals(2, p.report().count(PairsFile.Reason.BAD_ROW), p.report().toString());
        assertTrue(p.report().toString().contains("2 bad rows (first: pairs.jsonl:6: split 'unknown' is not train, val or test)"), p.report().toString());
        assertEquals(28 * 28, p.train().get(0).image().data().length);
        // no label column: the text is the label
        assertEquals(List.of("a high tone", "a low tone", "a mid tone"), p.labels());
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainAndEvalRunOnPairsAndEvalFindsTheDataInTheModelFolder() throws Exception {
        Path model = dir.resolve("model");
        Path pairs = dir.resolve("pairs.csv");
        OwnData.Result t = OwnData.run("train", "--data", "pairs:" + pairs, "--epochs", "2", "--batch", "8", "--size", "16,2,32,1,16", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("loaded 18 pairs from " + pairs + " (train 14 / val 2 / test 2), skipped 2: 1 missing file"), t.err());
        assertTrue(t.err().contains("BGTAI trains without the alignment terms"), t.err());
        Map<String, Object> rec = (Map<String, Object>) Json.read(model.resolve("data.json"));
        assertEquals("pairs:" + pairs.toAbsolutePath().normalize(), rec.get("data"));
        assertTrue(Files.isRegularFile(model.resolve("model.safetensors")));

        OwnData.Result e = OwnData.run("eval", "--model", model.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.err().contains("--data pairs:" + pairs.toAbsolutePath().normalize() + " (from " + model.resolve("data.json") + ")"), e.err());
        Map<String, Object> m = (Map<String, Object>) Json.read(model.resolve("eval-pairs.json"));
        assertEquals(2, ((Number) m.get("test_samples")).intValue());
        assertEquals(3, ((Number) m.get("classes")).intValue());
        double probe = ((Number) m.get("linear_probe_acc")).doubleValue();
        assertTrue(probe >= 0 && probe <= 1, "linear probe accuracy " + probe);
        assertTrue(e.out().contains("zero-shot: audio"), e.out());
    }

    @Test
    void nothingUsableFailsNamingTheFileAndWhy() throws Exception {
        Path f = dir.resolve("broken.csv");
        Files.writeString(f, "audio,image,text\nclips/gone.wav,pics/low.png,a low tone\nclips/bad.wav,pics/mid.png,a mid tone\n");
        OwnData.Result r = OwnData.run("train", "--data", "pairs:" + f, "--epochs", "1", "--size", "16,2,32,1,16", "--out", dir.resolve("none").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bgtai: no usable pairs in " + f + " (loaded 0 pairs"), r.err());
        assertTrue(r.err().contains("skipped 2: 1 missing file (first: broken.csv:2: "), r.err());
        assertTrue(r.err().contains("1 unreadable WAV (first: broken.csv:3: clips/bad.wav"), r.err());
        // a CSV without the columns names them
        Files.writeString(f, "wav,png\nclips/low_0.wav,pics/low.png\n");
        r = OwnData.run("train", "--data", "pairs:" + f, "--epochs", "1", "--out", dir.resolve("none2").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("a pairs CSV needs the columns audio, image and text"), r.err());
    }
}
