package org.bgtai.nn.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Activation;
import org.bgtai.nn.Dropout;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.loss.Mse;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.optim.Grads;
import org.bgtai.nn.optim.Schedules;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop: the same steps as a loop written out by hand, the non-finite stop, resume, selection, averaging, budgets. */
class TrainerTest {
    @TempDir
    Path dir;

    /** A two-layer MLP with dropout, so resume must restore the dropout generator too. */
    static final class Mlp extends Module {
        final Linear a, b;
        final Dropout drop;

        Mlp(long seed) {
            Rng rng = new Rng(seed);
            a = registerModule("a", new Linear(4, 16, true, rng));
            drop = registerModule("drop", new Dropout(0.2f, rng.fork()));
            b = registerModule("b", new Linear(16, 2, true, rng));
        }

        Var forward(Var x) {
            return b.forward(drop.forwardActivated(a.forward(x), Activation.RELU));
        }
    }

    /** y = sin(x0) + x1 x2, -x3 on fixed random inputs; each batch also adds noise drawn from the loop's generator. */
    static class Regression implements Recipe {
        final Mlp model;
        final Tensor x, y;
        int validations;
        double[] scripted;   // validation figures by call, or null for -train MSE

        Regression(Mlp model, int n) {
            this.model = model;
            Rng r = new Rng(99);
            x = r.normal(0, 1, n, 4);
            float[] xd = x.toArray(), yd = new float[n * 2];
            for (int i = 0; i < n; i++) {
                yd[2 * i] = (float) Math.sin(xd[4 * i]) + xd[4 * i + 1] * xd[4 * i + 2];
                yd[2 * i + 1] = -xd[4 * i + 3];
            }
            y = Tensor.of(yd, n, 2);
        }

        static Tensor rows(Tensor t, int[] idx) {
            int d = t.size(1);
            float[] src = t.toArray(), out = new float[idx.length * d];
            for (int i = 0; i < idx.length; i++) System.arraycopy(src, idx[i] * d, out, i * d, d);
            return Tensor.of(out, idx.length, d);
        }

        @Override
        public Module model() {
            return model;
        }

        @Override
        public int size() {
            return x.size(0);
        }

        @Override
        public Loss loss(int[] batch, Step step) {
            Tensor noise = step.rng().normal(0, 0.01f, batch.length, 2);
            Var l = Mse.loss(model.forward(Var.of(rows(x, batch))), Var.of(rows(y, batch).add(noise)));
            return Loss.of(l, Map.of("mse", (double) l.item()));
        }

        @Override
        public Map<String, Double> validate(int epoch) {
            validations++;
            if (scripted != null) return Map.of("score", scripted[validations - 1]);
            return Map.of("score", -(double) Mse.loss(model.forward(Var.of(x)), Var.of(y)).item());
        }
    }

    static TrainOptions options(int epochs) {
        return TrainOptions.of(epochs, 8, 1e-2).withBatches(8, false).withSchedule(Schedule.warmupCosine(5)).withClipNorm(0.5).withSeed(7);
    }

    static void assertSameWeights(Module a, Module b) {
        Map<String, Tensor> x = a.stateDict(), y = b.stateDict();
        assertEquals(x.keySet(), y.keySet());
        for (String k : x.keySet()) assertArrayEquals(x.get(k).toArray(), y.get(k).toArray(), 0f, k);
    }

    @Test
    void stepsAreTheLoopWrittenOutByHand() {
        Regression r = new Regression(new Mlp(1), 60);
        Trainer.Result res = new Trainer(options(3)).fit(r);
        assertEquals(3, res.history().size());
        assertEquals(24, res.stepLosses().size(), "60 examples in batches of 8 with the last partial: 8 steps an epoch");
        assertTrue(res.history().get(2).loss() < res.history().get(0).loss(), "the loss falls: " + res.history());
        assertEquals(res.history().get(2).term("mse"), res.history().get(2).loss(), 1e-12, "one term: the loss itself");

        Mlp m = new Mlp(1);
        Regression h = new Regression(m, 60);
        AdamW opt = new AdamW(m.trainableParameters(), 1e-2, 0.9, 0.98, 1e-8, 0.01);
        var schedule = Schedules.warmupCosine(1e-2, 5, 24, 1e-2 / 20);
        Rng rng = new Rng(7);
        List<Float> losses = new ArrayList<>();
        for (int epoch = 1; epoch <= 3; epoch++) {
            m.train(true);
            List<int[]> batches = Batches.shuffled(rng.permutation(60), 8, false);
            for (int s = 0; s < batches.size(); s++) {
                opt.setLr(schedule.lr(opt.stepCount()));
                Loss l = h.loss(batches.get(s), new Recipe.Step(epoch, s, opt.stepCount(), rng));
                opt.zeroGrad();
                l.parts().get(0).backward();
                Grads.clipGlobalNorm(opt.parameters(), 0.5);
                opt.step();
                losses.add((float) l.value());
            }
        }
        assertEquals(losses, res.stepLosses());
        assertSameWeights(m, r.model);
    }

