package org.bgtai.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link BpeTokenizer} learns the same merges, gives the same ids and segments and saves the same
 * JSON as {@link BpeReference}, the string-keyed implementation it replaced, on random corpora
 * built to have many ties, repeated symbols ({@code a a a}), words of one character and
 * characters unseen in training.
 */
class BpeEquivalenceTest {
    @Property(tries = 300)
    void sameAsTheStringKeyedReference(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random r = new Random(seed);
        String letters = r.nextBoolean() ? "ab" : r.nextBoolean() ? "abcaab" : "abcdeäöüßéx\uD83D\uDE00";
        int lines = 1 + r.nextInt(40);
        List<String> corpus = new ArrayList<>();
        for (int l = 0; l < lines; l++) corpus.add(line(r, letters, 1 + r.nextInt(8)));
        int merges = r.nextInt(r.nextBoolean() ? 10 : 400);
        boolean lowercase = r.nextBoolean();
        BpeTokenizer t = BpeTokenizer.train(corpus, merges, lowercase);
        BpeReference ref = BpeReference.train(corpus, merges, lowercase);
        assertEquals(ref.toJson(), t.toJson());
        assertEquals(ref.size(), t.size());
        for (int i = 0; i < t.size(); i++) assertEquals(ref.token(i), t.token(i));
        List<String> probes = new ArrayList<>(corpus);
        for (int p = 0; p < 20; p++) probes.add(line(r, letters + "zAB", 1 + r.nextInt(5)));
        for (String p : probes) {
            int[] ids = t.encode(p);
            assertArrayEquals(ref.encode(p), ids, p);
            assertEquals(ref.decode(ids), t.decode(ids));
            for (String w : Tokenizer.words(p)) assertEquals(ref.segment(w), t.segment(w), w);
        }
    }

    @Test
    void loadedMergesWithSharedResultsAndRepeats() {
        // "a bc" and "ab c" both give "abc"; a repeated merge keeps its last rank; "b c" is no token of the alphabet
        List<String> alphabet = List.of("a", "b", "c</w>", "c");
        List<String[]> merges = List.of(new String[] {"b", "c"}, new String[] {"a", "bc"}, new String[] {"a", "b"}, new String[] {"ab", "c"},
            new String[] {"a", "b"}, new String[] {"abc", "c</w>"});
        BpeTokenizer t = new BpeTokenizer(alphabet, merges, false);
        BpeReference ref = new BpeReference(alphabet, merges, false);
        for (String w : List.of("abc", "abcc", "ababc", "cabcabc", "aaa", "bcbc", "xabcx", "abcabcc")) {
            assertEquals(ref.segment(w), t.segment(w), w);
            assertArrayEquals(ref.encode(w), t.encode(w), w);
        }
        assertEquals(ref.size(), t.size());
    }

    static String line(Random r, String letters, int words) {
        int[] cps = letters.codePoints().toArray();
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) sb.append(r.nextInt(5) == 0 ? "  " : " ");
            int len = 1 + r.nextInt(r.nextBoolean() ? 3 : 9);
            for (int i = 0; i < len; i++) sb.appendCodePoint(cps[r.nextInt(cps.length)]);
        }
        return sb.toString();
    }
}
