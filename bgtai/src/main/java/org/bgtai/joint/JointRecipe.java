package org.bgtai.joint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bgtai.align.JointAlignment;
import org.bgtai.autograd.Var;
import org.bgtai.align.Selection;
import org.bgtai.metrics.Retrieval;
import org.bgtai.model.Batch;
import org.bgtai.model.Embeddings;
import org.bgtai.model.JointModel;
import org.bgtai.model.MelAugment;
import org.bgtai.model.ModelIO;
import org.bgtai.model.Prepared;
import org.bgtai.nn.Module;
import org.bgtai.nn.train.Batches;
import org.bgtai.nn.train.Loss;
import org.bgtai.nn.train.Recipe;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.tensor.Rng;

/**
 * Joint training of a {@link JointModel} (UniBriVL or BGTAI) on prepared audio/image/text/gloss
 * samples, for {@link org.bgtai.nn.train.Trainer}:
 * <pre>
 *   L = L_InfoNCE + c L_gloss                                        (JointModel.loss)
 *     [+ a L_CE-align + b L_SP]  with DS-Net data-pair selection     (with a {@link JointAlignment})
 * </pre>
 * Batches are full (InfoNCE needs negatives), optionally log-mel augmented and optionally grouped
 * by length. With DS-Net terms, the model and DS-Net train together ({@code model.*},
 * {@code dsnet.*}) and, when the alignment config selects pairs, each epoch skips the least
 * confident pairs ({@link Selection}, scores from the previous epoch's forward passes).
 * Validation defaults to audio->image R@1 on {@code val} ({@code val_R@1}).
 *
 * <pre>{@code
 * var recipe = new JointRecipe(model, null, train, 28, 28).validateOn(val).augment(MelAugment.DEFAULT);
 * Trainer.Result r = new Trainer(TrainOptions.of(20, 64, 2e-3).withCheckpoints(dir, true)).fit(recipe);
 * }</pre>
 */
public final class JointRecipe implements Recipe {
    /** History names of the loss terms, the validation figure and the selection statistics. */
    public static final String INFO_NCE = "info_nce", GLOSS_CE = "gloss_ce", CORPUS = "corpus", VAL_R1 = "val_R@1", SKIPPED = "skipped";

    private final JointModel model;
    private final JointAlignment align;
    private final Prepared[] train;
    private final int height, width;
    private final Module trained;
    private MelAugment augment;
    private int bucket;
    private Function<JointModel, Map<String, Double>> validate;
    private double skipped;
    private boolean[] corrupted;
    private double precision = Double.NaN, recall = Double.NaN;
    private DataSource.Corpus corpus;
    private float corpusWeight;
    private int[] corpusOrder;

    /**
     * @param align  the DS-Net terms ({@code L_CE-align}, {@code L_SP}, selection), or null for the plain objective
     * @param height image height of {@code train}'s batches
     * @param width  image width (strips: the widest)
     */
    public JointRecipe(JointModel model, JointAlignment align, Prepared[] train, int height, int width) {
        this.model = model;
        this.align = align;
        this.train = train;
        this.height = height;
        this.width = width;
        this.trained = align == null ? model : new Module() {
            {
                registerModule("model", model);
                registerModule("dsnet", align.dsNet());
            }
        };
    }

    /** Log-mel augmentation of every training batch (drawn from the loop's generator); null = none. */
    public JointRecipe augment(MelAugment a) {
        this.augment = a;
        return this;
    }

    /**
     * Groups samples of similar log-mel length into batches ({@link Batches#bucketed}, buckets of
     * {@code chunkBatches} batches): a long digit string then does not pad a batch of single
     * digits. 0 = plain shuffling. Not combined with selection.
     */
    public JointRecipe bucketed(int chunkBatches) {
        if (chunkBatches < 0) throw new IllegalArgumentException("chunkBatches must be >= 0, got " + chunkBatches);
        this.bucket = chunkBatches;
        return this;
    }

    /**
     * Adds a language corpus (text-to-gloss pairs, no audio or image) to every step, one batch of
     * it beside each batch of pairs, weighted {@code weight} ({@link JointModel#corpusLoss}); null = none.
     */
    public JointRecipe corpus(DataSource.Corpus c, float weight) {
        this.corpus = c == null || c.size() == 0 ? null : c;
        this.corpusWeight = weight;
        return this;
    }

