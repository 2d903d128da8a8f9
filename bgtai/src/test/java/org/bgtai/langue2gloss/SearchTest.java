package org.bgtai.langue2gloss;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.nn.TransformerDecoder;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.text.Tokenizer;
import org.junit.jupiter.api.Test;

class SearchTest {
    static Langue2Gloss tiny(int tgtVocab, long seed) {
        Langue2Gloss m = new Langue2Gloss(new L2GConfig(12, tgtVocab, 16, 2, 32, 1, 2, 0.1f, true, 32), new Rng(seed));
        m.eval();
        return m;
    }

    /** Log-probability of a continuation by the full (non-incremental) forward pass. */
    static double score(Langue2Gloss m, int[] src, int[] seq) {
        double s = 0;
        for (double x : tokenLogProbs(m, src, seq)) s += x;
        return s;
    }

    /** Log-probability of each token of a continuation by the full forward pass. */
    static double[] tokenLogProbs(Langue2Gloss m, int[] src, int[] seq) {
        int[] in = new int[seq.length];
        in[0] = Tokenizer.BOS;
        System.arraycopy(seq, 0, in, 1, seq.length - 1);
        try (var g = GradMode.noGrad()) {
            Tensor lp = m.forward(EncoderInput.Text.of(new int[][] {src}), IntTensor.of(in, 1, in.length)).value().logSoftmax(2);
            double[] out = new double[seq.length];
            for (int t = 0; t < seq.length; t++) out[t] = lp.get(0, t, seq[t]);
            return out;
        }
    }

    @Test
    void incrementalStepsMatchTheFullForwardPass() {
        Langue2Gloss m = tiny(9, 3);
        int[][] src = {{4, 5, 6}, {7, 8}};
        int[] tgt = {Tokenizer.BOS, 4, 6, 5, 7};
        try (var g = GradMode.noGrad()) {
            Langue2Gloss.Encoded enc = m.encode(EncoderInput.Text.of(src));
            int[] both = new int[10];
            for (int b = 0; b < 2; b++) System.arraycopy(tgt, 0, both, b * 5, 5);
            Tensor full = m.decode(enc, IntTensor.of(both, 2, 5)).value();
            TransformerDecoder.Cache cache = m.newCache();
            for (int t = 0; t < 5; t++) {
                Tensor step = m.step(enc, new int[] {tgt[t], tgt[t]}, cache).value();
                for (int b = 0; b < 2; b++)
                    for (int v = 0; v < 9; v++) assertEquals(full.get(b, t, v), step.get(b, v), 1e-4, "b " + b + " t " + t + " v " + v);
            }
        }
    }

    @Test
    void pooledVectorIsTheMeanOfUnpaddedOutputs() {
        Langue2Gloss m = tiny(9, 4);
        try (var g = GradMode.noGrad()) {
            Langue2Gloss.Encoded enc = m.encode(EncoderInput.Text.of(new int[][] {{4, 5, 6}, {7}}));
            Tensor o = enc.outputs().value(), h = enc.pooled().value();
            for (int d = 0; d < 16; d++) {
                assertEquals((o.get(0, 0, d) + o.get(0, 1, d) + o.get(0, 2, d)) / 3, h.get(0, d), 1e-5);
                assertEquals(o.get(1, 0, d), h.get(1, d), 1e-5);
            }
            assertEquals(0f, enc.padding().get(1, 0));
            assertEquals(1f, enc.padding().get(1, 2));
        }
    }

    /** Every token except pad and bos; all sequences the beam can produce within the limit of 3. */
    static void enumerate(List<int[]> out, int[] prefix, int limit) {
        int[] toks = {Tokenizer.UNK, Tokenizer.EOS, 4, 5};
        for (int w : toks) {
            int[] s = java.util.Arrays.copyOf(prefix, prefix.length + 1);
            s[prefix.length] = w;
            if (w == Tokenizer.EOS || s.length == limit) out.add(s);
            else enumerate(out, s, limit);
        }
    }

