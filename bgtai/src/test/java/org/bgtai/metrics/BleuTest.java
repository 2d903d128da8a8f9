package org.bgtai.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BleuTest {
    static List<String[]> t(String... lines) {
        return Metrics.tokenize(List.of(lines));
    }

    @Test
    void handComputedSentence() {
        // hyp A B C D E vs ref A B C D F G: p1 4/5, p2 3/4, p3 2/3, p4 1/2; c 5 < r 6: BP exp(1 - 6/5)
        Bleu.Result r = Bleu.corpus(t("A B C D E"), t("A B C D F G"), Bleu.Smoothing.NONE);
        double bp = Math.exp(-0.2);
        assertEquals(bp, r.brevityPenalty(), 1e-12);
        assertEquals(100 * bp * 0.8, r.bleu(1), 1e-9);
        assertEquals(100 * bp * Math.sqrt(0.8 * 0.75), r.bleu(2), 1e-9);
        assertEquals(100 * bp * Math.cbrt(0.8 * 0.75 * (2.0 / 3)), r.bleu(3), 1e-9);
        assertEquals(100 * bp * Math.pow(0.8 * 0.75 * (2.0 / 3) * 0.5, 0.25), r.bleu(4), 1e-9);
    }

    @Test
    void clippedCountsPapineniExample() {
        Bleu.Result r = Bleu.corpus(t("the the the the the the the"), t("the cat is on the mat"), Bleu.Smoothing.NONE);
        assertEquals(2, r.matches()[0]);
        assertEquals(7, r.totals()[0]);
        assertEquals(100 * 2.0 / 7, r.bleu(1), 1e-9);   // c 7 > r 6: BP 1
    }

    @Test
    void corpusPoolsCountsInsteadOfAveragingSentences() {
        // s1: hyp "A B" ref "A B": 2/2 unigrams, 1/1 bigram. s2: hyp "C D E F" ref "C X E Y": 2/4, 0/3
        Bleu.Result r = Bleu.corpus(t("A B", "C D E F"), t("A B", "C X E Y"), Bleu.Smoothing.NONE);
        assertArrayEquals(new long[] {4, 1, 0, 0}, r.matches());
        assertArrayEquals(new long[] {6, 4, 2, 1}, r.totals());
        assertEquals(100 * 4.0 / 6, r.bleu(1), 1e-9);
        assertEquals(100 * Math.sqrt(4.0 / 6 * 1.0 / 4), r.bleu(2), 1e-9);
        assertEquals(0, r.bleu(4));
    }

    @Test
    void shorterThanFourTokens() {
        // hyp A B vs ref A B C: p1 = p2 = 1, no trigrams or 4-grams; BP exp(1 - 3/2)
        Bleu.Result r = Bleu.corpus(t("A B"), t("A B C"), Bleu.Smoothing.NONE);
        assertEquals(100 * Math.exp(-0.5), r.bleu(1), 1e-9);
        assertEquals(100 * Math.exp(-0.5), r.bleu(2), 1e-9);
        assertEquals(0, r.bleu(3));
        assertEquals(0, r.bleu(4));
    }

    @Test
    void emptyHypothesis() {
        Bleu.Result r = Bleu.corpus(t(""), t("A B C"), Bleu.Smoothing.NONE);
        assertEquals(0, r.brevityPenalty());
        for (int n = 1; n <= 4; n++) assertEquals(0, r.bleu(n));
        Bleu.Result e = Bleu.corpus(List.of(), List.of(), Bleu.Smoothing.EPSILON);
        assertEquals(0, e.bleu(4));
    }

    @Test
    void smoothing() {
        // hyp A B C D vs ref A B D C: p1 4/4, p2 1/3, p3 0/2, p4 0/1; c = r: BP 1
        assertEquals(0, Bleu.corpus(t("A B C D"), t("A B D C"), Bleu.Smoothing.NONE).bleu(4));
        assertEquals(100 * Math.sqrt(1.0 / 3), Bleu.corpus(t("A B C D"), t("A B D C"), Bleu.Smoothing.NONE).bleu(2), 1e-9);
        assertEquals(100 * Math.pow(1.0 / 3 * 0.05 * 0.1, 0.25), Bleu.corpus(t("A B C D"), t("A B D C"), Bleu.Smoothing.EPSILON).bleu(4), 1e-9);
        assertEquals(100 * Math.pow(0.5 * (1.0 / 3) * 0.5, 0.25), Bleu.corpus(t("A B C D"), t("A B D C"), Bleu.Smoothing.ADD_ONE).bleu(4), 1e-9);
    }

    @Test
    void mismatchedCountsAndBadOrder() {
        var e = assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(t("A"), t("A", "B"), Bleu.Smoothing.NONE));
        assertTrue(e.getMessage().contains("1 hypotheses but 2 references"), e.getMessage());
        Bleu.Result r = Bleu.corpus(t("A"), t("A"), Bleu.Smoothing.NONE);
        assertThrows(IllegalArgumentException.class, () -> r.bleu(5));
    }

    @Property(tries = 100)
    void identicalLongSentencesScore100AndShuffledKeepBleu1(@ForAll @IntRange(min = 4, max = 30) int len, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        java.util.Random rnd = new java.util.Random(seed);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < len; i++) words.add("W" + rnd.nextInt(6));
        String s = String.join(" ", words);
        Bleu.Result same = Bleu.corpus(t(s), t(s), Bleu.Smoothing.NONE);
        for (int n = 1; n <= 4; n++) assertEquals(100, same.bleu(n), 1e-9);
        java.util.Collections.shuffle(words, rnd);
        Bleu.Result shuffled = Bleu.corpus(t(String.join(" ", words)), t(s), Bleu.Smoothing.NONE);
        assertEquals(100, shuffled.bleu(1), 1e-9);
        assertTrue(shuffled.bleu(4) <= 100 + 1e-9 && shuffled.bleu(4) >= 0);
    }
}
