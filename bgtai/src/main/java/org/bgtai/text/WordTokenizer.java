package org.bgtai.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A word-level vocabulary: whitespace-separated words, optionally lower-cased, kept when they
 * occur at least {@code minCount} times in the training lines; ids after the four specials are
 * sorted by count (descending), then alphabetically, so training is deterministic.
 */
public final class WordTokenizer implements Tokenizer {
    private final List<String> tokens;
    private final long[] counts;
    private final boolean lowercase;
    private final Map<String, Integer> ids = new HashMap<>();

    /**
     * @param tokens every token, the four specials first
     * @param counts training counts per token (specials 0)
     */
    public WordTokenizer(List<String> tokens, long[] counts, boolean lowercase) {
        if (tokens.size() < 4 || !tokens.subList(0, 4).equals(SPECIALS))
            throw new IllegalArgumentException("a vocabulary must start with " + SPECIALS + ", got " + tokens.subList(0, Math.min(4, tokens.size())));
        if (counts.length != tokens.size())
            throw new IllegalArgumentException("vocabulary has " + tokens.size() + " tokens but " + counts.length + " counts");
        this.tokens = List.copyOf(tokens);
        this.counts = counts.clone();
        this.lowercase = lowercase;
        for (int i = 0; i < tokens.size(); i++)
            if (ids.putIfAbsent(tokens.get(i), i) != null) throw new IllegalArgumentException("duplicate token '" + tokens.get(i) + "' at id " + i);
    }

    /** Counts the words of {@code lines} and keeps those seen at least {@code minCount} times. */
    public static WordTokenizer train(List<String> lines, int minCount, boolean lowercase) {
        if (minCount < 1) throw new IllegalArgumentException("minCount must be >= 1, got " + minCount);
        Map<String, Long> c = new HashMap<>();
        for (String line : lines)
            for (String w : Tokenizer.words(lowercase ? line.toLowerCase(Locale.ROOT) : line)) c.merge(w, 1L, Long::sum);
        List<Map.Entry<String, Long>> kept = new ArrayList<>();
        for (var e : c.entrySet()) if (e.getValue() >= minCount && !SPECIALS.contains(e.getKey())) kept.add(e);
        kept.sort(Map.Entry.<String, Long>comparingByValue(Collections.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<String> toks = new ArrayList<>(SPECIALS);
        long[] counts = new long[4 + kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            toks.add(kept.get(i).getKey());
            counts[4 + i] = kept.get(i).getValue();
        }
        return new WordTokenizer(toks, counts, lowercase);
    }

    @Override
    public int[] encode(String text) {
        String[] w = Tokenizer.words(lowercase ? text.toLowerCase(Locale.ROOT) : text);
        int[] out = new int[w.length];
        for (int i = 0; i < w.length; i++) out[i] = ids.getOrDefault(w[i], UNK);
        return out;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id == EOS) break;
            if (id == PAD || id == BOS) continue;
            if (sb.length() > 0) sb.append(' ');
            sb.append(token(id));
        }
        return sb.toString();
    }

    @Override
    public int size() {
        return tokens.size();
    }

    @Override
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) throw new IndexOutOfBoundsException("token id " + id + " outside the vocabulary [0, " + tokens.size() + ")");
        return tokens.get(id);
    }

    /** The id of a word, or {@link #UNK}. */
    public int id(String word) {
        return ids.getOrDefault(lowercase ? word.toLowerCase(Locale.ROOT) : word, UNK);
    }

    /** Training count of an id (0 for specials). */
    public long count(int id) {
        return counts[id];
    }

    public boolean lowercase() {
        return lowercase;
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "word");
        m.put("lowercase", lowercase);
        m.put("tokens", tokens);
        List<Object> c = new ArrayList<>();
        for (long x : counts) c.add(x);
        m.put("counts", c);
        return m;
    }

    @SuppressWarnings("unchecked")
    static WordTokenizer fromJson(Map<String, Object> m) {
        if (!(m.get("tokens") instanceof List<?> t) || !(m.get("counts") instanceof List<?> c))
            throw new IllegalArgumentException("word tokenizer JSON needs \"tokens\" and \"counts\" arrays");
        long[] counts = new long[c.size()];
        for (int i = 0; i < counts.length; i++) counts[i] = ((Number) c.get(i)).longValue();
        return new WordTokenizer((List<String>) t, counts, Boolean.TRUE.equals(m.get("lowercase")));
    }
}
