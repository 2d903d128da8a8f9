package org.bgtai.langue2gloss;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bgtai.audio.LogMel;
import org.bgtai.audio.data.Fsdd;
import org.bgtai.data.AvDigits;
import org.bgtai.data.Dataset;
import org.bgtai.data.DigitString;
import org.bgtai.data.DigitStrings;
import org.bgtai.data.Image;
import org.bgtai.data.Sample;
import org.bgtai.data.Words;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.tensor.testing.Shared;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains a tiny audio->gloss model on a handful of spoken digit strings (one FSDD speaker, one take per digit). */
class AudioToGlossTrainingTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    static final int MELS = 40;
    static List<float[]> mels = new ArrayList<>();
    static List<String> texts = new ArrayList<>(), glosses = new ArrayList<>();
    static Tokenizer src, tgt;

    @BeforeAll
    static void data() throws Exception {
        Fsdd fsdd = Fsdd.open(Shared.require("data/fsdd"));
        String speaker = fsdd.speakers().get(0);
        List<Sample> clips = new ArrayList<>();
        Image blank = new Image(1, 28, 28, new float[28 * 28]);
        for (Fsdd.Clip c : fsdd.clips())
            if (c.speaker().equals(speaker) && c.take() == 5)
                clips.add(new Sample(AvDigits.readMono8k(c.file()), AvDigits.SAMPLE_RATE, blank, Words.digit(c.digit()), Words.digitGloss(c.digit()), c.digit(), speaker));
        assertEquals(10, clips.size(), "one take of every digit for " + speaker);
        Dataset<DigitString> strings = DigitStrings.generate(Dataset.of("tiny", clips), 6, 1, 3, 11);
        LogMel lm = Prepared.logMel(ModelConfig.digits(ModelConfig.Variant.BGTAI));
        for (DigitString s : strings.items()) {
            mels.add(Prepared.features(lm, s.audio(), s.sampleRate()));
            texts.add(s.text());
            glosses.add(s.gloss());
        }
        src = WordTokenizer.train(texts, 1, true);
        tgt = WordTokenizer.train(glosses, 1, false);
    }

    static int[][] ids(Tokenizer t, List<String> lines) {
        int[][] out = new int[lines.size()][];
        for (int i = 0; i < out.length; i++) out[i] = t.encode(lines.get(i));
        return out;
    }

    static L2gTraining.Result fit(Path dir, int epochs, boolean resume) throws Exception {
        L2GConfig cfg = new L2GConfig(src.size(), tgt.size(), 32, 2, 64, 1, 1, 0f, true, 256, MELS);
        float mean = 0, sq = 0;
        int n = 0;
        for (float[] m : mels) for (float v : m) {
            mean += v;
            sq += v * v;
            n++;
        }
        float mu = mean / n, sd = (float) Math.sqrt(sq / n - mu * mu);
        List<Langue2GlossRecipe.Task> tasks = List.of(
            new Langue2GlossRecipe.Task("audio", Sources.audio(mels, MELS), ids(tgt, glosses), 1f),
            new Langue2GlossRecipe.Task("text", Sources.text(ids(src, texts)), ids(tgt, glosses), 0.5f));
        var o = new L2gTraining.TaskOptions(dir, epochs, 6, 3e-3, 5, "constant", 0f, 1.0, 0.0, 3, resume, 0, 0);
        return L2gTraining.tasks(cfg, m -> m.audioFrontEnd().setMelStats(mu, sd), tasks, Sources.audio(mels, MELS), glosses, src, tgt, o, QUIET);
    }

    @Test
    void lossFallsAndTheModelOverfitsAHandfulOfStrings(@TempDir Path tmp) throws Exception {
        L2gTraining.Result r = fit(tmp, 120, false);
        List<Float> l = r.stepLosses();
        assertEquals(120, l.size(), "6 strings in one batch: one step per epoch");
        assertTrue(l.get(l.size() - 1) < 0.25 * l.get(0), "loss must fall: first " + l.get(0) + ", last " + l.get(l.size() - 1));
        assertEquals(100.0, r.best(L2gTraining.VAL_ACCURACY), "every training string decoded exactly (history " + r.history().get(r.history().size() - 1) + ")");
        ModelDir.Loaded m = new ModelDir(tmp).load("best");
        List<String> beam = Evaluation.translate(m.model(), Sources.audio(mels, MELS), m.target(), new Search(3, 1.0, 8), 4);
        assertEquals(glosses, beam, "beam search on the reloaded best model");
    }

    @Test
    void resumeContinuesTheSameRun(@TempDir Path tmp) throws Exception {
        L2gTraining.Result full = fit(tmp.resolve("a"), 4, false);
        fit(tmp.resolve("b"), 2, false);
        L2gTraining.Result rest = fit(tmp.resolve("b"), 4, true);
        assertEquals(2, rest.stepLosses().size());
        for (int i = 0; i < 2; i++)
            assertEquals(full.stepLosses().get(2 + i), rest.stepLosses().get(i), 1e-5f * Math.abs(full.stepLosses().get(2 + i)), "step " + (3 + i) + " after resume");
        assertEquals(4, rest.history().size(), "the history of the first part is kept");
    }
}
