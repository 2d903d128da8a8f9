package org.bgtai.align;

import java.util.function.IntPredicate;
import org.bgtai.metrics.Retrieval;

/**
 * The Result Filter at inference (spec item 4). A query's result is kept when its DS-Net alignment
 * cost is at most a threshold calibrated on validation (a quantile of validation costs), and the
 * system abstains otherwise: {@link #at} and {@link #riskCoverage} give precision@1 against the
 * share of results kept. The costs come from model outputs only (see
 * {@link JointAlignment#queryCosts}: the query's predicted gloss against its own encoder outputs).
 * {@link #retrieve} is the re-ranking form, for costs of a query against gallery items that carry
 * their own model outputs (e.g. a predicted gloss of each gallery sequence).
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

    /**
     * One operating point of selective retrieval: results whose cost is at most {@code threshold}
     * are kept; {@code coverage} is the share kept, {@code precisionAt1} the share of kept results
     * whose top-1 item is relevant (NaN when none is kept).
     */
    public record Point(double threshold, double coverage, double precisionAt1) {
        public java.util.Map<String, Object> toJson() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("threshold", Double.isFinite(threshold) ? threshold : null);
            m.put("coverage", coverage);
            m.put("precision@1", Double.isNaN(precisionAt1) ? null : precisionAt1);
            return m;
        }
    }

    /** The operating point of {@code threshold} over queries with costs and top-1 correctness. */
    public static Point at(double[] costs, boolean[] correctAt1, double threshold) {
        if (costs.length != correctAt1.length || costs.length == 0) throw new IllegalArgumentException("need one cost per query and at least one query");
        int kept = 0, ok = 0;
        for (int i = 0; i < costs.length; i++)
            if (costs[i] <= threshold) {
                kept++;
                if (correctAt1[i]) ok++;
            }
        return new Point(threshold, (double) kept / costs.length, kept == 0 ? Double.NaN : (double) ok / kept);
    }

    /**
     * The risk-coverage curve: the operating points at every query's cost as threshold, from the
     * cheapest query (lowest coverage) to keeping all (coverage 1: the unfiltered precision@1).
     */
    public static java.util.List<Point> riskCoverage(double[] costs, boolean[] correctAt1) {
        double[] sorted = costs.clone();
        java.util.Arrays.sort(sorted);
        java.util.List<Point> out = new java.util.ArrayList<>();
        for (int i = 0; i < sorted.length; i++) if (i == sorted.length - 1 || sorted[i + 1] != sorted[i]) out.add(at(costs, correctAt1, sorted[i]));
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
