package org.bgtai.langue2gloss;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.bgtai.tensor.Rng;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.junit.jupiter.api.Test;

/** Sources batching, exact match, and that decoding any Sources agrees with decoding rows one at a time. */
class SourcesEvaluationTest {
    @Test
    void exactMatchHandComputed() {
        // token-wise equality: extra spaces do not matter, one wrong token does
        assertEquals(50.0, Evaluation.exactMatch(List.of("ONE  TWO", "THREE"), List.of("ONE TWO", "FOUR")), 1e-12);
        assertEquals(100.0 / 3, Evaluation.exactMatch(List.of("A", "B", "C D"), List.of("A", "C", "C")), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Evaluation.exactMatch(List.of("A"), List.of()));
    }

    @Test
    void audioSourcesPadAndReportLengths() {
        Sources s = Sources.audio(List.of(new float[6], new float[2], new float[4]), 2);
        assertEquals(3, s.size());
        assertEquals(1, s.length(1));
        EncoderInput.Audio a = (EncoderInput.Audio) s.batch(new int[] {2, 0});
        assertArrayEquals(new int[] {2, 3, 2}, a.features().shape());
        assertArrayEquals(new int[] {2, 3}, a.frames());
        assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0}, a.padding().toArray());
        var bad = assertThrows(IllegalArgumentException.class, () -> Sources.audio(List.of(new float[3]), 2));
        assertTrue(bad.getMessage().contains("example 0"), bad.getMessage());
    }

    @Test
    void batchedTranslationEqualsOneRowAtATime() {
        Langue2Gloss m = AudioPathTest.tiny(12);
        Rng rng = new Rng(13);
        List<float[]> mels = List.of(AudioPathTest.mel(21, rng), AudioPathTest.mel(5, rng), AudioPathTest.mel(40, rng), AudioPathTest.mel(9, rng));
        Tokenizer tgt = WordTokenizer.train(List.of("A B C D E"), 1, false);
        Sources s = Sources.audio(mels, AudioPathTest.MELS);
        for (Search search : List.of(Search.greedy(6), new Search(3, 1.0, 6))) {
            List<String> all = Evaluation.translate(m, s, tgt, search, 3);
            for (int i = 0; i < mels.size(); i++)
                assertEquals(Evaluation.translate(m, Sources.audio(List.of(mels.get(i)), AudioPathTest.MELS), tgt, search, 1).get(0), all.get(i),
                    "row " + i + " beam " + search.beam());
        }
    }
}
