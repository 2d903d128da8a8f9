package org.bgtai.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D (Vedantam et al. 2015), as the reference implementation of the COCO caption evaluation
 * ({@code pycocoevalcap/cider}, {@code CiderScorer}) computes it, so that figures compare with
 * published captioning results:
 * <pre>
 *   g_n(x)[k] = tf_k(x) * (ln N - ln max(1, df_k))      n-grams k of length n = 1..4, raw counts tf,
 *                                                      df_k = number of items whose references contain k, N = items
 *   sim_n(c, s) = sum_k min(g_n(c)[k], g_n(s)[k]) g_n(s)[k] / (|g_n(c)| |g_n(s)|) * exp(-(l_c - l_s)^2 / (2 sigma^2))
 *   CIDEr-D(c, S) = 10 / |S| * sum_{s in S} mean_n sim_n(c, s)      sigma = 6
 * </pre>
 * The length {@code l} is, as in that implementation, the number of bigrams of a sentence
 * (its words minus one); the clipping {@code min(...)} is the "-D" that stops a caption gaining by
 * repeating words. The corpus score is the mean over items. Document frequencies come from the
 * references of the corpus being scored, so a score depends on the whole corpus (as in the
 * reference implementation).
 */
public final class CiderD {
    /** Longest n-gram. */
    public static final int N = 4;
    /** Width of the Gaussian length penalty. */
    public static final double SIGMA = 6;

    private CiderD() {}

    /**
     * @param hypotheses one tokenized caption per item
     * @param references each item's reference captions (at least one)
     * @return the corpus CIDEr-D (mean over items; 0-10 range for typical captions, 10 x a cosine)
     */
    public static double corpus(List<String[]> hypotheses, List<List<String[]>> references) {
        return mean(sentences(hypotheses, references));
    }

    /** Each item's CIDEr-D, with document frequencies from all items' references. */
    public static double[] sentences(List<String[]> hypotheses, List<List<String[]>> references) {
        Metrics.checkSameSize(hypotheses, references);
        if (hypotheses.isEmpty()) throw new IllegalArgumentException("CIDEr-D of an empty corpus is undefined; pass at least one item");
        Map<List<String>, Integer> df = new HashMap<>();
        List<List<Map<List<String>, Integer>>> refCounts = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            List<String[]> refs = references.get(i);
            if (refs.isEmpty()) throw new IllegalArgumentException("item " + i + " has no reference caption; CIDEr-D needs at least one per item");
            List<Map<List<String>, Integer>> counts = new ArrayList<>();
            Set<List<String>> seen = new HashSet<>();
            for (String[] r : refs) {
                Map<List<String>, Integer> c = counts(r);
                counts.add(c);
                seen.addAll(c.keySet());
            }
            for (List<String> k : seen) df.merge(k, 1, Integer::sum);
            refCounts.add(counts);
        }
        double logN = Math.log(references.size());
        double[] out = new double[hypotheses.size()];
        for (int i = 0; i < out.length; i++) {
            Vec c = vec(counts(hypotheses.get(i)), hypotheses.get(i), df, logN);
            double[] score = new double[N];
            for (int r = 0; r < refCounts.get(i).size(); r++) {
                Vec s = vec(refCounts.get(i).get(r), references.get(i).get(r), df, logN);
                double delta = c.length - s.length, penalty = Math.exp(-delta * delta / (2 * SIGMA * SIGMA));
                for (int n = 0; n < N; n++) {
                    double v = 0;
                    for (var e : c.g.get(n).entrySet()) {
                        double ref = s.g.get(n).getOrDefault(e.getKey(), 0.0);
                        v += Math.min(e.getValue(), ref) * ref;
                    }
                    if (c.norm[n] != 0 && s.norm[n] != 0) v /= c.norm[n] * s.norm[n];
                    score[n] += v * penalty;
                }
            }
            out[i] = 10 * mean(score) / refCounts.get(i).size();
        }
        return out;
    }

    /** The TF-IDF vectors of one sentence per n-gram length, their norms and its length (bigram count). */
    private record Vec(List<Map<List<String>, Double>> g, double[] norm, int length) {}

    private static Vec vec(Map<List<String>, Integer> counts, String[] words, Map<List<String>, Integer> df, double logN) {
        List<Map<List<String>, Double>> g = new ArrayList<>();
        for (int n = 0; n < N; n++) g.add(new HashMap<>());
        double[] norm = new double[N];
        for (var e : counts.entrySet()) {
            int n = e.getKey().size() - 1;
            double v = e.getValue() * (logN - Math.log(Math.max(1, df.getOrDefault(e.getKey(), 0))));
            g.get(n).put(e.getKey(), v);
            norm[n] += v * v;
        }
        for (int n = 0; n < N; n++) norm[n] = Math.sqrt(norm[n]);
        return new Vec(g, norm, Math.max(0, words.length - 1));
    }

    /** Counts of every n-gram of length 1..N. */
    static Map<List<String>, Integer> counts(String[] words) {
        Map<List<String>, Integer> c = new HashMap<>();
        for (int n = 1; n <= N; n++)
            for (int i = 0; i + n <= words.length; i++) c.merge(Arrays.asList(Arrays.copyOfRange(words, i, i + n)), 1, Integer::sum);
        return c;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }
}
