package org.bgtai.align;

import java.util.Arrays;
import java.util.List;
import org.bgtai.autograd.Var;
import org.bgtai.model.Batch;
import org.bgtai.model.JointModel;
import org.bgtai.model.Prepared;
import org.bgtai.nn.align.AlignOps;
import org.bgtai.nn.align.SpLoss;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.model.Embeddings;

/**
 * The DS-Net terms of the full BGTAI objective inside joint training. For every audio row r of a
 * batch, DS-Net ({@link DsNet#logits(Var, int[])}) aligns the pair's gloss tokens R [Q] with the
 * shared encoder's per-position outputs {@code h = o[r, :N_r]} [N_r, D], giving logits z [Q, N_r]
 * and {@code Â = softmax_t(z)}; against the DTW teacher path A* ({@link AlignTeacher}):
 * <pre>
 *   L_align = 1/B sum_r ( a CE(z_r, A*_r)  +  b w_r SP(Â_r, A*_r) )        (SP: Eq. 6, w_r self-paced)
 *                                    or  +  b mean_q (p^_q - p*_q)^2       (L2 variant)
 * </pre>
 * Both are {@link AlignOps} autograd ops, so gradients reach DS-Net and, through h, the encoder.
 * Each forward also records the row's DS-Net confidence (in-span mass of the Viterbi-decoded Â),
 * the score of data-pair selection.
 */
public final class JointAlignment {
    private final AlignConfig cfg;
    private final DsNet net;
    private final float[][] paths;
    private final double[] confidence;
    private double[] teacherScores;
    private final int dModel;
    // running sums of the current epoch
    private double ceSum, auxSum, wSum;
    private int rows, zeroW;

    /**
     * @param paths teacher path A* [Q_i, N_i] of each training sample ({@link AlignTeacher#path})
     * @param glossVocab gloss vocabulary size (DS-Net target tokens)
     * @param dModel encoder width (DS-Net source features)
     */
    public JointAlignment(AlignConfig cfg, float[][] paths, int glossVocab, int dModel, Rng rng) {
        if (!cfg.usesDsNet()) throw new IllegalArgumentException("alignment config has a = b = 0: no DS-Net term to train; use JointModel.loss(batch) instead");
        this.cfg = cfg;
        this.paths = paths;
        this.dModel = dModel;
        this.net = new DsNet(glossVocab, dModel, cfg.dsWidth(), rng);
        this.confidence = new double[paths.length];
        Arrays.fill(confidence, Double.NaN);
    }

    public AlignConfig config() {
        return cfg;
    }

    public DsNet dsNet() {
        return net;
    }

    /** Last DS-Net confidence of each training sample (NaN before it was first seen). */
    public double[] confidences() {
        return confidence.clone();
    }

    /**
     * Sets the scores of {@link AlignConfig.SelectBy#TEACHER} selection, one per training sample
     * (higher = kept longer; e.g. minus the teacher's alignment cost, {@link AlignTeacher#cost}).
     */
    public JointAlignment teacherScores(double[] scores) {
        if (scores.length != confidence.length) throw new IllegalArgumentException(scores.length + " teacher scores for " + confidence.length + " training pairs");
        this.teacherScores = scores.clone();
        return this;
    }

    /** What data-pair selection ranks by (low = skipped first): {@link #confidences()} or the teacher scores, as the config says. */
    public double[] selectionScores() {
        if (cfg.selectBy() == AlignConfig.SelectBy.DSNET) return confidences();
        if (teacherScores == null) throw new IllegalStateException("selection by the teacher needs its scores: call teacherScores(...) before training");
        return teacherScores.clone();
    }

    /** Restores {@link #confidences()} saved with a checkpoint. */
    public void restoreConfidences(double[] c) {
        if (c.length != confidence.length) throw new IllegalArgumentException("checkpoint has " + c.length + " confidences for " + confidence.length + " training pairs");
        System.arraycopy(c, 0, confidence, 0, c.length);
    }

    /** The extra loss of one training step over training rows {@code idx} in {@code epoch} (0-based). */
    public JointModel.ExtraLoss step(int[] idx, int epoch) {
        return (b, o, padding) -> loss(b, o, padding, idx, epoch);
    }

