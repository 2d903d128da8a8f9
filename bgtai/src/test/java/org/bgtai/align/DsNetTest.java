package org.bgtai.align;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DS-Net on a synthetic "tone string" task: token k is a sine tone of (k + 2) * 250 Hz. */
class DsNetTest {
    static final int VOCAB = 5, SR = 8000;
    static AlignFeatures features;
    static DictionaryAligner dict;
    static List<AlignPair> train = new ArrayList<>(), test = new ArrayList<>();
    static List<float[]> trainPaths = new ArrayList<>();

    static float[] tone(int k, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = 0.5f * (float) Math.sin(2 * Math.PI * (k + 2) * 250.0 * i / SR);
        return a;
    }

    static AlignPair string(Rng rng, int q) {
        int[] tok = new int[q], st = new int[q], en = new int[q];
        List<float[]> parts = new ArrayList<>();
        int pos = 0;
        for (int i = 0; i < q; i++) {
            int sil = (50 + rng.nextInt(100)) * SR / 1000;
            parts.add(new float[sil]);
            pos += sil;
            tok[i] = rng.nextInt(VOCAB);
            int n = (100 + rng.nextInt(700)) * SR / 1000;
            parts.add(tone(tok[i], n));
            st[i] = pos;
            pos += n;
            en[i] = pos;
        }
        parts.add(new float[SR / 20]);
        pos += SR / 20;
        float[] audio = new float[pos];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, audio, o, p.length);
            o += p.length;
        }
        for (int i = 0; i < audio.length; i++) audio[i] += 0.01f * (float) rng.nextGaussian();
        return features.pair(audio, SR, tok, st, en);
    }

    /** Builds the task once per JVM (DsNetRecipeTest shares it). */
    @BeforeAll
    static synchronized void setUp() {
        if (!train.isEmpty()) return;
        List<float[]> clips = new ArrayList<>();
        int[] labels = new int[VOCAB];
        for (int k = 0; k < VOCAB; k++) {
            clips.add(tone(k, 2400));
            labels[k] = k;
        }
        features = AlignFeatures.fit(clips);
        List<float[]> feats = new ArrayList<>();
        for (float[] c : clips) feats.add(features.frames(c));
        dict = DictionaryAligner.fit(feats, labels, VOCAB, AlignFeatures.MELS);
        Rng rng = new Rng(3);
        for (int i = 0; i < 60; i++) {
            AlignPair p = string(rng, 1 + rng.nextInt(4));
            train.add(p);
            trainPaths.add(dict.align(p).path());
        }
        for (int i = 0; i < 20; i++) test.add(string(rng, 2 + rng.nextInt(3)));
    }

    @Test
    void shapesAndContiguousOrderedSpans() {
        DsNet net = new DsNet(VOCAB, AlignFeatures.MELS, 16, new Rng(1));
        AlignPair p = test.get(0);
        int q = p.length(), t = p.frames();
        assertArrayEquals(new int[] {q, t}, net.logits(p).shape());
        DsNet.Alignment a = net.align(p);
        assertEquals(q * t, a.probs().length);
        for (int i = 0; i < q; i++) {
            double row = 0;
            for (int j = 0; j < t; j++) row += a.probs()[i * t + j];
            assertEquals(1.0, row, 1e-4);
        }
        var s = a.segmentation();
        assertEquals(0, s.starts()[0]);
        assertEquals(t, s.ends()[q - 1]);
        for (int i = 0; i < q; i++) {
            assertTrue(s.ends()[i] > s.starts()[i], "span " + i + " is empty");
            if (i > 0) assertEquals(s.ends()[i - 1], s.starts()[i], "spans must tile in order");
        }
        assertTrue(a.confidence() >= 0 && a.confidence() <= 1 + 1e-6);
    }

    @Test
    void rejectsTokensOutsideVocabulary() {
        DsNet net = new DsNet(VOCAB, AlignFeatures.MELS, 8, new Rng(1));
        AlignPair p = test.get(0).withTokens(new int[test.get(0).length()]);
        int[] bad = p.tokens().clone();
        bad[0] = VOCAB;
        var e = assertThrows(IllegalArgumentException.class, () -> net.logits(p.withTokens(bad)));
        assertTrue(e.getMessage().contains("vocabulary"));
    }

    /**
     * The Result Filter learns its DTW teacher: the alignment CE drops clearly and, on held-out
     * strings, DS-Net's segmentation agrees with the teacher's and is about as accurate. (It used
     * to assert "beats the uniform split", which held for this seed by 0.2 points and failed for 5
     * of 8 seeds: on this task the teacher's equal-length DTW path is the diagonal, i.e. the uniform
     * split itself; see {@link DictionaryAligner}.)
     */
    @Test
    void resultFilterTrainingLowersCeAndLearnsTheTeacher() {
        var d = DsNetRecipe.Config.resultFilter(25, 7);
        var c = new DsNetRecipe.Config(25, 4, 1e-2, 32, true, false, false, false, 0.2, 1.0, d.selfPaced(), 7);
        DsNet untrained = new DsNet(VOCAB, AlignFeatures.MELS, c.width(), new Rng(c.seed()));
        double before = DsNetRecipe.meanAlignmentCe(untrained, train, trainPaths);
        DsNet net = DsNetRecipe.train(train, trainPaths, VOCAB, c).net();
        double after = DsNetRecipe.meanAlignmentCe(net, train, trainPaths);
        // the floor is the mean log span length (~2.7 nats here), so require a clear absolute drop
        assertTrue(after < before - 0.3, "alignment CE " + before + " -> " + after);
        double accNet = 0, accTeacher = 0, agree = 0, agreeUntrained = 0;
        for (AlignPair p : test) {
            var s = net.align(p).segmentation();
            int[] mine = AlignMetrics.labels(s.starts(), s.ends(), p.frames());
            var ts = dict.align(p).segmentation();
            int[] teacher = AlignMetrics.labels(ts.starts(), ts.ends(), p.frames());
            var us = untrained.align(p).segmentation();
            accNet += AlignMetrics.frameAccuracy(mine, p.truth());
            accTeacher += AlignMetrics.frameAccuracy(teacher, p.truth());
            agree += AlignMetrics.frameAccuracy(mine, teacher);
            agreeUntrained += AlignMetrics.frameAccuracy(AlignMetrics.labels(us.starts(), us.ends(), p.frames()), teacher);
        }
        int n = test.size();
        assertTrue(agree / n > 0.8 && agree > agreeUntrained, "agreement with the teacher " + agree / n + " (untrained " + agreeUntrained / n + ")");
        assertTrue(accNet / n > accTeacher / n - 0.08, "DS-Net frame accuracy " + accNet / n + " vs its teacher " + accTeacher / n);
    }

    @Test
    void spAndL2VariantsTrain() {
        DsNetRecipe.Config c = DsNetRecipe.Config.resultFilter(2, 5).withSpLoss(true).withPairSelection(true);
        var tr = DsNetRecipe.train(train, trainPaths, VOCAB, c);
        assertEquals(2, tr.history().size());
        // Selection.skipFraction with scores from epoch 0: 0.2 in epoch 1, 0.2 (1 - 1/2) = 0.1 in epoch 2
        assertEquals(0.2, tr.history().get(0).stat(DsNetRecipe.SKIPPED), 0.02);
        assertEquals(0.1, tr.history().get(1).stat(DsNetRecipe.SKIPPED), 0.02);
        assertFalse(Double.isNaN(tr.history().get(0).stat(DsNetRecipe.MEAN_SP_WEIGHT)));
        var l2 = DsNetRecipe.train(train, trainPaths, VOCAB, c.withSpLoss(false).withL2Loss(true).withPairSelection(false));
        assertTrue(Double.isFinite(l2.history().get(1).loss()));
    }

    @Test
    void dtwTeacherPathCoversEveryTokenInOrder() {
        AlignPair p = test.get(1);
        var r = dict.align(p);
        int q = p.length(), t = p.frames();
        int last = 0;
        for (int i = 0; i < q; i++) {
            int first = -1;
            for (int j = 0; j < t; j++) if (r.path()[i * t + j] > 0 && first < 0) first = j;
            assertTrue(first >= last, "row " + i + " starts before row " + (i - 1));
            last = first;
        }
        var s = r.segmentation();
        double acc = AlignMetrics.frameAccuracy(AlignMetrics.labels(s.starts(), s.ends(), t), p.truth());
        assertTrue(acc > 0.8, "DTW on clean tones should find the boundaries, frame accuracy " + acc);
    }
}
