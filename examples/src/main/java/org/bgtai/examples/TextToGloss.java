package org.bgtai.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bgtai.langue2gloss.Evaluation;
import org.bgtai.langue2gloss.L2gTraining;
import org.bgtai.langue2gloss.ModelDir;
import org.bgtai.langue2gloss.ParallelCorpus;
import org.bgtai.langue2gloss.Search;
import org.bgtai.tensor.io.SharedFiles;

/**
 * Text to sign-language gloss with Langue2Gloss: train a tiny encoder-decoder transformer on the
 * first 400 sentence pairs of RWTH-PHOENIX-Weather 2014T (German weather forecasts and their DGS
 * glosses), save it as a model folder ({@link ModelDir}: config, vocabularies, weights), load the
 * folder again as an application would and translate sentences with beam search (beam 4).
 *
 * <p>Needs the corpus ({@code spoken_train.txt}, {@code glosses_train.txt}, {@code spoken_dev.txt},
 * {@code glosses_dev.txt}): {@code ../shared/data/phoenix14t-text2gloss} by default, or the folder
 * given as the first argument. Without it the program says where it looked and exits (status 0).
 * A model this small on 400 sentences learns the frequent words ({@code REGEN}, {@code MORGEN},
 * {@code NACHT}, {@code SCHNEE}, {@code SONNE}) but repeats some and drops others; {@code bin/bgtai l2g
 * train} trains the full recipe on the whole training split.
 *
 * <p>Run it with {@code bin/bgtai example TextToGloss [DATA_DIR [MODEL_DIR]]}, or after {@code mvn package}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "examples/target/classes:cli/target/lib/*" org.bgtai.examples.TextToGloss
 * </pre>
 * Time: 25 s for 20 epochs ({@code bin/bgtai example}, JVM start included, 2 cores shared with another job).
 */
public final class TextToGloss {
    private TextToGloss() {}

    /** Sentences translated at the end (not in the training subset). */
    public static final List<String> SENTENCES = List.of("am tag regnet es im norden", "morgen wird es im süden sonnig und warm",
        "in der nacht gibt es im osten schnee");

    static final int TRAIN = 400, DEV = 60, EPOCHS = 20;

    /**
     * What the program computed.
     *
     * @param modelDir      the saved model folder
     * @param translations  glosses of {@link #SENTENCES}, translated from the saved folder
     * @param devBleu1      BLEU-1 (0-100) of the first {@value #DEV} dev sentences against their references
     * @param shuffledBleu1 BLEU-1 of the same translations against the references of other sentences
     *                      (what output that ignores its input would score)
     * @param trainLoss     mean loss of the first and the last epoch
     */
    public record Result(Path modelDir, List<String> translations, double devBleu1, double shuffledBleu1, double[] trainLoss) {}

    public static void main(String[] args) throws IOException {
        Path data = args.length > 0 ? Path.of(args[0]) : SharedFiles.find("data/phoenix14t-text2gloss");
        if (data == null || !Files.isRegularFile(data.resolve("spoken_train.txt"))) {
            System.out.println("TextToGloss needs the PHOENIX-2014T text/gloss corpus (spoken_train.txt, glosses_train.txt, spoken_dev.txt, glosses_dev.txt);"
                + " looked in " + (data != null ? data : "../shared/data/phoenix14t-text2gloss (or $BGTAI_SHARED/data/...)")
                + ". Pass its folder as the first argument.");
            return;
        }
        Path out = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("bgtai-text-to-gloss");
        run(data, out, System.out);
    }

    /** Trains a model into {@code modelDir}, loads it from there and translates, printing to {@code out}. */
    public static Result run(Path data, Path modelDir, PrintStream out) throws IOException {
        // the published recipe's options, made tiny: d_model 64, 1 + 1 layers, 400 sentences
        L2gTraining.Options d = L2gTraining.Options.defaults(data, modelDir);
        L2gTraining.Options o = new L2gTraining.Options(data, modelDir, EPOCHS, 0, 16, 5e-3, 40, "inverse-sqrt", 0.1f, d.clip(), d.weightDecay(), 1,
            false, 64, 4, 128, 1, 1, 0.1f, true, "word", "word", 1, d.bpeMerges(), 1, TRAIN, 20);
        out.printf("training Langue2Gloss on the first %d PHOENIX-2014T pairs for %d epochs -> %s%n", TRAIN, EPOCHS, modelDir);
        L2gTraining.Result r = L2gTraining.phoenix(o, new PrintStream(PrintStream.nullOutputStream()));
        double[] loss = {r.history().get(0).loss(), r.history().get(r.history().size() - 1).loss()};
        out.printf("loss %.2f -> %.2f over %d epochs; dev BLEU-1 after the last epoch %.1f (first 20 dev sentences, greedy)%n", loss[0], loss[1],
            r.history().size(), r.history().get(r.history().size() - 1).metric(L2gTraining.DEV_BLEU1));

        // An application needs only the folder: config.json, the two vocabularies and a weights file.
        // "last" is the final epoch (checkpoint.safetensors); "best" (best.safetensors) is the epoch of the
        // highest dev BLEU-4, which a model this small leaves at 0, so it would pick epoch 1.
        ModelDir.Loaded m = new ModelDir(modelDir).load("last");
        Search beam = new Search(4, 0.0, 30);
        List<String> glosses = Evaluation.translate(m.model(), m.source(), m.target(), SENTENCES, beam, 8);
        for (int i = 0; i < SENTENCES.size(); i++) out.printf("  %-42s -> %s%n", SENTENCES.get(i), glosses.get(i));

        ParallelCorpus dev = ParallelCorpus.load(data, "dev").head(DEV);
        List<String> hyp = Evaluation.translate(m.model(), m.source(), m.target(), dev.source(), beam, 16);
        List<String> shuffled = new ArrayList<>(dev.target());
        java.util.Collections.rotate(shuffled, 1);
        double bleu1 = Evaluation.score(hyp, dev.target()).bleu()[0], chance = Evaluation.score(hyp, shuffled).bleu()[0];
        out.printf("first %d dev sentences: BLEU-1 %.1f against their references, %.1f against other sentences' references%n", DEV, bleu1, chance);
        return new Result(modelDir, glosses, bleu1, chance, loss);
    }
}
