package org.bgtai.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cross-modal retrieval and zero-shot metrics over embeddings, by cosine similarity.
 *
 * <p>Relevance is by class: a gallery item is relevant to a query when their labels are equal
 * (AV-Digits and the built-in world pair by class, so instance identity carries no meaning).
 * <pre>
 *   R@k = mean over queries of [some relevant item among the top k]
 *   MRR = mean over queries of 1 / rank of the first relevant item
 *   zero-shot ACC = mean [argmax_c cos(q, class_c) == label]
 * </pre>
 * Ties count against the query (an irrelevant item scoring as high as the best relevant one
 * outranks it), so that models whose embeddings collide, as BGTAI's decoded glosses can, are not
 * credited for the collision.
 */
public final class Retrieval {
    private Retrieval() {}

    /** R@1, R@5, MRR of one direction. */
    public record Scores(double r1, double r5, double mrr) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("R@1", r1);
            m.put("R@5", r5);
            m.put("MRR", mrr);
            return m;
        }
    }

    /**
     * @param queries [Q][E] embeddings
     * @param gallery [G][E] embeddings
     */
    public static Scores retrieve(float[][] queries, int[] queryLabels, float[][] gallery, int[] galleryLabels) {
        if (queries.length == 0 || gallery.length == 0) throw new IllegalArgumentException("retrieval needs at least one query and one gallery item");
        double r1 = 0, r5 = 0, mrr = 0;
        for (int rank : ranks(queries, queryLabels, gallery, galleryLabels)) {
            if (rank == Integer.MAX_VALUE) continue;   // no relevant item: counts as a miss
            if (rank == 1) r1++;
            if (rank <= 5) r5++;
            mrr += 1.0 / rank;
        }
        int n = queries.length;
        return new Scores(r1 / n, r5 / n, mrr / n);
    }

    /**
     * Rank of the first relevant gallery item for every query: 1 + the irrelevant items scoring at
     * least as high as the best relevant one (ties count against the query: a model that gives many
     * items one embedding, as a gloss bottleneck does, gains nothing from the tie), or
     * {@code Integer.MAX_VALUE} when none is relevant.
     */
    public static int[] ranks(float[][] queries, int[] queryLabels, float[][] gallery, int[] galleryLabels) {
        if (queries.length != queryLabels.length || gallery.length != galleryLabels.length)
            throw new IllegalArgumentException("embeddings and labels differ in count: " + queries.length + "/" + queryLabels.length + ", " + gallery.length + "/" + galleryLabels.length);
        float[][] g = normalized(gallery);
        int[] out = new int[queries.length];
        for (int q = 0; q < queries.length; q++) {
            float[] qn = normalize(queries[q]);
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < g.length; i++) if (galleryLabels[i] == queryLabels[q]) best = Math.max(best, dot(qn, g[i]));
            if (best == Double.NEGATIVE_INFINITY) {
                out[q] = Integer.MAX_VALUE;
                continue;
            }
            int rank = 1;
            for (int i = 0; i < g.length; i++) if (galleryLabels[i] != queryLabels[q] && dot(qn, g[i]) >= best) rank++;
            out[q] = rank;
        }
        return out;
    }

    /** Fraction of {@code ranks} that are {@code <= k} (R@k). */
    public static double recallAt(int[] ranks, int k) {
        int hit = 0;
        for (int r : ranks) if (r <= k) hit++;
        return ranks.length == 0 ? 0 : (double) hit / ranks.length;
    }

    /**
     * Fraction of queries whose own class embedding is more similar than every other class's
     * (classes[c] is class c; a tie with another class counts as a miss, as in {@link #ranks}).
     */
    public static double zeroShot(float[][] queries, int[] labels, float[][] classes) {
        float[][] c = normalized(classes);
        int ok = 0;
        for (int q = 0; q < queries.length; q++) {
            float[] qn = normalize(queries[q]);
            double own = dot(qn, c[labels[q]]);
            boolean top = true;
            for (int k = 0; k < c.length && top; k++) if (k != labels[q] && dot(qn, c[k]) >= own) top = false;
            if (top) ok++;
        }
        return (double) ok / queries.length;
    }

    /** Cosine similarity of two embeddings (0 when one is zero). */
    public static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.max(1e-12, Math.sqrt(aa * bb));
    }

    /** Top-k gallery indices for one query, most similar first. */
    public static int[] topK(float[] query, float[][] gallery, int k) {
        float[] qn = normalize(query);
        float[][] g = normalized(gallery);
        Integer[] idx = new Integer[g.length];
        double[] s = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            idx[i] = i;
            s[i] = dot(qn, g[i]);
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(s[b], s[a]));
        int[] out = new int[Math.min(k, g.length)];
        for (int i = 0; i < out.length; i++) out[i] = idx[i];
        return out;
    }

    static float[][] normalized(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) out[i] = normalize(x[i]);
        return out;
    }

    static float[] normalize(float[] v) {
        double s = 0;
        for (float f : v) s += f * f;
        double inv = 1 / Math.max(Math.sqrt(s), 1e-12);
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) o[i] = (float) (v[i] * inv);
        return o;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
