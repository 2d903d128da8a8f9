package org.bgtai.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * chrF (Popovic 2015): character n-grams of orders 1..6 of each sentence with whitespace
 * removed; matches, hypothesis and reference n-gram counts are pooled over the corpus per order;
 * {@code P} and {@code R} are the averages of the per-order precision and recall over the orders that
 * have n-grams on both sides (sacrebleu's "effective order", so strings shorter than 6 characters
 * are not penalized; none: chrF 0), and {@code chrF = (1 + b^2) P R / (b^2 P + R)}
 * with {@code b = 2}. 0-100.
 */
public final class ChrF {
    private ChrF() {}

    public static double corpus(List<String> hypotheses, List<String> references) {
        return corpus(hypotheses, references, 6, 2.0);
    }

    public static double corpus(List<String> hypotheses, List<String> references, int maxOrder, double beta) {
        Metrics.checkSameSize(hypotheses, references);
        long[] match = new long[maxOrder], hypCount = new long[maxOrder], refCount = new long[maxOrder];
        for (int s = 0; s < hypotheses.size(); s++) {
            int[] h = hypotheses.get(s).replaceAll("\\s+", "").codePoints().toArray();
            int[] r = references.get(s).replaceAll("\\s+", "").codePoints().toArray();
            for (int n = 1; n <= maxOrder; n++) {
                Map<String, Integer> hc = grams(h, n), rc = grams(r, n);
                for (var e : hc.entrySet()) match[n - 1] += Math.min(e.getValue(), rc.getOrDefault(e.getKey(), 0));
                hypCount[n - 1] += Math.max(0, h.length - n + 1);
                refCount[n - 1] += Math.max(0, r.length - n + 1);
            }
        }
        double p = 0, rec = 0;
        int effective = 0;
        for (int n = 0; n < maxOrder; n++) {
            if (hypCount[n] == 0 || refCount[n] == 0) continue;
            p += (double) match[n] / hypCount[n];
            rec += (double) match[n] / refCount[n];
            effective++;
        }
        if (effective == 0) return 0;
        p /= effective;
        rec /= effective;
        double b2 = beta * beta;
        return p + rec == 0 ? 0 : 100 * (1 + b2) * p * rec / (b2 * p + rec);
    }

    private static Map<String, Integer> grams(int[] cps, int n) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i + n <= cps.length; i++) m.merge(new String(cps, i, n), 1, Integer::sum);
        return m;
    }
}
