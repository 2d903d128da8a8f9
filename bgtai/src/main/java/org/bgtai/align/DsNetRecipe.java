package org.bgtai.align;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Module;
import org.bgtai.nn.align.AlignOps;
import org.bgtai.nn.align.SelfPaced;
import org.bgtai.nn.align.SpLoss;
import org.bgtai.nn.train.Batches;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.Loss;
import org.bgtai.nn.train.OptimizerConfig;
import org.bgtai.nn.train.Recipe;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Trains {@link DsNet} against DTW teacher paths A* ({@link DictionaryAligner}), as a recipe of
 * the training loop:
 * <pre>
 *   L = [alignCe] CE(z, A*)  (Eq. 5, the Result Filter)
 *     + aux * [spLoss] self-paced SP(Â, A*)   (Eq. 6)   or   aux * [l2Loss] mean_q (p̂_q - p*_q)^2
 * </pre>
 * A DS-Net with a skip row ({@link Config#skip}) learns sparse paths [Q + 1, T]
 * ({@link DictionaryAligner.Result#selectionMatrix}): the CE covers the token rows and, when the
 * pair has skipped positions, the skip row; SP and L2 use the token rows.
 * Pairs have different shapes, so each pair is its own graph and a batch accumulates their
 * gradients ({@link Loss#accumulated}, each pair's loss divided by the batch size). With
 * {@code pairSelection} every epoch first scores every training pair by DS-Net confidence and
 * skips the least confident ({@link Selection}, scores from epoch 0 on). AdamW at a constant rate
 * (betas 0.9 / 0.999, no weight decay, as the published alignment figures were made), no clipping.
 */
public final class DsNetRecipe implements Recipe {
    /**
     * @param epochs        passes over the data
     * @param batch         pairs per optimizer step
     * @param lr            AdamW learning rate
     * @param width         DS-Net width D
     * @param alignCe       use the alignment cross-entropy (Eq. 5)
     * @param spLoss        add the self-paced SP-Loss (Eq. 6)
     * @param l2Loss        add the L2 loss between normalised positions (baseline to SP-Loss)
     * @param pairSelection skip the least confident pairs each epoch
     * @param selectStart   skipped fraction in the first epoch ({@link Selection})
     * @param aux           weight of the SP/L2 term
     * @param selfPaced     self-paced weight schedule of the SP-Loss
     * @param seed          initialisation and shuffling
     * @param scales        DS-Net's multi-scale context windows ({@link DsNet.Arch#scales}; empty: none)
     * @param skip          DS-Net's skip row ({@link DsNet.Arch#skip}): the teacher paths are then sparse, [Q + 1, T]
     *                      ({@link DictionaryAligner.Result#selectionMatrix}), row Q the positions no token selects
     */
    public record Config(int epochs, int batch, double lr, int width, boolean alignCe, boolean spLoss, boolean l2Loss, boolean pairSelection,
                         double selectStart, double aux, SelfPaced selfPaced, long seed, int[] scales, boolean skip) {
        public Config {
            if (epochs < 1 || batch < 1) throw new IllegalArgumentException("epochs and batch must be >= 1, got " + epochs + ", " + batch);
            if (!alignCe && !spLoss && !l2Loss) throw new IllegalArgumentException("no loss selected: enable alignCe, spLoss or l2Loss");
            if (selectStart < 0 || selectStart >= 1) throw new IllegalArgumentException("selectStart must be in [0, 1), got " + selectStart);
            if (!(aux >= 0)) throw new IllegalArgumentException("aux weight must be >= 0, got " + aux);
            scales = scales.clone();
        }

        /** Without multi-scale context. */
        public Config(int epochs, int batch, double lr, int width, boolean alignCe, boolean spLoss, boolean l2Loss, boolean pairSelection,
                      double selectStart, double aux, SelfPaced selfPaced, long seed) {
            this(epochs, batch, lr, width, alignCe, spLoss, l2Loss, pairSelection, selectStart, aux, selfPaced, seed, new int[0], false);
        }

        /** The network this config trains. */
        public DsNet.Arch arch() {
            return new DsNet.Arch(width, scales, skip);
        }

        public Config withSkip(boolean on) {
            return new Config(epochs, batch, lr, width, alignCe, spLoss, l2Loss, pairSelection, selectStart, aux, selfPaced, seed, scales, on);
        }

        /** The Result Filter: DTW-supervised cross-entropy only. */
        public static Config resultFilter(int epochs, long seed) {
            return new Config(epochs, 8, 3e-3, 64, true, false, false, false, 0.2, 1.0, SelfPaced.hard(0.05, 1.5, 1.0), seed);
        }

        public Config withSpLoss(boolean on) {
            return new Config(epochs, batch, lr, width, alignCe, on, l2Loss, pairSelection, selectStart, aux, selfPaced, seed, scales, skip);
        }

        public Config withL2Loss(boolean on) {
            return new Config(epochs, batch, lr, width, alignCe, spLoss, on, pairSelection, selectStart, aux, selfPaced, seed, scales, skip);
        }

        public Config withPairSelection(boolean on) {
            return new Config(epochs, batch, lr, width, alignCe, spLoss, l2Loss, on, selectStart, aux, selfPaced, seed, scales, skip);
        }

        public Config withAlignCe(boolean on) {
            return new Config(epochs, batch, lr, width, on, spLoss, l2Loss, pairSelection, selectStart, aux, selfPaced, seed, scales, skip);
        }

        public Config withScales(int... s) {
            return new Config(epochs, batch, lr, width, alignCe, spLoss, l2Loss, pairSelection, selectStart, aux, selfPaced, seed, s, skip);
        }

        public Config withWidth(int w) {
            return new Config(epochs, batch, lr, w, alignCe, spLoss, l2Loss, pairSelection, selectStart, aux, selfPaced, seed, scales, skip);
        }

        public Config withEpochs(int e) {
            return new Config(e, batch, lr, width, alignCe, spLoss, l2Loss, pairSelection, selectStart, aux, selfPaced, seed, scales, skip);
        }

        public Config withLr(double r) {
            return new Config(epochs, batch, r, width, alignCe, spLoss, l2Loss, pairSelection, selectStart, aux, selfPaced, seed, scales, skip);
        }

        public Config withAux(double weight) {
            return new Config(epochs, batch, lr, width, alignCe, spLoss, l2Loss, pairSelection, selectStart, weight, selfPaced, seed, scales, skip);
        }

        public Config withSelfPaced(SelfPaced sp) {
            return new Config(epochs, batch, lr, width, alignCe, spLoss, l2Loss, pairSelection, selectStart, aux, sp, seed, scales, skip);
        }

        public Config withSeed(long s) {
            return new Config(epochs, batch, lr, width, alignCe, spLoss, l2Loss, pairSelection, selectStart, aux, selfPaced, s, scales, skip);
        }
    }

    /** Statistics names of the history: the fraction skipped by selection and the mean self-paced weight. */
    public static final String SKIPPED = "skipped", MEAN_SP_WEIGHT = "mean_sp_weight";

    private final List<AlignPair> pairs;
    private final List<float[]> paths;
    private final Config c;
    private final DsNet net;
    private double skipped, wSum;
    private int seen;
    private int[] keep;

    /** @param net the network to train (built from the loop's generator, see {@link #train}) */
    public DsNetRecipe(DsNet net, List<AlignPair> pairs, List<float[]> paths, Config c) {
        if (pairs.size() != paths.size()) throw new IllegalArgumentException(pairs.size() + " pairs but " + paths.size() + " teacher paths");
        if (pairs.isEmpty()) throw new IllegalArgumentException("no training pairs");
        this.net = net;
        this.pairs = pairs;
        this.paths = paths;
        this.c = c;
    }

    /** A trained network and its history. */
    public record Trained(DsNet net, List<Epoch> history) {}

    /**
     * Trains a new DS-Net (initialised from {@code new Rng(c.seed())}, whose stream then orders the
     * batches) on {@code pairs} with teacher paths A* [Q, T] over a token vocabulary of {@code vocab}.
     */
    public static Trained train(List<AlignPair> pairs, List<float[]> paths, int vocab, Config c) {
        Rng rng = new Rng(c.seed());
        DsNet net = new DsNet(vocab, pairs.get(0).dim(), c.arch(), rng);
        TrainOptions o = TrainOptions.of(c.epochs(), c.batch(), c.lr()).withBatches(c.batch(), false)
            .withOptimizer(OptimizerConfig.adamW(c.lr()).withBetas(0.9, 0.999).withWeightDecay(0)).withSchedule(Schedule.constant()).withClipNorm(0)
            .withSeed(c.seed());
        return new Trained(net, new Trainer(o).generator(rng).fit(new DsNetRecipe(net, pairs, paths, c)).history());
    }

    @Override
    public Module model() {
        return net;
    }

    @Override
    public int size() {
        return pairs.size();
    }

    @Override
    public void startEpoch(int epoch, Rng rng) {
        keep = new int[pairs.size()];
        for (int i = 0; i < keep.length; i++) keep[i] = i;
        if (c.pairSelection()) {
            double[] score = new double[pairs.size()];
            for (int i = 0; i < score.length; i++) score[i] = net.align(pairs.get(i)).confidence();
            keep = Selection.kept(score, Selection.skipFraction(epoch - 1, c.epochs(), c.selectStart(), 0));
        }
        skipped = 1 - (double) keep.length / pairs.size();
        wSum = 0;
        seen = 0;
    }

    @Override
    public List<int[]> batches(int epoch, TrainOptions o, Rng rng) {
        int[] perm = rng.permutation(keep.length);
        for (int i = 0; i < perm.length; i++) perm[i] = keep[perm[i]];
        return Batches.shuffled(perm, o.batchSize(), o.dropLast());
    }

    @Override
    public Loss loss(int[] batch, Step step) {
        List<Var> parts = new ArrayList<>();
        double sum = 0;
        for (int i : batch) {
            AlignPair p = pairs.get(i);
            float[] path = paths.get(i);
            int q = p.length(), t = p.frames();
            Var z = net.logits(p);
            Var loss = null;
            if (c.alignCe()) loss = alignmentCe(z, path, q, t);
            if (c.spLoss() || c.l2Loss()) {
                // positions of the token rows only (the skip row has none)
                Tensor target = Tensor.of(java.util.Arrays.copyOf(path, q * t), q, t);
                Var probs = (net.skips() ? z.narrow(0, 0, q) : z).softmax(1);
                Var aux;
                if (c.spLoss()) {
                    var sp = AlignOps.spLossSelfPaced(probs.reshape(1, q, t), target.reshape(1, q, t), c.selfPaced(), step.epoch() - 1);
                    aux = sp.loss();
                    wSum += sp.weights().toArray()[0];
                } else {
                    float[] positions = new float[t];
                    for (int j = 0; j < t; j++) positions[j] = t == 1 ? 0 : (float) j / (t - 1);
                    double[] star = SpLoss.targetPositions(target.toArray(), q, t);
                    float[] s = new float[q];
                    for (int k = 0; k < q; k++) s[k] = (float) star[k];
                    aux = probs.matmul(Var.of(Tensor.of(positions, t, 1))).sub(Var.of(Tensor.of(s, q, 1))).square().mean();
                }
                aux = aux.mul((float) c.aux());
                loss = loss == null ? aux : loss.add(aux);
            }
            sum += loss.item();
            parts.add(loss.mul(1f / c.batch()));
        }
        seen += batch.length;
        return Loss.accumulated(parts, sum / batch.length, Map.of());
    }

    /**
     * Eq. 5 over the rows of z [R, T] against the teacher path: every row when it has a target
     * position; with a skip row and a path that skips nothing, the token rows only.
     */
    static Var alignmentCe(Var z, float[] path, int q, int t) {
        int rows = z.size(0);
        if (path.length != rows * t)
            throw new IllegalArgumentException("teacher path has " + path.length + " values, DS-Net gives " + rows + " x " + t + " logits"
                + (rows > q ? "; a DS-Net with a skip row learns from sparse paths [Q + 1, T] (DictionaryAligner.Result.selectionMatrix)" : ""));
        if (rows > q) {
            boolean skips = false;
            for (int j = 0; j < t && !skips; j++) skips = path[q * t + j] > 0;
            if (!skips) return AlignOps.alignmentCrossEntropy(z.narrow(0, 0, q), Tensor.of(java.util.Arrays.copyOf(path, q * t), q, t));
        }
        return AlignOps.alignmentCrossEntropy(z, Tensor.of(path, rows, t));
    }

    @Override
    public Map<String, Double> epochStats() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(SKIPPED, skipped);
        if (c.spLoss()) m.put(MEAN_SP_WEIGHT, wSum / Math.max(1, seen));
        return m;
    }

    /** Mean alignment cross-entropy of a network over pairs (no gradient). */
    public static double meanAlignmentCe(DsNet net, List<AlignPair> pairs, List<float[]> paths) {
        double s = 0;
        try (var g = org.bgtai.autograd.GradMode.noGrad()) {
            for (int i = 0; i < pairs.size(); i++) {
                AlignPair p = pairs.get(i);
                s += alignmentCe(net.logits(p), paths.get(i), p.length(), p.frames()).item();
            }
        }
        return s / pairs.size();
    }
}
