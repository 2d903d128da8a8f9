package org.bgtai.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A whitespace word vocabulary: id 0 is {@code <pad>}, 1 is {@code <unk>}, then the words in
 * sorted order (so the same sentences always give the same ids).
 *
 * <pre>{@code
 * Vocab v = Vocab.build(List.of("big red circle", "small blue square"));
 * int[] ids = v.encode("big red circle", 4);   // [id(big), id(red), id(circle), 0]
 * }</pre>
 */
public final class Vocab {
    public static final int PAD = 0, UNK = 1;
    private final List<String> words;
    private final Map<String, Integer> ids = new HashMap<>();

    /** @param words all tokens, index = id; must start with {@code <pad>, <unk>} */
    public Vocab(List<String> words) {
        if (words.size() < 2 || !words.get(0).equals("<pad>") || !words.get(1).equals("<unk>"))
            throw new IllegalArgumentException("a vocabulary starts with <pad>, <unk>; got " + words.subList(0, Math.min(2, words.size())));
        this.words = List.copyOf(words);
        for (int i = 0; i < words.size(); i++) ids.put(words.get(i), i);
    }

    /** The words of {@code sentences} (split on spaces), sorted. */
    public static Vocab build(Collection<String> sentences) {
        TreeSet<String> set = new TreeSet<>();
        for (String s : sentences) for (String w : s.trim().split("\\s+")) if (!w.isEmpty()) set.add(w);
        List<String> w = new ArrayList<>(List.of("<pad>", "<unk>"));
        w.addAll(set);
        return new Vocab(w);
    }

    public int size() {
        return words.size();
    }

    public List<String> words() {
        return words;
    }

    public int id(String w) {
        return ids.getOrDefault(w, UNK);
    }

    /** Number of tokens of {@code s}. */
    public static int length(String s) {
        String t = s.trim();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /** Ids of the words of {@code s}, padded with {@link #PAD} (or cut) to {@code len}. */
    public int[] encode(String s, int len) {
        int[] out = new int[len];
        String t = s.trim();
        if (t.isEmpty()) return out;
        String[] ws = t.split("\\s+");
        for (int i = 0; i < Math.min(len, ws.length); i++) out[i] = id(ws[i]);
        return out;
    }

    /** Words of the non-pad ids, joined by spaces. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i : ids) {
            if (i == PAD) continue;
            if (sb.length() > 0) sb.append(' ');
            sb.append(i >= 0 && i < words.size() ? words.get(i) : "<unk>");
        }
        return sb.toString();
    }
}
