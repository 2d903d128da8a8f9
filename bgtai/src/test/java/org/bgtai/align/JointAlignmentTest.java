package org.bgtai.align;

import static org.junit.jupiter.api.Assertions.*;

import org.bgtai.joint.AlignedTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bgtai.autograd.GradCheck;
import org.bgtai.autograd.Var;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Split;
import org.bgtai.model.Batch;
import org.bgtai.model.JointModel;
import org.bgtai.model.LanguageEncoder;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.text.Vocab;
import org.bgtai.nn.align.SelfPaced;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.joint.TrainConfig;
import org.bgtai.joint.Trainer;
import org.bgtai.joint.WorldRun;
import org.junit.jupiter.api.Test;

/** The DS-Net terms of the joint objective: gradients, switches, and training on a tiny world. */
class JointAlignmentTest {
    static final WorldConfig WORLD = new WorldConfig(16, 8000, 0.2, 1, 1);
    static final ModelConfig MODEL = ModelConfig.world(ModelConfig.Variant.BGTAI).withSizes(16, 2, 32, 1, 16);

    /** Row r of a uniform segmentation path [Q, N]. */
    static float[] uniformPath(int q, int n) {
        return DictionaryAligner.uniform(q, n).matrix();
    }

    @Test
    void alignmentLossGradientsReachTheEncoderOutput() {
        // two rows, N = 7 encoder positions, row 1 padded after 5; glosses of 2 and 3 tokens (vocab 6)
        int b = 2, n = 7, d = 6;
        float[] pad = new float[b * n];
        pad[n + 5] = pad[n + 6] = 1;
        Tensor padding = Tensor.of(pad, b, n);
        IntTensor gloss = IntTensor.of(new int[] {3, 5, 0, 2, 4, 3}, b, 3);
        Batch batch = new Batch(Tensor.zeros(b, 1, 1), new int[] {28, 20}, Tensor.zeros(b, 1, 1, 1), IntTensor.of(new int[b], b, 1), gloss, new int[] {0, 1});
        float[][] paths = {uniformPath(2, 7), uniformPath(3, 5)};
        Tensor o = new Rng(3).normal(0, 1, b, n, d);
        // hard self-paced weights with a large threshold: w = 1, a constant, as the op assumes
        SelfPaced all = SelfPaced.hard(10, 1, 10);
        for (AlignConfig.Aux aux : AlignConfig.Aux.values()) {
            JointAlignment ja = new JointAlignment(AlignConfig.OFF.withCe(0.7).withAux(aux, 1.3).withSelfPaced(all).withSelection(true), paths, 6, d, new Rng(5));
            GradCheck.assertGradients("a CE-align + b " + aux, v -> ja.step(new int[] {0, 1}, 0).loss(batch, new LanguageEncoder.Encoded(v[0], null, padding)),
                1e-2, 5e-2, 2e-4, o);
            // padded positions get no gradient
            Var ov = Var.param(o.copy());
            ja.step(new int[] {0, 1}, 0).loss(batch, new LanguageEncoder.Encoded(ov, null, padding)).backward();
            float[] g = ov.grad().toArray();
            for (int t = 5; t < 7; t++) for (int k = 0; k < d; k++) assertEquals(0f, g[(n + t) * d + k], "padded position " + t);
            assertTrue(Math.abs(g[0]) > 0, "real positions get a gradient");
            double[] conf = ja.confidences();
            assertTrue(conf[0] > 0 && conf[0] <= 1 && conf[1] > 0 && conf[1] <= 1, "confidences recorded: " + java.util.Arrays.toString(conf));
        }
    }