    @Test
    void aNonFiniteLossStopsBeforeTheWeightsChangeAndKeepsTheCheckpoint() throws IOException {
        int[] calls = {0};
        Regression r = new Regression(new Mlp(1), 32) {
            @Override
            public Loss loss(int[] batch, Step step) {
                Loss l = super.loss(batch, step);
                if (++calls[0] == 7) return Loss.of(l.parts().get(0).mul(Float.NaN), Map.of("mse", Double.NaN));
                return l;
            }
        };
        Path ck = dir.resolve(TrainOptions.CHECKPOINT);
        Trainer t = new Trainer(options(3).withCheckpoints(dir, false));
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.fit(r));
        // 4 steps an epoch: step 7 is batch 2 (0-based) of epoch 2, after 6 updates
        assertEquals(2, e.epoch());
        assertEquals(2, e.batchIndex());
        assertEquals(6, e.step());
        assertTrue(e.getMessage().contains("epoch 2") && e.getMessage().contains("mse") && e.getMessage().contains("last finite loss")
            && e.getMessage().contains("not overwritten"), e.getMessage());
        // the weights are those after 6 good updates: a run stopped there agrees
        Regression six = new Regression(new Mlp(1), 32) {
            @Override
            public List<int[]> batches(int epoch, TrainOptions o, Rng rng) {
                List<int[]> b = super.batches(epoch, o, rng);
                return epoch == 2 ? b.subList(0, 2) : b;
            }
        };
        new Trainer(options(3).withStopAfter(2)).fit(six);
        assertSameWeights(six.model, r.model);
        // the checkpoint is epoch 1's and resumes
        assertEquals(1, Trainer.read(ck).history().size());
        assertTrue(Files.size(ck) > 0);
    }

    @Test
    void anInterruptedRunResumesToTheSameWeights() {
        Regression full = new Regression(new Mlp(3), 40);
        Trainer.Result a = new Trainer(options(4).withCheckpoints(dir.resolve("a"), false)).fit(full);
        Regression part = new Regression(new Mlp(3), 40);
        Trainer.Result p = new Trainer(options(4).withCheckpoints(dir.resolve("b"), false).withStopAfter(2)).fit(part);
        assertEquals(2, p.history().size());
        assertNotNull(p.stopReason());
        // a new process: other initial weights, everything comes from the checkpoint
        Regression rest = new Regression(new Mlp(42), 40);
        Trainer.Result b = new Trainer(options(4).withCheckpoints(dir.resolve("b"), true)).fit(rest);
        assertEquals(4, b.history().size());
        assertEquals(a.stepLosses().subList(10, 20), b.stepLosses(), "the steps after the interruption");
        assertSameWeights(full.model, rest.model);
        for (int e = 0; e < 4; e++) assertEquals(a.history().get(e).loss(), b.history().get(e).loss(), 0.0);
        // a finished run resumes to nothing
        assertTrue(new Trainer(options(4).withCheckpoints(dir.resolve("b"), true)).fit(new Regression(new Mlp(5), 40)).stepLosses().isEmpty());
    }

    @Property(tries = 8)
    void resumeEqualsAnUninterruptedRunAtAnyEpoch(@ForAll @IntRange(min = 1, max = 3) int stopAt, @ForAll @IntRange(min = 9, max = 30) int n,
                                                  @ForAll @IntRange(min = 2, max = 7) int batch) throws IOException {
        Path d = Files.createTempDirectory("resume");
        TrainOptions o = options(4).withBatches(batch, n % 2 == 0);
        Regression full = new Regression(new Mlp(n), n), part = new Regression(new Mlp(n), n), rest = new Regression(new Mlp(n + 1), n);
        new Trainer(o).fit(full);
        new Trainer(o.withCheckpoints(d, false).withStopAfter(stopAt)).fit(part);
        new Trainer(o.withCheckpoints(d, true)).fit(rest);
        assertSameWeights(full.model, rest.model);
    }

    @Test
    void theBestEpochIsSelectedAndPatienceStops() throws IOException {
        Regression r = new Regression(new Mlp(1), 16);
        r.scripted = new double[] {0.1, 0.5, 0.3, 0.4, 0.2, 0.9};
        Trainer.Result res = new Trainer(options(6).withCheckpoints(dir, false).withBestBy(List.of(TrainOptions.Criterion.max("score")), 2)).fit(r);
        assertEquals(2, res.bestEpoch());
        assertEquals(4, res.history().size(), "epochs 3 and 4 were not better than 2: stop before epoch 5");
        assertTrue(res.stopReason().contains("2 epochs"), res.stopReason());
        assertEquals("2", Checkpoint.read(dir.resolve(TrainOptions.BEST)).metadata().get("epoch"));
        // ties go to the earlier epoch; a lower-is-better criterion breaks a tie of the first
        Regression t = new Regression(new Mlp(1), 16) {
            @Override
            public Map<String, Double> validate(int epoch) {
                return Map.of("acc", epoch == 1 ? 0.5 : 0.8, "wer", epoch == 3 ? 10.0 : 20.0);
            }
        };
        Trainer.Result rt = new Trainer(options(3).withBestBy(List.of(TrainOptions.Criterion.max("acc"), TrainOptions.Criterion.min("wer")), 0)).fit(t);
        assertEquals(3, rt.bestEpoch());
    }

    @Test
    void theAverageOfTheLastEpochsIsKeptWhenItValidatesBetter() throws IOException {
        Regression r = new Regression(new Mlp(1), 16);
        r.scripted = new double[] {0.1, 0.2, 0.3, 0.9};   // the 4th validation is the average's
        Trainer.Result res = new Trainer(options(3).withCheckpoints(dir, false).withBestBy(List.of(TrainOptions.Criterion.max("score")), 0)
            .withAverageLast(2)).fit(r);
        assertTrue(res.averaged());
        assertEquals(0.9, res.averageMetrics().get("score"));
        Map<String, Tensor> best = Checkpoint.read(dir.resolve(TrainOptions.BEST)).model();
        Map<String, Tensor> e2 = Checkpoint.read(dir.resolve(Trainer.snapshot(2))).model(), e3 = Checkpoint.read(dir.resolve(Trainer.snapshot(3))).model();
        assertFalse(Files.exists(dir.resolve(Trainer.snapshot(1))), "only the last 2 snapshots are kept");
        Tensor w = best.get("a.weight");
        assertArrayEquals(e2.get("a.weight").add(e3.get("a.weight")).mul(0.5f).toArray(), w.toArray(), 1e-7f);
        // the model itself keeps the last epoch's weights
        assertArrayEquals(e3.get("a.weight").toArray(), r.model.stateDict().get("a.weight").toArray(), 0f);
        Regression worse = new Regression(new Mlp(1), 16);
        worse.scripted = new double[] {0.1, 0.2, 0.3, 0.25};
        Path d2 = dir.resolve("worse");
        assertFalse(new Trainer(options(3).withCheckpoints(d2, false).withBestBy(List.of(TrainOptions.Criterion.max("score")), 0).withAverageLast(2))
            .fit(worse).averaged());
        assertEquals("3", Checkpoint.read(d2.resolve(TrainOptions.BEST)).metadata().get("epoch"));
    }

    @Test
    void budgetsDecideBeforeEachEpoch() {
        Budget crossing = Budget.wallSeconds(10);
        assertTrue(crossing.allows(9.9, 5));
        assertFalse(crossing.allows(10, 0), "the epoch that crossed the limit was the last");
        Budget within = Budget.minutesWithin(1);
        assertTrue(within.allows(40, 19));
        assertFalse(within.allows(40, 19.1), "40 + 1.05 * 19.1 > 60: the next epoch would not fit");
        assertTrue(Budget.NONE.allows(1e9, 1e9));
        assertTrue(within.withCpu(true).cpu());
        // a spent budget stops a run before its next epoch and the history says why
        Regression r = new Regression(new Mlp(1), 16);
        Trainer.Result res = new Trainer(options(50).withBudget(new Budget(1e-9, false, false, Budget.Mode.FINISH_CROSSING))).fit(r);
        assertEquals(1, res.history().size());
        assertTrue(res.stopReason().startsWith("budget"), res.stopReason());
    }

    @Test
    void resumingWithAnotherSeedOrModelIsRefusedWithTheFix() {
        new Trainer(options(2).withCheckpoints(dir, false).withStopAfter(1)).fit(new Regression(new Mlp(1), 16));
        var seed = assertThrows(IllegalArgumentException.class, () -> new Trainer(options(2).withSeed(8).withCheckpoints(dir, true)).fit(new Regression(new Mlp(1), 16)));
        assertTrue(seed.getMessage().contains("seed 7") && seed.getMessage().contains("delete it"), seed.getMessage());
        Recipe other = new Regression(new Mlp(1), 16) {
            final Linear lin = new Linear(4, 2, true, new Rng(1));

            @Override
            public Module model() {
                return lin;
            }
        };
        var model = assertThrows(IllegalArgumentException.class, () -> new Trainer(options(2).withCheckpoints(dir, true)).fit(other));
        assertTrue(model.getMessage().contains("different model"), model.getMessage());
    }

    @Test
    void historyEntriesRoundTripThroughJson() {
        Epoch e = new Epoch(3, 42, 100, 0.5, Map.of("a", 0.25), Map.of("skipped", 0.1), Map.of("val", Double.NaN), 1.5, 2.5, 0.25);
        Epoch back = Epoch.fromJson((Map<?, ?>) org.bgtai.tensor.io.Json.parse(org.bgtai.tensor.io.Json.write(e.toJson())));
        assertEquals(e.epoch(), back.epoch());
        assertEquals(e.step(), back.step());
        assertEquals(e.terms(), back.terms());
        assertEquals(e.stats(), back.stats());
        assertTrue(Double.isNaN(back.metric("val")), "NaN survives as null");
        assertEquals(List.of("epoch", "step", "loss", "a", "skipped", "val", "train_seconds", "cpu_seconds", "eval_seconds", "seconds"),
            new ArrayList<>(e.flat().keySet()));
        assertEquals(1.75, (Double) e.flat().get("seconds"), 0.0);
        assertThrows(IllegalArgumentException.class, () -> Epoch.fromJson(Map.of("epoch", "x")));
    }
}