    /**
     * Which training pairs are known to be corrupted ({@link Corruption}): each epoch's history then
     * scores selection, {@code selection_precision} (share of skipped pairs that were corrupted) and
     * {@code selection_recall} (share of corrupted pairs skipped).
     */
    public JointRecipe corrupted(boolean[] mask) {
        if (mask != null && mask.length != train.length) throw new IllegalArgumentException(mask.length + " corruption flags for " + train.length + " pairs");
        this.corrupted = mask;
        return this;
    }

    /**
     * Validation: audio->image R@1 on {@code val} after every epoch ({@value #VAL_R1}; text->image
     * R@1 on text-only data); none when null or a single sample.
     */
    public JointRecipe validateOn(Prepared[] val) {
        this.validate = val == null || val.length < 2 ? null : m -> {
            Embeddings e = Embeddings.of(m, val, height, width, 64);
            return Map.of(VAL_R1, Retrieval.retrieve(e.audio() != null ? e.audio() : e.text(), e.labels(), e.image(), e.labels()).r1());
        };
        return this;
    }

    /** Validation by any function of the model (called in eval mode, no gradients). */
    public JointRecipe validateWith(Function<JointModel, Map<String, Double>> f) {
        this.validate = f;
        return this;
    }

    public JointModel jointModel() {
        return model;
    }

    @Override
    public Module model() {
        return trained;
    }

    @Override
    public int size() {
        return train.length;
    }

    private boolean selects() {
        return align != null && align.config().selection();
    }

    @Override
    public void startEpoch(int epoch, Rng rng) {
        if (corpus != null) corpusOrder = rng.permutation(corpus.size());
    }

    @Override
    public List<int[]> batches(int epoch, TrainOptions o, Rng rng) {
        if (train.length < o.batchSize())
            throw new IllegalArgumentException("training set has " + train.length + " samples, fewer than one batch of " + o.batchSize());
        if (!o.dropLast()) throw new IllegalArgumentException("joint training needs full batches (InfoNCE negatives): use dropLast");
        int[] keep = new int[train.length];
        for (int i = 0; i < keep.length; i++) keep[i] = i;
        if (selects()) keep = Selection.kept(align.selectionScores(), Selection.skipFraction(epoch - 1, o.epochs(), align.config().selectStart(), 1));
        skipped = 1 - (double) keep.length / train.length;
        if (corrupted != null) score(keep);
        if (mixedKinds()) return batchesByKind(keep, o.batchSize(), rng);
        if (bucket > 0 && !selects()) return Batches.bucketed(rng.permutation(train.length), frames(), o.batchSize(), bucket, true, rng);
        int[] perm = rng.permutation(keep.length);
        for (int i = 0; i < perm.length; i++) perm[i] = keep[perm[i]];
        return Batches.shuffled(perm, o.batchSize(), true);
    }

    /** Log-mel frames of every training sample (the lengths bucketing groups by). */
    private int[] frames() {
        int[] f = new int[train.length];
        for (int i = 0; i < f.length; i++) f[i] = train[i].frames();
        return f;
    }

    /** Which modalities a training sample has: 2 = audio, 1 = text (audio-image, text-image or audio-text-image pairs). */
    private static int kind(Prepared p) {
        return (p.hasAudio() ? 2 : 0) + (p.hasText() ? 1 : 0);
    }

    /** True when the training set holds samples of more than one {@link #kind}. */
    private boolean mixedKinds() {
        for (Prepared p : train) if (kind(p) != kind(train[0])) return true;
        return false;
    }

    /**
     * Full batches of one kind each (a batch's loss is that of its modalities: audio-only samples
     * have no text terms, text-only ones no audio terms), the kinds' batches shuffled together.
     * Samples are shuffled within their kind; with {@link #bucketed} they are also grouped by length.
     */
    private List<int[]> batchesByKind(int[] keep, int batchSize, Rng rng) {
        Map<Integer, List<Integer>> byKind = new java.util.TreeMap<>();
        for (int i : rng.permutation(keep.length)) byKind.computeIfAbsent(kind(train[keep[i]]), k -> new ArrayList<>()).add(keep[i]);
        int[] frames = bucket > 0 && !selects() ? frames() : null;
        List<int[]> all = new ArrayList<>();
        for (List<Integer> idx : byKind.values()) {
            int[] order = idx.stream().mapToInt(Integer::intValue).toArray();
            all.addAll(frames != null ? Batches.bucketed(order, frames, batchSize, bucket, true, rng) : Batches.shuffled(order, batchSize, true));
        }
        List<int[]> out = new ArrayList<>(all.size());
        for (int i : rng.permutation(all.size())) out.add(all.get(i));
        return out;
    }