    @Test
    void wideBeamFindsTheExhaustiveBest() {
        for (long seed = 0; seed < 3; seed++) {
            Langue2Gloss m = tiny(6, seed);
            int[] src = {4 + (int) seed, 5, 6};
            List<int[]> all = new ArrayList<>();
            enumerate(all, new int[0], 3);
            for (double alpha : new double[] {0, 1}) {
                int[] best = null;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int[] s : all) {
                    int len = s[s.length - 1] == Tokenizer.EOS ? s.length : s.length + 1;   // the beam counts a forced end like <eos>
                    double sc = score(m, src, s);
                    if (alpha > 0) sc /= Math.pow((5.0 + len) / 6.0, alpha);
                    if (sc > bestScore) {
                        bestScore = sc;
                        best = s;
                    }
                }
                int[] expect = best[best.length - 1] == Tokenizer.EOS ? java.util.Arrays.copyOf(best, best.length - 1) : best;
                int[] got = new Search(64, alpha, 3).decode(m, new int[][] {src}).get(0);
                assertArrayEquals(expect, got, "seed " + seed + " alpha " + alpha);
            }
        }
    }

    /**
     * The continuation (within the limit of 3) that two members score best together, each step by the
     * log of their mean probability, member {@code a} reading {@code srcA} and {@code b} reading {@code srcB}.
     */
    static int[] exhaustiveBestOfMixture(Langue2Gloss a, int[] srcA, Langue2Gloss b, int[] srcB) {
        List<int[]> all = new ArrayList<>();
        enumerate(all, new int[0], 3);
        int[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int[] s : all) {
            double[] pa = tokenLogProbs(a, srcA, s), pb = tokenLogProbs(b, srcB, s);
            double sc = 0;
            for (int t = 0; t < s.length; t++) sc += Math.log((Math.exp(pa[t]) + Math.exp(pb[t])) / 2);
            if (sc > bestScore) {
                bestScore = sc;
                best = s;
            }
        }
        return best[best.length - 1] == Tokenizer.EOS ? java.util.Arrays.copyOf(best, best.length - 1) : best;
    }

    @Test
    void ensembleWideBeamFindsTheExhaustiveBestOfTheMixture() {
        for (long seed = 0; seed < 3; seed++) {
            Langue2Gloss a = tiny(6, 10 + seed), b = tiny(6, 20 + seed);
            int[] src = {4 + (int) seed, 5, 6};
            assertArrayEquals(exhaustiveBestOfMixture(a, src, b, src), new Search(64, 0, 3).decode(List.of(a, b), new int[][] {src}).get(0), "seed " + seed);
        }
    }

    @Test
    void membersReadingTheirOwnSourceIdsDecodeTheMixtureOfTheirOwnScores() {
        for (long seed = 0; seed < 3; seed++) {
            Langue2Gloss a = tiny(6, 30 + seed), b = tiny(6, 40 + seed);
            int[] srcA = {4 + (int) seed, 5, 6}, srcB = {11, 7 + (int) seed, 9, 10, 8};   // one sentence, two tokenizations
            var inputs = List.of(EncoderInput.Text.of(new int[][] {srcA}), EncoderInput.Text.of(new int[][] {srcB}));
            assertArrayEquals(exhaustiveBestOfMixture(a, srcA, b, srcB), new Search(64, 0, 3).decodeEach(List.of(a, b), inputs).get(0), "seed " + seed);
        }
        Langue2Gloss m = tiny(6, 1);
        EncoderInput one = EncoderInput.Text.of(new int[][] {{4, 5}}), two = EncoderInput.Text.of(new int[][] {{4}, {5}});
        var e = assertThrows(IllegalArgumentException.class, () -> Search.greedy(3).decodeEach(List.of(m, m), List.of(one, two)));
        assertTrue(e.getMessage().contains("same sentences"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Search.greedy(3).decodeEach(List.of(m, m), List.of(one)));
        assertTrue(e.getMessage().contains("one input per model"), e.getMessage());
    }

    @Test
    void anEnsembleOfOneModelTwiceDecodesAsTheModelAlone() {
        Langue2Gloss m = tiny(9, 5);
        int[][] src = {{4, 5, 6, 7}, {8}, {9, 10}};
        for (Search s : new Search[] {Search.greedy(6), new Search(3, 1.0, 6)}) {
            List<int[]> alone = s.decode(m, src), twice = s.decode(List.of(m, m), src);
            for (int i = 0; i < src.length; i++) assertArrayEquals(alone.get(i), twice.get(i), "beam " + s.beam() + " sentence " + i);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Search.greedy(6).decode(List.of(m, tiny(7, 1)), src));
        assertTrue(e.getMessage().contains("same tokenizers"), e.getMessage());
    }

    @Test
    void greedyEqualsArgmaxChainAndBatchingDoesNotChangeResults() {
        Langue2Gloss m = tiny(9, 7);
        int[][] src = {{4, 5, 6, 7}, {8}, {9, 10}};
        List<int[]> batched = Search.greedy(6).decode(m, src);
        List<int[]> beamBatched = new Search(3, 1.0, 6).decode(m, src);
        for (int i = 0; i < src.length; i++) {
            assertArrayEquals(Search.greedy(6).decode(m, new int[][] {src[i]}).get(0), batched.get(i));
            assertArrayEquals(new Search(3, 1.0, 6).decode(m, new int[][] {src[i]}).get(0), beamBatched.get(i));
        }
        // greedy by hand with the full forward pass
        List<Integer> seq = new ArrayList<>(List.of(Tokenizer.BOS));
        try (var g = GradMode.noGrad()) {
            while (seq.size() <= 6) {
                int[] in = seq.stream().mapToInt(Integer::intValue).toArray();
                Tensor lg = m.forward(EncoderInput.Text.of(new int[][] {src[0]}), IntTensor.of(in, 1, in.length)).value();
                int best = lg.select(1, in.length - 1).argmax(1, false).get(0);
                if (best == Tokenizer.EOS) break;
                seq.add(best);
            }
        }
        int[] expect = seq.subList(1, seq.size()).stream().mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expect, batched.get(0));
    }

    @Test
    void textOnlyModelRejectsAudio() {
        Langue2Gloss m = tiny(9, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> m.encode(new EncoderInput.Audio(Tensor.zeros(1, 4, 8), null)));
        assertTrue(e.getMessage().contains("no audio front end"), e.getMessage());
    }

    @Test
    void stateDictNamesAreStable() {
        Langue2Gloss m = tiny(9, 1);
        var names = m.namedParameters().keySet();
        assertTrue(names.contains("text_embed.weight") && names.contains("modality_embed.weight") && names.contains("gloss_embed.weight"));
        assertTrue(names.stream().anyMatch(n -> n.startsWith("encoder.layers.0.")) && names.stream().anyMatch(n -> n.startsWith("decoder.layers.1.")));
        assertFalse(names.contains("generator.weight"), "tied model has no separate generator");
    }
}
