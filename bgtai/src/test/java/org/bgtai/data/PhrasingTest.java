package org.bgtai.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.data.Phrasing.Pool;
import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.Test;

/** Varied captions, canonical glosses, and a held-out half of the phrasing that seen captions never use. */
class PhrasingTest {
    @Test
    void worldGlossIsCanonicalSignOrder() {
        // label = (size * 6 + colour) * 4 + shape: size big (1), colour blue (2), shape triangle (2)
        int label = (1 * 6 + 2) * 4 + 2;
        assertEquals("TRIANGLE BLUE BIG", Phrasing.worldGloss(label));
        assertEquals("CIRCLE RED SMALL", Phrasing.worldGloss(0));
        assertEquals("THREE SEVEN SEVEN ONE", Phrasing.digitGloss(new int[] {3, 7, 7, 1}));
    }

    @Test
    void captionsVaryAndArticlesAgree() {
        Set<String> seen = new HashSet<>();
        Rng rng = new Rng(4);
        for (int i = 0; i < 200; i++) {
            String c = Phrasing.worldCaption(5, Pool.SEEN, rng);
            seen.add(c);
            assertFalse(c.matches(".*\\ba [aeiou].*"), "article before a vowel: " + c);
        }
        assertTrue(seen.size() > 40, "200 draws of one class give many phrasings, got " + seen.size() + ": " + seen);
        assertEquals("an amber x", Phrasing.articles("a amber x"));
    }

    @Property(tries = 200)
    void seenCaptionsNeverUseHeldOutWords(@ForAll @IntRange(min = 0, max = 47) int label, @ForAll long seed) {
        Set<String> held = new HashSet<>(Phrasing.worldWords(Pool.HELD_OUT));
        held.removeAll(Phrasing.worldWords(Pool.SEEN));
        String c = Phrasing.worldCaption(label, Pool.SEEN, new Rng(seed));
        for (String w : c.split(" ")) assertFalse(held.contains(w), "held-out word '" + w + "' in a seen caption: " + c);
        assertTrue(new HashSet<>(Phrasing.worldWords(Pool.SEEN)).containsAll(List.of(c.split(" "))), c);
    }

    @Property(tries = 200)
    void heldOutCaptionsUseAHeldOutTemplateAndNameTheContent(@ForAll @IntRange(min = 0, max = 47) int label, @ForAll long seed) {
        String c = Phrasing.worldCaption(label, Pool.HELD_OUT, new Rng(seed));
        boolean template = false;
        for (String t : Phrasing.WORLD_HELD_OUT) {
            String fixed = t.replace("S", "").replace("C", "").replace("H", "").replace("a ", "").trim();
            template |= c.contains(fixed.split(" ")[0]);
        }
        assertTrue(template, c);
        // each attribute is named by one of its synonyms (seen or held out)
        Phrasing.Words[][] attrs = {Phrasing.SIZE, Phrasing.COLOUR, Phrasing.SHAPE};
        int[] values = {BuiltinWorld.sizeOf(label), BuiltinWorld.colourOf(label), BuiltinWorld.shapeOf(label)};
        for (int k = 0; k < 3; k++) {
            boolean named = false;
            Phrasing.Words w = attrs[k][values[k]];
            for (String s : w.seen()) named |= (" " + c + " ").contains(" " + s + " ");
            for (String s : w.heldOut()) named |= (" " + c + " ").contains(" " + s + " ");
            assertTrue(named, "attribute " + k + " missing in " + c);
        }
    }

    @Property(tries = 300)
    void digitTextsSayEveryDigitInOrder(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed, @ForAll boolean heldOut) {
        Rng rng = new Rng(seed);
        int[] d = new int[n];
        for (int i = 0; i < n; i++) d[i] = rng.nextInt(10);
        String t = Phrasing.digitText(d, heldOut ? Pool.HELD_OUT : Pool.SEEN, rng);
        // read the digits back: a digit word (or synonym), "double X" = X X, "X twice" = X X
        java.util.List<Integer> back = new java.util.ArrayList<>();
        String[] w = t.replace(",", " ").trim().split("\\s+");
        for (int i = 0; i < w.length; i++) {
            int v = digit(w[i]);
            if (w[i].equals("double")) {
                int x = digit(w[++i]);
                back.add(x);
                back.add(x);
            } else if (v >= 0) {
                back.add(v);
                if (i + 1 < w.length && w[i + 1].equals("twice")) {
                    back.add(v);
                    i++;
                }
            }
        }
        int[] got = back.stream().mapToInt(Integer::intValue).toArray();
        assertArrayEquals(d, got, t);
        if (!heldOut) assertFalse(t.contains("twice") || t.contains("nought"), t);
    }

    private static int digit(String w) {
        return switch (w) {
            case "zero", "oh", "nought" -> 0;
            default -> java.util.Arrays.asList(Words.DIGITS).indexOf(w);
        };
    }
}
