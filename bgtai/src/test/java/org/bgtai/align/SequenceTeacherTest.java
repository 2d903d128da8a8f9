package org.bgtai.align;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.bgtai.data.Image;
import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sequence-dictionary teacher ({@link DictionaryAligner#fitSequences}), DS-Net with a skip row
 * learning its sparse paths, and image columns as a source sequence; on DsNetTest's tone strings.
 */
class SequenceTeacherTest {
    static DictionaryAligner seq;

    @BeforeAll
    static void setUp() {
        DsNetTest.setUp();
        // the dictionary is made of clips like the strings' (the strings carry 1% noise everywhere)
        Rng rng = new Rng(5);
        List<float[]> clips = new ArrayList<>();
        int[] labels = new int[DsNetTest.VOCAB];
        for (int k = 0; k < DsNetTest.VOCAB; k++) {
            float[] t = DsNetTest.tone(k, 2400);
            for (int i = 0; i < t.length; i++) t[i] += 0.01f * (float) rng.nextGaussian();
            clips.add(DsNetTest.features.frames(t));
            labels[k] = k;
        }
        float[] noise = new float[4000];
        for (int i = 0; i < noise.length; i++) noise[i] = 0.01f * (float) rng.nextGaussian();
        float[] nf = DsNetTest.features.frames(noise);
        int mid = nf.length / AlignFeatures.MELS / 2;
        seq = DictionaryAligner.fitSequences(clips, labels, DsNetTest.VOCAB, AlignFeatures.MELS, 2,
            java.util.Arrays.copyOfRange(nf, mid * AlignFeatures.MELS, (mid + 1) * AlignFeatures.MELS));
    }

    static double accuracy(org.bgtai.nn.align.MonotonicViterbi.Segmentation s, AlignPair p) {
        return AlignMetrics.frameAccuracy(AlignMetrics.labels(s.starts(), s.ends(), p.frames()), p.truth());
    }

    @Test
    void sequenceTeacherFindsTheSilencesAndBeatsTheInterpolatedOne() {
        double a = 0, b = 0;
        for (AlignPair p : DsNetTest.test) {
            DictionaryAligner.Result r = seq.align(p);
            a += accuracy(r.segmentation(), p);
            b += accuracy(DsNetTest.dict.align(p).segmentation(), p);
            // the sparse path: tokens in order, each selecting a position; the tiling is its path
            int last = -1;
            boolean[] seen = new boolean[p.length()];
            for (int s : r.selection()) {
                if (s < 0) continue;
                assertTrue(s >= last, "selection in token order");
                last = s;
                seen[s] = true;
            }
            for (boolean x : seen) assertTrue(x, "every token selects a position");
            assertArrayEquals(r.segmentation().matrix(), r.path());
            float[] m = r.selectionMatrix(p.length());
            assertEquals((p.length() + 1) * p.frames(), m.length);
        }
        int n = DsNetTest.test.size();
        assertTrue(a / n > 0.95, "sequence teacher frame accuracy " + a / n);
        assertTrue(a / n > b / n + 0.02, "sequence teacher " + a / n + " vs interpolated " + b / n);
    }

    @Test
    void dsNetWithASkipRowLearnsTheSparsePaths() {
        List<float[]> paths = new ArrayList<>();
        for (AlignPair p : DsNetTest.train) paths.add(seq.align(p).selectionMatrix(p.length()));
        var c = DsNetRecipe.Config.resultFilter(15, 3).withScales(4, 16).withSkip(true);
        DsNet net = DsNetRecipe.train(DsNetTest.train, paths, DsNetTest.VOCAB, c).net();
        assertTrue(net.skips());
        double acc = 0, uni = 0, agree = 0;
        for (AlignPair p : DsNetTest.test) {
            DsNet.Alignment a = net.align(p);
            assertEquals((p.length() + 1) * p.frames(), a.probs().length, "Â has the skip row");
            acc += accuracy(a.segmentation(), p);
            uni += accuracy(DictionaryAligner.uniform(p.length(), p.frames()), p);
            int[] teacher = seq.align(p).selection();
            for (int j = 0; j < p.frames(); j++) if ((teacher[j] < 0) == (a.selection()[j] < 0)) agree++;
            assertTrue(a.confidence() >= 0 && a.confidence() <= 1 + 1e-6);
        }
        int n = DsNetTest.test.size(), frames = DsNetTest.test.stream().mapToInt(AlignPair::frames).sum();
        assertTrue(acc / n > 0.9 && acc / n > uni / n, "DS-Net " + acc / n + " vs uniform " + uni / n);
        assertTrue(agree / frames > 0.9, "DS-Net skips the frames its teacher skips: " + agree / frames);
        // a wrong path shape is a clear error
        var e = assertThrows(IllegalArgumentException.class, () -> DsNetRecipe.train(DsNetTest.train, List.of(DsNetTest.trainPaths.toArray(new float[0][])),
            DsNetTest.VOCAB, c.withEpochs(1)));
        assertTrue(e.getMessage().contains("sparse paths"), e.getMessage());
    }

    @Test
    void sparseDecodingTilesAndSkips() {
        // 2 tokens over 6 positions: token 0 on 0-1, silence on 2-3, token 1 on 4-5
        float lo = (float) Math.log(1e-4), hi = (float) Math.log(0.5), mid = (float) Math.log(0.25);
        float[] logp = {hi, hi, lo, lo, lo, lo, lo, lo, lo, lo, hi, hi, lo, lo, mid, mid, lo, lo};
        DsNet.Alignment a = DsNet.decodeSparse(logp, 2, 6);
        assertArrayEquals(new int[] {0, 0, -1, -1, 1, 1}, a.selection());
        assertArrayEquals(new int[] {0, 3}, a.segmentation().starts());
        assertEquals(1.0, a.confidence(), 1e-3, "each token's mass sits on the positions it selects");
    }

    @Test
    void imageColumnsAreASourceSequence() {
        // a 4-row strip: digit A on columns 1-2, background 3-6, digit B on column 7, 9 columns
        float[] px = new float[4 * 9];
        for (int y = 0; y < 4; y++) {
            px[y * 9 + 1] = 1;
            px[y * 9 + 2] = 0.5f;
            px[y * 9 + 7] = 1;
        }
        Image strip = new Image(1, 4, 9, px);
        ColumnFeatures cf = ColumnFeatures.fit(List.of(strip));
        AlignPair p = cf.pair(strip, new int[] {3, 8}, new int[] {1, 7}, new int[] {3, 8});
        assertEquals(AlignPair.COLUMNS, p.unit());
        assertEquals(9, p.frames());
        assertEquals(4, p.dim());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1}, p.truth(), "background split at its middle");
        // standardised columns: a background column is below the mean, an ink column above
        assertTrue(p.features()[0] < 0 && p.features()[4] > 0);
        // boundary between columns 4 and 5 is inside the gap (0 columns off); between 2 and 3 too
        assertEquals(0.0, AlignMetrics.boundaryErrorMs(new int[] {0, 5}, p.frameMs(), p.clipStartMs(), p.clipEndMs()), 1e-12);
        assertEquals(0.0, AlignMetrics.boundaryErrorMs(new int[] {0, 3}, p.frameMs(), p.clipStartMs(), p.clipEndMs()), 1e-12);
        assertEquals(1.0, AlignMetrics.boundaryErrorMs(new int[] {0, 2}, p.frameMs(), p.clipStartMs(), p.clipEndMs()), 1e-12, "one ink column late");
    }
}
