package org.bgtai.align;

import java.util.List;
import org.bgtai.nn.align.AsymmetricDtw;
import org.bgtai.nn.align.DictionaryInterpolation;
import org.bgtai.nn.align.Dtw;
import org.bgtai.nn.align.DtwAlignment;
import org.bgtai.nn.align.MonotonicViterbi;

/**
 * The DTW teacher of the Result Filter (BGTAI Eq. 5): a dictionary of per-token prototypes, the
 * interpolated dictionary sequence I built from the prototypes of a target sequence R, and the
 * DTW path between I and the source sequence Y mapped to a Q x T target path A*. Also the plain
 * DTW baseline segmentation and the DTW cost per path step used by the Result Filter. Two
 * dictionaries:
 *
 * <ul>
 *   <li>{@link #fit} (the paper read literally): the prototype of a token is its mean feature
 *       frame; {@code I = uniform layout of prototypes(R) to length T}; symmetric DTW ({@link Dtw});
 *       {@code A*[q, t] = 1} when some row of I belonging to token q is matched with frame t; the
 *       baseline segmentation is the contiguous tiling that covers most of A*.</li>
 *   <li>{@link #fitSequences}: the prototype of a token is its mean <em>sequence</em>, every
 *       training clip (or digit image) resampled to {@code L} frames (columns) and averaged; a
 *       filler prototype (silence, background) is optional before, between and after the tokens:
 *       {@code I = [filler?, P(R_1), filler?, P(R_2), ..., P(R_Q), filler?]}, aligned with
 *       {@link AsymmetricDtw} (every source position matched to exactly one row of I, at most
 *       one row skipped per step, so the path's cost is a sum of T local costs with no step
 *       cheaper than another). Frames matched with token q's rows go to q; the frames of a filler
 *       between q and q+1 are split at their middle (the convention of the ground truth,
 *       {@link AlignMetrics#truthLabels}), a leading (trailing) filler goes to the first (last)
 *       token. A* is that tiling.</li>
 * </ul>
 *
 * <p>Known limitation of {@link #fit} (found 2026-11-26): I and Y have the same length T, and DTW
 * with the symmetric unit steps charges a diagonal step one cell but a horizontal + vertical
 * detour two, so the optimal path is often the diagonal itself and the teacher is then exactly
 * the uniform split (it was on every held-out string of the synthetic tone task in
 * {@code DsNetTest}). {@link #fitSequences} has no such bias (every path has T cells).
 */
public final class DictionaryAligner {
    private final float[] prototypes;
    private final int vocab, dim, length;
    private final float[] filler;

    /** @param prototypes [V, F] row-major: one mean frame per token ({@link #fit}'s dictionary) */
    public DictionaryAligner(float[] prototypes, int vocab, int dim) {
        if (prototypes.length != vocab * dim) throw new IllegalArgumentException("prototypes has " + prototypes.length + " values, expected V*F = " + vocab + "*" + dim);
        this.prototypes = prototypes.clone();
        this.vocab = vocab;
        this.dim = dim;
        this.length = 0;
        this.filler = null;
    }

    /**
     * A sequence dictionary ({@link #fitSequences}'s).
     *
     * @param templates [V, L, F] row-major
     * @param length    L, template frames per token (>= 1)
     * @param filler    [F], the optional filler between tokens, or null for none
     */
    public DictionaryAligner(float[] templates, int vocab, int length, int dim, float[] filler) {
        if (length < 1) throw new IllegalArgumentException("template length must be >= 1, got " + length);
        if (templates.length != vocab * length * dim)
            throw new IllegalArgumentException("templates has " + templates.length + " values, expected V*L*F = " + vocab + "*" + length + "*" + dim);
        if (filler != null && filler.length != dim) throw new IllegalArgumentException("filler has " + filler.length + " values, expected F=" + dim);
        this.prototypes = templates.clone();
        this.vocab = vocab;
        this.dim = dim;
        this.length = length;
        this.filler = filler == null ? null : filler.clone();
    }

