package org.bgtai.langue2gloss;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.testing.Shared;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains a tiny model for a few steps on the first 50 PHOENIX-2014T pairs. */
class L2gTrainingTest {
    static L2gTraining.Options options(Path data, Path out, int epochs, boolean resume) {
        return new L2gTraining.Options(data, out, epochs, 0, 10, 2e-3, 5, "inverse-sqrt", 0.1f, 1.0, 0.01, 7, resume,
            32, 2, 64, 1, 1, 0.2f, true, "word", "word", 1, 100, 2, 50, 10);
    }

    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Test
    void ensembleMembersTakeTheSourceTokenizersInTurn() {
        Path out = Path.of("runs/l2g");
        L2gTraining.Options d = L2gTraining.Options.defaults(Path.of("data"), out);   // "word,bpe"
        L2gTraining.Options bpe = d.withSourceTokenizer(" bpe ");
        for (int k = 1; k <= 4; k++) {
            L2gTraining.Options m = d.member(k);
            assertEquals(k % 2 == 1 ? "word" : "bpe", m.srcTokenizer(), "member " + k);
            assertEquals(k, m.seed());
            assertEquals(out.resolve("member-" + k), m.out());
            assertEquals("bpe", bpe.member(k).srcTokenizer(), "one tokenizer: every member takes it");
        }
        var e = assertThrows(IllegalArgumentException.class, () -> d.withSourceTokenizer(" , ").member(1));
        assertTrue(e.getMessage().contains("no source tokenizer"), e.getMessage());
    }

    @Test
    void trainsResumesBitForBitAndDecodes(@TempDir Path tmp) throws Exception {
        Path data = Shared.require("data/phoenix14t-text2gloss");
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        L2gTraining.Result full = L2gTraining.phoenix(options(data, a, 3, false), QUIET);
        List<Float> l = full.stepLosses();
        assertEquals(15, l.size(), "50 sentences, batch 10, 3 epochs");
        double first = (l.get(0) + l.get(1) + l.get(2)) / 3, last = (l.get(12) + l.get(13) + l.get(14)) / 3;
        assertTrue(last < first - 0.5, "loss must decrease: first steps " + first + ", last steps " + last);

        L2gTraining.Result part1 = L2gTraining.phoenix(options(data, b, 2, false), QUIET);
        assertEquals(l.subList(0, 10), part1.stepLosses(), "same seed, same losses");
        L2gTraining.Result part2 = L2gTraining.phoenix(options(data, b, 3, true), QUIET);
        assertEquals(5, part2.stepLosses().size());
        for (int i = 0; i < 5; i++)
            assertEquals(Float.floatToIntBits(l.get(10 + i)), Float.floatToIntBits(part2.stepLosses().get(i)), "step " + (11 + i) + " after resume");
        Map<String, Tensor> wa = Tensorsof(a), wb = Tensorsof(b);
        // the losses above are bit-identical; final weights may differ in the last bit when the JIT
        // switches a kernel from its scalar to its vector form between the runs (other rounding)
        for (var e : wa.entrySet()) assertArrayEquals(e.getValue().toArray(), wb.get(e.getKey()).toArray(), 1e-5f, e.getKey());

        ModelDir.Loaded m = new ModelDir(a).load("best");
        List<String> src = List.of("und nun die wettervorhersage für morgen", "regen im norden");
        List<String> greedy = Evaluation.translate(m.model(), m.source(), m.target(), src, Search.greedy(20), 8);
        List<String> beam = Evaluation.translate(m.model(), m.source(), m.target(), src, new Search(3, 1.0, 20), 8);
        assertEquals(2, greedy.size());
        assertEquals(2, beam.size());
        assertTrue(Files.exists(a.resolve("history.json")) && Files.exists(a.resolve("epoch-3.safetensors")) && !Files.exists(a.resolve("epoch-1.safetensors")));
    }

