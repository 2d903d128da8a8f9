package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bgtai.langue2gloss.L2gTraining;
import org.bgtai.tensor.io.Json;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The l2g subcommands end to end on a tiny model trained on 40 sentences. */
class L2gCommandTest {
    static int run(StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("bgtai: " + ex.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainEvalTranslateAndErrors(@TempDir Path tmp) throws Exception {
        Path data = Shared.require("data/phoenix14t-text2gloss");
        Path model = tmp.resolve("m");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "l2g", "train", "--data", data.toString(), "--out", model.toString(), "--epochs", "1", "--batch", "20",
            "--train-limit", "40", "--dev-limit", "10", "--d-model", "32", "--heads", "2", "--ff", "64", "--encoder-layers", "1",
            "--decoder-layers", "1", "--warmup", "2", "--average", "1", "--members", "1"), err.toString());
        Path json = tmp.resolve("eval.json");
        assertEquals(0, run(err, "l2g", "eval", "--model", model.toString(), "--data", data.toString(), "--split", "dev", "--beam", "2",
            "--max-len", "10", "--json", json.toString()), err.toString());
        Map<String, Object> j = (Map<String, Object>) Json.read(json);
        Map<String, Object> dev = (Map<String, Object>) j.get("dev");
        for (String k : new String[] {"bleu1", "bleu2", "bleu3", "bleu4", "rouge_l", "wer", "chrf"}) assertTrue(dev.get(k) instanceof Number, k);
        assertEquals(519L, ((Number) dev.get("sentences")).longValue());
        assertTrue(((Number) j.get("parameters")).longValue() > 0);
        assertTrue(j.containsKey("training_seconds") && j.containsKey("decoding"));

        // an ensemble: trained with --members, decoded together, alone or with another model of the same gloss vocabulary
        Path ens = tmp.resolve("ens");
        assertEquals(0, run(err, "l2g", "train", "--data", data.toString(), "--out", ens.toString(), "--epochs", "1", "--batch", "20",
            "--train-limit", "40", "--dev-limit", "10", "--d-model", "32", "--heads", "2", "--ff", "64", "--encoder-layers", "1",
            "--decoder-layers", "1", "--warmup", "2", "--average", "1", "--members", "2", "--seed", "5"), err.toString());
        assertTrue(Files.exists(ens.resolve("members.json")) && Files.exists(ens.resolve("member-2/best.safetensors")));
        Path ej = tmp.resolve("ens.json");
        assertEquals(0, run(err, "l2g", "eval", "--model", ens.toString(), "--model", model.toString(), "--data", data.toString(), "--split", "dev",
            "--beam", "2", "--max-len", "10", "--json", ej.toString()), err.toString());
        Map<String, Object> e = (Map<String, Object>) Json.read(ej);
        List<Map<String, Object>> members = (List<Map<String, Object>>) e.get("ensemble");
        assertEquals(3, members.size(), "two members of the ensemble folder and the model");
        assertEquals(ens.resolve("member-2").toString(), members.get(1).get("folder"));
        for (int k = 0; k < 3; k++)   // the default --src-tokenizer word,bpe: members take word and BPE in turn; the model alone took word
            assertEquals(k == 1 ? "bpe" : "word", ((Map<String, Object>) ((Map<String, Object>) members.get(k).get("config")).get("train")).get("src_tokenizer"));
        assertEquals(519L, ((Number) ((Map<String, Object>) e.get("dev")).get("sentences")).longValue());

        StringWriter e2 = new StringWriter();
        assertEquals(1, run(e2, "l2g", "translate", "--model", model.toString(), "--strict", "qqqzzz regen"));
        assertTrue(e2.toString().contains("qqqzzz"), e2.toString());

        Path bad = tmp.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("spoken_train.txt"), "a b\nc d\n");
        Files.writeString(bad.resolve("glosses_train.txt"), "A B\n");
        StringWriter e3 = new StringWriter();
        assertEquals(1, run(e3, "l2g", "train", "--data", bad.toString(), "--out", tmp.resolve("x").toString()));
        assertTrue(e3.toString().contains("spoken_train.txt has 2 lines"), e3.toString());
    }

    @Test
    void trainWithNoOptionsTrainsThePublishedRecipe() {
        CommandLine cl = Main.commandLine();
        CommandLine.ParseResult pr = cl.parseArgs("l2g", "train");
        L2gCommand.Train t = (L2gCommand.Train) pr.subcommand().subcommand().commandSpec().userObject();
        L2gTraining.Options o = t.options();
        assertEquals(L2gTraining.Options.defaults(o.data(), Path.of("runs/l2g")), o, "the flags' defaults are the library's");
        // the recipe of the closing note of issue 6 (test BLEU-4 21.24), flag by flag
        assertEquals(20, o.epochs());
        assertEquals(32, o.batch());
        assertEquals(7e-4, o.lr(), 0);
        assertEquals(600, o.warmup());
        assertEquals("cosine", o.schedule());
        assertEquals(2, o.encoderLayers());
        assertEquals(2, o.decoderLayers());
        assertEquals(256, o.dModel());
        assertEquals(4, o.heads());
        assertEquals(1024, o.ffDim());
        assertEquals(0.2f, o.dropout());
        assertEquals(0.1f, o.labelSmoothing());
        assertEquals(5, o.average());
        assertEquals(1, o.seed());
        assertEquals(L2gTraining.DEFAULT_MEMBERS, t.members);
        assertEquals(6, t.members, "an ensemble of six: dev BLEU-4 24.99 against 21.76-23.86 for single models (beam 5)");
        assertEquals("word,bpe", o.srcTokenizer(), "members read the source as words and as BPE in turn: dev 24.99 against 24.59 for six word members");
        assertEquals(2000, o.bpeMerges());
        assertEquals("word", o.tgtTokenizer());
    }
}
