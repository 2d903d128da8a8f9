package org.bgtai.joint;

import org.bgtai.model.Embeddings;
import org.bgtai.model.MelAugment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.metrics.Retrieval;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.align.AlignConfig;
import org.bgtai.align.AlignTeacher;
import org.bgtai.align.JointAlignment;
import org.bgtai.align.ResultFilter;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;
import org.bgtai.tensor.Rng;

/**
 * One training run of a joint model on any {@link DataSource} (built-in world, AV-Digits, digit
 * strings): load and prepare the data, set the log-mel normalisation from the training split,
 * fit with the training loop ({@link JointRecipe} on {@link Trainer}: checkpoints, resume and
 * interruption come from the options), then compute the test metrics ({@link #evaluate}).
 *
 * <pre>{@code
 * TrainOptions o = TrainOptions.of(20, 64, 2e-3).withCheckpoints(Path.of("runs/avd"), true).withSeed(1);
 * Run.Result r = Run.run(DataSource.digits(DataSource.dataRoot(null)), ModelConfig.digits(Variant.BGTAI), o, 1, MelAugment.DEFAULT);
 * r.metrics().get("audio_to_image");   // {R@1, R@5, R@10, MRR}
 * }</pre>
 */
public final class Run {
    /**
     * Everything a run produced: the model, the epochs, the test metrics, the data, the test
     * embeddings, and the DS-Net of the alignment terms (null without them).
     */
    public record Result(JointModel model, List<Epoch> history, Map<String, Object> metrics, DataSource.Loaded data, Embeddings testEmbeddings,
                         JointAlignment alignment) {}

    private Run() {}

    /** Loads {@code source} (seeded by {@code seed}) and runs {@link #run(DataSource.Loaded, ModelConfig, TrainOptions, long, MelAugment)}. */
    public static Result run(DataSource source, ModelConfig mc, TrainOptions options, long seed, MelAugment augment) throws IOException {
        return run(source.load(mc, seed), mc, options, seed, augment);
    }

    /**
     * Trains a new model (weights seeded by {@code seed}) on prepared data. A run stopped early
     * ({@link TrainOptions#stopAfter()}, a budget) still returns test metrics of the current weights.
     *
     * @param augment log-mel augmentation of training batches (null = none)
     */
    public static Result run(DataSource.Loaded data, ModelConfig mc, TrainOptions options, long seed, MelAugment augment) {
        return run(data, mc, options, seed, augment, AlignConfig.OFF);
    }

    /**
     * As above with the DS-Net terms of the full objective ({@code a L_CE-align + b L_SP},
     * selection) for a BGTAI model: DS-Net aligns each training pair's gloss with its audio frames
     * against the DTW teacher built from the data's one-gloss clips ({@link DataSource.Loaded#dictionary}).
     * A UniBriVL model trains without them (they are BGTAI's).
     */
    public static Result run(DataSource.Loaded data, ModelConfig mc, TrainOptions options, long seed, MelAugment augment, AlignConfig align) {
        return run(data, mc, options, seed, augment, align, null);
    }

    /**
     * As above, on training pairs of which those flagged in {@code corrupted} are known to be
     * corrupted ({@link Corruption}; null = none known): each epoch's history then scores
     * data-pair selection against them ({@code selection_precision}, {@code selection_recall}).
     */
    public static Result run(DataSource.Loaded data, ModelConfig mc, TrainOptions options, long seed, MelAugment augment, AlignConfig align,
                             boolean[] corrupted) {
        return run(data, new JointModel(mc, data.textTokenizer(), data.glossTokenizer(), new Rng(seed)), options, seed, augment, align, corrupted);
    }

