package org.bgtai.experiments;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.data.Sample;
import org.bgtai.generate.FlowGenerator;
import org.bgtai.generate.ImageClassifier;
import org.bgtai.generate.SoundToImage;
import org.bgtai.joint.DataSource;
import org.bgtai.metrics.Fid;
import org.bgtai.metrics.InceptionScore;
import org.bgtai.model.JointModel;
import org.bgtai.model.Prepared;

/**
 * Table 4's generation columns (the paper's FID and IS of images generated from each model's
 * embeddings), for one seed. The digit judge is trained once, as Fig. 3 trains it
 * ({@link GenerationExperiment.DigitImages}: a CNN on the first MNIST training images, with
 * {@link GenerationExperiment.Settings}' image count and epochs; fewer images in a quick run). Every arm's trained model then
 * gets a {@link SoundToImage} generator conditioned on its audio embedding, trained on the same
 * AV-Digits single-digit training pairs (FSDD clip -> its 28x28 MNIST image) with the same
 * budget and seed, and generates one image per single-digit test clip at a fixed guidance weight.
 * Measured ({@link #ACC}, {@link #IS}, {@link #FID}): the judge's accuracy against the clip's
 * digit, the Inception Score on the judge's class probabilities, and the Fréchet distance on the
 * judge's features against the real MNIST reference set of Fig. 3; under {@link #REAL} the same
 * figures of the real paired test images, with the real-vs-real FID floor.
 */
final class Table4Generation {
    /** Column of the real-image figures: judge accuracy and IS of the paired real test images, and the real-vs-real FID floor. */
    static final String REAL = "real images";
    /** Metric names, the same for the arms and {@link #REAL}. */
    static final String ACC = "gen_class_acc", IS = "gen_IS", FID = "gen_FID";
    /** Classifier-free guidance weight of every arm's generator (fixed: no per-arm choice on validation clips). */
    static final float GUIDANCE = 2f;

    /**
     * The generators' budget, the same for every arm, and the judge's.
     * @param pairs       AV-Digits single-digit training pairs (evenly spread over the training split)
     * @param testClips   single-digit test clips generated from (evenly spread over the test split; 0 = all)
     * @param gen         generator settings
     * @param judgeImages MNIST training images of the judge
     * @param judgeEpochs the judge's epochs
     */
    record Budget(int pairs, int testClips, SoundToImage.Config gen, int judgeImages, int judgeEpochs) {
        /**
         * Full: Fig. 3's digit judge (its full settings), and per arm a generator of U-Net width 8
         * trained on 1200 pairs for 5 epochs, 8 Euler steps; quick: a judge on 800 images, and
         * 48 pairs, 2 epochs, 4 steps, 40 test clips. {@code bgtai.table4.genPairs} and
         * {@code bgtai.table4.genEpochs} override the pairs and epochs.
         */
        static Budget of(boolean quick) {
            GenerationExperiment.Settings fig3 = GenerationExperiment.Settings.of(quick);
            int pairs = Integer.getInteger("bgtai.table4.genPairs", quick ? 48 : 1200), epochs = Integer.getInteger("bgtai.table4.genEpochs", quick ? 2 : 5);
            return new Budget(pairs, quick ? 40 : 0, new SoundToImage.Config(8, epochs, 16, 3e-3, quick ? 4 : 8, FlowGenerator.Solver.EULER, GUIDANCE, 0.1f),
                quick ? Math.min(800, fig3.judgeMnist()) : fig3.judgeMnist(), fig3.judgeEpochsDigits());
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("training_pairs", pairs);
            m.put("test_clips", testClips > 0 ? testClips : "all single-digit test clips");
            m.put("generator", Map.of("unet_base", gen.base(), "epochs", gen.epochs(), "batch", gen.batch(), "lr", gen.lr(), "steps", gen.steps(),
                "solver", gen.solver().name(), "guidance", Double.parseDouble(Float.toString(gen.guidance())), "cond_dropout", Double.parseDouble(Float.toString(gen.condDropout()))));
            m.put("judge", Map.of("mnist_training_images", judgeImages, "epochs", judgeEpochs, "as", "fig3's digit judge"));
            m.put("fid_features", "the judge's " + ImageClassifier.FEATURES + " hidden units; reference: every other MNIST test image");
            return m;
        }
    }

    private final Budget budget;
    private final long seed;
    private final boolean quiet, resume;
    private final Path checkpoints;
    private final Prepared[] pairs;
    private final List<Sample> test;
    private final GenerationExperiment.DigitImages real;
    private final ImageClassifier judge;
    /** The judge's features of the real reference set. */
    private final float[][] reference;

    /**
     * Trains the seed's judge (checkpoint {@code checkpoints/judge-seed<seed>}) and prepares the
     * generators' training pairs for the models of {@code s}.
     */
    Table4Generation(JointSetup.Sources src, JointSetup s, Budget budget, Path checkpoints, boolean resume) {
        this.budget = budget;
        this.seed = s.seed;
        this.checkpoints = checkpoints;
        this.resume = resume;
        this.quiet = System.getenv("BGTAI_VERBOSE") == null;
        pairs = Prepared.prepare(DataSource.thin(src.train().items(), budget.pairs()), s.mc, s.textVocab, s.glossVocab);
        test = DataSource.thin(src.test().items(), budget.testClips());
        real = GenerationExperiment.DigitImages.of(src.mnist(), budget.judgeImages(), test);
        judge = real.judge(budget.judgeEpochs(), seed, quiet, checkpoints.resolve("judge-seed" + seed), resume);
        reference = judge.features(real.refA());
    }

    /** Single-digit test clips generated from. */
    int testClips() {
        return test.size();
    }

    /** The {@link #REAL} column: the judge on the paired real test images (accuracy, IS) and the real-vs-real FID floor. */
    Map<String, Double> real() {
        float[][] images = new float[test.size()][];
        for (int i = 0; i < images.length; i++) images[i] = test.get(i).image().data();
        Map<String, Double> m = judged(images);
        m.put(FID, Fid.distance(judge.features(real.refB()), reference));
        return m;
    }

    /** Trains {@code arm}'s generator on its model's audio embeddings (checkpoint {@code checkpoints/generator-<arm>-seed<seed>}) and scores its images. */
    Map<String, Double> arm(String arm, JointModel model) {
        SoundToImage s2i = SoundToImage.train(model, pairs, 28, 28, budget.gen(), seed + 500, quiet, checkpoints.resolve("generator-" + arm + "-seed" + seed), resume);
        float[][] gen = GenerationExperiment.pixels(s2i.generate(s2i.embedSamples(test), seed + 100));
        Map<String, Double> m = judged(gen);
        m.put(FID, Fid.distance(judge.features(gen), reference));
        return m;
    }

    /** Judge accuracy against the test clips' digits and IS of {@code images} (one per test clip). */
    private Map<String, Double> judged(float[][] images) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(ACC, GenerationExperiment.accuracy(judge.predict(images), GenerationExperiment.labels(test)));
        m.put(IS, InceptionScore.score(judge.probabilities(images)));
        return m;
    }
}