    /** Precision and recall of the pairs skipped this epoch against the known corrupted ones. */
    private void score(int[] keep) {
        boolean[] kept = new boolean[train.length];
        for (int i : keep) kept[i] = true;
        int skippedN = 0, hit = 0, bad = 0;
        for (int i = 0; i < train.length; i++) {
            if (corrupted[i]) bad++;
            if (!kept[i]) {
                skippedN++;
                if (corrupted[i]) hit++;
            }
        }
        precision = skippedN == 0 ? Double.NaN : (double) hit / skippedN;
        recall = bad == 0 ? Double.NaN : (double) hit / bad;
    }

    @Override
    public Loss loss(int[] batch, Step step) {
        var c = model.config();
        Batch b = Batch.of(train, batch, c.nMels(), c.imageChannels(), height, width);
        if (augment != null) b = augment.apply(b, step.rng());
        JointModel.Losses l = model.loss(b, align == null ? null : align.step(batch, step.epoch() - 1));
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put(INFO_NCE, (double) l.infoNce());
        terms.put(GLOSS_CE, (double) l.gloss());
        Var total = l.total();
        if (corpus != null) {
            int n = batch.length, lt = corpus.text()[0].length, lg = corpus.gloss()[0].length;
            int[] t = new int[n * lt], g = new int[n * lg];
            for (int i = 0; i < n; i++) {
                int k = corpusOrder[(step.index() * n + i) % corpusOrder.length];
                System.arraycopy(corpus.text()[k], 0, t, i * lt, lt);
                System.arraycopy(corpus.gloss()[k], 0, g, i * lg, lg);
            }
            Var cl = model.corpusLoss(org.bgtai.tensor.IntTensor.of(t, n, lt), org.bgtai.tensor.IntTensor.of(g, n, lg));
            terms.put(CORPUS, (double) cl.item());
            total = total.add(cl.mul(corpusWeight));
        }
        return Loss.of(total, terms);
    }

    @Override
    public Map<String, Double> epochStats() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (align == null) return m;
        m.put(SKIPPED, skipped);
        if (corrupted != null) {
            putFinite(m, "selection_precision", precision);
            putFinite(m, "selection_recall", recall);
        }
        JointAlignment.Stats st = align.drainStats();
        putFinite(m, "ce_align", st.ceAlign());
        putFinite(m, "aux", st.aux());
        putFinite(m, "mean_sp_weight", st.meanSpWeight());
        putFinite(m, "zero_sp_weight_fraction", st.zeroWeightFraction());
        return m;
    }

    private static void putFinite(Map<String, Double> m, String k, double v) {
        if (!Double.isNaN(v)) m.put(k, v);
    }

    @Override
    public Map<String, Double> validate(int epoch) {
        return validate == null ? Map.of() : validate.apply(model);
    }

    @Override
    public String progress() {
        return String.format(java.util.Locale.ROOT, "T %.3f", model.temperature());
    }

    @Override
    public Map<String, String> metadata() {
        return ModelIO.metadata(model);
    }

    @Override
    public Map<String, Object> state() {
        if (align == null) return Map.of();
        List<Object> c = new ArrayList<>();
        for (double v : align.confidences()) c.add(Double.isNaN(v) ? null : v);
        return Map.of("confidences", c);
    }

    @Override
    public void restore(Map<String, Object> state, Map<String, String> metadata) {
        if (!ModelIO.metadata(model).get("model_config").equals(metadata.get("model_config")))
            throw new IllegalArgumentException("the checkpoint holds another model configuration (" + metadata.get("model_config")
                + "); resume with the same settings or delete it");
        if (align == null || !(state.get("confidences") instanceof List<?> cs)) return;
        double[] conf = new double[cs.size()];
        for (int i = 0; i < conf.length; i++) conf[i] = cs.get(i) instanceof Number n ? n.doubleValue() : Double.NaN;
        align.restoreConfidences(conf);
    }
}
