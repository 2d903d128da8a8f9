package org.bgtai.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The string-keyed BPE as it was before {@link BpeTokenizer} moved to interned symbol ids and
 * fastutil's primitive maps (commit 18d405e, unchanged but for the name): every merge recounts
 * all pairs as {@code "left right"} strings in a {@code HashMap<String, Long>}. Tests compare the
 * tokenizer against it; nothing else may use it.
 */
final class BpeReference {
    /** End-of-word marker appended to a word's last symbol. */
    static final String EOW = "</w>";

    private final boolean lowercase;
    private final List<String> alphabet;
    private final List<String[]> merges;
    private final Map<String, Integer> rank = new HashMap<>();
    private final List<String> tokens = new ArrayList<>(Tokenizer.SPECIALS);
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<String, int[]> cache = new HashMap<>();

    /**
     * @param alphabet base symbols (single characters, with or without {@link #EOW})
     * @param merges pairs {@code {left, right}} in the order they were learned
     */
    public BpeReference(List<String> alphabet, List<String[]> merges, boolean lowercase) {
        this.lowercase = lowercase;
        this.alphabet = List.copyOf(alphabet);
        this.merges = List.copyOf(merges);
        for (String s : alphabet) addToken(s);
        for (int i = 0; i < merges.size(); i++) {
            String[] m = merges.get(i);
            if (m.length != 2) throw new IllegalArgumentException("merge " + i + " must be a pair, got " + m.length + " symbols");
            rank.put(m[0] + " " + m[1], i);
            addToken(m[0] + m[1]);
        }
    }

    private void addToken(String s) {
        if (!ids.containsKey(s)) {
            ids.put(s, tokens.size());
            tokens.add(s);
        }
    }

    /**
     * Learns merges from training lines.
     * @param numMerges at most this many merges (the vocabulary is about alphabet + numMerges)
     */
    public static BpeReference train(List<String> lines, int numMerges, boolean lowercase) {
        if (numMerges < 0) throw new IllegalArgumentException("numMerges must be >= 0, got " + numMerges);
        Map<String, Long> wordCounts = new HashMap<>();
        for (String line : lines)
            for (String w : Tokenizer.words(lowercase ? line.toLowerCase(Locale.ROOT) : line)) wordCounts.merge(w, 1L, Long::sum);
        List<String> vocabWords = new ArrayList<>(wordCounts.keySet());
        vocabWords.sort(null);
        List<List<String>> split = new ArrayList<>();
        long[] freq = new long[vocabWords.size()];
        TreeSet<String> alpha = new TreeSet<>();
        for (int i = 0; i < vocabWords.size(); i++) {
            List<String> syms = initialSymbols(vocabWords.get(i));
            alpha.addAll(syms);
            split.add(syms);
            freq[i] = wordCounts.get(vocabWords.get(i));
        }
        List<String[]> merges = new ArrayList<>();
        while (merges.size() < numMerges) {
            Map<String, Long> pairs = new HashMap<>();
            for (int i = 0; i < split.size(); i++) {
                List<String> s = split.get(i);
                for (int j = 0; j + 1 < s.size(); j++) pairs.merge(s.get(j) + " " + s.get(j + 1), freq[i], Long::sum);
            }
            String best = null;
            long bestCount = 0;
            for (var e : pairs.entrySet()) {
                long c = e.getValue();
                if (c < 2) continue;   // a pair must occur at least twice
                if (best == null || c > bestCount || (c == bestCount && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best == null) break;
            String[] pair = best.split(" ", 2);
            merges.add(pair);
            String joined = pair[0] + pair[1];
            for (List<String> s : split) applyMerge(s, pair[0], pair[1], joined);
        }
        return new BpeReference(new ArrayList<>(alpha), merges, lowercase);
    }

    private static List<String> initialSymbols(String word) {
        List<String> s = new ArrayList<>();
        int[] cps = word.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) s.add(new String(cps, i, 1) + (i == cps.length - 1 ? EOW : ""));
        return s;
    }

    private static void applyMerge(List<String> s, String a, String b, String joined) {
        for (int j = 0; j + 1 < s.size(); j++)
            if (s.get(j).equals(a) && s.get(j + 1).equals(b)) {
                s.set(j, joined);
                s.remove(j + 1);
            }
    }

    /** The BPE symbols of one word (after lower-casing when configured). */
    public List<String> segment(String word) {
        List<String> s = initialSymbols(word);
        while (s.size() > 1) {
            int bestRank = Integer.MAX_VALUE, at = -1;
            for (int j = 0; j + 1 < s.size(); j++) {
                Integer r = rank.get(s.get(j) + " " + s.get(j + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    at = j;
                }
            }
            if (at < 0) break;
            String[] m = merges.get(bestRank);
            applyMerge(s, m[0], m[1], m[0] + m[1]);
        }
        return s;
    }

    public int[] encode(String text) {
        String[] words = Tokenizer.words(lowercase ? text.toLowerCase(Locale.ROOT) : text);
        int n = 0;
        int[][] parts = new int[words.length][];
        for (int i = 0; i < words.length; i++) {
            parts[i] = cache.computeIfAbsent(words[i], w -> segment(w).stream().mapToInt(s -> ids.getOrDefault(s, Tokenizer.UNK)).toArray());
            n += parts[i].length;
        }
        int[] out = new int[n];
        int k = 0;
        for (int[] p : parts) for (int id : p) out[k++] = id;
        return out;
    }

    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id == Tokenizer.EOS) break;
            if (id == Tokenizer.PAD || id == Tokenizer.BOS) continue;
            sb.append(id == Tokenizer.UNK ? "<unk>" + EOW : token(id));
        }
        return sb.toString().replace(EOW, " ").strip();
    }

    public int size() {
        return tokens.size();
    }

    public String token(int id) {
        if (id < 0 || id >= tokens.size()) throw new IndexOutOfBoundsException("token id " + id + " outside the vocabulary [0, " + tokens.size() + ")");
        return tokens.get(id);
    }

    /** Number of learned merges. */
    public int numMerges() {
        return merges.size();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "bpe");
        m.put("lowercase", lowercase);
        m.put("alphabet", alphabet);
        List<String> ms = new ArrayList<>();
        for (String[] p : merges) ms.add(p[0] + " " + p[1]);
        m.put("merges", ms);
        return m;
    }
}