    @Test
    void anEnsembleTrainsEachMemberAsAloneWithItsSeedAndDecodesThemTogether(@TempDir Path tmp) throws Exception {
        Path data = Shared.require("data/phoenix14t-text2gloss");
        L2gTraining.Options o = options(data, tmp.resolve("ens"), 2, false);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        L2gTraining.EnsembleResult e = L2gTraining.phoenixEnsemble(o, 2, new PrintStream(log, true));
        assertEquals(2, e.members().size());
        // member 2 is the run with seed 8 alone (member 1 with seed 7), whether or not they ran at once
        L2gTraining.Result alone = L2gTraining.phoenix(o.withRun(tmp.resolve("alone"), 8), QUIET);
        List<Float> a = alone.stepLosses(), m2 = e.members().get(1).stepLosses();
        assertEquals(a.size(), m2.size());
        for (int i = 0; i < a.size(); i++)   // equal up to rounding: a member may run its kernels on fewer threads (another summation order)
            assertEquals(a.get(i), m2.get(i), 1e-4f * Math.abs(a.get(i)), "step " + (i + 1));
        assertNotEquals(e.members().get(0).stepLosses(), e.members().get(1).stepLosses(), "members have their own seeds");

        ModelDir ens = new ModelDir(tmp.resolve("ens"));
        assertTrue(ens.isEnsemble());
        assertEquals(List.of(tmp.resolve("ens/member-1"), tmp.resolve("ens/member-2")), ens.memberDirs());
        int better = e.members().get(1).best(L2gTraining.DEV_BLEU4) > e.members().get(0).best(L2gTraining.DEV_BLEU4) ? 2 : 1;
        assertEquals(tmp.resolve("ens/member-" + better), ens.bestMember(), "the member best on dev stands for the ensemble");
        assertEquals(ens.bestMember(), org.bgtai.joint.LanguageInit.read(tmp.resolve("ens")).dir(), "--language-init takes that member");
        List<ModelDir.Loaded> all = ModelDir.loadAll(List.of(tmp.resolve("ens")), "best");
        assertEquals(2, all.size());
        List<String> src = List.of("regen im norden");
        var search = new Search(3, 1.0, 20);
        assertEquals(Evaluation.translate(ModelDir.models(all), all.get(0).source(), all.get(0).target(), src, search, 8),
            Evaluation.translate(List.of(all.get(0).model(), all.get(1).model()), all.get(0).source(), all.get(0).target(), src, search, 8));
        if (Runtime.getRuntime().availableProcessors() > 1)
            assertTrue(log.toString().contains("member-2: epoch 2"), "epoch lines are prefixed with the member: " + log);

        // a model that reads the source as BPE joins (same gloss vocabulary): each member gets its own ids
        L2gTraining.phoenix(new L2gTraining.Options(data, tmp.resolve("bpe"), 1, 0, 10, 2e-3, 5, "inverse-sqrt", 0.1f, 1.0, 0.01, 9, false,
            32, 2, 64, 1, 1, 0.2f, true, "bpe", "word", 1, 100, 2, 50, 10), QUIET);
        List<ModelDir.Loaded> mixed = ModelDir.loadAll(List.of(tmp.resolve("ens"), tmp.resolve("bpe")), "best");
        List<Tokenizer> srcs = ModelDir.sources(mixed);
        assertEquals(3, srcs.size());
        assertInstanceOf(WordTokenizer.class, srcs.get(0));
        assertInstanceOf(org.bgtai.text.BpeTokenizer.class, srcs.get(2));
        List<EncoderInput> each = srcs.stream().map(t -> (EncoderInput) EncoderInput.Text.of(new int[][] {t.encode(src.get(0))})).toList();
        assertEquals(List.of(mixed.get(0).target().decode(search.decodeEach(ModelDir.models(mixed), each).get(0))),
            Evaluation.translate(mixed, src, search, 8));

        // a model with another gloss vocabulary cannot join
        L2gTraining.phoenix(new L2gTraining.Options(data, tmp.resolve("other"), 1, 0, 10, 2e-3, 5, "inverse-sqrt", 0.1f, 1.0, 0.01, 7, false,
            32, 2, 64, 1, 1, 0.2f, true, "word", "word", 1, 100, 2, 40, 10), QUIET);
        var bad = assertThrows(IllegalArgumentException.class, () -> ModelDir.loadAll(List.of(tmp.resolve("ens"), tmp.resolve("other")), "best"));
        assertTrue(bad.getMessage().contains("same gloss vocabulary"), bad.getMessage());
    }

    static Map<String, Tensor> Tensorsof(Path dir) throws Exception {
        ModelDir d = new ModelDir(dir);
        return ModelDir.readWeights(d.file(ModelDir.CHECKPOINT), d.sourceTokenizer(), d.targetTokenizer()).model();
    }

    @Test
    void incompatibleCheckpointsAreNamed(@TempDir Path tmp) throws Exception {
        Path data = Shared.require("data/phoenix14t-text2gloss");
        Path a = tmp.resolve("a");
        L2gTraining.phoenix(options(data, a, 1, false), QUIET);
        ModelDir d = new ModelDir(a);
        // another architecture: a wider model folder pointing at the same weights
        L2GConfig cfg = d.modelConfig();
        L2GConfig wide = new L2GConfig(cfg.srcVocab(), cfg.tgtVocab(), 48, 2, 64, 1, 1, 0.2f, true, cfg.maxLen());
        Path w = tmp.resolve("wide");
        new ModelDir(w).writeSetup(wide, Map.of(), d.sourceTokenizer(), d.targetTokenizer());
        Files.copy(d.file(ModelDir.BEST), w.resolve(ModelDir.BEST));
        var e = assertThrows(IllegalArgumentException.class, () -> new ModelDir(w).load("best"));
        assertTrue(e.getMessage().contains("text_embed.weight") && e.getMessage().contains("best.safetensors"), e.getMessage());
        // another vocabulary
        Tokenizer other = WordTokenizer.train(List.of("ganz andere woerter hier"), 1, true);
        Path v = tmp.resolve("vocab");
        new ModelDir(v).writeSetup(new L2GConfig(other.size(), cfg.tgtVocab(), 32, 2, 64, 1, 1, 0.2f, true, cfg.maxLen()), Map.of(), other, d.targetTokenizer());
        Files.copy(d.file(ModelDir.BEST), v.resolve(ModelDir.BEST));
        e = assertThrows(IllegalArgumentException.class, () -> new ModelDir(v).load("best"));
        assertTrue(e.getMessage().contains("source vocabulary"), e.getMessage());
        // missing folder
        var nf = assertThrows(java.nio.file.NoSuchFileException.class, () -> new ModelDir(tmp.resolve("none")).load("best"));
        assertTrue(nf.getMessage().contains("config.json"));
    }
}
