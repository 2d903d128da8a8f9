package org.bgtai.text;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongMap;
import it.unimi.dsi.fastutil.longs.Long2LongMaps;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2LongMap;
import it.unimi.dsi.fastutil.objects.Object2LongOpenHashMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Byte-pair encoding (Sennrich et al. 2016) learned in Java. Each word is split into characters,
 * the last one marked with {@code </w>}; training repeatedly merges the most frequent adjacent
 * pair of symbols (counts weighted by word frequency; ties broken by the smaller pair string
 * {@code "left right"}, so training is deterministic) until {@code numMerges} merges are learned
 * or no pair occurs twice. Encoding applies the learned merges to each word in rank order; a
 * character never seen in training becomes {@code <unk>}.
 *
 * <p>Ids: the four specials, then the alphabet (sorted), then one symbol per merge in order.
 * Saved as JSON: {@code {"type":"bpe","lowercase":..,"alphabet":[..],"merges":["a b", ..]}}.
 *
 * <p>Symbols are interned as ints (equal strings, equal ids) and a pair of symbols is one
 * {@code long}, so pair counts, merge ranks and the pair-to-words index are fastutil primitive
 * maps; training keeps the pair counts up to date by recounting only the words that hold the
 * merged pair, instead of recounting every word after every merge. Merges, ids and saved JSON are
 * the same as the string-keyed implementation's ({@code PhoenixTokenizationTest} checks PHOENIX).
 */
public final class BpeTokenizer implements Tokenizer {
    /** End-of-word marker appended to a word's last symbol. */
    public static final String EOW = "</w>";

    private final boolean lowercase;
    private final List<String> alphabet;
    private final List<String[]> merges;
    private final List<String> tokens = new ArrayList<>(SPECIALS);
    private final Object2IntOpenHashMap<String> ids = new Object2IntOpenHashMap<>();
    /** Every string of the alphabet and the merges (both sides and the result), interned. */
    private final Symbols symbols = new Symbols();
    /** Merge rank of a pair of symbols ({@link #pair}); -1 when the pair is no merge. */
    private final Long2IntOpenHashMap rank = new Long2IntOpenHashMap();
    /** Per merge rank: left, right and joined symbol. */
    private final int[] mergeLeft, mergeRight, mergeJoined;
    /** Token id of each symbol ({@link #UNK} for a merge side that is not itself a token). */
    private final int[] symbolToken;
    private final Map<String, int[]> cache = new HashMap<>();

    /**
     * @param alphabet base symbols (single characters, with or without {@link #EOW})
     * @param merges pairs {@code {left, right}} in the order they were learned
     */
    public BpeTokenizer(List<String> alphabet, List<String[]> merges, boolean lowercase) {
        this.lowercase = lowercase;
        this.alphabet = List.copyOf(alphabet);
        this.merges = List.copyOf(merges);
        ids.defaultReturnValue(-1);
        rank.defaultReturnValue(-1);
        for (String s : alphabet) {
            addToken(s);
            symbols.intern(s);
        }
        int n = merges.size();
        mergeLeft = new int[n];
        mergeRight = new int[n];
        mergeJoined = new int[n];
        for (int i = 0; i < n; i++) {
            String[] m = merges.get(i);
            if (m.length != 2) throw new IllegalArgumentException("merge " + i + " must be a pair, got " + m.length + " symbols");
            mergeLeft[i] = symbols.intern(m[0]);
            mergeRight[i] = symbols.intern(m[1]);
            mergeJoined[i] = symbols.intern(m[0] + m[1]);
            rank.put(pair(mergeLeft[i], mergeRight[i]), i);   // a repeated merge keeps its last rank
            addToken(m[0] + m[1]);
        }
        symbolToken = new int[symbols.size()];
        for (int s = 0; s < symbolToken.length; s++) {
            int id = ids.getInt(symbols.string(s));
            symbolToken[s] = id < 0 ? UNK : id;
        }
    }

    private void addToken(String s) {
        if (!ids.containsKey(s)) {
            ids.put(s, tokens.size());
            tokens.add(s);
        }
    }