    /** Whether this is a sequence dictionary ({@link #fitSequences}). */
    public boolean sequences() {
        return length > 0;
    }

    /** Prototypes as the mean frame of each token's clips. @param clips single-token feature sequences [T_i, F] */
    public static DictionaryAligner fit(List<float[]> clips, int[] tokens, int vocab, int dim) {
        if (clips.size() != tokens.length) throw new IllegalArgumentException(clips.size() + " clips but " + tokens.length + " tokens");
        double[] sum = new double[vocab * dim];
        long[] n = new long[vocab];
        for (int i = 0; i < tokens.length; i++) {
            float[] c = clips.get(i);
            int k = tokens[i];
            if (k < 0 || k >= vocab) throw new IllegalArgumentException("token " + k + " outside vocabulary [0, " + vocab + ")");
            for (int j = 0; j < c.length; j++) sum[k * dim + j % dim] += c[j];
            n[k] += c.length / dim;
        }
        float[] p = new float[vocab * dim];
        for (int k = 0; k < vocab; k++) {
            if (n[k] == 0) throw new IllegalArgumentException("no clip of token " + k + "; every token needs a prototype");
            for (int j = 0; j < dim; j++) p[k * dim + j] = (float) (sum[k * dim + j] / n[k]);
        }
        return new DictionaryAligner(p, vocab, dim);
    }

    /**
     * Templates as the mean of each token's clips resampled to {@code length} frames (frame k of
     * the template averages the clip frames in {@code [k T_i / L, (k+1) T_i / L)}, area-weighted).
     *
     * @param clips  single-token feature sequences [T_i, F]
     * @param filler the filler frame [F] (e.g. the features of silence or of a background column), or null
     */
    public static DictionaryAligner fitSequences(List<float[]> clips, int[] tokens, int vocab, int dim, int length, float[] filler) {
        if (clips.size() != tokens.length) throw new IllegalArgumentException(clips.size() + " clips but " + tokens.length + " tokens");
        double[] sum = new double[vocab * length * dim];
        long[] n = new long[vocab];
        for (int i = 0; i < tokens.length; i++) {
            int k = tokens[i];
            if (k < 0 || k >= vocab) throw new IllegalArgumentException("token " + k + " outside vocabulary [0, " + vocab + ")");
            float[] r = resample(clips.get(i), dim, length);
            for (int j = 0; j < r.length; j++) sum[k * length * dim + j] += r[j];
            n[k]++;
        }
        float[] p = new float[vocab * length * dim];
        for (int k = 0; k < vocab; k++) {
            if (n[k] == 0) throw new IllegalArgumentException("no clip of token " + k + "; every token needs a template");
            for (int j = 0; j < length * dim; j++) p[k * length * dim + j] = (float) (sum[k * length * dim + j] / n[k]);
        }
        return new DictionaryAligner(p, vocab, length, dim, filler);
    }

    /** A sequence [T, F] resampled to [L, F] by area averaging. */
    static float[] resample(float[] seq, int dim, int length) {
        int t = seq.length / dim;
        if (t == 0) throw new IllegalArgumentException("cannot resample an empty sequence");
        float[] out = new float[length * dim];
        double step = (double) t / length;
        for (int k = 0; k < length; k++) {
            double lo = k * step, hi = (k + 1) * step;
            for (int s = (int) Math.floor(lo); s < Math.min(t, (int) Math.ceil(hi)); s++) {
                double w = (Math.min(hi, s + 1) - Math.max(lo, s)) / step;
                if (w <= 0) continue;
                for (int f = 0; f < dim; f++) out[k * dim + f] += (float) (w * seq[s * dim + f]);
            }
        }
        return out;
    }

