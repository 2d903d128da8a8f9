package org.bgtai.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class OtherMetricsTest {
    static List<String[]> t(String... lines) {
        return Metrics.tokenize(List.of(lines));
    }

    @Test
    void rougeLHandComputed() {
        // LCS(A B C D, A C E D F) = A C D = 3: P 3/4, R 3/5
        double p = 0.75, r = 0.6;
        assertEquals(100 * 2 * p * r / (p + r), RougeL.corpus(t("A B C D"), t("A C E D F"), 1.0), 1e-9);
        double b2 = 1.44;
        assertEquals(100 * (1 + b2) * p * r / (r + b2 * p), RougeL.corpus(t("A B C D"), t("A C E D F")), 1e-9);
        // averaged over sentences: (1 + 0) / 2
        assertEquals(50, RougeL.corpus(t("A B", "X"), t("A B", "Y")), 1e-9);
    }

    @Test
    void rougeLEmpty() {
        assertEquals(0, RougeL.corpus(t(""), t("A B")));
        assertThrows(IllegalArgumentException.class, () -> RougeL.corpus(List.of(), List.of()));
    }

    @Test
    void werHandComputed() {
        // A X C D E vs A B C D: one substitution, one insertion
        assertEquals(50, Wer.corpus(t("A X C D E"), t("A B C D")), 1e-9);
        // pooled: (2 + 1) / (4 + 2)
        assertEquals(50, Wer.corpus(t("A X C D E", "P"), t("A B C D", "P Q")), 1e-9);
        assertEquals(100, Wer.corpus(t(""), t("A B")), 1e-9);
        assertEquals(0, Wer.corpus(t("A B"), t("A B")), 1e-9);
        var e = assertThrows(IllegalArgumentException.class, () -> Wer.corpus(t("A"), t("")));
        assertTrue(e.getMessage().contains("reference"));
    }

    @Test
    void editDistanceAndLcs() {
        assertEquals(3, Metrics.editDistance("k i t t e n".split(" "), "s i t t i n g".split(" ")));
        assertEquals(4, Metrics.lcs("A B C B D A B".split(" "), "B D C A B A".split(" ")));
    }

    @Test
    void chrFHandComputed() {
        assertEquals(100, ChrF.corpus(List.of("ab"), List.of("ab")), 1e-9);
        assertEquals(100, ChrF.corpus(List.of("a b"), List.of("ab")), 1e-9);   // whitespace ignored
        // orders 1..2: n=1 P = R = 1/2, n=2 P = R = 0 -> P = R = 1/4 -> F = 1/4 for any beta
        assertEquals(25, ChrF.corpus(List.of("ab"), List.of("ac"), 2, 1.0), 1e-9);
        assertEquals(25, ChrF.corpus(List.of("ab"), List.of("ac"), 2, 2.0), 1e-9);
        // P != R: hyp "a", ref "ab", order 1: P = 1, R = 1/2; beta 2: 5 * 0.5 / (4 + 0.5)
        assertEquals(100 * 5 * 0.5 / 4.5, ChrF.corpus(List.of("a"), List.of("ab"), 1, 2.0), 1e-9);
        assertEquals(0, ChrF.corpus(List.of(""), List.of("ab")), 1e-9);
    }
}
