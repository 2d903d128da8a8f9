package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bgtai.tensor.io.Json;
import org.bgtai.tensor.testing.Shared;
import org.bgtai.nn.train.TrainOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** train (interrupted, resumed) -> eval -> embed -> retrieve on a tiny AV-Digits model, and their errors. */
class RealDataCommandsTest {
    /** Runs the command line; returns {exit code, stdout, stderr}. */
    static Object[] run(String... args) {
        StringWriter err = new StringWriter();
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(args);
            return new Object[] {code, out.toString(StandardCharsets.UTF_8), err.toString()};
        } finally {
            System.setOut(old);
        }
    }

    static String ok(String... args) {
        Object[] r = run(args);
        assertEquals(0, r[0], String.join(" ", args) + "\n" + r[2]);
        return (String) r[1];
    }

    static String fails(String... args) {
        Object[] r = run(args);
        assertEquals(1, r[0], String.join(" ", args) + " should fail\n" + r[1]);
        return (String) r[2];
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainResumeEvalEmbedRetrieve(@TempDir Path tmp) throws Exception {
        Path fsdd = Shared.require("data/fsdd"), root = Shared.require("data/mnist").getParent();
        Path model = tmp.resolve("m");
        String[] train = {"train", "--data", "avdigits", "--data-dir", root.toString(), "--limit", "40", "--variant", "unibrivl", "--epochs", "2",
            "--batch", "8", "--size", "16,2,32,1,16", "--out", model.toString()};
        // interrupted after epoch 1: a checkpoint but no model yet
        String[] first = java.util.Arrays.copyOf(train, train.length + 2);
        first[train.length] = "--stop-after";
        first[train.length + 1] = "1";
        ok(first);
        assertTrue(Files.exists(model.resolve(TrainOptions.CHECKPOINT)));
        assertFalse(Files.exists(model.resolve(TrainCommand.MODEL)));
        assertTrue(fails("eval", "--model", model.toString()).contains("--resume"));
        assertTrue(fails(train).contains("--resume"));   // refuses to overwrite a checkpoint
        String[] resume = java.util.Arrays.copyOf(train, train.length + 1);
        resume[train.length] = "--resume";
        ok(resume);
        Map<String, Object> metrics = (Map<String, Object>) Json.read(model.resolve(TrainCommand.METRICS));
        List<Object> hist = (List<Object>) metrics.get("history");
        assertEquals(2, hist.size());
        assertEquals(1L, ((Number) ((Map<String, Object>) hist.get(0)).get("epoch")).longValue());

        Path evalJson = tmp.resolve("eval.json");
        String printed = ok("eval", "--model", model.toString(), "--json", evalJson.toString());
        assertTrue(printed.contains("audio->image"), printed);
        Map<String, Object> ev = (Map<String, Object>) Json.read(evalJson);
        assertEquals("av-digits", ev.get("data"));   // taken from the model folder's data.json
        assertEquals(40L, ((Number) ev.get("test_samples")).longValue());
        double probe = ((Number) ev.get("linear_probe_acc")).doubleValue();
        assertTrue(probe >= 0 && probe <= 1);
        // the saved model reproduces the metrics written at the end of training
        assertEquals(((Map<String, Object>) metrics.get("audio_to_image")).get("MRR"), ((Map<String, Object>) ev.get("audio_to_image")).get("MRR"));

        Path wav = fsdd.resolve("recordings/7_jackson_0.wav");
        if (!Files.exists(wav)) wav = fsdd.resolve("7_jackson_0.wav");
        Path png = tmp.resolve("digit.png");
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int y = 6; y < 22; y++) img.setRGB(14, y, 0xffffff);
        ImageIO.write(img, "png", png.toFile());
        Path csv = tmp.resolve("e.csv"), json = tmp.resolve("e.json");
        ok("embed", "--model", model.toString(), "--text", "seven", "--out", csv.toString(), wav.toString(), png.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size());
        assertEquals(2 + 16, lines.get(0).split(",").length);
        assertTrue(lines.get(1).endsWith("") && lines.get(1).contains(",audio,") && lines.get(2).contains(",image,") && lines.get(3).startsWith("\"seven\",text,"));
        ok("embed", "--model", model.toString(), "--out", json.toString(), wav.toString());
        List<Object> rows = (List<Object>) Json.read(json);
        List<Object> e = (List<Object>) ((Map<String, Object>) rows.get(0)).get("embedding");
        assertEquals(16, e.size());
        // the same file embeds the same way through the CSV and the JSON path
        assertEquals(((Number) e.get(3)).doubleValue(), Double.parseDouble(lines.get(1).split(",")[2 + 3]), 1e-5);

        Path rj = tmp.resolve("r.json");
        String ret = ok("retrieve", "--model", model.toString(), "--audio", wav.toString(), "--k", "3", "--json", rj.toString());
        assertTrue(ret.contains("nearest classes"), ret);
        Map<String, Object> r = (Map<String, Object>) Json.read(rj);
        List<Object> imgs = (List<Object>) r.get("images");
        assertEquals(3, imgs.size());
        double s0 = ((Number) ((Map<String, Object>) imgs.get(0)).get("score")).doubleValue(), s2 = ((Number) ((Map<String, Object>) imgs.get(2)).get("score")).doubleValue();
        assertTrue(s0 >= s2 && s0 <= 1.0001);
        assertEquals(3, ((List<Object>) r.get("classes")).size());

        // errors name the problem
        assertTrue(fails("retrieve", "--model", model.toString(), "--audio", tmp.resolve("none.wav").toString()).contains("none.wav: no such file"));
        Path bad = tmp.resolve("bad.wav");
        Files.writeString(bad, "this is not a wav file at all");
        assertTrue(fails("embed", "--model", model.toString(), bad.toString()).contains("bad.wav"));
        assertTrue(fails("embed", "--model", model.toString(), tmp.resolve("x.mp3").toString()).contains("unsupported file type"));
        assertTrue(fails("eval", "--model", tmp.resolve("nomodel").toString()).contains("no model at"));
        String missing = fails("train", "--data", "avdigits", "--data-dir", tmp.resolve("nodata").toString(), "--out", tmp.resolve("o").toString());
        assertTrue(missing.contains("nodata") && missing.contains("fsdd"), missing);
        assertTrue(fails("train", "--data", "images", "--out", tmp.resolve("o2").toString()).contains("unknown --data 'images'"));
    }

    /** Every experiment that reads AV-Digits takes its data from --data-dir (the shared folder is the default only). */
    @Test
    void experimentsHonourDataDir(@TempDir Path tmp) {
        String missing = tmp.resolve("nodata").toString();
        for (String name : List.of("alignment", "l2g-audio", "table2", "table5", "table4", "fig2", "fig3")) {
            String err = fails("experiments", name, "--quick", "--seeds", "1", "--data-dir", missing, "--out", tmp.resolve(name).toString());
            assertTrue(err.contains(missing) && err.contains("fsdd"), name + ": " + err);
        }
        assertTrue(fails("experiments", "fig3", "--quick", "--model", missing, "--data-dir", missing, "--out", tmp.resolve("fig3m").toString())
            .contains("--data-dir does not apply to fig3 --model"));
    }
}
