package org.bgtai.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiFunction;
import java.util.Map;
import org.bgtai.align.AlignMetrics;
import org.bgtai.align.DsNet;
import org.bgtai.audio.data.Fsdd;
import org.bgtai.autograd.Var;
import org.bgtai.data.AvDigits;
import org.bgtai.data.Dataset;
import org.bgtai.data.DigitString;
import org.bgtai.data.DigitStrings;
import org.bgtai.data.Mnist;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.data.Words;
import org.bgtai.metrics.Retrieval;
import org.bgtai.align.AlignConfig;
import org.bgtai.align.AlignTeacher;
import org.bgtai.align.JointAlignment;
import org.bgtai.align.ResultFilter;
import org.bgtai.align.StringSamples;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.joint.DataSource;
import org.bgtai.model.Embeddings;
import org.bgtai.joint.JointRecipe;
import org.bgtai.joint.WorldRun;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;

/**
 * Shared set-up of the joint-alignment experiments (Table 4, Fig. 2): digit strings of 1-5
 * FSDD clips (one speaker) with their MNIST strips padded to the widest 5-digit strip, prepared once per seed;
 * the DTW teacher paths; training one arm ({@link AlignConfig}) and scoring it on test strings
 * (audio<->image R@1/R@5 with the whole test set as gallery, the Result Filter, and DS-Net's
 * alignment frame accuracy against the true clip boundaries).
 */
final class JointSetup {
    /**
     * The strings' layout: honest ({@link DigitStrings.Options#HONEST}), with the digit words as
     * text (the text vocabulary here is the ten digit words and {@code maxText} is 5).
     */
    static final DigitStrings.Options LAYOUT = DigitStrings.Options.HONEST.withText(DigitStrings.Text.PLAIN);
    /** Strips are padded on the right to the widest 5-digit strip of {@link #LAYOUT}. */
    static final int HEIGHT = 28, WIDTH = LAYOUT.maxStripWidth(5);
    /** Encoder positions are 4 log-mel hops apart. */
    final double positionMs;
    final ModelConfig mc;
    final Tokenizer textVocab, glossVocab;
    final Prepared[] train, val;
    /** One-digit strings from other training clips, for the arms' shared warm start ({@link #warmStart}); empty when none. */
    final Prepared[] warm;
    final List<DigitString> valStrings;
    final Map<Integer, Prepared[]> test = new LinkedHashMap<>();
    final Map<Integer, List<DigitString>> testStrings = new LinkedHashMap<>();
    final float[][] paths;
    /** The DTW teacher whose paths supervise DS-Net (null in a {@link #subset}). */
    final AlignTeacher teacher;
    final long seed;

    /** AV-Digits splits, loaded once per process, and the MNIST they draw their images from. */
    record Sources(Dataset<Sample> train, Dataset<Sample> val, Dataset<Sample> test, Mnist mnist) {
        /** @param dataDir folder holding fsdd/ and mnist/ (null: the shared one) */
        static Sources load(Path dataDir) throws IOException {
            DataSource.Sources d = DataSource.Sources.at(dataDir);
            Fsdd fsdd = d.fsdd();
            Mnist mnist = d.mnist();
            return new Sources(AvDigits.load(fsdd, mnist, Split.TRAIN, 0), AvDigits.load(fsdd, mnist, Split.VAL, 0), AvDigits.load(fsdd, mnist, Split.TEST, 0), mnist);
        }
    }