    /**
     * As above on a model the caller built (e.g. with its language side initialised from a trained
     * Langue2Gloss folder, {@link LanguageInit}); its config and tokenizers must be the data's.
     * Text-only data ({@link Prepared#textOnly}) trains with the text-only loss
     * ({@link JointModel#textOnlyLoss}); the DS-Net alignment terms need audio and are refused there.
     */
    public static Result run(DataSource.Loaded data, JointModel model, TrainOptions options, long seed, MelAugment augment, AlignConfig align,
                             boolean[] corrupted) {
        ModelConfig mc = model.config();
        if (model.textTokenizer().size() != data.textTokenizer().size() || model.glossTokenizer().size() != data.glossTokenizer().size())
            throw new IllegalArgumentException("the model's tokenizers (" + model.textTokenizer().size() + " text / " + model.glossTokenizer().size()
                + " gloss tokens) are not the data's (" + data.textTokenizer().size() + " / " + data.glossTokenizer().size() + "); load the data with the model's tokenizers");
        boolean textOnly = Prepared.textOnly(data.train());
        if (textOnly && model.bgtai() && align.usesDsNet())
            throw new IllegalArgumentException(data.name() + " is text-only (no audio): the DS-Net alignment terms (CE-align, SP-Loss, selection) align gloss "
                + "with audio frames and cannot be used; train without them (bin/bgtai train: --ce-align 0 --sp 0)");
        if (!textOnly) normalise(model, data.train());
        JointAlignment ja = null;
        if (model.bgtai() && align.usesDsNet()) {
            if (data.dictionary() == null) throw new IllegalArgumentException(data.name() + " has no one-gloss clips for the DTW teacher; train without the alignment terms");
            AlignTeacher teacher = AlignTeacher.fit(List.of(data.dictionary()), mc.nMels());
            float[][] paths = new float[data.train().length][];
            for (int i = 0; i < paths.length; i++) paths[i] = teacher.path(data.train()[i]);
            ja = new JointAlignment(align, paths, data.glossTokenizer().size(), mc.dModel(), new Rng(seed + 77));
            if (align.selectBy() == AlignConfig.SelectBy.TEACHER) {
                double[] s = new double[paths.length];
                for (int i = 0; i < s.length; i++) s[i] = -teacher.cost(data.train()[i]);
                ja.teacherScores(s);
            }
        }
        JointRecipe recipe = recipe(model, data, ja, augment).corrupted(corrupted);
        List<Epoch> hist = new Trainer(options).fit(recipe).history();
        Embeddings e = Embeddings.of(model, data.test(), data.height(), data.width(), 64);
        Map<String, Object> m = evaluate(model, data, e);
        if (ja != null) m.put("result_filter", resultFilter(ja, model, data, e, align.rfQuantile()));
        m.put("objective", objective(model, align));
        m.put("history", hist.stream().map(ep -> (Object) ep.flat()).toList());
        return new Result(model, hist, m, data, e, ja);
    }
    /**
     * The recipe a run trains {@code model} on {@code data} with: its training pairs, validation on
     * {@code data.val()}, augmentation, length buckets for strips and the data's language corpus
     * (weighted by the gloss weight for BGTAI). The same recipe serves other drivers of the loop
     * (e.g. data-parallel training, where each worker steps its own copy).
     *
     * @param ja the DS-Net terms, or null
     */
    public static JointRecipe recipe(JointModel model, DataSource.Loaded data, JointAlignment ja, MelAugment augment) {
        return new JointRecipe(model, ja, data.train(), data.height(), data.width()).validateOn(data.val()).augment(augment)
            .bucketed(data.variableWidth() ? 16 : 0).corpus(data.corpus(), model.bgtai() ? model.config().glossWeight() : 1f);
    }