    /**
     * The DTW result of a pair.
     *
     * @param path         A* [Q, T] row-major (for a sequence dictionary: the tiling)
     * @param cost         DTW cost per path step
     * @param segmentation the baseline segmentation: contiguous ordered spans tiling [0, T)
     * @param selection    the token whose dictionary rows each position was matched with [T], -1 for a filler
     *                     (the sparse path: which positions each token selects and which are skipped)
     */
    public record Result(float[] path, double cost, MonotonicViterbi.Segmentation segmentation, int[] selection) {
        /** The sparse path as a [Q + 1, T] matrix: row q the positions token q selects, row Q the skipped ones. */
        public float[] selectionMatrix(int q) {
            int t = selection.length;
            float[] m = new float[(q + 1) * t];
            for (int u = 0; u < t; u++) m[(selection[u] >= 0 ? selection[u] : q) * t + u] = 1f;
            return m;
        }
    }

    public Result align(AlignPair pair) {
        if (pair.dim() != dim) throw new IllegalArgumentException("pair has F=" + pair.dim() + " features but the dictionary F=" + dim);
        for (int k : pair.tokens()) if (k < 0 || k >= vocab) throw new IllegalArgumentException("token " + k + " outside vocabulary [0, " + vocab + ")");
        return sequences() ? alignSequences(pair) : alignInterpolated(pair);
    }

    private Result alignInterpolated(AlignPair pair) {
        int q = pair.length(), t = pair.frames();
        float[] protos = new float[q * dim];
        for (int i = 0; i < q; i++) System.arraycopy(prototypes, pair.tokens()[i] * dim, protos, i * dim, dim);
        float[] interp = DictionaryInterpolation.uniform(protos, q, dim, t);
        int[] rowToken = new int[t];
        int[] dur = DictionaryInterpolation.uniformDurations(q, t);
        for (int i = 0, r = 0; i < q; i++) for (int k = 0; k < dur[i]; k++) rowToken[r++] = i;
        DtwAlignment a = Dtw.align(interp, pair.features(), dim, Dtw.Options.DEFAULT);
        float[] path = new float[q * t];
        for (int s = 0; s < a.length(); s++) path[rowToken[a.qs()[s]] * t + a.ts()[s]] = 1f;
        MonotonicViterbi.Segmentation seg = MonotonicViterbi.decode(path, q, t);
        return new Result(path, a.cost() / a.length(), seg, AlignMetrics.labels(seg.starts(), seg.ends(), t));
    }

    private Result alignSequences(AlignPair pair) {
        int q = pair.length(), t = pair.frames(), f = filler != null ? 1 : 0;
        int rows = q * length + (q + 1) * f;
        // row r: token rowToken[r] (-1 for a filler), template frame
        int[] rowToken = new int[rows];
        boolean[] skippable = new boolean[rows];
        float[] dict = new float[rows * dim];
        int r = 0;
        for (int i = 0; i <= q; i++) {
            if (f == 1) {
                rowToken[r] = -1;
                skippable[r] = true;
                System.arraycopy(filler, 0, dict, r * dim, dim);
                r++;
            }
            if (i == q) break;
            for (int k = 0; k < length; k++, r++) {
                rowToken[r] = i;
                skippable[r] = length >= 2;
                System.arraycopy(prototypes, (pair.tokens()[i] * length + k) * dim, dict, r * dim, dim);
            }
        }
        float[] cost = Dtw.Options.DEFAULT.localCost().matrix(dict, pair.features(), dim);
        AsymmetricDtw.Path p = AsymmetricDtw.align(cost, rows, t, skippable);
        int[] selection = new int[t];
        for (int u = 0; u < t; u++) selection[u] = rowToken[p.rows()[u]];
        MonotonicViterbi.Segmentation seg = AlignMetrics.tiling(selection, q);
        return new Result(seg.matrix(), p.cost() / t, seg, selection);
    }

    /** The uniform-split baseline: Q equal spans. */
    public static MonotonicViterbi.Segmentation uniform(int q, int t) {
        int[] d = DictionaryInterpolation.uniformDurations(q, t), s = new int[q], e = new int[q];
        for (int i = 0, p = 0; i < q; i++) {
            s[i] = p;
            p += d[i];
            e[i] = p;
        }
        return new MonotonicViterbi.Segmentation(0, s, e, t);
    }
}
