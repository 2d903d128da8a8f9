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
 * Tied scores (identical embeddings, as BGTAI's decoded glosses give whenever two queries decode
 * to the same gloss) are neither credited nor penalised: each score is its expectation over a
 * random order of the tied items, so a model whose embeddings all collapse scores chance.
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
     * R@1, R@5 and MRR of one direction, each the expectation over a random order of tied items
     * (see the class comment).
     *
     * @param queries [Q][E] embeddings
     * @param gallery [G][E] embeddings
     */
    public static Scores retrieve(float[][] queries, int[] queryLabels, float[][] gallery, int[] galleryLabels) {
        if (queries.length == 0 || gallery.length == 0) throw new IllegalArgumentException("retrieval needs at least one query and one gallery item");
        return scores(placements(queries, queryLabels, gallery, galleryLabels));
    }

    /**
     * R@1, R@5 and MRR from where each query's first relevant item lands: for a caller that counts
     * the placements itself (e.g. over a gallery split across machines: the best relevant score
     * per query first, then the items above and tied with it).
     */
    public static Scores scores(Placement[] placements) {
        if (placements.length == 0) throw new IllegalArgumentException("retrieval needs at least one query");
        double r1 = 0, r5 = 0, mrr = 0;
        for (Placement p : placements) {
            r1 += p.within(1);
            r5 += p.within(5);
            mrr += p.reciprocalRank();
        }
        int n = placements.length;
        return new Scores(r1 / n, r5 / n, mrr / n);
    }

    /** Expected R@k of one direction (ties in a random order). */
    public static double recallAt(float[][] queries, int[] queryLabels, float[][] gallery, int[] galleryLabels, int k) {
        double s = 0;
        for (Placement p : placements(queries, queryLabels, gallery, galleryLabels)) s += p.within(k);
        return queries.length == 0 ? 0 : s / queries.length;
    }

    /**
     * Where a query's first relevant gallery item lands: {@code above} irrelevant items score
     * strictly higher than the best relevant one, and {@code tiedIrrelevant} irrelevant and
     * {@code tiedRelevant} relevant items score exactly as high (0 relevant: none in the gallery).
     */
    public record Placement(int above, int tiedIrrelevant, int tiedRelevant) {
        /** P(the first relevant item is among the top k) when the tied items come in a random order. */
        public double within(int k) {
            return tiedRelevant == 0 || k <= above ? 0 : 1 - irrelevantFirst(k - above);
        }

        /** E[1 / rank of the first relevant item] over random orders of the tied items. */
        public double reciprocalRank() {
            if (tiedRelevant == 0) return 0;
            double e = 0;
            for (int x = 0; x <= tiedIrrelevant; x++) e += (irrelevantFirst(x) - irrelevantFirst(x + 1)) / (above + 1 + x);
            return e;
        }

        /** P(at least x tied irrelevant items come before the first tied relevant one). */
        private double irrelevantFirst(int x) {
            if (x > tiedIrrelevant) return 0;
            double p = 1;
            for (int j = 0; j < x; j++) p *= (double) (tiedIrrelevant - j) / (tiedIrrelevant + tiedRelevant - j);
            return p;
        }
    }

    static Placement[] placements(float[][] queries, int[] queryLabels, float[][] gallery, int[] galleryLabels) {
        if (queries.length != queryLabels.length || gallery.length != galleryLabels.length)
            throw new IllegalArgumentException("embeddings and labels differ in count: " + queries.length + "/" + queryLabels.length + ", " + gallery.length + "/" + galleryLabels.length);
        float[][] g = normalized(gallery);
        Placement[] out = new Placement[queries.length];
        double[] sim = new double[g.length];
        for (int q = 0; q < queries.length; q++) {
            float[] qn = normalize(queries[q]);
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < g.length; i++) {
                sim[i] = dot(qn, g[i]);
                if (galleryLabels[i] == queryLabels[q]) best = Math.max(best, sim[i]);
            }
            int above = 0, tiedIrr = 0, tiedRel = 0;
            if (best != Double.NEGATIVE_INFINITY)
                for (int i = 0; i < g.length; i++) {
                    boolean rel = galleryLabels[i] == queryLabels[q];
                    if (sim[i] == best) {
                        if (rel) tiedRel++;
                        else tiedIrr++;
                    } else if (!rel && sim[i] > best) above++;
                }
            out[q] = new Placement(above, tiedIrr, tiedRel);
        }
        return out;
    }

    /**
     * Rank of the first relevant gallery item for every query, 1 = top, with ties counted against
     * the query (1 + the irrelevant items scoring at least as high as the best relevant one), or
     * {@code Integer.MAX_VALUE} when none is relevant: a per-query yes/no that never credits a tie.
     * The reported scores ({@link #retrieve}, {@link #recallAt(float[][], int[], float[][], int[], int)})
     * take the expectation over tie orders instead.
     */
    public static int[] ranks(float[][] queries, int[] queryLabels, float[][] gallery, int[] galleryLabels) {
        Placement[] p = placements(queries, queryLabels, gallery, galleryLabels);
        int[] out = new int[p.length];
        for (int q = 0; q < p.length; q++) out[q] = p[q].tiedRelevant() == 0 ? Integer.MAX_VALUE : 1 + p[q].above() + p[q].tiedIrrelevant();
        return out;
    }

    /**
     * Zero-shot accuracy: the share of queries whose own class embedding is the most similar
     * (classes[c] is class c); a query whose class ties with t others at the top counts 1/(t+1),
     * the chance that a random choice among them is right.
     */
    public static double zeroShot(float[][] queries, int[] labels, float[][] classes) {
        float[][] c = normalized(classes);
        double ok = 0;
        for (int q = 0; q < queries.length; q++) {
            float[] qn = normalize(queries[q]);
            double own = dot(qn, c[labels[q]]);
            int tied = 0;
            boolean beaten = false;
            for (int k = 0; k < c.length && !beaten; k++) {
                if (k == labels[q]) continue;
                double s = dot(qn, c[k]);
                if (s > own) beaten = true;
                else if (s == own) tied++;
            }
            if (!beaten) ok += 1.0 / (tied + 1);
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

    /** {@code v / |v|} (zero stays zero): the unit vector every similarity here is computed from. */
    public static float[] normalize(float[] v) {
        double s = 0;
        for (float f : v) s += f * f;
        double inv = 1 / Math.max(Math.sqrt(s), 1e-12);
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) o[i] = (float) (v[i] * inv);
        return o;
    }

    /** The dot product in double, as every similarity here is computed (of {@link #normalize}d vectors: the cosine). */
    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