    @Test
    void switchesOffGiveTheCurrentJointModelTraining() throws Exception {
        var tiny = tinyWorld();
        TrainConfig tc = new TrainConfig(2, 8, 2e-3, 0.01, 2, 1.0, 11);
        JointModel m1 = tiny.model(), m2 = tiny.model();
        Batch b = Batch.of(tiny.train, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, MODEL.nMels(), MODEL.imageChannels(), 16, 16);
        assertEquals(m1.loss(b).total().item(), m2.loss(b, (x, e) -> null).total().item(), 0f, "a null extra term changes nothing");
        assertThrows(IllegalArgumentException.class, () -> new JointAlignment(AlignConfig.OFF, new float[0][], 10, 16, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> AlignConfig.OFF.withSelection(true), "selection without a DS-Net loss");
        List<Trainer.Epoch> h1 = new Trainer(m1, tc, tiny.train, null, 16, 16, null).quiet(true).fit(false);
        List<AlignedTrainer.Epoch> h2 = new AlignedTrainer(m2, null, tc, tiny.train, 16, 16).fit(0, null);
        assertEquals(h1.size(), h2.size());
        for (int i = 0; i < h1.size(); i++) {
            assertEquals(h1.get(i).loss(), h2.get(i).loss(), 0.0, "epoch " + (i + 1) + " loss");
            assertEquals(0.0, h2.get(i).skipped());
        }
        Map<String, Tensor> s1 = m1.stateDict(), s2 = m2.stateDict();
        for (String k : s1.keySet()) assertArrayEquals(s1.get(k).toArray(), s2.get(k).toArray(), 0f, k);
    }

    @Test
    void fullObjectiveLearnsTheTeacherAlignmentOnATinySet() {
        var tiny = tinyWorld();
        float[][] paths = new float[tiny.train.length][];
        for (int i = 0; i < paths.length; i++) paths[i] = uniformPath(AlignTeacher.tokens(tiny.train[i]).length, AlignTeacher.positions(tiny.train[i]));
        AlignConfig ac = AlignConfig.OFF.withCe(1).withAux(AlignConfig.Aux.SP, 1).withSelfPaced(SelfPaced.soft(0.5, 1.5, 2)).withSelection(true);
        JointModel m = tiny.model();
        JointAlignment ja = new JointAlignment(ac, paths, m.glossVocab().size(), MODEL.dModel(), new Rng(2));
        TrainConfig tc = new TrainConfig(12, 8, 5e-3, 0.0, 2, 1.0, 4);
        List<AlignedTrainer.Epoch> h = new AlignedTrainer(m, ja, tc, tiny.train, 16, 16).fit(0, null);
        AlignedTrainer.Epoch first = h.get(0), last = h.get(h.size() - 1);
        assertTrue(last.ceAlign() < 0.7 * first.ceAlign(), "CE-align " + first.ceAlign() + " -> " + last.ceAlign());
        assertTrue(last.aux() < first.aux(), "SP-Loss " + first.aux() + " -> " + last.aux());
        assertTrue(last.loss() < first.loss(), "total " + first.loss() + " -> " + last.loss());
        assertTrue(last.meanSpWeight() > 0 && last.meanSpWeight() <= 1, "self-paced weights are logged");
        assertTrue(h.get(1).skipped() > 0, "selection skips pairs from the second epoch on");
    }

    @Test
    void interruptedRunResumesExactly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        var tiny = tinyWorld();
        float[][] paths = new float[tiny.train.length][];
        for (int i = 0; i < paths.length; i++) paths[i] = uniformPath(AlignTeacher.tokens(tiny.train[i]).length, AlignTeacher.positions(tiny.train[i]));
        AlignConfig ac = AlignConfig.OFF.withCe(1).withAux(AlignConfig.Aux.SP, 1).withSelfPaced(SelfPaced.soft(0.5, 1.5, 2)).withSelection(true);
        TrainConfig tc = new TrainConfig(4, 8, 5e-3, 0.0, 2, 1.0, 4);
        // uninterrupted
        JointModel a = tiny.model();
        JointAlignment ja = new JointAlignment(ac, paths, a.glossVocab().size(), MODEL.dModel(), new Rng(2));
        List<AlignedTrainer.Epoch> full = new AlignedTrainer(a, ja, tc, tiny.train, 16, 16).fit(0, null);
        // stopped after 2 epochs, then a fresh process (new objects) resumes from the checkpoint
        JointModel b = tiny.model();
        JointAlignment jb = new JointAlignment(ac, paths, b.glossVocab().size(), MODEL.dModel(), new Rng(2));
        new AlignedTrainer(b, jb, tc, tiny.train, 16, 16).checkpoints(tmp, false).stopAfter(2).fit(0, null);
        assertTrue(java.nio.file.Files.exists(tmp.resolve(AlignedTrainer.CHECKPOINT)));
        JointModel c = tiny.model();
        JointAlignment jc = new JointAlignment(ac, paths, c.glossVocab().size(), MODEL.dModel(), new Rng(2));
        List<AlignedTrainer.Epoch> resumed = new AlignedTrainer(c, jc, tc, tiny.train, 16, 16).checkpoints(tmp, true).fit(0, null);
        // Same data order, selection and updates; only ulp-level differences remain where the JIT
        // swaps a Vector API intrinsic (exp, tanh) for its Java fallback at a different moment in
        // the two runs (see WorldPipelineTest), hence the small tolerances.
        assertEquals(full.size(), resumed.size());
        for (int e = 0; e < full.size(); e++) {
            assertEquals(full.get(e).loss(), resumed.get(e).loss(), 1e-4, "epoch " + (e + 1) + " loss");
            assertEquals(full.get(e).skipped(), resumed.get(e).skipped(), 0, "epoch " + (e + 1) + " selection");
        }
        var wa = a.stateDict();
        var wc = c.stateDict();
        double dist = org.bgtai.testing.StateDicts.relativeDistance(wa, wc);   // as a whole: see StateDicts
        assertTrue(dist < 1e-3, "weights differ by " + dist + " (relative L2)");
        assertArrayEquals(ja.confidences(), jc.confidences(), 1e-3);
    }

    record Tiny(Prepared[] train, Vocab tv, Vocab gv) {
        JointModel model() {
            JointModel m = new JointModel(MODEL, tv, gv, new Rng(5));
            WorldRun.normalise(m, train);
            return m;
        }
    }

    static Tiny tinyWorld() {
        var ds = BuiltinWorld.generate(WORLD, Split.TRAIN, 5);
        List<String> t = new ArrayList<>(), g = new ArrayList<>();
        for (int i = 0; i < BuiltinWorld.numClasses(); i++) {
            t.add(BuiltinWorld.caption(i));
            g.add(BuiltinWorld.gloss(i));
        }
        Vocab tv = Vocab.build(t), gv = Vocab.build(g);
        Prepared[] all = Prepared.prepare(ds.items(), MODEL, tv, gv);
        return new Tiny(java.util.Arrays.copyOf(all, 16), tv, gv);
    }
}
