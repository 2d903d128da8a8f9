package org.bgtai.test;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Dropout;
import org.bgtai.nn.LayerNorm;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.Loss;
import org.bgtai.nn.train.Recipe;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * The training loop's checkpoint and resume are invisible: a run interrupted any number of times
 * at any epochs and resumed each time from {@code checkpoint.safetensors} ends with the weights
 * and the history of the run that was never interrupted. Random configurations: data size, batch
 * size, full or partial last batch, schedule, clipping, dropout (its mask generator is part of the
 * checkpoint), input noise drawn from the loop's generator (so is it), checkpoint averaging and
 * best-epoch selection. Crosses nn (layers, AdamW, the loop), autograd and tensor io (the
 * checkpoint file and its metadata).
 */
class ResumePropertiesTest {
    Path dir;

    @BeforeProperty
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("bgtai-resume");
    }

    @AfterProperty
    void removeDir() throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** in -> hidden -> LayerNorm -> ReLU -> dropout -> classes. */
    static final class Net extends Module {
        final Linear a, b;
        final LayerNorm norm;
        final Dropout drop;

        Net(int in, int hidden, int classes, float p, Rng rng) {
            a = registerModule("a", new Linear(in, hidden, true, rng));
            norm = registerModule("norm", new LayerNorm(hidden, 1e-5f));
            drop = registerModule("drop", new Dropout(p, rng.fork()));
            b = registerModule("b", new Linear(hidden, classes, true, rng));
        }

        Var forward(Var x) {
            return b.forward(drop.forward(norm.forward(a.forward(x)).relu()));
        }
    }

    /** Classification of random points by a random linear rule; training inputs get noise from the loop's generator. */
    record Task(Net net, float[] x, int[] y, float[] vx, int[] vy, int dim, float noise) implements Recipe {
        @Override
        public Module model() {
            return net;
        }

        @Override
        public int size() {
            return y.length;
        }

        @Override
        public Loss loss(int[] batch, Step step) {
            float[] in = new float[batch.length * dim];
            int[] t = new int[batch.length];
            for (int i = 0; i < batch.length; i++) {
                for (int k = 0; k < dim; k++) in[i * dim + k] = x[batch[i] * dim + k] + noise * (float) step.rng().nextGaussian();
                t[i] = y[batch[i]];
            }
            return Loss.of(CrossEntropy.loss(net.forward(Var.of(Tensor.of(in, batch.length, dim))), IntTensor.of(t, t.length)));
        }

        @Override
        public Map<String, Double> validate(int epoch) {
            return Map.of("val_loss", (double) CrossEntropy.loss(net.forward(Var.of(Tensor.of(vx, vy.length, dim))), IntTensor.of(vy, vy.length)).item());
        }
    }

    static Task task(int n, int dim, float p, float noise, long seed) {
        Rng rng = new Rng(seed);
        float[] w = rng.normal(0f, 1f, 3 * dim).toArray();
        float[] x = rng.normal(0f, 1f, n * dim).toArray(), vx = rng.normal(0f, 1f, 20 * dim).toArray();
        return new Task(new Net(dim, 12, 3, p, new Rng(seed + 1)), x, labels(x, w, dim), vx, labels(vx, w, dim), dim, noise);
    }

    static int[] labels(float[] x, float[] w, int dim) {
        int[] y = new int[x.length / dim];
        for (int i = 0; i < y.length; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                double s = 0;
                for (int k = 0; k < dim; k++) s += w[c * dim + k] * x[i * dim + k];
                if (s > best) {
                    best = s;
                    y[i] = c;
                }
            }
        }
        return y;
    }

    @Property(tries = 40)
    void interruptedRunsEndAsTheUninterruptedOne(@ForAll @IntRange(min = 2, max = 5) int epochs, @ForAll @IntRange(min = 8, max = 50) int n,
                                                 @ForAll @IntRange(min = 2, max = 12) int batch, @ForAll boolean dropLast,
                                                 @ForAll @IntRange(min = 0, max = 2) int dropoutLevel, @ForAll boolean noisy, @ForAll boolean cosine,
                                                 @ForAll boolean clip, @ForAll @IntRange(min = 0, max = 3) int averageLast, @ForAll boolean selectBest,
                                                 @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 3) Integer> stops,
                                                 @ForAll @IntRange(min = 0, max = 100_000) int seed) {
        if (dropLast && batch > n) batch = n;   // at least one batch per epoch
        float p = new float[] {0f, 0.1f, 0.4f}[dropoutLevel], noise = noisy ? 0.3f : 0f;
        TrainOptions o = TrainOptions.of(epochs, batch, 1e-2).withBatches(batch, dropLast).withSeed(seed)
            .withSchedule(cosine ? Schedule.warmupCosine(3) : Schedule.constant()).withClipNorm(clip ? 0.5 : 0).withAverageLast(averageLast)
            .withBestBy(selectBest ? List.of(TrainOptions.Criterion.min("val_loss")) : List.of(), 0);
        String run = "run" + seed + "-" + System.nanoTime();

        Task whole = task(n, 5, p, noise, seed);
        Trainer.Result full = new Trainer(o.withCheckpoints(dir.resolve(run + "-full"), false)).fit(whole);

        Path ckpt = dir.resolve(run + "-cut");
        Task cut = null;
        Trainer.Result last = null;
        int done = 0;
        for (int stop : stops) {
            cut = task(n, 5, p, noise, seed);   // each call is a new process: fresh model, state from the checkpoint
            last = new Trainer(o.withCheckpoints(ckpt, true).withStopAfter(stop)).fit(cut);
            done = last.history().size();
            if (done == epochs) break;
        }
        if (done < epochs) {
            cut = task(n, 5, p, noise, seed);
            last = new Trainer(o.withCheckpoints(ckpt, true)).fit(cut);
        }
        String config = "epochs " + epochs + ", n " + n + ", batch " + batch + (dropLast ? " (drop last)" : "") + ", dropout " + p + ", noise " + noise
            + ", stops " + stops;
        assertEquals(epochs, last.history().size(), config);
        for (int e = 0; e < epochs; e++) {
            Epoch a = full.history().get(e), b = last.history().get(e);
            assertEquals(a.step(), b.step(), "optimizer steps after epoch " + (e + 1) + "; " + config);
            assertEquals(a.loss(), b.loss(), 1e-5 * Math.max(1, Math.abs(a.loss())), "loss of epoch " + (e + 1) + "; " + config);
            assertEquals(a.metric("val_loss"), b.metric("val_loss"), 1e-5 * Math.max(1, Math.abs(a.metric("val_loss"))),
                "validation loss of epoch " + (e + 1) + "; " + config);
        }
        // Same losses in the same order give the same weights; the tolerance allows for ulps of the
        // Vector API's intrinsics vs their Java fallbacks, which depend on JIT timing (WorldPipelineTest).
        Map<String, Tensor> wa = whole.net().stateDict(), wb = cut.net().stateDict();
        for (String k : wa.keySet()) assertArrayEquals(wa.get(k).toArray(), wb.get(k).toArray(), 1e-4f, k + "; " + config);
        assertEquals(full.averaged(), last.averaged(), "checkpoint average kept as best; " + config);
    }
}
