package org.bgtai.metrics;

import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the metrics: whitespace tokenization, size checks, edit distance, LCS. */
public final class Metrics {
    private Metrics() {}

    /** Splits each line on whitespace (an empty line gives no tokens). */
    public static List<String[]> tokenize(List<String> lines) {
        List<String[]> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            String s = l.strip();
            out.add(s.isEmpty() ? new String[0] : s.split("\\s+"));
        }
        return out;
    }

    static void checkSameSize(List<?> hypotheses, List<?> references) {
        if (hypotheses.size() != references.size())
            throw new IllegalArgumentException("got " + hypotheses.size() + " hypotheses but " + references.size()
                + " references; pass exactly one reference per hypothesis");
    }

    /** Levenshtein distance between token sequences (unit costs). */
    public static int editDistance(String[] a, String[] b) {
        int[] prev = new int[b.length + 1], cur = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) prev[j] = j;
        for (int i = 1; i <= a.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length; j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1].equals(b[j - 1]) ? 0 : 1));
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length];
    }

    /** Length of the longest common subsequence. */
    public static int lcs(String[] a, String[] b) {
        int[] prev = new int[b.length + 1], cur = new int[b.length + 1];
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++)
                cur[j] = a[i - 1].equals(b[j - 1]) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length];
    }
}
