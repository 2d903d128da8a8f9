package org.bgtai.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CIDEr-D, METEOR and multi-reference BLEU and ROUGE-L on cases computed by hand from their published definitions. */
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

    @Test
    void multiReferenceBleuClipsByTheBestReferenceAndTakesTheClosestLength() {
        // Papineni et al. 2002, section 2.1: "the" is clipped at its largest count in one reference (2): p1 = 2/7
        Bleu.Result papineni = Bleu.corpusMulti(refs("the the the the the the the"),
            List.of(refs("the cat is on the mat", "there is a cat on the mat")), Bleu.Smoothing.NONE);
        assertEquals(2.0 / 7, papineni.precisions()[0], 1e-12);
        // "a b c d" against "a b x d" and "a b c e e": unigrams 4/4 (c from the second, d from the first), bigrams ab bc of ab bc cd: 2/3,
        // trigrams abc of abc bcd: 1/2, the 4-gram never: BLEU-4 0; closest reference length 4 = |hyp|: BP 1
        Bleu.Result r = Bleu.corpusMulti(refs("a b c d"), List.of(refs("a b x d", "a b c e e")), Bleu.Smoothing.NONE);
        assertArrayEquals(new long[] {4, 2, 1, 0}, r.matches());
        assertEquals(4, r.refLength());
        assertEquals(100, r.bleu(1), 1e-9);
        assertEquals(100 * Math.sqrt(2.0 / 3), r.bleu(2), 1e-9);
        assertEquals(100 * Math.cbrt(1.0 / 3), r.bleu(3), 1e-9);
        assertEquals(0, r.bleu(4), 1e-12);
        // "a b" between references of 3 and 1 words (both 1 away): the shorter counts, r = 1 < c = 2, so no brevity penalty
        // (the longer would give exp(1 - 3/2) = 0.607)
        Bleu.Result tie = Bleu.corpusMulti(refs("a b"), List.of(refs("a b c", "a")), Bleu.Smoothing.NONE);
        assertEquals(1, tie.refLength());
        assertEquals(100, tie.bleu(2), 1e-9);
        // with one reference per sentence it is the single-reference corpus BLEU
        List<String[]> hyp = refs("a b c d", "x y z");
        assertArrayEquals(Bleu.corpus(hyp, refs("a b c e", "x y"), Bleu.Smoothing.NONE).bleu(),
            Bleu.corpusMulti(hyp, List.of(refs("a b c e"), refs("x y")), Bleu.Smoothing.NONE).bleu(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Bleu.corpusMulti(refs("a"), List.of(List.of()), Bleu.Smoothing.NONE));
    }

    @Test
    void multiReferenceRougeLMaximisesPrecisionAndRecallSeparately() {
        // "a b c d" vs "a b": LCS 2, P 2/4, R 2/2; vs "a x c d e f": LCS 3 (a c d), P 3/4, R 3/6.
        // P = max 0.75, R = max 1: F = (1 + 1.44) 0.75 / (1 + 1.44 * 0.75) = 1.83 / 2.08, above either reference's own F (0.709, 0.579)
        double f = RougeL.corpusMulti(refs("a b c d"), List.of(refs("a b", "a x c d e f")));
        assertEquals(100 * 1.83 / 2.08, f, 1e-9);
        // a hypothesis sharing no word scores 0; the corpus figure is the mean: (87.98 + 0) / 2
        assertEquals(50 * 1.83 / 2.08, RougeL.corpusMulti(refs("a b c d", "q"), List.of(refs("a b", "a x c d e f"), refs("z"))), 1e-9);
        // one reference each: the single-reference ROUGE-L
        assertEquals(RougeL.corpus(refs("a b c d"), refs("a x c d e f")), RougeL.corpusMulti(refs("a b c d"), List.of(refs("a x c d e f"))), 1e-12);
    }
}