    /**
     * The Result Filter on the test audio queries (spec item 5): each query's cost comes from model
     * outputs only ({@link JointAlignment#queryCosts}), the threshold is the {@code quantile} of the
     * validation queries' costs, and the system abstains on test queries above it. Reports
     * precision@1 of audio->image retrieval with and without the filter, the coverage, and the
     * risk-coverage curve (about 20 points).
     */
    public static Map<String, Object> resultFilter(JointAlignment ja, JointModel model, DataSource.Loaded data, Embeddings e, double quantile) {
        double thr = ResultFilter.calibrate(ja.queryCosts(model, data.val(), 64), quantile);
        double[] costs = ja.queryCosts(model, data.test(), 64);
        int[] ranks = Retrieval.ranks(e.audio(), e.labels(), e.image(), e.labels());
        boolean[] ok = new boolean[ranks.length];
        for (int i = 0; i < ok.length; i++) ok[i] = ranks[i] == 1;
        Map<String, Object> rf = new LinkedHashMap<>();
        rf.put("calibration_quantile", quantile);
        rf.put("unfiltered", ResultFilter.at(costs, ok, Double.POSITIVE_INFINITY).toJson());
        rf.put("filtered", ResultFilter.at(costs, ok, thr).toJson());
        List<ResultFilter.Point> curve = ResultFilter.riskCoverage(costs, ok);
        List<Object> pts = new ArrayList<>();
        int step = Math.max(1, curve.size() / 20);
        for (int i = 0; i < curve.size(); i++) if (i % step == 0 || i == curve.size() - 1) pts.add(curve.get(i).toJson());
        rf.put("risk_coverage", pts);
        return rf;
    }

