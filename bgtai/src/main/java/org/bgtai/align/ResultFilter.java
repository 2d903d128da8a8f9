package org.bgtai.align;

import java.util.function.IntPredicate;
import org.bgtai.metrics.Retrieval;

/**
 * The Result Filter at inference (spec item 4): a retrieval result whose DS-Net alignment cost
 * {@code 1 - confidence} (query audio against the result's gloss) is above a threshold is
 * dropped, i.e. moved behind every other result. The threshold is calibrated on validation as a
 * quantile of true-pair costs (default the 95th percentile: about 5% of true pairs are rejected).
 * Only the top {@code k} results of each query are checked (DS-Net runs k times per query).
 *
 * <pre>{@code
 * double thr = ResultFilter.calibrate(valTrueCosts, 0.95);
 * ResultFilter.Filtered f = ResultFilter.retrieve(audio, labels, images, labels, 10, thr, (q, g) -> cost);
 * }</pre>
 */
public final class ResultFilter {
    private ResultFilter() {}

    /** Alignment cost of query {@code q} with gallery item {@code g}. */
    @FunctionalInterface
    public interface Cost {
        double of(int query, int item);
    }

    /** The threshold: the {@code quantile} (0..1] of the validation true-pair costs, linear interpolation. */
    public static double calibrate(double[] trueCosts, double quantile) {
        return AlignMetrics.quantile(trueCosts, quantile);
    }

    /**
     * Moves the rejected ones among the first {@code topK} entries of {@code ranking} to the end,
     * keeping the order of everything else.
     *
     * @param ranking  gallery indices, best first
     * @param rejected whether a gallery index is rejected (asked for the first topK only)
     */
    public static int[] rerank(int[] ranking, int topK, IntPredicate rejected) {
        int k = Math.min(topK, ranking.length);
        int[] out = new int[ranking.length], drop = new int[k];
        int n = 0, d = 0;
        for (int i = 0; i < k; i++) {
            if (rejected.test(ranking[i])) drop[d++] = ranking[i];
            else out[n++] = ranking[i];
        }
        for (int i = k; i < ranking.length; i++) out[n++] = ranking[i];
        System.arraycopy(drop, 0, out, n, d);
        return out;
    }

    /** Scores after filtering and the fraction of checked results that were rejected. */
    public record Filtered(Retrieval.Scores scores, double rejected) {}

    /**
     * Retrieval by cosine similarity, then the Result Filter on each query's top {@code topK};
     * relevance by equal labels as in {@link Retrieval}.
     *
     * @param queries [Q][E]
     * @param gallery [G][E]
     */
    public static Filtered retrieve(float[][] queries, int[] queryLabels, float[][] gallery, int[] galleryLabels, int topK, double threshold, Cost cost) {
        if (queries.length != queryLabels.length || gallery.length != galleryLabels.length)
            throw new IllegalArgumentException("embeddings and labels differ in count: " + queries.length + "/" + queryLabels.length + ", " + gallery.length + "/" + galleryLabels.length);
        double r1 = 0, r5 = 0, mrr = 0;
        long checked = 0, rejected = 0;
        for (int q = 0; q < queries.length; q++) {
            int[] ranking = Retrieval.topK(queries[q], gallery, gallery.length);
            final int query = q;
            boolean[] rej = new boolean[gallery.length];
            for (int i = 0; i < Math.min(topK, ranking.length); i++) {
                rej[ranking[i]] = cost.of(query, ranking[i]) > threshold;
                checked++;
                if (rej[ranking[i]]) rejected++;
            }
            int[] order = rerank(ranking, topK, g -> rej[g]);
            int rank = 0;
            for (int i = 0; i < order.length; i++) if (galleryLabels[order[i]] == queryLabels[q]) {
                rank = i + 1;
                break;
            }
            if (rank == 0) continue;
            if (rank == 1) r1++;
            if (rank <= 5) r5++;
            mrr += 1.0 / rank;
        }
        int n = queries.length;
        return new Filtered(new Retrieval.Scores(r1 / n, r5 / n, mrr / n), checked == 0 ? 0 : (double) rejected / checked);
    }
}
