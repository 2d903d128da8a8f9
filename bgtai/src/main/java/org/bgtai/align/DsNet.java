package org.bgtai.align;

import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Embedding;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.align.AlignOps;
import org.bgtai.nn.align.AsymmetricDtw;
import org.bgtai.nn.align.MonotonicViterbi;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * DS-Net (BGTAI Eq. 3-4): for each target token q a distribution over source positions (audio
 * frames, image columns: any sequence of feature vectors),
 * <pre>
 *   k_t = W_2 tanh(W_1 [h_{t-c..t+c}; pos(t / (T-1)); ctx_t])   keys [T, D]
 *   u_q = emb(R_q) + W_o pos((q + 1/2) / Q)                       queries [Q, D]
 *   z[q, t] = 4 u_q . k_t / sqrt(D),    Â_q = softmax_t(z[q, :])
 * </pre>
 * with {@code pos(u) = (sin(pi k u), cos(pi k u))_{k=1..4}} and {@code ctx_t} the optional
 * multi-scale context ({@link Arch#scales}: for each scale s the mean of h over the s positions
 * before t and over the s after it, {@link AlignOps#contextMeans}), which tells a position inside
 * a long silence how far the speech on either side is. {@link #align} decodes log Â with
 * {@link MonotonicViterbi} into contiguous, ordered spans ({@code Ŷ_q = frames of span q}); the
 * pair's confidence is the mean over q of the probability mass Â_q puts inside its own span
 * (in [0, 1]; {@code 1 - confidence} is the Result Filter's cost and the data-pair selection score).
 */
public final class DsNet extends Module {
    /** Frames of context on each side of a source frame. */
    public static final int CONTEXT = 2;
    static final int POS = 8;
    private final Linear in, key, ordinal;
    private final Embedding tokens, skip;
    private final int dim, width, vocab;
    private final int[] scales;

    /**
     * The shape of the network.
     *
     * @param width  D, query/key width
     * @param scales window lengths of the multi-scale context (empty: none, only the {@value #CONTEXT} neighbours on each side)
     * @param skip   a learned skip query: row Q of the logits scores the positions no token selects
     *               (silence, background), and {@link #align} decodes a sparse path ({@link #decodeSparse})
     */
    public record Arch(int width, int[] scales, boolean skip) {
        public Arch {
            if (width <= 0) throw new IllegalArgumentException("DS-Net width must be positive, got " + width);
            scales = scales.clone();
            for (int s : scales) if (s < 1) throw new IllegalArgumentException("context scales must be >= 1, got " + java.util.Arrays.toString(scales));
        }

        /** Width D, no multi-scale context, no skip row (the original network). */
        public static Arch of(int width) {
            return new Arch(width, new int[0], false);
        }

        public Arch withScales(int... s) {
            return new Arch(width, s, skip);
        }

        public Arch withSkip(boolean on) {
            return new Arch(width, scales, on);
        }

        @Override
        public String toString() {
            return "Arch[width=" + width + ", scales=" + java.util.Arrays.toString(scales) + ", skip=" + skip + "]";
        }
    }

    /**
     * @param vocab number of target tokens
     * @param dim   F, source feature size
     * @param width D, query/key width
     */
    public DsNet(int vocab, int dim, int width, Rng rng) {
        this(vocab, dim, Arch.of(width), rng);
    }

    /**
     * @param vocab number of target tokens
     * @param dim   F, source feature size
     * @param arch  width and context
     */
    public DsNet(int vocab, int dim, Arch arch, Rng rng) {
        int width = arch.width();
        if (vocab <= 0 || dim <= 0) throw new IllegalArgumentException("DsNet(vocab=" + vocab + ", dim=" + dim + ", width=" + width + "): sizes must be positive");
        this.vocab = vocab;
        this.dim = dim;
        this.width = width;
        this.scales = arch.scales();
        in = registerModule("in", new Linear(dim * (2 * CONTEXT + 1) + POS + 2 * scales.length * dim, width, true, rng));
        key = registerModule("key", new Linear(width, width, true, rng));
        tokens = registerModule("tokens", new Embedding(vocab, width, -1, rng));
        ordinal = registerModule("ordinal", new Linear(POS, width, false, rng));
        skip = arch.skip() ? registerModule("skip", new Embedding(1, width, -1, rng)) : null;
    }

    /** Whether the network has a skip row. */
    public boolean skips() {
        return skip != null;
    }

    /** Rows of the logits for Q tokens: Q, or Q + 1 with the skip row. */
    public int rows(int q) {
        return skip != null ? q + 1 : q;
    }

    static void pos(double u, float[] out, int off) {
        for (int k = 1; k <= POS / 2; k++) {
            out[off + 2 * (k - 1)] = (float) Math.sin(Math.PI * k * u);
            out[off + 2 * (k - 1) + 1] = (float) Math.cos(Math.PI * k * u);
        }
    }

    /** @return logits z [Q, T] ([Q + 1, T] with the skip row last) */
    public Var logits(AlignPair p) {
        return logits(Var.of(Tensor.of(p.features(), p.frames(), p.dim())), p.tokens());
    }

    /**
     * Logits over source positions of trainable features (e.g. the joint model's encoder output
     * {@code o} of one row): gradients flow into {@code h}.
     *
     * @param h      source features [T, F]
     * @param tokens target tokens R [Q], {@code Q <= T}
     * @return logits z [Q, T] ([Q + 1, T] with the skip row last)
     */
    public Var logits(Var h, int[] tokens) {
        if (h.dim() != 2) throw new IllegalArgumentException("DS-Net source features must be [T, F], got " + java.util.Arrays.toString(h.shape()));
        int t = h.size(0), f = h.size(1), q = tokens.length;
        if (f != dim) throw new IllegalArgumentException("source features have F=" + f + ", DS-Net was built for " + dim);
        if (q == 0) throw new IllegalArgumentException("target sequence is empty; a pair needs at least one token");
        // context windows h_{t-c..t+c} (clamped at the ends) as one gather: rows t-major, offset minor
        int[] idx = new int[t * (2 * CONTEXT + 1)];
        for (int j = 0, n = 0; j < t; j++)
            for (int c = -CONTEXT; c <= CONTEXT; c++) idx[n++] = Math.min(t - 1, Math.max(0, j + c));
        float[] pe = new float[t * POS];
        for (int j = 0; j < t; j++) pos(t == 1 ? 0 : (double) j / (t - 1), pe, j * POS);
        Var win = h.indexSelect(0, IntTensor.of(idx, idx.length)).reshape(t, (2 * CONTEXT + 1) * f);
        Var x = scales.length == 0 ? Var.cat(java.util.List.of(win, Var.of(Tensor.of(pe, t, POS))), 1)
            : Var.cat(java.util.List.of(win, Var.of(Tensor.of(pe, t, POS)), AlignOps.contextMeans(h, scales)), 1);
        Var k = key.forward(in.forward(x).tanh());
        for (int id : tokens) if (id < 0 || id >= vocab) throw new IllegalArgumentException("token " + id + " outside DS-Net vocabulary [0, " + vocab + ")");
        float[] o = new float[q * POS];
        for (int i = 0; i < q; i++) pos((i + 0.5) / q, o, i * POS);
        Var u = this.tokens.forward(IntTensor.of(tokens.clone(), q)).add(ordinal.forward(Var.of(Tensor.of(o, q, POS))));
        if (skip != null) u = Var.cat(java.util.List.of(u, skip.forward(IntTensor.of(new int[] {0}, 1))), 0);
        return u.matmul(k.mT()).mul((float) (4 / Math.sqrt(width)));
    }

    /**
     * A decoded alignment.
     *
     * @param segmentation contiguous ordered spans, one per token, tiling [0, T)
     * @param probs        Â [Q, T] row-major ([Q + 1, T] with the skip row), rows sum to 1
     * @param confidence   mean over tokens of the mass of Â_q on the positions q selects, in [0, 1]
     * @param selection    the token that selects each position [T], -1 where skipped (the binary Â of Eq. 3-4;
     *                     without the skip row every position is selected and this is the tiling)
     */
    public record Alignment(MonotonicViterbi.Segmentation segmentation, float[] probs, double confidence, int[] selection) {
        public double cost() {
            return 1 - confidence;
        }
    }

    /** Predicts, decodes and scores one pair (no gradient). */
    public Alignment align(AlignPair p) {
        return align(Var.of(Tensor.of(p.features(), p.frames(), p.dim())), p.tokens());
    }

    /** Predicts, decodes and scores source features h [T, F] against tokens [Q] (no gradient). */
    public Alignment align(Var h, int[] tokens) {
        float[] logp;
        try (var g = GradMode.noGrad()) {
            logp = logits(h.detach(), tokens).logSoftmax(1).value().toArray();
        }
        return skip != null ? decodeSparse(logp, tokens.length, h.size(0)) : decode(logp, tokens.length, h.size(0));
    }

    /**
     * Decodes log Â [Q, T] (row-wise log-softmax of the logits) with {@link MonotonicViterbi}
     * and scores it: confidence = mean over q of the mass of Â_q inside span q.
     */
    public static Alignment decode(float[] logp, int q, int t) {
        MonotonicViterbi.Segmentation s = MonotonicViterbi.decode(logp, q, t);
        float[] probs = new float[logp.length];
        double conf = 0;
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < t; j++) {
                probs[i * t + j] = (float) Math.exp(logp[i * t + j]);
                if (j >= s.starts()[i] && j < s.ends()[i]) conf += probs[i * t + j];
            }
        }
        return new Alignment(s, probs, conf / q, AlignMetrics.labels(s.starts(), s.ends(), t));
    }

    /**
     * Decodes log Â [Q + 1, T] with the skip row last into a sparse monotonic path: the best
     * sequence of states {@code [skip?, 1, skip?, 2, ..., Q, skip?]} ({@link AsymmetricDtw} over
     * the costs {@code -log Â}: every position in one state, tokens in order, each token at least
     * one position, skip states optional), then tiled by {@link AlignMetrics#tiling} (a skipped
     * run between two tokens is split at its middle). Confidence = mean over q of the mass of Â_q
     * on the positions q selects.
     */
    public static Alignment decodeSparse(float[] logp, int q, int t) {
        if (logp.length != (q + 1) * t) throw new IllegalArgumentException("sparse decoding needs log Â [Q + 1, T] = [" + (q + 1) + ", " + t + "], got " + logp.length + " values");
        int rows = 2 * q + 1;
        float[] cost = new float[rows * t];
        boolean[] skippable = new boolean[rows];
        int[] rowToken = new int[rows];
        for (int r = 0; r < rows; r++) {
            int src = r % 2 == 0 ? q : r / 2;
            rowToken[r] = r % 2 == 0 ? -1 : r / 2;
            skippable[r] = r % 2 == 0;
            for (int j = 0; j < t; j++) cost[r * t + j] = -logp[src * t + j];
        }
        AsymmetricDtw.Path p = AsymmetricDtw.align(cost, rows, t, skippable);
        int[] sel = new int[t];
        for (int j = 0; j < t; j++) sel[j] = rowToken[p.rows()[j]];
        float[] probs = new float[logp.length];
        for (int k = 0; k < probs.length; k++) probs[k] = (float) Math.exp(logp[k]);
        double conf = 0;
        for (int j = 0; j < t; j++) if (sel[j] >= 0) conf += probs[sel[j] * t + j];
        return new Alignment(AlignMetrics.tiling(sel, q), probs, conf / q, sel);
    }
}
