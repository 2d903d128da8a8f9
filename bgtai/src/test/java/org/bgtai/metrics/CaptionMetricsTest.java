package org.bgtai.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CIDEr-D and METEOR on cases computed by hand from their published definitions. */
class CaptionMetricsTest {
    static String[] w(String s) {
        return s.isEmpty() ? new String[0] : s.split(" ");
    }

    static List<String[]> refs(String... s) {
        return java.util.Arrays.stream(s).map(CaptionMetricsTest::w).toList();
    }

    @Test
    void ciderDHandComputed() {
        // N = 2 items, every reference n-gram occurs in one item: idf = ln 2 - ln 1 for all.
        // item 1, "a b" vs "a b": unigram cosine 1, bigram cosine 1, no 3- or 4-grams (0): 10 * mean(1, 1, 0, 0) = 5
        // item 2, "c d" vs "c e": unigrams (c, d) . (c, e) clipped = ln2^2 over norms 2 ln2^2 = 0.5, bigrams 0: 10 * 0.5 / 4 = 1.25
        List<String[]> hyp = List.of(w("a b"), w("c d"));
        List<List<String[]>> ref = List.of(refs("a b"), refs("c e"));
        assertArrayEquals(new double[] {5, 1.25}, CiderD.sentences(hyp, ref), 1e-12);
        assertEquals(3.125, CiderD.corpus(hyp, ref), 1e-12);
    }

    @Test
    void ciderDOfAPerfectCaptionOfFourWordsIsTen() {
        // every n = 1..4 cosine is 1 and the lengths agree: 10 * mean(1, 1, 1, 1)
        double[] s = CiderD.sentences(List.of(w("a red big circle"), w("x y")), List.of(refs("a red big circle"), refs("z")));
        assertEquals(10, s[0], 1e-12);
        assertEquals(0, s[1], 1e-12);
    }

    @Test
    void ciderDAveragesOverReferencesAndClipsRepeats() {
        // two references, one equal to the caption (10) and one with nothing in common (0): the mean over references, 5
        double[] s = CiderD.sentences(List.of(w("a b c d"), w("q")), List.of(refs("a b c d", "e f g h"), refs("r")));
        assertEquals(5, s[0], 1e-12);
        // saying a reference word four times gains nothing over saying it once (the "-D" clipping); the length penalty
        // exp(-(3 - 0)^2 / 72) only lowers it further
        double once = CiderD.sentences(List.of(w("a"), w("q")), List.of(refs("a"), refs("r")))[0];
        double four = CiderD.sentences(List.of(w("a a a a"), w("q")), List.of(refs("a"), refs("r")))[0];
        assertTrue(four < once, four + " vs " + once);
        assertThrows(IllegalArgumentException.class, () -> CiderD.corpus(List.<String[]>of(w("a")), List.of(List.<String[]>of())));
    }

    @Test
    void meteorHandComputed() {
        // A B C D vs A B X C D: m 4, P 1, R 4/5, chunks (A B)(C D) = 2
        double p = 1, r = 0.8, f = 10 * p * r / (r + 9 * p), pen = 0.5 * Math.pow(2 / 4.0, 3);
        assertEquals(f * (1 - pen), Meteor.sentence(w("A B C D"), w("A B X C D")), 1e-12);
        // reordered: every word matches (F 1) in two chunks (C D)(A B)
        assertEquals(1 - 0.5 * Math.pow(2 / 4.0, 3), Meteor.sentence(w("C D A B"), w("A B C D")), 1e-12);
        // identical: one chunk, still a small fragmentation penalty (1/3)^3 / 2
        assertEquals(1 - 0.5 / 27, Meteor.sentence(w("A B C"), w("A B C")), 1e-12);
        // an unmatched word splits a chunk: A _ C vs A C: m 2, P 2/3, R 1, chunks 2
        double p2 = 2 / 3.0, f2 = p2 / (0.9 * p2 + 0.1);
        assertEquals(f2 * (1 - 0.5 * Math.pow(1.0, 3)), Meteor.sentence(w("A Z C"), w("A C")), 1e-12);
        assertEquals(0, Meteor.sentence(w("X Y"), w("A B")));
    }

    @Test
    void meteorTakesTheBestReferenceAndAveragesSentences() {
        double best = Meteor.sentence(w("A B C"), w("A B C"));
        assertEquals(best / 2, Meteor.corpus(List.of(w("A B C"), w("Q")), List.of(refs("X Y", "A B C"), refs("R"))), 1e-12);
        // a repeated word extends the current chunk when it can: "A B A B" vs "A B A B" is one chunk
        assertArrayEquals(new int[] {0, 1, 2, 3}, Meteor.align(w("A B A B"), w("A B A B")));
        assertThrows(IllegalArgumentException.class, () -> Meteor.corpus(List.of(), List.of()));
    }
}
