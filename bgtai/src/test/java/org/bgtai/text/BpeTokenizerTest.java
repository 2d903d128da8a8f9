package org.bgtai.text;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {
    /** Sennrich et al.'s example: low x5, lower x2, newest x6, widest x3. */
    static List<String> corpus() {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < 5; i++) l.add("low");
        for (int i = 0; i < 2; i++) l.add("lower");
        for (int i = 0; i < 6; i++) l.add("newest");
        for (int i = 0; i < 3; i++) l.add("widest");
        return l;
    }

    @Test
    void learnsTheHandComputedMerges() {
        // pair counts: "e s" 9 and "s t</w>" 9 (tie -> smaller string "e s"), then "es t</w>" 9,
        // then "l o" 7, then "e w" 6 (tie with "n e" and "w est</w>" -> smallest)
        BpeTokenizer t = BpeTokenizer.train(corpus(), 4, false);
        List<String> merges = new ArrayList<>();
        for (Object m : (List<?>) t.toJson().get("merges")) merges.add((String) m);
        assertEquals(List.of("e s", "es t</w>", "l o", "e w"), merges);
        assertEquals(List.of("lo", "w", "est</w>"), t.segment("lowest"));
    }

    @Test
    void encodeDecodeRoundTripAndUnknownCharacters() {
        BpeTokenizer t = BpeTokenizer.train(corpus(), 50, false);
        int[] ids = t.encode("lowest newer");
        assertEquals("lowest newer", t.decode(ids));
        int[] withZ = t.encode("lowz");
        boolean unk = false;
        for (int id : withZ) unk |= id == Tokenizer.UNK;
        assertTrue(unk, "a character never seen in training must become <unk>");
    }

    @net.jqwik.api.Property(tries = 100)
    void decodeInvertsEncodeOnKnownCharacters(@net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 10_000) int seed,
                                             @net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 6) int words) {
        java.util.Random r = new java.util.Random(seed);
        String letters = "abcdeäöü";
        List<String> lines = new ArrayList<>();
        for (int l = 0; l < 20; l++) lines.add(randomLine(r, letters, 5));
        BpeTokenizer t = BpeTokenizer.train(lines, r.nextInt(30), false);
        String line = randomLine(r, letters, words);
        for (char c : line.replace(" ", "").toCharArray())
            if (lines.stream().noneMatch(x -> x.indexOf(c) >= 0)) return;   // unseen character: <unk> by design
        assertEquals(line, t.decode(t.encode(line)));
    }

    static String randomLine(java.util.Random r, String letters, int words) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) sb.append(' ');
            int len = 1 + r.nextInt(7);
            for (int i = 0; i < len; i++) sb.append(letters.charAt(r.nextInt(letters.length())));
        }
        return sb.toString();
    }

    @Test
    void stopsWhenNoPairRepeats() {
        BpeTokenizer t = BpeTokenizer.train(List.of("ab", "cd"), 100, false);
        assertEquals(0, t.numMerges());
        assertEquals(4 + 4, t.size());   // specials + a, b</w>, c, d</w>
    }

    @Test
    void saveLoadGivesSameEncoding(@TempDir Path dir) throws Exception {
        BpeTokenizer t = BpeTokenizer.train(List.of("morgen regen im norden", "regen und schnee im süden", "morgen sonne"), 20, true);
        Path f = dir.resolve("bpe.json");
        t.save(f);
        Tokenizer back = Tokenizer.load(f);
        assertInstanceOf(BpeTokenizer.class, back);
        assertArrayEquals(t.encode("Morgen Regen im Westen"), back.encode("Morgen Regen im Westen"));
        assertEquals(t.size(), back.size());
    }
}
