package org.bgtai.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU (Papineni et al. 2002) with one reference per hypothesis ({@link #corpusMulti}: several). For each order
 * {@code n = 1..4} the clipped n-gram precision {@code p_n = sum_s sum_g min(c_hyp(g), c_ref(g)) /
 * sum_s #hyp n-grams} is pooled over the corpus; {@code BLEU-N = BP * exp((1/N) sum_{n<=N} log p_n)}
 * with brevity penalty {@code BP = 1} if {@code c > r}, else {@code exp(1 - r/c)} ({@code c, r}
 * total hypothesis and reference lengths; {@code BP = 0} when {@code c = 0}). Without smoothing a
 * zero precision makes the score 0. Scores are on a 0-100 scale.
 *
 * <pre>{@code
 * Bleu.Result r = Bleu.corpus(List.of("REGEN NORD".split(" ")), List.of("REGEN NORD KOMMEN".split(" ")), Bleu.Smoothing.NONE);
 * double bleu4 = r.bleu(4);
 * }</pre>
 */
public final class Bleu {
    private Bleu() {}

    /** What to do with an order that has no matching n-gram. */
    public enum Smoothing {
        /** Papineni: a zero precision gives BLEU 0. */
        NONE,
        /** Chen and Cherry method 1 (NLTK method1): a zero match count becomes 0.1. */
        EPSILON,
        /** Lin and Och 2004: add 1 to matches and totals of orders {@code n >= 2}. */
        ADD_ONE
    }

    /**
     * @param matches clipped matches per order (index 0 = unigrams)
     * @param totals hypothesis n-grams per order
     * @param bleu BLEU-1..4 (index 0 = BLEU-1), 0-100
     */
    public record Result(long[] matches, long[] totals, double[] precisions, double brevityPenalty, long hypLength, long refLength, double[] bleu) {
        /** BLEU-n for {@code n} in 1..4, 0-100. */
        public double bleu(int n) {
            if (n < 1 || n > bleu.length) throw new IllegalArgumentException("BLEU order must be in 1.." + bleu.length + ", got " + n);
            return bleu[n - 1];
        }
    }

    /** Corpus BLEU of whitespace-tokenized lines. */
    public static Result corpusOfLines(List<String> hypotheses, List<String> references, Smoothing smoothing) {
        return corpus(Metrics.tokenize(hypotheses), Metrics.tokenize(references), smoothing);
    }

    /**
     * @param hypotheses one token array per sentence
     * @param references the matching reference, same count
     */
    public static Result corpus(List<String[]> hypotheses, List<String[]> references, Smoothing smoothing) {
        Metrics.checkSameSize(hypotheses, references);
        List<List<String[]>> refs = new java.util.ArrayList<>(references.size());
        for (String[] r : references) refs.add(java.util.Collections.singletonList(r));
        return corpusMulti(hypotheses, refs, smoothing);
    }

    /**
     * Corpus BLEU with several references per hypothesis (Papineni et al. 2002, sections 2.1 and
     * 2.2.1): a hypothesis n-gram's count is clipped by its largest count in any one of the
     * sentence's references, and the sentence's reference length {@code r} is the length of its
     * reference closest to the hypothesis's length (the shorter one on a tie, as the
     * {@code "closest"} option of the COCO caption evaluation). With one reference per sentence this
     * is {@link #corpus}.
     *
     * @param references each sentence's references (at least one)
     */
    public static Result corpusMulti(List<String[]> hypotheses, List<List<String[]>> references, Smoothing smoothing) {
        Metrics.checkSameSize(hypotheses, references);
        final int maxN = 4;
        long[] matches = new long[maxN], totals = new long[maxN];
        long c = 0, r = 0;
        for (int s = 0; s < hypotheses.size(); s++) {
            String[] h = hypotheses.get(s);
            List<String[]> refs = references.get(s);
            if (refs.isEmpty()) throw new IllegalArgumentException("sentence " + s + " has no reference; BLEU needs at least one");
            c += h.length;
            int closest = refs.get(0).length;
            for (String[] ref : refs)
                if (Math.abs(ref.length - h.length) < Math.abs(closest - h.length) || Math.abs(ref.length - h.length) == Math.abs(closest - h.length) && ref.length < closest)
                    closest = ref.length;
            r += closest;
            for (int n = 1; n <= maxN; n++) {
                Map<String, Integer> hc = ngrams(h, n), rc = new HashMap<>();
                for (String[] ref : refs) for (var e : ngrams(ref, n).entrySet()) rc.merge(e.getKey(), e.getValue(), Math::max);
                for (var e : hc.entrySet()) matches[n - 1] += Math.min(e.getValue(), rc.getOrDefault(e.getKey(), 0));
                totals[n - 1] += Math.max(0, h.length - n + 1);
            }
        }
        double[] p = new double[maxN];
        for (int n = 0; n < maxN; n++) {
            double m = matches[n], t = totals[n];
            switch (smoothing) {
                case NONE -> { }
                case EPSILON -> { if (m == 0) m = 0.1; }
                case ADD_ONE -> { if (n >= 1) { m += 1; t += 1; } }
            }
            p[n] = t == 0 ? 0 : m / t;
        }
        double bp = c == 0 ? 0 : c > r ? 1 : Math.exp(1 - (double) r / c);
        double[] bleu = new double[maxN];
        double logSum = 0;
        boolean zero = false;
        for (int n = 0; n < maxN; n++) {
            if (p[n] <= 0) zero = true;
            else logSum += Math.log(p[n]);
            bleu[n] = zero ? 0 : 100 * bp * Math.exp(logSum / (n + 1));
        }
        return new Result(matches, totals, p, bp, c, r, bleu);
    }

    static Map<String, Integer> ngrams(String[] w, int n) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i + n <= w.length; i++) m.merge(String.join("\u0001", java.util.Arrays.copyOfRange(w, i, i + n)), 1, Integer::sum);
        return m;
    }
}
