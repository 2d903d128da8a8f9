package org.bgtai.metrics;

import java.util.List;

/**
 * ROUGE-L (Lin 2004), sentence level, averaged over the corpus: with {@code L = LCS(hyp, ref)},
 * {@code P = L/|hyp|}, {@code R = L/|ref|}, {@code F = (1 + b^2) P R / (R + b^2 P)}. The default
 * {@code b = 1.2} is the value of the evaluation script used by the sign-language translation
 * papers (Camgoz et al. 2018, Saunders et al. 2020) whose PHOENIX-2014T numbers we compare with.
 * A sentence with an empty hypothesis or reference scores 0. Scores are 0-100.
 */
public final class RougeL {
    public static final double DEFAULT_BETA = 1.2;

    private RougeL() {}

    /** Mean sentence ROUGE-L F with {@link #DEFAULT_BETA}. */
    public static double corpus(List<String[]> hypotheses, List<String[]> references) {
        return corpus(hypotheses, references, DEFAULT_BETA);
    }

    public static double corpus(List<String[]> hypotheses, List<String[]> references, double beta) {
        Metrics.checkSameSize(hypotheses, references);
        if (hypotheses.isEmpty()) throw new IllegalArgumentException("ROUGE-L of an empty corpus is undefined; pass at least one sentence");
        double sum = 0;
        for (int i = 0; i < hypotheses.size(); i++) sum += sentence(hypotheses.get(i), references.get(i), beta);
        return 100 * sum / hypotheses.size();
    }

    /**
     * Mean sentence ROUGE-L F (0-100) with several references per hypothesis, as the COCO caption
     * evaluation ({@code pycocoevalcap/rouge}) combines them: {@code P = max_r LCS(hyp, r)/|hyp|},
     * {@code R = max_r LCS(hyp, r)/|r|} (each maximised on its own over the references), then
     * {@code F = (1 + b^2) P R / (R + b^2 P)} with {@link #DEFAULT_BETA}. With one reference each it
     * is {@link #corpus}.
     */
    public static double corpusMulti(List<String[]> hypotheses, List<List<String[]>> references) {
        Metrics.checkSameSize(hypotheses, references);
        if (hypotheses.isEmpty()) throw new IllegalArgumentException("ROUGE-L of an empty corpus is undefined; pass at least one sentence");
        double sum = 0, b2 = DEFAULT_BETA * DEFAULT_BETA;
        for (int i = 0; i < hypotheses.size(); i++) {
            String[] h = hypotheses.get(i);
            if (references.get(i).isEmpty()) throw new IllegalArgumentException("item " + i + " has no reference; ROUGE-L needs at least one");
            double p = 0, r = 0;
            for (String[] ref : references.get(i)) {
                if (h.length == 0 || ref.length == 0) continue;
                int l = Metrics.lcs(h, ref);
                p = Math.max(p, (double) l / h.length);
                r = Math.max(r, (double) l / ref.length);
            }
            if (p > 0 && r > 0) sum += (1 + b2) * p * r / (r + b2 * p);
        }
        return 100 * sum / hypotheses.size();
    }

    /** ROUGE-L F of one sentence in [0, 1]. */
    public static double sentence(String[] hyp, String[] ref, double beta) {
        if (hyp.length == 0 || ref.length == 0) return 0;
        int l = Metrics.lcs(hyp, ref);
        if (l == 0) return 0;
        double p = (double) l / hyp.length, r = (double) l / ref.length, b2 = beta * beta;
        return (1 + b2) * p * r / (r + b2 * p);
    }
}
