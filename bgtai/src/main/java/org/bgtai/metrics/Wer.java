package org.bgtai.metrics;

import java.util.List;

/**
 * Word error rate: {@code WER = sum_s edit(hyp_s, ref_s) / sum_s |ref_s|} (substitutions,
 * deletions and insertions at unit cost, pooled over the corpus), 0-100 (can exceed 100 when
 * hypotheses are much longer than references).
 */
public final class Wer {
    private Wer() {}

    public static double corpus(List<String[]> hypotheses, List<String[]> references) {
        Metrics.checkSameSize(hypotheses, references);
        long edits = 0, words = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            edits += Metrics.editDistance(hypotheses.get(i), references.get(i));
            words += references.get(i).length;
        }
        if (words == 0) throw new IllegalArgumentException("WER needs at least one reference word; all " + references.size() + " references are empty");
        return 100.0 * edits / words;
    }
}