    private Var loss(Batch b, Var o, Tensor padding, int[] idx, int epoch) {
        Var total = null;
        int nb = b.size();
        float[] pad = padding.contiguous().toArray();
        int n = o.size(1);
        for (int r = 0; r < nb; r++) {
            int valid = 0;
            while (valid < n && pad[r * n + valid] == 0) valid++;
            float[] path = paths[idx[r]];
            int[] tokens = glossTokens(b, r);
            int q = tokens.length;
            if (path.length != q * valid)
                throw new IllegalStateException("teacher path of sample " + idx[r] + " has " + path.length + " cells, expected Q*N = " + q + "*" + valid);
            Var h = o.select(0, r).narrow(0, 0, valid);
            Var z = net.logits(h, tokens);
            Tensor target = Tensor.of(path, q, valid);
            Var row = null;
            if (cfg.ceWeight() > 0) {
                Var ce = AlignOps.alignmentCrossEntropy(z, target);
                ceSum += ce.item();
                row = ce.mul((float) cfg.ceWeight());
            }
            Var logp = z.logSoftmax(1);
            confidence[idx[r]] = DsNet.decode(logp.value().toArray(), q, valid).confidence();
            if (cfg.auxWeight() > 0) {
                Var probs = logp.exp();
                Var aux;
                if (cfg.aux() == AlignConfig.Aux.SP) {
                    var sp = AlignOps.spLossSelfPaced(probs.reshape(1, q, valid), target.reshape(1, q, valid), cfg.selfPaced(), epoch);
                    aux = sp.loss();
                    float w = sp.weights().toArray()[0];
                    wSum += w;
                    if (w == 0) zeroW++;
                    auxSum += sp.losses().toArray()[0];
                } else {
                    aux = l2(probs, path, q, valid);
                    auxSum += aux.item();
                }
                Var wa = aux.mul((float) cfg.auxWeight());
                row = row == null ? wa : row.add(wa);
            }
            total = total == null ? row : total.add(row);
            rows++;
        }
        return total.mul(1f / nb);
    }

    /** The L2 regression variant: mean_q (sum_t t/(T-1) Â[q, t] - p*_q)^2. */
    static Var l2(Var probs, float[] path, int q, int t) {
        float[] positions = new float[t];
        for (int j = 0; j < t; j++) positions[j] = t == 1 ? 0 : (float) j / (t - 1);
        double[] star = SpLoss.targetPositions(path, q, t);
        float[] s = new float[q];
        for (int i = 0; i < q; i++) s[i] = (float) star[i];
        return probs.matmul(Var.of(Tensor.of(positions, t, 1))).sub(Var.of(Tensor.of(s, q, 1))).square().mean();
    }

    static int[] glossTokens(Batch b, int r) {
        int lg = b.gloss().size(1);
        int[] all = Arrays.copyOfRange(b.gloss().data(), r * lg, (r + 1) * lg);
        int n = 0;
        while (n < lg && all[n] != 0) n++;
        if (n == 0) throw new IllegalArgumentException("batch row " + r + " has an empty gloss; the alignment terms need gloss tokens");
        return Arrays.copyOf(all, n);
    }

    /** Per-epoch statistics of the alignment terms. */
    public record Stats(double ceAlign, double aux, double meanSpWeight, double zeroWeightFraction) {}

    /** The statistics since the last call (means over rows), then resets them. */
    public Stats drainStats() {
        int n = Math.max(1, rows);
        boolean sp = cfg.auxWeight() > 0 && cfg.aux() == AlignConfig.Aux.SP;
        Stats s = new Stats(cfg.ceWeight() > 0 ? ceSum / n : Double.NaN, cfg.auxWeight() > 0 ? auxSum / n : Double.NaN,
            sp ? wSum / n : Double.NaN, sp ? (double) zeroW / n : Double.NaN);
        ceSum = auxSum = wSum = 0;
        rows = zeroW = 0;
        return s;
    }

    /**
     * The shared encoder's audio outputs of a prepared set, per sample {@code [N_i, D]} row-major
     * (padding removed), computed without gradients in eval mode.
     */
    public static float[][] sources(JointModel model, Prepared[] data, int batch) {
        float[][] out = new float[data.length][];
        Embeddings.audioBatches(model, data, batch, (b, lo) -> {
            Var enc = model.encodeAudio(b).outputs();
            float[] o = enc.value().contiguous().toArray();
            int n = enc.size(1), d = enc.size(2);
            for (int r = 0; r < b.labels().length; r++) {
                int valid = AlignTeacher.positions(data[lo + r]);
                out[lo + r] = Arrays.copyOfRange(o, r * n * d, (r * n + valid) * d);
            }
        });
        return out;
    }

    /**
     * The Result Filter's score of every query of {@code data}, from model outputs only: DS-Net's
     * alignment cost {@code 1 - confidence} of the query's predicted gloss (greedy Langue2Gloss
     * decoding) against the query's own encoder outputs. No gold gloss, label or gallery item is
     * read; a query whose decoded gloss is empty costs 1.
     */
    public double[] queryCosts(JointModel model, Prepared[] data, int batch) {
        double[] out = new double[data.length];
        Embeddings.audioBatches(model, data, batch, (b, lo) -> {
            List<int[]> gloss = model.decodeAudio(b);
            Var o = model.encodeAudio(b).outputs();
            for (int r = 0; r < b.size(); r++) {
                int[] tokens = gloss.get(r);
                int valid = org.bgtai.model.AudioEncoder.outFrames(b.frames()[r]);
                out[lo + r] = tokens.length == 0 || tokens.length > valid ? 1.0
                    : net.align(o.select(0, r).narrow(0, 0, valid), tokens).cost();
            }
        });
        return out;
    }

    /** DS-Net alignment cost {@code 1 - confidence} of source features h [N, D] against gloss tokens. */
    public double cost(float[] h, int[] tokens) {
        return net.align(Var.of(Tensor.of(h, h.length / dModel, dModel)), tokens).cost();
    }
}