    /** The terms of the objective a model was trained with (saved in its metrics and metadata). */
    public static Map<String, Object> objective(JointModel model, AlignConfig align) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("variant", model.config().variant().name());
        o.put("info_nce", true);
        o.put("c_gloss", model.bgtai() ? (double) model.config().glossWeight() : 0.0);
        o.putAll(model.bgtai() ? align.toJson() : AlignConfig.OFF.toJson());
        if (model.bgtai()) o.put("beam", model.config().beam());
        o.put("cmvn", model.config().cmvn());
        return o;
    }

    /** Sets the model's log-mel normalisation to the mean and standard deviation of {@code train}. */
    public static void normalise(JointModel model, Prepared[] train) {
        normalise(model.audioFrontEnd(), train);
    }

    /** Sets an encoder's log-mel normalisation to the mean and standard deviation of {@code train}. */
    public static void normalise(org.bgtai.model.AudioEncoder frontEnd, Prepared[] train) {
        double s = 0, s2 = 0;
        long n = 0;
        for (Prepared p : train)
            for (float v : p.mel()) {
                s += v;
                s2 += (double) v * v;
                n++;
            }
        double mean = s / n;
        frontEnd.setMelStats((float) mean, (float) Math.sqrt(Math.max(1e-6, s2 / n - mean * mean)));
    }

    /**
     * Test metrics of a model on {@code data.test()}: retrieval in both directions between audio,
     * image and text (gallery = the whole test split, relevant = same label; R@1, R@5, R@10, MRR),
     * and, when the data has class texts, zero-shot accuracy of audio and image against them. On
     * text-only data (no audio: {@link Embeddings#audio()} null) the audio metrics are left out
     * ({@code "audio": false}) and text->image, image->text and the gloss of text are reported.
     */
    public static Map<String, Object> evaluate(JointModel model, DataSource.Loaded data, Embeddings e) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean audio = e.audio() != null;
        m.put("variant", model.config().variant().name());
        m.put("data", data.name());
        m.put("test_samples", data.test().length);
        if (!audio) m.put("audio", false);
        if (data.classTexts() != null) m.put("classes", data.classTexts().size());
        if (audio) {
            m.put("audio_to_image", scores(e.audio(), e.image(), e.labels()));
            m.put("image_to_audio", scores(e.image(), e.audio(), e.labels()));
        }
        m.put("text_to_image", scores(e.text(), e.image(), e.labels()));
        if (!audio) m.put("image_to_text", scores(e.image(), e.text(), e.labels()));
        if (audio) {
            m.put("audio_to_text", scores(e.audio(), e.text(), e.labels()));
            m.put("text_to_audio", scores(e.text(), e.audio(), e.labels()));
        }
        if (data.classTexts() != null) {
            float[][] prompts = Embeddings.texts(model, data.classTexts());
            if (audio) m.put("zero_shot_audio_acc", Retrieval.zeroShot(e.audio(), e.labels(), prompts));
            m.put("zero_shot_image_acc", Retrieval.zeroShot(e.image(), e.labels(), prompts));
        }
        if (data.testTextsHeldOut() != null)
            m.put("text_to_image_heldout_phrasing", scores(Embeddings.texts(model, data.testTextsHeldOut()), e.image(), e.labels()));
        if (!data.novelLabels().isEmpty()) {
            // queries of the classes never seen in training, against the whole test gallery
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < e.labels().length; i++) if (data.novelLabels().contains(e.labels()[i])) rows.add(i);
            Map<String, Object> novel = new LinkedHashMap<>();
            novel.put("queries", rows.size());
            if (audio) novel.put("audio_to_image", scores(pick(e.audio(), rows), pick(e.labels(), rows), e.image(), e.labels()));
            novel.put("text_to_image", scores(pick(e.text(), rows), pick(e.labels(), rows), e.image(), e.labels()));
            m.put("heldout_combinations", novel);
        }
        for (var x : data.extraTests().entrySet()) {
            Embeddings ex = Embeddings.of(model, x.getValue(), data.height(), data.width(), 64);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("test_samples", x.getValue().length);
            t.put("audio_to_image", scores(ex.audio(), ex.image(), ex.labels()));
            t.put("image_to_audio", scores(ex.image(), ex.audio(), ex.labels()));
            if (data.classTexts() != null) t.put("zero_shot_audio_acc", Retrieval.zeroShot(ex.audio(), ex.labels(), Embeddings.texts(model, data.classTexts())));
            m.put(x.getKey(), t);
        }
        if (model.bgtai()) m.put("gloss", glossDiagnostics(model, data, e));
        m.put("temperature", (double) model.temperature());
        return m;
    }

    /**
     * Where a BGTAI model's errors come from: the share of test audio and texts whose decoded gloss
     * is exactly the generator's ({@code exact_audio}, {@code exact_text}; no audio figure for
     * text-only data), corpus BLEU-4 of the glosses decoded from text ({@code bleu4_text}), and retrieval of the
     * test images from the ground-truth gloss ({@code gold_to_image}: the method with a perfect
     * Langue2Gloss, an upper bound of {@code audio_to_image}).
     */
    static Map<String, Object> glossDiagnostics(JointModel model, DataSource.Loaded data, Embeddings e) {
        Embeddings.GlossCheck g = Embeddings.glossCheck(model, data.test(), 64);
        Map<String, Object> m = new LinkedHashMap<>();
        if (!Double.isNaN(g.exactAudio())) m.put("exact_audio", g.exactAudio());
        m.put("exact_text", g.exactText());
        m.put("bleu4_text", g.bleuText());
        m.put("gold_to_image", scores(g.gold(), e.image(), e.labels()));
        return m;
    }

    private static float[][] pick(float[][] x, List<Integer> rows) {
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < out.length; i++) out[i] = x[rows.get(i)];
        return out;
    }

    private static int[] pick(int[] x, List<Integer> rows) {
        int[] out = new int[rows.size()];
        for (int i = 0; i < out.length; i++) out[i] = x[rows.get(i)];
        return out;
    }

    /** R@1, R@5, R@10 and MRR of queries with labels {@code ql} against a gallery with labels {@code gl}. */
    static Map<String, Object> scores(float[][] q, int[] ql, float[][] g, int[] gl) {
        Retrieval.Scores s = Retrieval.retrieve(q, ql, g, gl);
        Map<String, Object> m = s.toMap();
        m.put("R@10", Retrieval.recallAt(q, ql, g, gl, 10));
        return m;
    }

    /** R@1, R@5, R@10 and MRR of queries against a gallery with the same labels. */
    static Map<String, Object> scores(float[][] q, float[][] g, int[] labels) {
        return scores(q, labels, g, labels);
    }
}
