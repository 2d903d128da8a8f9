package org.bgtai.nn.align;

import java.util.Arrays;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * The alignment losses as autograd ops ({@link Var#op}), so models train with them. Each op is
 * fused: the value comes from the array kernels of this package, and its backward rule is the
 * analytic gradient (no autograd through the recursions):
 * <ul>
 *   <li>soft-DTW {@code R[Q-1, T-1]} over a cost matrix C: {@code dL/dC = g * E}, E the expected
 *       alignment of the backward recursion ({@link SoftDtw.Forward#backward()}), g the upstream
 *       gradient; over sequences, {@code dL/dx_i = g * sum_j E[i, j] dc(x_i, y_j)/dx_i} and the
 *       same for y ({@link SoftDtw#addSequenceGradients});</li>
 *   <li>the soft-DTW divergence {@code sdtw(x, y) - (sdtw(x, x) + sdtw(y, y)) / 2};</li>
 *   <li>SP-Loss ({@link SpLoss}), plain and self-paced over a batch (weights are constants);</li>
 *   <li>alignment cross-entropy ({@link AlignmentCrossEntropy}), gradient {@code (softmax(z) - P*) / Q};</li>
 *   <li>Eq. 4, the frames of each target element pooled by the alignment ({@link #selectFrames}, plain Var ops);</li>
 *   <li>multi-scale left/right context means of a sequence ({@link #contextMeans}, prefix sums).</li>
 * </ul>
 * Targets (DTW paths) are plain tensors: they get no gradient.
 *
 * <pre>{@code
 * Var x = Var.param(xs);                                 // [Q, D]
 * Var loss = AlignOps.softDtw(x, Var.of(ys), 0.1f, StandardCost.SQUARED_EUCLIDEAN);
 * loss.backward();                                       // x.grad(): [Q, D]
 * }</pre>
 */
public final class AlignOps {
    private AlignOps() {}

    // ---------------------------------------------------------------- soft-DTW

    /**
     * Soft-DTW over a cost matrix.
     *
     * @param cost  C [Q, T], finite
     * @param gamma smoothing, > 0
     * @return the soft-DTW value, rank 0; gradient {@code g * E} [Q, T]
     */
    public static Var softDtw(Var cost, float gamma) {
        int[] s = requireRank("soft-DTW cost matrix", cost, 2, "[Q, T]");
        int q = s[0], t = s[1];
        SoftDtw.Forward f = SoftDtw.forward(cost.value().toArray(), q, t, gamma);
        return Var.op("soft_dtw", Tensor.scalar((float) f.value()),
            g -> new Tensor[] {Tensor.of(scaled(f.backward(), g.item()), q, t)}, cost);
    }

    /**
     * Soft-DTW of a batch of cost matrices, the pairs spread over all cores ({@link Parallel}).
     *
     * @param costs C [B, Q, T], finite
     * @param gamma smoothing, > 0
     * @return the B soft-DTW values [B]; gradient {@code g[b] * E_b} [B, Q, T]
     */
    public static Var softDtwBatch(Var costs, float gamma) {
        int[] s = requireRank("soft-DTW cost matrices", costs, 3, "[B, Q, T]");
        int b = s[0], q = s[1], t = s[2], cells = q * t;
        float[] all = costs.value().toArray();
        SoftDtw.Forward[] fs = new SoftDtw.Forward[b];
        float[] values = new float[b];
        Parallel.forRange(b, 1, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                fs[k] = SoftDtw.forward(Arrays.copyOfRange(all, k * cells, (k + 1) * cells), q, t, gamma);
                values[k] = (float) fs[k].value();
            }
        });
        return Var.op("soft_dtw_batch", Tensor.of(values, b), g -> {
            float[] up = g.toArray(), grad = new float[b * cells];
            Parallel.forRange(b, 1, (lo, hi) -> {
                for (int k = lo; k < hi; k++) {
                    if (up[k] == 0) continue;
                    float[] e = fs[k].backward();
                    for (int c = 0; c < cells; c++) grad[k * cells + c] = e[c] * up[k];
                }
            });
            return new Tensor[] {Tensor.of(grad, b, q, t)};
        }, costs);
    }

    /**
     * Soft-DTW between two sequences, {@code C[i, j] = cost(x_i, y_j)}.
     *
     * @param x     [Q, D]
     * @param y     [T, D]
     * @param gamma smoothing, > 0
     * @param cost  the local cost; gradients need {@link LocalCost#addGradient} (every {@link StandardCost})
     * @return the soft-DTW value, rank 0; gradients [Q, D] and [T, D]
     */
    public static Var softDtw(Var x, Var y, float gamma, LocalCost cost) {
        int d = featureDim(x, y, 2, "[Q, D] and [T, D]");
        float[] xs = x.value().toArray(), ys = y.value().toArray();
        Pair p = Pair.forward(xs, ys, d, gamma, cost);
        int[] xShape = x.shape(), yShape = y.shape();
        return Var.op("soft_dtw", Tensor.scalar((float) p.f.value()), g -> {
            double[] gx = new double[xs.length], gy = new double[ys.length];
            p.addGradients(g.item(), gx, gy);
            return new Tensor[] {Tensor.of(toFloat(gx), xShape), Tensor.of(toFloat(gy), yShape)};
        }, x, y);
    }

    /**
     * Soft-DTW of a batch of sequence pairs, spread over all cores.
     *
     * @param x [B, Q, D]
     * @param y [B, T, D]
     * @return the B soft-DTW values [B]; gradients [B, Q, D] and [B, T, D]
     */
    public static Var softDtwBatch(Var x, Var y, float gamma, LocalCost cost) {
        int d = featureDim(x, y, 3, "[B, Q, D] and [B, T, D]");
        int b = x.size(0);
        if (y.size(0) != b) throw new IllegalArgumentException("soft-DTW batch sizes differ: x " + Shape.str(x.shape()) + ", y " + Shape.str(y.shape()));
        float[] xs = x.value().toArray(), ys = y.value().toArray();
        int xn = xs.length / b, yn = ys.length / b;
        Pair[] ps = new Pair[b];
        float[] values = new float[b];
        Parallel.forRange(b, 1, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                ps[k] = Pair.forward(Arrays.copyOfRange(xs, k * xn, (k + 1) * xn), Arrays.copyOfRange(ys, k * yn, (k + 1) * yn), d, gamma, cost);
                values[k] = (float) ps[k].f.value();
            }
        });
        int[] xShape = x.shape(), yShape = y.shape();
        return Var.op("soft_dtw_batch", Tensor.of(values, b), g -> {
            float[] up = g.toArray(), gxAll = new float[xs.length], gyAll = new float[ys.length];
            Parallel.forRange(b, 1, (lo, hi) -> {
                for (int k = lo; k < hi; k++) {
                    if (up[k] == 0) continue;
                    double[] gx = new double[xn], gy = new double[yn];
                    ps[k].addGradients(up[k], gx, gy);
                    for (int c = 0; c < xn; c++) gxAll[k * xn + c] = (float) gx[c];
                    for (int c = 0; c < yn; c++) gyAll[k * yn + c] = (float) gy[c];
                }
            });
            return new Tensor[] {Tensor.of(gxAll, xShape), Tensor.of(gyAll, yShape)};
        }, x, y);
    }

    /** The soft-DTW divergence with the squared Euclidean cost; see {@link #softDtwDivergence(Var, Var, float, LocalCost)}. */
    public static Var softDtwDivergence(Var x, Var y, float gamma) {
        return softDtwDivergence(x, y, gamma, StandardCost.SQUARED_EUCLIDEAN);
    }

    /**
     * The soft-DTW divergence {@code sdtw(x, y) - (sdtw(x, x) + sdtw(y, y)) / 2}: zero for
     * x = y, non-negative for the squared Euclidean cost.
     *
     * @param x [Q, D]
     * @param y [T, D]
     * @return rank 0; gradients [Q, D] and [T, D]
     */
    public static Var softDtwDivergence(Var x, Var y, float gamma, LocalCost cost) {
        int d = featureDim(x, y, 2, "[Q, D] and [T, D]");
        float[] xs = x.value().toArray(), ys = y.value().toArray();
        Pair xy = Pair.forward(xs, ys, d, gamma, cost);
        Pair xx = Pair.forward(xs, xs, d, gamma, cost);
        Pair yy = Pair.forward(ys, ys, d, gamma, cost);
        double value = xy.f.value() - 0.5 * (xx.f.value() + yy.f.value());
        int[] xShape = x.shape(), yShape = y.shape();
        return Var.op("soft_dtw_divergence", Tensor.scalar((float) value), g -> {
            double up = g.item();
            double[] gx = new double[xs.length], gy = new double[ys.length];
            xy.addGradients(up, gx, gy);
            xx.addGradients(-0.5 * up, gx, gx);
            yy.addGradients(-0.5 * up, gy, gy);
            return new Tensor[] {Tensor.of(toFloat(gx), xShape), Tensor.of(toFloat(gy), yShape)};
        }, x, y);
    }

    /** A soft-DTW forward pass between two sequences, kept for the backward rule. */
    private record Pair(SoftDtw.Forward f, float[] x, float[] y, int d, LocalCost cost) {
        static Pair forward(float[] x, float[] y, int d, float gamma, LocalCost cost) {
            if (cost == null) throw new IllegalArgumentException("local cost is null; use StandardCost.SQUARED_EUCLIDEAN");
            int q = Checks.length("x", x, d), t = Checks.length("y", y, d);
            return new Pair(SoftDtw.forward(cost.matrix(x, y, d), q, t, gamma), x, y, d, cost);
        }

        void addGradients(double scale, double[] gx, double[] gy) {
            SoftDtw.addSequenceGradients(f.backward(), x, y, d, cost, scale, gx, gy);
        }
    }

    // ---------------------------------------------------------------- SP-Loss

    /**
     * SP-Loss (BGTAI Eq. 6) between a predicted alignment and a DTW target path; see {@link SpLoss}.
     *
     * @param predAlignment A^ [Q, T], row-stochastic (e.g. a softmax over T)
     * @param targetPath    A* [Q, T], binary path matrix (e.g. {@link DtwAlignment#matrix()}); no gradient
     * @return rank 0; gradient [Q, T]
     */
    public static Var spLoss(Var predAlignment, Tensor targetPath) {
        int[] s = requireRank("SP-Loss predicted alignment", predAlignment, 2, "[Q, T]");
        requireSameShape("SP-Loss target path", targetPath, s);
        SpLoss.Result r = SpLoss.of(predAlignment.value().toArray(), targetPath.toArray(), s[0], s[1]);
        return Var.op("sp_loss", Tensor.scalar((float) r.value()),
            g -> new Tensor[] {Tensor.of(scaled(r.gradient(), g.item()), s)}, predAlignment);
    }

    /**
     * The self-paced SP-Loss of a batch: the loss to minimise and the per-pair losses and weights
     * to log.
     *
     * @param loss    {@code 1/B sum_b w_b SP_b}, rank 0
     * @param losses  SP_b [B]
     * @param weights w_b [B] (constants: not differentiated)
     */
    public record SelfPacedLoss(Var loss, Tensor losses, Tensor weights) {}

    /**
     * Self-paced SP-Loss over a batch of pairs: {@code 1/B sum_b w_b SP_b} with
     * {@code w_b = schedule.weight(SP_b, epoch)} held constant.
     *
     * @param predAlignment A^ [B, Q, T], row-stochastic
     * @param targetPath    A* [B, Q, T], binary path matrices
     * @param epoch         the current epoch (0-based), selects the threshold
     */
    public static SelfPacedLoss spLossSelfPaced(Var predAlignment, Tensor targetPath, SelfPaced schedule, int epoch) {
        int[] s = requireRank("SP-Loss predicted alignments", predAlignment, 3, "[B, Q, T]");
        requireSameShape("SP-Loss target paths", targetPath, s);
        if (schedule == null) throw new IllegalArgumentException("self-paced schedule is null; e.g. SelfPaced.hard(0.1, 1.5, 1.0)");
        SpLoss.BatchResult r = SpLoss.weightedBatch(predAlignment.value().toArray(), targetPath.toArray(), s[0], s[1], s[2], schedule, epoch);
        Var loss = Var.op("sp_loss_self_paced", Tensor.scalar((float) r.value()),
            g -> new Tensor[] {Tensor.of(scaled(r.gradient(), g.item()), s)}, predAlignment);
        return new SelfPacedLoss(loss, Tensor.of(r.losses(), s[0]), Tensor.of(r.weights(), s[0]));
    }

    // ---------------------------------------------------------------- alignment cross-entropy

    /**
     * Alignment cross-entropy (BGTAI Eq. 5); see {@link AlignmentCrossEntropy}.
     *
     * @param logits z [Q, T], finite
     * @param path   A* [Q, T], non-negative, each row with a positive entry; no gradient
     * @return rank 0; gradient {@code g (softmax(z) - P*) / Q} [Q, T]
     */
    public static Var alignmentCrossEntropy(Var logits, Tensor path) {
        int[] s = requireRank("alignment cross-entropy logits", logits, 2, "[Q, T]");
        requireSameShape("alignment cross-entropy target path", path, s);
        AlignmentCrossEntropy.Result r = AlignmentCrossEntropy.of(logits.value().toArray(), path.toArray(), s[0], s[1]);
        return Var.op("alignment_cross_entropy", Tensor.scalar((float) r.value()),
            g -> new Tensor[] {Tensor.of(scaled(r.gradient(), g.item()), s)}, logits);
    }

    // ---------------------------------------------------------------- Eq. 4: frames selected per target element

    /**
     * BGTAI Eq. 4, {@code Ŷ = Y x Â}: the source frames of each target element, pooled by the
     * row-normalised alignment,
     * <pre>
     *   Ŷ[q, :] = sum_t Â[q, t] Y[t, :] / sum_t Â[q, t]
     * </pre>
     * With a row-stochastic Â (a softmax over T) this is {@code Â Y}, each element's expected
     * frame; with a binary path (a decoded segmentation) it is the mean of the element's frames.
     * Built from autograd ops, so gradients flow into both Â and Y.
     *
     * @param alignment Â [Q, T], non-negative, every row with a positive entry
     * @param frames    Y [T, F]
     * @return Ŷ [Q, F]
     */
    public static Var selectFrames(Var alignment, Var frames) {
        int[] a = requireRank("Eq. 4 alignment", alignment, 2, "[Q, T]"), y = requireRank("Eq. 4 frames", frames, 2, "[T, F]");
        if (a[1] != y[0])
            throw new IllegalArgumentException("Eq. 4 alignment " + Shape.str(a) + " covers T=" + a[1] + " positions but the frames " + Shape.str(y)
                + " have " + y[0] + "; they must match");
        return alignment.div(alignment.sum(1, true)).matmul(frames);
    }

    // ---------------------------------------------------------------- bidirectional context

    /**
     * Multi-scale context of a sequence: for every position t and every scale s, the mean of the
     * s positions before t and the mean of the s positions after it (over the positions that
     * exist; zero where none do),
     * <pre>
     *   out[t, (2k) F + f]     = mean_{u in [t-s_k, t)} h[u, f]
     *   out[t, (2k + 1) F + f] = mean_{u in (t, t+s_k]} h[u, f]
     * </pre>
     * Computed with prefix sums in O(T F K); the backward rule spreads each output's gradient
     * back over its window the same way.
     *
     * @param h      [T, F]
     * @param scales window lengths s_k >= 1
     * @return [T, 2 K F]
     */
    public static Var contextMeans(Var h, int[] scales) {
        int[] s = requireRank("context sequence", h, 2, "[T, F]");
        int t = s[0], f = s[1], k = scales.length;
        if (k == 0) throw new IllegalArgumentException("context needs at least one scale");
        for (int sc : scales) if (sc < 1) throw new IllegalArgumentException("context scales must be >= 1, got " + Arrays.toString(scales));
        float[] x = h.value().toArray();
        int width = 2 * k * f;
        // window [lo, hi) of output (t, k, side)
        int[] lo = new int[t * 2 * k], hi = new int[t * 2 * k];
        for (int j = 0; j < t; j++)
            for (int m = 0; m < k; m++) {
                lo[(j * k + m) * 2] = Math.max(0, j - scales[m]);
                hi[(j * k + m) * 2] = j;
                lo[(j * k + m) * 2 + 1] = Math.min(t, j + 1);
                hi[(j * k + m) * 2 + 1] = Math.min(t, j + 1 + scales[m]);
            }
        double[] prefix = new double[(t + 1) * f];
        for (int j = 0; j < t; j++) for (int c = 0; c < f; c++) prefix[(j + 1) * f + c] = prefix[j * f + c] + x[j * f + c];
        float[] out = new float[t * width];
        for (int w = 0; w < t * 2 * k; w++) {
            int n = hi[w] - lo[w];
            if (n <= 0) continue;
            int o = (w / (2 * k)) * width + (w % (2 * k)) * f;
            for (int c = 0; c < f; c++) out[o + c] = (float) ((prefix[hi[w] * f + c] - prefix[lo[w] * f + c]) / n);
        }
        return Var.op("context_means", Tensor.of(out, t, width), g -> {
            float[] go = g.toArray();
            // difference array: each window adds go / n to positions [lo, hi)
            double[] diff = new double[(t + 1) * f];
            for (int w = 0; w < t * 2 * k; w++) {
                int n = hi[w] - lo[w];
                if (n <= 0) continue;
                int o = (w / (2 * k)) * width + (w % (2 * k)) * f;
                for (int c = 0; c < f; c++) {
                    double v = go[o + c] / (double) n;
                    diff[lo[w] * f + c] += v;
                    diff[hi[w] * f + c] -= v;
                }
            }
            float[] gx = new float[t * f];
            double[] run = new double[f];
            for (int j = 0; j < t; j++)
                for (int c = 0; c < f; c++) {
                    run[c] += diff[j * f + c];
                    gx[j * f + c] = (float) run[c];
                }
            return new Tensor[] {Tensor.of(gx, t, f)};
        }, h);
    }

    // ---------------------------------------------------------------- helpers

    private static int[] requireRank(String what, Var v, int rank, String expected) {
        if (v == null) throw new IllegalArgumentException(what + " is null");
        int[] s = v.shape();
        if (s.length != rank) throw new IllegalArgumentException(what + " must be " + expected + ", got shape " + Shape.str(s));
        for (int n : s) if (n == 0) throw new IllegalArgumentException(what + " must be non-empty, got shape " + Shape.str(s));
        return s;
    }

    private static void requireSameShape(String what, Tensor t, int[] shape) {
        if (t == null) throw new IllegalArgumentException(what + " is null");
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(what + " has shape " + Shape.str(t.shape()) + " but the prediction has " + Shape.str(shape) + "; they must match");
        }
    }

    /** The common last dimension D of two sequences of the given rank. */
    private static int featureDim(Var x, Var y, int rank, String expected) {
        int[] xs = requireRank("soft-DTW x", x, rank, expected), ys = requireRank("soft-DTW y", y, rank, expected);
        int d = xs[rank - 1];
        if (ys[rank - 1] != d) {
            throw new IllegalArgumentException("soft-DTW sequences differ in feature dimension: x " + Shape.str(xs) + ", y " + Shape.str(ys)
                + "; expected " + expected);
        }
        return d;
    }

    /** {@code s * a} in a new array (the op's saved gradient stays intact for a retained graph). */
    private static float[] scaled(float[] a, float s) {
        float[] out = new float[a.length];
        for (int k = 0; k < a.length; k++) out[k] = a[k] * s;
        return out;
    }

    private static float[] toFloat(double[] a) {
        float[] out = new float[a.length];
        for (int k = 0; k < a.length; k++) out[k] = (float) a[k];
        return out;
    }
}
