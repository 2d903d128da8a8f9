package org.bgtai.align;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.bgtai.autograd.Var;
import org.bgtai.nn.align.AlignOps;
import org.bgtai.nn.align.SelfPaced;
import org.bgtai.nn.align.SpLoss;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Trains {@link DsNet} against DTW teacher paths A* ({@link DictionaryAligner}):
 * <pre>
 *   L = [alignCe] CE(z, A*)  (Eq. 5, the Result Filter)
 *     + aux * [spLoss] self-paced SP(Â, A*)   (Eq. 6)   or   aux * [l2Loss] mean_q (p̂_q - p*_q)^2
 * </pre>
 * With {@code pairSelection} each epoch first scores every training pair by DS-Net confidence and
 * skips the lowest-scoring {@link #skipFraction} of them (20% falling linearly to 0% by default).
 */
public final class DsNetTrainer {
    private DsNetTrainer() {}

    /**
     * @param epochs        passes over the data
     * @param batch         pairs per optimizer step
     * @param lr            AdamW learning rate
     * @param width         DS-Net width D
     * @param alignCe       use the alignment cross-entropy (Eq. 5)
     * @param spLoss        add the self-paced SP-Loss (Eq. 6)
     * @param l2Loss        add the L2 loss between normalised positions (baseline to SP-Loss)
     * @param pairSelection skip the least confident pairs each epoch
     * @param selectStart   skipped fraction in the first epoch (falls linearly to 0 at the last)
     * @param aux           weight of the SP/L2 term
     * @param selfPaced     self-paced weight schedule of the SP-Loss
     * @param seed          initialisation and shuffling
     */
    public record Config(int epochs, int batch, double lr, int width, boolean alignCe, boolean spLoss, boolean l2Loss, boolean pairSelection,
                         double selectStart, double aux, SelfPaced selfPaced, long seed) {
        public Config {
            if (epochs < 1 || batch < 1) throw new IllegalArgumentException("epochs and batch must be >= 1, got " + epochs + ", " + batch);
            if (!alignCe && !spLoss && !l2Loss) throw new IllegalArgumentException("no loss selected: enable alignCe, spLoss or l2Loss");
            if (selectStart < 0 || selectStart >= 1) throw new IllegalArgumentException("selectStart must be in [0, 1), got " + selectStart);
        }

        /** The Result Filter: DTW-supervised cross-entropy only. */
        public static Config resultFilter(int epochs, long seed) {
            return new Config(epochs, 8, 3e-3, 64, true, false, false, false, 0.2, 1.0, SelfPaced.hard(0.05, 1.5, 1.0), seed);
        }

        public Config withSpLoss(boolean on) {
            return new Config(epochs, batch, lr, width, alignCe, on, l2Loss, pairSelection, selectStart, aux, selfPaced, seed);
        }

        public Config withL2Loss(boolean on) {
            return new Config(epochs, batch, lr, width, alignCe, spLoss, on, pairSelection, selectStart, aux, selfPaced, seed);
        }

        public Config withPairSelection(boolean on) {
            return new Config(epochs, batch, lr, width, alignCe, spLoss, l2Loss, on, selectStart, aux, selfPaced, seed);
        }

        public Config withAlignCe(boolean on) {
            return new Config(epochs, batch, lr, width, on, spLoss, l2Loss, pairSelection, selectStart, aux, selfPaced, seed);
        }
    }

    /** Fraction of pairs skipped in {@code epoch} (0-based): {@code start * (1 - epoch / (epochs - 1))}, 0 for one epoch. */
    public static double skipFraction(int epoch, int epochs, double start) {
        if (epoch < 0 || epoch >= epochs) throw new IllegalArgumentException("epoch " + epoch + " outside [0, " + epochs + ")");
        if (epochs == 1) return 0;
        return start * (1 - (double) epoch / (epochs - 1));
    }

    /** Indices of the pairs kept: all but the {@code floor(fraction * n)} lowest scores (ties by index). */
    public static int[] select(double[] scores, double fraction) {
        int n = scores.length, drop = (int) Math.floor(fraction * n);
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[a], scores[b]) : Integer.compare(a, b));
        int[] keep = new int[n - drop];
        for (int i = drop; i < n; i++) keep[i - drop] = idx[i];
        Arrays.sort(keep);
        return keep;
    }

    /** Per-epoch log: mean loss, fraction of pairs skipped, mean self-paced weight (NaN without SP-Loss). */
    public record EpochLog(int epoch, double loss, double skipped, double meanSpWeight) {}

    /** A trained network and its log. */
    public record Trained(DsNet net, List<EpochLog> log) {}

    /**
     * @param pairs  training pairs
     * @param paths  teacher paths A* [Q, T] of each pair
     * @param vocab  token vocabulary size
     * @param onStep called with the number of pairs processed after each optimizer step (progress)
     */
    public static Trained train(List<AlignPair> pairs, List<float[]> paths, int vocab, Config c, IntConsumer onStep) {
        if (pairs.size() != paths.size()) throw new IllegalArgumentException(pairs.size() + " pairs but " + paths.size() + " teacher paths");
        if (pairs.isEmpty()) throw new IllegalArgumentException("no training pairs");
        Rng rng = new Rng(c.seed());
        DsNet net = new DsNet(vocab, pairs.get(0).dim(), c.width(), rng);
        AdamW opt = new AdamW(net.trainableParameters(), c.lr(), 0.9, 0.999, 1e-8, 0.0);
        List<EpochLog> log = new ArrayList<>();
        for (int epoch = 0; epoch < c.epochs(); epoch++) {
            int[] order;
            double skipped = 0;
            if (c.pairSelection()) {
                double[] score = new double[pairs.size()];
                for (int i = 0; i < score.length; i++) score[i] = net.align(pairs.get(i)).confidence();
                double f = skipFraction(epoch, c.epochs(), c.selectStart());
                order = select(score, f);
                skipped = 1 - (double) order.length / pairs.size();
            } else {
                order = new int[pairs.size()];
                for (int i = 0; i < order.length; i++) order[i] = i;
            }
            shuffle(order, rng);
            double lossSum = 0, wSum = 0;
            int inBatch = 0;
            for (int n = 0; n < order.length; n++) {
                AlignPair p = pairs.get(order[n]);
                float[] path = paths.get(order[n]);
                int q = p.length(), t = p.frames();
                Tensor target = Tensor.of(path, q, t);
                Var z = net.logits(p);
                Var loss = null;
                if (c.alignCe()) loss = AlignOps.alignmentCrossEntropy(z, target);
                if (c.spLoss() || c.l2Loss()) {
                    Var probs = z.softmax(1);
                    Var aux;
                    if (c.spLoss()) {
                        var sp = AlignOps.spLossSelfPaced(probs.reshape(1, q, t), target.reshape(1, q, t), c.selfPaced(), epoch);
                        aux = sp.loss();
                        wSum += sp.weights().toArray()[0];
                    } else {
                        float[] positions = new float[t];
                        for (int j = 0; j < t; j++) positions[j] = t == 1 ? 0 : (float) j / (t - 1);
                        double[] star = SpLoss.targetPositions(path, q, t);
                        float[] s = new float[q];
                        for (int i = 0; i < q; i++) s[i] = (float) star[i];
                        aux = probs.matmul(Var.of(Tensor.of(positions, t, 1))).sub(Var.of(Tensor.of(s, q, 1))).square().mean();
                    }
                    aux = aux.mul((float) c.aux());
                    loss = loss == null ? aux : loss.add(aux);
                }
                lossSum += loss.item();
                loss.mul(1f / c.batch()).backward();
                if (++inBatch == c.batch() || n == order.length - 1) {
                    opt.step();
                    opt.zeroGrad();
                    if (onStep != null) onStep.accept(inBatch);
                    inBatch = 0;
                }
            }
            log.add(new EpochLog(epoch, lossSum / Math.max(1, order.length), skipped, c.spLoss() ? wSum / Math.max(1, order.length) : Double.NaN));
        }
        return new Trained(net, log);
    }

    private static void shuffle(int[] a, Rng rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), x = a[i];
            a[i] = a[j];
            a[j] = x;
        }
    }

    /** Mean alignment cross-entropy of a network over pairs (no gradient). */
    public static double meanAlignmentCe(DsNet net, List<AlignPair> pairs, List<float[]> paths) {
        double s = 0;
        try (var g = org.bgtai.autograd.GradMode.noGrad()) {
            for (int i = 0; i < pairs.size(); i++) {
                AlignPair p = pairs.get(i);
                s += AlignOps.alignmentCrossEntropy(net.logits(p), Tensor.of(paths.get(i), p.length(), p.frames())).item();
            }
        }
        return s / pairs.size();
    }
}
