package org.bgtai.align;

import static org.junit.jupiter.api.Assertions.*;

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
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.bgtai.nn.align.SelfPaced;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.joint.JointRecipe;
import org.bgtai.joint.WorldRun;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.optim.Grads;
import org.bgtai.nn.optim.Schedules;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.OptimizerConfig;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;
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
            GradCheck.assertGradients("a CE-align + b " + aux, v -> ja.step(new int[] {0, 1}, 0).loss(batch, v[0], padding),
                1e-2, 5e-2, 2e-4, o);
            // padded positions get no gradient
            Var ov = Var.param(o.copy());
            ja.step(new int[] {0, 1}, 0).loss(batch, ov, padding).backward();
            float[] g = ov.grad().toArray();
            for (int t = 5; t < 7; t++) for (int k = 0; k < d; k++) assertEquals(0f, g[(n + t) * d + k], "padded position " + t);
            assertTrue(Math.abs(g[0]) > 0, "real positions get a gradient");
            double[] conf = ja.confidences();
            assertTrue(conf[0] > 0 && conf[0] <= 1 && conf[1] > 0 && conf[1] <= 1, "confidences recorded: " + java.util.Arrays.toString(conf));
        }
    }

    /** The loop's options of these tests: batches of 8, AdamW without weight decay, warm-up 2 steps, clipping at 1. */
    static TrainOptions options(int epochs, double lr, long seed) {
        return TrainOptions.of(epochs, 8, lr).withOptimizer(OptimizerConfig.adamW(lr).withWeightDecay(0)).withSchedule(Schedule.warmupCosine(2)).withSeed(seed);
    }

    @Test
    void switchesOffGiveTheCurrentJointModelTraining() {
        var tiny = tinyWorld();
        TrainOptions tc = options(2, 2e-3, 11).withOptimizer(OptimizerConfig.adamW(2e-3));
        JointModel m1 = tiny.model(), m2 = tiny.model();
        Batch b = Batch.of(tiny.train, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, MODEL.nMels(), MODEL.imageChannels(), 16, 16);
        assertEquals(m1.loss(b).total().item(), m2.loss(b, (x, o, p) -> null).total().item(), 0f, "a null extra term changes nothing");
        assertThrows(IllegalArgumentException.class, () -> new JointAlignment(AlignConfig.OFF, new float[0][], 10, 16, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> AlignConfig.OFF.withSelection(true), "selection without a DS-Net loss");
        // the recipe without DS-Net terms is plain joint training: the same steps written out by hand
        List<Epoch> h1 = new Trainer(tc).fit(new JointRecipe(m1, null, tiny.train, 16, 16)).history();
        Rng rng = new Rng(11);
        AdamW opt = new AdamW(m2.trainableParameters(), 2e-3, 0.9, 0.98, 1e-8, 0.01);
        int steps = tiny.train.length / 8;
        var schedule = Schedules.warmupCosine(2e-3, 2, 2L * steps, 2e-3 / 20);
        m2.train(true);
        for (int epoch = 1; epoch <= 2; epoch++) {
            int[] perm = rng.permutation(tiny.train.length);
            double sum = 0;
            for (int s = 0; s < steps; s++) {
                Batch x = Batch.of(tiny.train, java.util.Arrays.copyOfRange(perm, s * 8, s * 8 + 8), MODEL.nMels(), MODEL.imageChannels(), 16, 16);
                opt.setLr(schedule.lr(opt.stepCount()));
                Var loss = m2.loss(x).total();
                sum += loss.item();
                opt.zeroGrad();
                loss.backward();
                Grads.clipGlobalNorm(opt.parameters(), 1.0);
                opt.step();
            }
            assertEquals(sum / steps, h1.get(epoch - 1).loss(), 0.0, "epoch " + epoch + " loss");
            assertTrue(h1.get(epoch - 1).stats().isEmpty(), "no selection statistics without DS-Net");
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
        JointAlignment ja = new JointAlignment(ac, paths, m.glossTokenizer().size(), MODEL.dModel(), new Rng(2));
        List<Epoch> h = new Trainer(options(12, 5e-3, 4)).fit(new JointRecipe(m, ja, tiny.train, 16, 16)).history();
        Epoch first = h.get(0), last = h.get(h.size() - 1);
        assertTrue(last.stat("ce_align") < 0.7 * first.stat("ce_align"), "CE-align " + first.stat("ce_align") + " -> " + last.stat("ce_align"));
        assertTrue(last.stat("aux") < first.stat("aux"), "SP-Loss " + first.stat("aux") + " -> " + last.stat("aux"));
        assertTrue(last.loss() < first.loss(), "total " + first.loss() + " -> " + last.loss());
        assertTrue(last.stat("mean_sp_weight") > 0 && last.stat("mean_sp_weight") <= 1, "self-paced weights are logged");
        assertTrue(h.get(1).stat(JointRecipe.SKIPPED) > 0, "selection skips pairs from the second epoch on");
    }

    @Test
    void interruptedRunResumesExactly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        var tiny = tinyWorld();
        float[][] paths = new float[tiny.train.length][];
        for (int i = 0; i < paths.length; i++) paths[i] = uniformPath(AlignTeacher.tokens(tiny.train[i]).length, AlignTeacher.positions(tiny.train[i]));
        AlignConfig ac = AlignConfig.OFF.withCe(1).withAux(AlignConfig.Aux.SP, 1).withSelfPaced(SelfPaced.soft(0.5, 1.5, 2)).withSelection(true);
        TrainOptions tc = options(4, 5e-3, 4);
        // uninterrupted
        JointModel a = tiny.model();
        JointAlignment ja = new JointAlignment(ac, paths, a.glossTokenizer().size(), MODEL.dModel(), new Rng(2));
        List<Epoch> full = new Trainer(tc).fit(new JointRecipe(a, ja, tiny.train, 16, 16)).history();
        // stopped after 2 epochs, then a fresh process (new objects) resumes from the checkpoint
        JointModel b = tiny.model();
        JointAlignment jb = new JointAlignment(ac, paths, b.glossTokenizer().size(), MODEL.dModel(), new Rng(2));
        new Trainer(tc.withCheckpoints(tmp, false).withStopAfter(2)).fit(new JointRecipe(b, jb, tiny.train, 16, 16));
        assertTrue(java.nio.file.Files.exists(tmp.resolve(TrainOptions.CHECKPOINT)));
        JointModel c = tiny.model();
        JointAlignment jc = new JointAlignment(ac, paths, c.glossTokenizer().size(), MODEL.dModel(), new Rng(2));
        List<Epoch> resumed = new Trainer(tc.withCheckpoints(tmp, true)).fit(new JointRecipe(c, jc, tiny.train, 16, 16)).history();
        // Same data order, selection and updates; only ulp-level differences remain where the JIT
        // swaps a Vector API intrinsic (exp, tanh) for its Java fallback at a different moment in
        // the two runs (see WorldPipelineTest), hence the small tolerances.
        assertEquals(full.size(), resumed.size());
        for (int e = 0; e < full.size(); e++) {
            assertEquals(full.get(e).loss(), resumed.get(e).loss(), 1e-4, "epoch " + (e + 1) + " loss");
            assertEquals(full.get(e).stat(JointRecipe.SKIPPED), resumed.get(e).stat(JointRecipe.SKIPPED), 0, "epoch " + (e + 1) + " selection");
        }
        var wa = a.stateDict();
        var wc = c.stateDict();
        double dist = org.bgtai.testing.StateDicts.relativeDistance(wa, wc);   // as a whole: see StateDicts
        assertTrue(dist < 1e-3, "weights differ by " + dist + " (relative L2)");
        assertArrayEquals(ja.confidences(), jc.confidences(), 1e-3);
    }

    record Tiny(Prepared[] train, Tokenizer tv, Tokenizer gv) {
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
        Tokenizer tv = WordTokenizer.train(t, 1, true), gv = WordTokenizer.train(g, 1, false);
        Prepared[] all = Prepared.prepare(ds.items(), MODEL, tv, gv);
        return new Tiny(java.util.Arrays.copyOf(all, 16), tv, gv);
    }
}