    /**
     * @param testLengths string lengths of the test sets (one set of {@code nTest} strings each)
     * @param trainMax    training and validation strings have 1..trainMax digits
     * @param nWarm       one-digit strings for {@link #warmStart} (0: none)
     */
    JointSetup(Sources src, ModelConfig mc, long seed, int nTrain, int nVal, int nTest, int trainMax, int[] testLengths, int nWarm) {
        this.mc = mc;
        this.seed = seed;
        this.positionMs = 4000.0 * mc.hop() / mc.sampleRate();
        List<String> texts = new ArrayList<>(), glosses = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            texts.add(Words.digit(d));
            glosses.add(Words.digitGloss(d));
        }
        textVocab = WordTokenizer.train(texts, 1, true);
        glossVocab = WordTokenizer.train(glosses, 1, false);
        List<DigitString> tr = DigitStrings.generate(src.train(), nTrain, 1, trainMax, 1000 + seed, LAYOUT).items();
        valStrings = DigitStrings.generate(src.val(), nVal, 1, trainMax, 2000 + seed, LAYOUT).items();
        train = prepare(tr);
        val = prepare(valStrings);
        warm = nWarm > 0 ? prepare(DigitStrings.generate(src.train(), nWarm, 1, 1, 4000 + seed, LAYOUT).items()) : new Prepared[0];
        for (int k : testLengths) {
            List<DigitString> t = DigitStrings.generate(src.test(), nTest, k, k, 3000 + 10 * seed + k, LAYOUT).items();
            testStrings.put(k, t);
            test.put(k, prepare(t));
        }
        // DTW teacher: dictionary from every 3rd single-digit training clip
        List<Sample> clips = new ArrayList<>();
        for (int i = 0; i < src.train().size(); i += 3) clips.add(src.train().get(i));
        teacher = AlignTeacher.fit(List.of(Prepared.prepare(clips, mc, textVocab, glossVocab)), mc.nMels());
        paths = new float[train.length][];
        for (int i = 0; i < train.length; i++) paths[i] = teacher.path(train[i]);
    }

    private JointSetup(JointSetup o, int n) {
        positionMs = o.positionMs;
        mc = o.mc;
        seed = o.seed;
        textVocab = o.textVocab;
        glossVocab = o.glossVocab;
        train = java.util.Arrays.copyOf(o.train, n);
        warm = new Prepared[0];
        paths = java.util.Arrays.copyOf(o.paths, n);
        val = java.util.Arrays.copyOf(o.val, Math.min(n, o.val.length));
        valStrings = o.valStrings.subList(0, val.length);
        teacher = null;
    }

    /** The first {@code n} training (and at most n validation) strings; no test sets. */
    JointSetup subset(int n) {
        return new JointSetup(this, Math.min(n, train.length));
    }

    Prepared[] prepare(List<DigitString> strings) {
        return Prepared.prepare(StringSamples.samples(strings, WIDTH), mc, textVocab, glossVocab);
    }

    /**
     * Alignment frame accuracy of the untrained baselines on one prepared set, against the true
     * clip boundaries: {@code uniform split} (Q equal spans) and {@code DTW teacher} (the
     * dictionary DTW whose paths DS-Net learns from).
     */
    Map<String, Double> alignBaselines(Prepared[] data, List<DigitString> strings) {
        double uni = 0, dtw = 0;
        for (int i = 0; i < data.length; i++) {
            int n = AlignTeacher.positions(data[i]), q = AlignTeacher.tokens(data[i]).length;
            int[] truth = StringSamples.truth(strings.get(i), n, positionMs);
            var u = org.bgtai.align.DictionaryAligner.uniform(q, n);
            var t = teacher.segmentation(data[i]);
            uni += AlignMetrics.frameAccuracy(AlignMetrics.labels(u.starts(), u.ends(), n), truth);
            dtw += AlignMetrics.frameAccuracy(AlignMetrics.labels(t.starts(), t.ends(), n), truth);
        }
        return Map.of(UNIFORM, uni / data.length, TEACHER, dtw / data.length);
    }

    /** Column names of {@link #alignBaselines}. */
    static final String UNIFORM = "uniform split", TEACHER = "DTW teacher";

    /** A trained arm. */
    record Trained(JointModel model, JointAlignment align, List<Epoch> history) {}

    /**
     * The model every arm starts from: the plain objective (InfoNCE + gloss CE, no DS-Net) on the
     * warm-up one-digit strings and the training strings together, for {@code options}' epochs
     * (its checkpoints make it resumable). A warm start shared by the arms means they differ only
     * in what their own terms do afterwards, as the paper's ablations start from one pretrained model.
     */
    Map<String, Tensor> warmStart(TrainOptions options) {
        Prepared[] all = java.util.Arrays.copyOf(warm, warm.length + train.length);
        System.arraycopy(train, 0, all, warm.length, train.length);
        JointModel model = new JointModel(mc, textVocab, glossVocab, new Rng(seed));
        WorldRun.normalise(model, train);
        new Trainer(options.withLog(System.getenv("BGTAI_VERBOSE") == null ? null : System.err)).fit(new JointRecipe(model, null, all, HEIGHT, WIDTH).bucketed(8));
        return model.stateDict();
    }

    /**
     * Trains one arm with the training loop ({@link JointRecipe}): {@code options} carry epochs,
     * batch, learning rate, seed, budget and checkpoints.
     *
     * @param validate validation figures after each epoch, or null
     * @param init     the weights to start from ({@link #warmStart}), or null for the seed's initialisation
     */
    Trained train(AlignConfig ac, TrainOptions options, BiFunction<JointModel, JointAlignment, Map<String, Double>> validate) {
        return train(ac, options, validate, null);
    }

    Trained train(AlignConfig ac, TrainOptions options, BiFunction<JointModel, JointAlignment, Map<String, Double>> validate, Map<String, Tensor> init) {
        Rng rng = new Rng(seed);
        JointModel model = new JointModel(mc, textVocab, glossVocab, rng);
        WorldRun.normalise(model, train);
        if (init != null) model.loadStateDict(init, true);
        JointAlignment align = ac.usesDsNet() ? new JointAlignment(ac, paths, glossVocab.size(), mc.dModel(), new Rng(seed + 77)) : null;
        JointRecipe recipe = new JointRecipe(model, align, train, HEIGHT, WIDTH);
        if (validate != null) recipe.validateWith(m -> validate.apply(m, align));
        List<Epoch> h = new Trainer(options.withLog(System.getenv("BGTAI_VERBOSE") == null ? null : System.err)).fit(recipe).history();
        return new Trained(model, align, h);
    }

    /** Result Filter threshold: the configured quantile of DS-Net costs of the validation true pairs. */
    double threshold(JointModel model, JointAlignment align) {
        float[][] src = JointAlignment.sources(model, val, 64);
        double[] c = new double[val.length];
        for (int i = 0; i < c.length; i++) c[i] = align.cost(src[i], AlignTeacher.tokens(val[i]));
        return ResultFilter.calibrate(c, align.config().rfQuantile());
    }

    /**
     * Test metrics of an arm on one prepared set: a2i / i2a R@1, R@5 (gallery = the whole set);
     * with DS-Net the alignment frame accuracy of its Viterbi spans against the truth; with the
     * Result Filter on, a2i after filtering at {@code threshold} and the rejected fraction.
     */
    Map<String, Double> evaluate(JointModel model, JointAlignment align, Prepared[] data, List<DigitString> strings, double threshold) {
        Embeddings e = Embeddings.of(model, data, HEIGHT, WIDTH, 64);
        Map<String, Double> m = new LinkedHashMap<>();
        Retrieval.Scores a2i = Retrieval.retrieve(e.audio(), e.labels(), e.image(), e.labels());
        Retrieval.Scores i2a = Retrieval.retrieve(e.image(), e.labels(), e.audio(), e.labels());
        m.put("a2i_R@1", a2i.r1());
        m.put("a2i_R@5", a2i.r5());
        m.put("i2a_R@1", i2a.r1());
        m.put("i2a_R@5", i2a.r5());
        if (align != null) {
            float[][] src = JointAlignment.sources(model, data, 64);
            double acc = 0;
            for (int i = 0; i < data.length; i++) {
                int n = AlignTeacher.positions(data[i]);
                DsNet.Alignment al = align.dsNet().align(Var.of(Tensor.of(src[i], n, mc.dModel())), AlignTeacher.tokens(data[i]));
                var s = al.segmentation();
                acc += AlignMetrics.frameAccuracy(AlignMetrics.labels(s.starts(), s.ends(), n), StringSamples.truth(strings.get(i), n, positionMs));
            }
            m.put("align_frame_acc", acc / data.length);
            if (align.config().resultFilter()) {
                ResultFilter.Filtered f = ResultFilter.retrieve(e.audio(), e.labels(), e.image(), e.labels(), align.config().rfTopK(), threshold,
                    (q, g) -> align.cost(src[q], AlignTeacher.tokens(data[g])));
                m.put("a2i_RF_R@1", f.scores().r1());
                m.put("a2i_RF_R@5", f.scores().r5());
                m.put("RF_rejected", f.rejected());
            }
        }
        return m;
    }
}