    /** Two symbol ids as one key (left in the high half). */
    static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFF_FFFFL);
    }

    static int left(long pair) {
        return (int) (pair >>> 32);
    }

    static int right(long pair) {
        return (int) pair;
    }

    /**
     * Learns merges from training lines.
     * @param numMerges at most this many merges (the vocabulary is about alphabet + numMerges)
     */
    public static BpeTokenizer train(List<String> lines, int numMerges, boolean lowercase) {
        if (numMerges < 0) throw new IllegalArgumentException("numMerges must be >= 0, got " + numMerges);
        Object2LongOpenHashMap<String> wordCounts = new Object2LongOpenHashMap<>();
        for (String line : lines)
            for (String w : Tokenizer.words(lowercase ? line.toLowerCase(Locale.ROOT) : line)) wordCounts.addTo(w, 1L);
        int nw = wordCounts.size();
        Symbols sym = new Symbols();
        TreeSet<String> alpha = new TreeSet<>();
        int[][] word = new int[nw][];
        int[] len = new int[nw];
        long[] freq = new long[nw];
        int wi = 0;
        for (Object2LongMap.Entry<String> e : wordCounts.object2LongEntrySet()) {
            int[] cps = e.getKey().codePoints().toArray();
            int[] s = new int[cps.length];
            for (int i = 0; i < cps.length; i++) {
                String c = initialSymbol(cps, i);
                alpha.add(c);
                s[i] = sym.intern(c);
            }
            word[wi] = s;
            len[wi] = s.length;
            freq[wi] = e.getLongValue();
            wi++;
        }

        // pair -> count (weighted by word frequency), and pair -> the words that hold it (a word
        // may be listed for a pair it no longer holds; recounting such a word changes nothing)
        Long2LongOpenHashMap counts = new Long2LongOpenHashMap();
        Long2ObjectOpenHashMap<IntArrayList> where = new Long2ObjectOpenHashMap<>();
        for (int i = 0; i < nw; i++) {
            for (int j = 0; j + 1 < len[i]; j++) {
                long p = pair(word[i][j], word[i][j + 1]);
                counts.addTo(p, freq[i]);
                index(where, p, i);
            }
        }

        List<String[]> merges = new ArrayList<>();
        int[] stamp = new int[nw];
        java.util.Arrays.fill(stamp, -1);
        while (merges.size() < numMerges) {
            long best = 0, bestCount = 0;
            for (Long2LongMap.Entry e : Long2LongMaps.fastIterable(counts)) {
                long c = e.getLongValue();
                if (c < 2 || c < bestCount) continue;   // a pair must occur at least twice
                long p = e.getLongKey();
                if (c > bestCount || sym.comparePairs(p, best) < 0) {
                    best = p;
                    bestCount = c;
                }
            }
            if (bestCount == 0) break;
            int a = left(best), b = right(best);
            String sa = sym.string(a), sb = sym.string(b);
            int merge = merges.size();
            merges.add(new String[] {sa, sb});
            int joined = sym.intern(sa + sb);
            IntArrayList holders = where.remove(best);
            for (int h = 0; h < holders.size(); h++) {
                int i = holders.getInt(h);
                if (stamp[i] == merge) continue;
                stamp[i] = merge;
                int[] s = word[i];
                long f = freq[i];
                for (int j = 0; j + 1 < len[i]; j++) {
                    long p = pair(s[j], s[j + 1]);
                    if (counts.addTo(p, -f) == f) counts.remove(p);
                }
                len[i] = applyMerge(s, len[i], a, b, joined);
                for (int j = 0; j + 1 < len[i]; j++) {
                    long p = pair(s[j], s[j + 1]);
                    counts.addTo(p, f);
                    if (s[j] == joined || s[j + 1] == joined || p == best) index(where, p, i);
                }
            }
        }
        return new BpeTokenizer(new ArrayList<>(alpha), merges, lowercase);
    }

    private static void index(Long2ObjectOpenHashMap<IntArrayList> where, long p, int word) {
        IntArrayList l = where.get(p);
        if (l == null) where.put(p, l = new IntArrayList(4));
        if (l.isEmpty() || l.getInt(l.size() - 1) != word) l.add(word);
    }

    /** Symbol {@code i} of a word's code points: the character, with {@link #EOW} when it is the last. */
    private static String initialSymbol(int[] cps, int i) {
        return new String(cps, i, 1) + (i == cps.length - 1 ? EOW : "");
    }

    /**
     * Merges every {@code (a, b)} of {@code s[0, n)} into {@code joined}, left to right without
     * overlaps (so {@code a a a} becomes {@code aa a}); returns the new length.
     */
    private static int applyMerge(int[] s, int n, int a, int b, int joined) {
        int w = 0;
        for (int r = 0; r < n; ) {
            if (r + 1 < n && s[r] == a && s[r + 1] == b) {
                s[w++] = joined;
                r += 2;
            } else {
                s[w++] = s[r++];
            }
        }
        return w;
    }

    /**
     * The symbols of one word after the merges, as symbol ids; a character outside the alphabet
     * gets {@code -1 - k} where {@code unknown.get(k)} is its string.
     */
    private int[] segmentIds(String word, List<String> unknown) {
        int[] cps = word.codePoints().toArray();
        int[] s = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            String c = initialSymbol(cps, i);
            int id = symbols.id(c);
            if (id < 0) {
                id = -1 - unknown.size();
                unknown.add(c);
            }
            s[i] = id;
        }
        int n = s.length;
        while (n > 1) {
            int bestRank = Integer.MAX_VALUE, at = -1;
            for (int j = 0; j + 1 < n; j++) {
                if (s[j] < 0 || s[j + 1] < 0) continue;
                int r = rank.get(pair(s[j], s[j + 1]));
                if (r >= 0 && r < bestRank) {
                    bestRank = r;
                    at = j;
                }
            }
            if (at < 0) break;
            n = applyMerge(s, n, mergeLeft[bestRank], mergeRight[bestRank], mergeJoined[bestRank]);
        }
        return n == s.length ? s : java.util.Arrays.copyOf(s, n);
    }

    /** The BPE symbols of one word (after lower-casing when configured). */
    public List<String> segment(String word) {
        List<String> unknown = new ArrayList<>();
        int[] s = segmentIds(word, unknown);
        List<String> out = new ArrayList<>(s.length);
        for (int id : s) out.add(id >= 0 ? symbols.string(id) : unknown.get(-1 - id));
        return out;
    }

    private int[] tokenIds(String word) {
        int[] s = segmentIds(word, new ArrayList<>());
        for (int i = 0; i < s.length; i++) s[i] = s[i] >= 0 ? symbolToken[s[i]] : UNK;
        return s;
    }

    @Override
    public int[] encode(String text) {
        String[] words = Tokenizer.words(lowercase ? text.toLowerCase(Locale.ROOT) : text);
        int n = 0;
        int[][] parts = new int[words.length][];
        for (int i = 0; i < words.length; i++) {
            parts[i] = cache.computeIfAbsent(words[i], this::tokenIds);
            n += parts[i].length;
        }
        int[] out = new int[n];
        int k = 0;
        for (int[] p : parts) for (int id : p) out[k++] = id;
        return out;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id == EOS) break;
            if (id == PAD || id == BOS) continue;
            sb.append(id == UNK ? "<unk>" + EOW : token(id));
        }
        return sb.toString().replace(EOW, " ").strip();
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

    /** Number of learned merges. */
    public int numMerges() {
        return merges.size();
    }

    @Override
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

    static BpeTokenizer fromJson(Map<String, Object> m) {
        if (!(m.get("alphabet") instanceof List<?> a) || !(m.get("merges") instanceof List<?> ms))
            throw new IllegalArgumentException("bpe tokenizer JSON needs \"alphabet\" and \"merges\" arrays");
        List<String> alpha = new ArrayList<>();
        for (Object o : a) alpha.add((String) o);
        List<String[]> merges = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            String[] p = ((String) ms.get(i)).split(" ");
            if (p.length != 2) throw new IllegalArgumentException("merge " + i + " \"" + ms.get(i) + "\" is not two symbols separated by one space");
            merges.add(p);
        }
        return new BpeTokenizer(alpha, merges, Boolean.TRUE.equals(m.get("lowercase")));
    }

    /** Interned symbol strings: equal strings get equal ids, ids count up from 0. */
    private static final class Symbols {
        private final Object2IntOpenHashMap<String> ids = new Object2IntOpenHashMap<>();
        private final List<String> strings = new ArrayList<>();

        Symbols() {
            ids.defaultReturnValue(-1);
        }

        int intern(String s) {
            int id = ids.getInt(s);
            if (id < 0) {
                id = strings.size();
                ids.put(s, id);
                strings.add(s);
            }
            return id;
        }

        /** The id of {@code s}, or -1. */
        int id(String s) {
            return ids.getInt(s);
        }

        String string(int id) {
            return strings.get(id);
        }

        int size() {
            return strings.size();
        }

        /**
         * Compares two pairs as their strings {@code "left right"} compare ({@link String#compareTo}:
         * by UTF-16 unit), without building them.
         */
        int comparePairs(long p, long q) {
            String a1 = strings.get(left(p)), b1 = strings.get(right(p)), a2 = strings.get(left(q)), b2 = strings.get(right(q));
            int n1 = a1.length() + 1 + b1.length(), n2 = a2.length() + 1 + b2.length();
            for (int k = 0, n = Math.min(n1, n2); k < n; k++) {
                char c1 = charAt(a1, b1, k), c2 = charAt(a2, b2, k);
                if (c1 != c2) return c1 - c2;
            }
            return n1 - n2;
        }

        private static char charAt(String a, String b, int k) {
            int la = a.length();
            return k < la ? a.charAt(k) : k == la ? ' ' : b.charAt(k - la - 1);
        }
    }
}
