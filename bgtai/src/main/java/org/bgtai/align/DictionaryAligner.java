package org.bgtai.align;

import java.util.List;
import org.bgtai.nn.align.DictionaryInterpolation;
import org.bgtai.nn.align.Dtw;
import org.bgtai.nn.align.DtwAlignment;
import org.bgtai.nn.align.MonotonicViterbi;

/**
 * The DTW teacher of the Result Filter (BGTAI Eq. 5): a dictionary of per-token prototypes
 * (the mean feature frame of each token over training clips), the interpolated dictionary
 * sequence {@code I = uniform layout of prototypes(R) to length T}, and the DTW path between I
 * and Y mapped to a Q x T target path {@code A*[q, t] = 1} when some row of I belonging to token
 * q is matched with frame t. Also the plain-DTW baseline segmentation (the contiguous tiling that
 * covers most of A*) and the DTW cost per path step used by the Result Filter.
 *
 * <p>Known limitation (found 2026-11-26): I and Y have the same length T, and DTW with the
 * symmetric unit steps charges a diagonal step one cell but a horizontal + vertical detour two,
 * so the optimal path is often the diagonal itself and the teacher is then exactly the uniform
 * split (it was on every held-out string of the synthetic tone task in {@code DsNetTest}).
 * Matching the Q prototypes themselves to Y, or diagonal steps weighted 2 (the "symmetric2" step
 * pattern), would let the features move the boundaries; either changes every experiment that
 * trains on the teacher, so it is left for a measured change of its own.
 */
public final class DictionaryAligner {
    private final float[] prototypes;
    private final int vocab, dim;

    /** @param prototypes [V, F] row-major */
    public DictionaryAligner(float[] prototypes, int vocab, int dim) {
        if (prototypes.length != vocab * dim) throw new IllegalArgumentException("prototypes has " + prototypes.length + " values, expected V*F = " + vocab + "*" + dim);
        this.prototypes = prototypes.clone();
        this.vocab = vocab;
        this.dim = dim;
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

    /** The DTW result of a pair: path [Q, T] row-major, cost per path step, baseline segmentation. */
    public record Result(float[] path, double cost, MonotonicViterbi.Segmentation segmentation) {}

    public Result align(AlignPair pair) {
        if (pair.dim() != dim) throw new IllegalArgumentException("pair has F=" + pair.dim() + " features but the dictionary F=" + dim);
        int q = pair.length(), t = pair.frames();
        float[] protos = new float[q * dim];
        for (int i = 0; i < q; i++) {
            int k = pair.tokens()[i];
            if (k < 0 || k >= vocab) throw new IllegalArgumentException("token " + k + " outside vocabulary [0, " + vocab + ")");
            System.arraycopy(prototypes, k * dim, protos, i * dim, dim);
        }
        float[] interp = DictionaryInterpolation.uniform(protos, q, dim, t);
        int[] rowToken = new int[t];
        int[] dur = DictionaryInterpolation.uniformDurations(q, t);
        for (int i = 0, r = 0; i < q; i++) for (int k = 0; k < dur[i]; k++) rowToken[r++] = i;
        DtwAlignment a = Dtw.align(interp, pair.features(), dim, Dtw.Options.DEFAULT);
        float[] path = new float[q * t];
        for (int s = 0; s < a.length(); s++) path[rowToken[a.qs()[s]] * t + a.ts()[s]] = 1f;
        return new Result(path, a.cost() / a.length(), MonotonicViterbi.decode(path, q, t));
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
