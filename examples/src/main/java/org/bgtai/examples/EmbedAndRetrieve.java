package org.bgtai.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Sample;
import org.bgtai.joint.DataSource;
import org.bgtai.joint.Run;
import org.bgtai.metrics.Retrieval;
import org.bgtai.model.Embeddings;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelIO;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.tensor.Rng;

/**
 * A shared embedding space for sound, images and text, and retrieval in it. Trains a small BGTAI
 * joint model on the built-in world (coloured shapes, and tones whose pitch, timbre and loudness
 * say colour, shape and size; generated, no downloads) with {@link Run}, saves it
 * ({@link ModelIO}) and loads it back as an application would, then:
 * <ul>
 * <li>embeds a new sound (one the model never heard) with {@link Embeddings#audio(JointModel, float[], int)};
 * <li>retrieves the test images nearest to it by cosine similarity ({@link Retrieval#topK});
 * <li>classifies it zero-shot against the embeddings of the 48 class captions;
 * <li>reports audio-to-image R@1 over the whole test split against chance (1 / 48).
 * </ul>
 *
 * <p>Run it with {@code bin/bgtai example EmbedAndRetrieve [MODEL_FILE]}, or after {@code mvn package}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "examples/target/classes:cli/target/lib/*" org.bgtai.examples.EmbedAndRetrieve
 * </pre>
 * Time: about 40 s for 768 training pairs, 12 epochs ({@code bin/bgtai example}, JVM start included, 2 cores shared with
 * another job).
 */
public final class EmbedAndRetrieve {
    private EmbedAndRetrieve() {}

    static final WorldConfig WORLD = new WorldConfig(32, 8000, 0.5, 16, 4);
    static final int EPOCHS = 12;

    /**
     * What the program computed.
     *
     * @param queryLabel   class of the new sound
     * @param topLabels    classes of the 5 test images nearest to it, nearest first
     * @param zeroShot     the caption class nearest to it
     * @param r1           audio-to-image R@1 over the test split (relevant = same class)
     * @param chance       R@1 of a random ranking (1 / classes)
     * @param zeroShotAcc  zero-shot accuracy of test sounds against the class captions
     */
    public record Result(int queryLabel, int[] topLabels, int zeroShot, double r1, double chance, double zeroShotAcc) {}

    public static void main(String[] args) throws IOException {
        run(args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("bgtai-embed").resolve("model.safetensors"), System.out);
    }

    /** Trains, saves to {@code modelFile}, reloads and retrieves, printing to {@code out}. */
    public static Result run(Path modelFile, PrintStream out) throws IOException {
        ModelConfig config = ModelConfig.world(ModelConfig.Variant.BGTAI);
        TrainOptions options = TrainOptions.of(EPOCHS, 48, 2e-3).withSchedule(Schedule.warmupCosine(20)).withSeed(1).withLog(out);
        out.printf("training BGTAI on the built-in world: %d pairs, %d epochs%n", WORLD.perClass() * BuiltinWorld.numClasses(), EPOCHS);
        Run.Result run = Run.run(new DataSource.World(WORLD), config, options, 1, null);
        ModelIO.save(modelFile, run.model());

        JointModel model = ModelIO.load(modelFile);   // config, vocabularies and weights from the one file
        Embeddings test = Embeddings.of(model, run.data().test(), run.data().height(), run.data().width(), 64);
        List<String> testCaptions = run.data().testTexts();

        // a sound the model has never heard: a big blue triangle, newly synthesised
        int label = (1 * BuiltinWorld.COLOURS.length + 2) * BuiltinWorld.SHAPES.length + 2;   // (size, colour, shape) = (big, blue, triangle)
        Sample query = BuiltinWorld.sample(WORLD, label, new Rng(12345));
        float[] q = Embeddings.audio(model, query.audio(), query.sampleRate());
        out.printf("query: a new sound of a \"%s\" (%d-d embedding)%n", query.text(), q.length);
        int[] top = Retrieval.topK(q, test.image(), 5);
        int[] topLabels = new int[top.length];
        for (int i = 0; i < top.length; i++) {
            topLabels[i] = test.labels()[top[i]];
            out.printf("  %d. cosine %.3f  test image %3d: %s %s%n", i + 1, Retrieval.cosine(q, test.image()[top[i]]), top[i],
                testCaptions.get(top[i]), topLabels[i] == label ? "(same class)" : "");
        }
        float[][] captions = Embeddings.texts(model, BuiltinWorld.captions());
        int zs = Retrieval.topK(q, captions, 1)[0];
        out.printf("zero-shot: the nearest caption is \"%s\"%n", BuiltinWorld.caption(zs));

        double r1 = Retrieval.retrieve(test.audio(), test.labels(), test.image(), test.labels()).r1();
        double zsAcc = Retrieval.zeroShot(test.audio(), test.labels(), captions);
        double chance = 1.0 / BuiltinWorld.numClasses();
        out.printf("test split (%d sounds, %d images): audio->image R@1 %.1f%% (chance %.1f%%), zero-shot accuracy %.1f%%%n", test.audio().length,
            test.image().length, 100 * r1, 100 * chance, 100 * zsAcc);
        return new Result(label, topLabels, zs, r1, chance, zsAcc);
    }
}
