package org.bgtai.metrics;

import java.util.List;

/**
 * METEOR with exact word matching only (Banerjee and Lavie 2005; Lavie and Agarwal 2007 for the
 * parameters): with {@code m} unigrams of the hypothesis aligned one-to-one to equal words of the
 * reference, {@code P = m/|hyp|}, {@code R = m/|ref|},
 * <pre>
 *   F_mean = P R / (alpha P + (1 - alpha) R)            alpha = 0.9 (= 10 P R / (R + 9 P) of the 2005 paper)
 *   penalty = gamma (chunks / m)^beta                   gamma = 0.5, beta = 3
 *   METEOR = F_mean (1 - penalty)
 * </pre>
 * where {@code chunks} is the number of runs of aligned words that are adjacent and in the same
 * order in both sentences. With several references the best score counts. This is the "exact"
 * module of METEOR: the stem, synonym (WordNet) and paraphrase modules of the official tool are
 * not implemented, so scores are lower or equal to the official tool's on English and exactly
 * the exact-match score on glosses and digit words, where synonyms do not apply.
 *
 * <p>Alignment: the number of matches is fixed (each word matches {@code min} of its counts);
 * among alignments with that many matches, the one chosen goes left to right through the
 * hypothesis and maps each word to the reference position right after the previous word's when
 * that position holds the same word (extending the chunk), else to its first unused occurrence.
 * When no word repeats in either sentence, the alignment is unique and the score exact.
 */
public final class Meteor {
    public static final double ALPHA = 0.9, BETA = 3, GAMMA = 0.5;

    private Meteor() {}

    /** Mean over sentences of the best score against each sentence's references, in [0, 1]. */
    public static double corpus(List<String[]> hypotheses, List<List<String[]>> references) {
        Metrics.checkSameSize(hypotheses, references);
        if (hypotheses.isEmpty()) throw new IllegalArgumentException("METEOR of an empty corpus is undefined; pass at least one sentence");
        double s = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            if (references.get(i).isEmpty()) throw new IllegalArgumentException("item " + i + " has no reference; METEOR needs at least one");
            double best = 0;
            for (String[] r : references.get(i)) best = Math.max(best, sentence(hypotheses.get(i), r));
            s += best;
        }
        return s / hypotheses.size();
    }

    /** METEOR of one hypothesis against one reference, in [0, 1]; 0 when nothing matches. */
    public static double sentence(String[] hyp, String[] ref) {
        int[] align = align(hyp, ref);
        int m = 0, chunks = 0, prev = -2;
        for (int a : align) {
            if (a < 0) {
                prev = -2;
                continue;
            }
            m++;
            if (a != prev + 1) chunks++;
            prev = a;
        }
        if (m == 0) return 0;
        double p = (double) m / hyp.length, r = (double) m / ref.length;
        double fMean = p * r / (ALPHA * p + (1 - ALPHA) * r);
        return fMean * (1 - GAMMA * Math.pow((double) chunks / m, BETA));
    }

    /** For each hypothesis word, the reference position it is aligned to, or -1 (see the class comment). */
    static int[] align(String[] hyp, String[] ref) {
        boolean[] used = new boolean[ref.length];
        int[] a = new int[hyp.length];
        int prev = -2;
        for (int i = 0; i < hyp.length; i++) {
            int j = -1;
            if (prev + 1 >= 0 && prev + 1 < ref.length && !used[prev + 1] && ref[prev + 1].equals(hyp[i])) j = prev + 1;
            else
                for (int k = 0; k < ref.length; k++)
                    if (!used[k] && ref[k].equals(hyp[i])) {
                        j = k;
                        break;
                    }
            a[i] = j;
            if (j >= 0) used[j] = true;
            prev = j >= 0 ? j : -2;
        }
        return a;
    }
}
