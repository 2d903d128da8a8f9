package org.bgtai.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.bgtai.joint.DataSource;
import org.bgtai.joint.JointRecipe;
import org.bgtai.joint.Run;
import org.bgtai.model.Embeddings;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelIO;
import org.bgtai.model.Prepared;
import org.bgtai.nn.Module;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.optim.LrSchedule;
import org.bgtai.nn.train.Checkpoint;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.Flat;
import org.bgtai.nn.train.Loss;
import org.bgtai.nn.train.OptimizerConfig;
import org.bgtai.nn.train.Recipe;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;

/**
 * Data-parallel training of a joint model on Spark by periodic parameter averaging (local SGD):
 * <pre>
 *   per epoch: the loop's batch plan ({@link JointRecipe#batches}, from the loop's generator) is
 *              dealt to W workers, batch g to worker g mod W
 *   per round: broadcast weights + AdamW moments (one flat float[], {@link Flat});
 *              each worker (one Spark task) runs K steps of the training loop ({@link Trainer#step})
 *              on its batches; treeAggregate sums the workers' weights and moments; the driver
 *              divides by W and writes an atomic checkpoint ({@link Checkpoint})
 * </pre>
 * The averaged model advances K optimizer steps per round (the schedule and AdamW's bias
 * correction count those), having seen W x K batches. With one worker and K at least an epoch's
 * batches this is exactly the local loop ({@link Run#run}): the same model initialisation, batch
 * plan, schedule and steps. Each worker loads the data once per executor from a {@link DataSpec}
 * ({@link ExecutorCache}); tasks carry only the round's state.
 *
 * <p>Resume: the checkpoint after each round holds the averaged weights and moments, the loop's
 * generator as it was at the start of the epoch in progress (the epoch's batch plan is drawn from it
 * again), the next round, the history and the partial epoch's sums; a run started again with
 * {@code resume} continues there and ends with the weights of an uninterrupted run. A failed task
 * fails the round (its partial work is discarded), so the checkpoint is always of a whole round.
 *
 * <p>Not supported here: the DS-Net alignment terms and log-mel augmentation (workers would need
 * their generators' states per round).
 */
public final class DataParallel {
    /** Metadata key of this driver's state in a checkpoint. */
    static final String STATE = "data_parallel";
    private static final String[] TERMS = {JointRecipe.INFO_NCE, JointRecipe.GLOSS_CE, JointRecipe.CORPUS};

    private DataParallel() {}

    /**
     * @param workers     data-parallel workers (Spark tasks per round)
     * @param localSteps  optimizer steps each worker takes between two averagings (K)
     * @param failInRound test hook: worker 0 throws in this (1-based, counted over the whole run) round; 0 = never
     */
    public record Options(int workers, int localSteps, int failInRound) {
        public Options {
            if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            if (localSteps < 1) throw new IllegalArgumentException("local steps must be >= 1, got " + localSteps);
        }

        public Options(int workers, int localSteps) {
            this(workers, localSteps, 0);
        }
    }

    /**
     * One round: its mean loss over all workers' steps, the samples it saw, wall seconds on the
     * driver and the longest worker's compute seconds.
     */
    public record Round(int round, int epoch, double loss, long samples, double seconds, double computeSeconds) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("round", round);
            m.put("epoch", epoch);
            m.put("loss", loss);
            m.put("samples", samples);
            m.put("seconds", seconds);
            m.put("compute_seconds", computeSeconds);
            return m;
        }

        static Round fromJson(Map<?, ?> m) {
            return new Round(num(m, "round").intValue(), num(m, "epoch").intValue(), num(m, "loss").doubleValue(), num(m, "samples").longValue(),
                num(m, "seconds").doubleValue(), num(m, "compute_seconds").doubleValue());
        }
    }

    /**
     * What a run produced.
     *
     * @param paramFloats floats of weights plus moments shipped each way per worker and round
     */
    public record Result(JointModel model, List<Epoch> history, List<Round> rounds, Map<String, Object> metrics, DataSource.Loaded data,
                         int paramFloats) {}

    /**
     * Trains a new model of config {@code mc} (weights seeded by {@code seed}, as {@link Run#run})
     * on the data of {@code spec}, then computes its test metrics ({@link Run#evaluate}). The
     * options' epochs, batches, optimizer, schedule, clipping, seed and checkpoint folder apply;
     * the checkpoint is written after every round.
     */
    public static Result train(JavaSparkContext jsc, DataSpec spec, ModelConfig mc, TrainOptions o, long seed, Options p) {
        if (!o.bestBy().isEmpty() || o.averageLast() > 1 || o.stopAfter() > 0 || o.budget().seconds() > 0)
            throw new IllegalArgumentException("data-parallel training runs every epoch of the options; best-epoch selection, averaging of the last epochs, "
                + "stopAfter and time budgets are the local loop's (leave them unset)");
        DataSource.Loaded data = ExecutorCache.data(spec, mc, seed);
        JointModel model = new JointModel(mc, data.textTokenizer(), data.glossTokenizer(), new Rng(seed));
        if (!Prepared.textOnly(data.train())) Run.normalise(model, data.train());
        JointRecipe recipe = Run.recipe(model, data, null, null);
        Module trained = recipe.model();
        AdamW opt = o.optimizer().build(trained.trainableParameters());
        int w = p.workers(), k = p.localSteps();
        long perWorker = recipe.stepsPerEpoch(o) / w;
        if (perWorker < 1)
            throw new IllegalArgumentException("an epoch has " + recipe.stepsPerEpoch(o) + " batches of " + o.batchSize() + ", fewer than the " + w
                + " workers: use fewer workers or smaller batches");
        int roundsPerEpoch = (int) ((perWorker + k - 1) / k);
        LrSchedule schedule = o.schedule().of(o.lr(), Math.max(1, perWorker * o.epochs()));
        Path dir = o.checkpointDir(), ckpt = dir == null ? null : dir.resolve(TrainOptions.CHECKPOINT);
        Rng rng = new Rng(o.seed());
        State st = new State(new ArrayList<>(), new ArrayList<>(), 1, 0, new double[2 + TERMS.length + 1]);
        if (dir != null) prepare(dir);
        if (o.resume() && Files.exists(ckpt)) {
            Checkpoint.Info info;
            try {
                info = Checkpoint.load(ckpt, trained, opt);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the checkpoint " + ckpt + ": " + e.getMessage() + "; delete it to start afresh", e);
            }
            st = State.read(info.metadata(), ckpt, o.seed(), p);
            rng = info.rng();
            say(o, "resumed from %s: epoch %d, round %d of %d", ckpt, st.nextEpoch, st.nextRound + 1, roundsPerEpoch);
        }
        WorkerSetup setup = new WorkerSetup(spec, ModelIO.metadata(model), seed, o.epochs(), o.batchSize(), o.optimizer(), o.clipNorm(), w);
        int paramFloats = Flat.size(trained, opt);
        for (int epoch = st.nextEpoch; epoch <= o.epochs(); epoch++) {
            long[] epochStart = rng.state();
            Rng plan = new Rng(epochStart);   // the driver draws the plan as each worker does, to carry the generator on
            recipe.startEpoch(epoch, plan);
            recipe.batches(epoch, TrainOptions.of(o.epochs(), o.batchSize(), o.lr()), plan);
            for (int r = epoch == st.nextEpoch ? st.nextRound : 0; r < roundsPerEpoch; r++) {
                long t0 = System.nanoTime();
                int steps = (int) Math.min(k, perWorker - (long) r * k);
                long step0 = opt.stepCount();
                double[] lrs = new double[steps];
                for (int s = 0; s < steps; s++) lrs[s] = schedule.lr(step0 + s);
                int globalRound = st.rounds.size() + 1;
                Broadcast<float[]> state = jsc.broadcast(Flat.of(trained, opt));
                RoundTask task = new RoundTask(epoch, r * k, steps, step0, lrs, epochStart, p.failInRound() == globalRound);
                float[] sum = jsc.parallelize(IntStream.range(0, w).boxed().toList(), w)
                    .treeAggregate((float[]) null, (acc, worker) -> add(acc, task.run(setup, state.value(), worker)), DataParallel::add, 2);
                state.destroy();
                int tail = TERMS.length + 3;
                float[] avg = new float[paramFloats];
                for (int i = 0; i < paramFloats; i++) avg[i] = sum[i] / w;
                Flat.load(avg, trained, opt, step0 + steps);
                double lossSum = sum[paramFloats], n = sum[paramFloats + 1];
                for (int i = 0; i < TERMS.length + 2; i++) st.acc[i] += sum[paramFloats + i];
                double compute = sum[paramFloats + tail - 1] / w;   // mean worker compute seconds
                double secs = (System.nanoTime() - t0) / 1e9;
                st.acc[st.acc.length - 1] += secs;
                st.rounds.add(new Round(globalRound, epoch, lossSum / n, (long) n * o.batchSize(), secs, compute));
                boolean last = r == roundsPerEpoch - 1;
                if (last) {
                    st.history.add(endEpoch(recipe, trained, opt, epoch, st, o));
                    st.acc = new double[st.acc.length];
                    rng = plan;
                }
                st.nextEpoch = last ? epoch + 1 : epoch;
                st.nextRound = last ? 0 : r + 1;
                if (ckpt != null) save(ckpt, trained, opt, last ? rng.state() : epochStart, recipe, st, o.seed(), p);
                say(o, "round %d (epoch %d): loss %.4f, %.2f s (workers' compute %.2f s)", globalRound, epoch, lossSum / n, secs, compute);
            }
        }
        Embeddings e = Embeddings.of(model, data.test(), data.height(), data.width(), 64);
        Map<String, Object> metrics = Run.evaluate(model, data, e);
        metrics.put("history", st.history.stream().map(ep -> (Object) ep.flat()).toList());
        metrics.put("workers", w);
        metrics.put("local_steps", k);
        return new Result(model, List.copyOf(st.history), List.copyOf(st.rounds), metrics, data, paramFloats);
    }

    private static Epoch endEpoch(JointRecipe recipe, Module trained, AdamW opt, int epoch, State st, TrainOptions o) {
        double n = st.acc[1];
        Map<String, Double> terms = new LinkedHashMap<>();
        for (int i = 0; i < TERMS.length; i++) if (st.acc[2 + i] != 0) terms.put(TERMS[i], st.acc[2 + i] / n);
        long v0 = System.nanoTime();
        Map<String, Double> metrics = Trainer.validate(recipe, trained, epoch);
        double secs = st.acc[st.acc.length - 1];
        Epoch e = new Epoch(epoch, opt.stepCount(), (int) n * o.batchSize(), st.acc[0] / n, terms, Map.of(), metrics, secs, 0, (System.nanoTime() - v0) / 1e9);
        say(o, "epoch %d: loss %.4f%s (%.1f s)", epoch, e.loss(), metrics.isEmpty() ? "" : ", " + metrics, secs);
        return e;
    }

    static float[] add(float[] a, float[] b) {
        if (a == null) return b;
        if (b == null) return a;
        return Flat.add(a, b);
    }

    /** What every worker needs besides the round's state: shipped with each round's closure (a few kB). */
    record WorkerSetup(DataSpec spec, Map<String, String> modelMeta, long seed, int epochs, int batchSize, double[] adamW, double clipNorm,
                       int workers) implements Serializable {
        WorkerSetup {
            modelMeta = new LinkedHashMap<>(modelMeta);
        }

        WorkerSetup(DataSpec spec, Map<String, String> modelMeta, long seed, int epochs, int batchSize, OptimizerConfig o, double clipNorm, int workers) {
            this(spec, modelMeta, seed, epochs, batchSize, new double[] {o.lr(), o.beta1(), o.beta2(), o.eps(), o.weightDecay()}, clipNorm, workers);
        }

        OptimizerConfig optimizer() {
            return new OptimizerConfig(adamW[0], adamW[1], adamW[2], adamW[3], adamW[4]);
        }
    }

    /** One round of one worker. */
    record RoundTask(int epoch, int firstStep, int steps, long step0, double[] lrs, long[] epochStart, boolean fail) implements Serializable {
        /** Runs the worker's {@code steps} steps from the broadcast state: its new flat state, then loss sum, steps, term sums, compute seconds. */
        float[] run(WorkerSetup s, float[] state, int worker) {
            long t0 = System.nanoTime();
            if (fail && worker == 0) throw new IllegalStateException("injected failure in a task of the round of epoch " + epoch + " from step " + firstStep);
            DataSource.Loaded data = ExecutorCache.data(s.spec(), ModelIO.config(s.modelMeta()), s.seed());
            // every round builds its model afresh (its initial weights are overwritten), seeded by round and worker
            JointModel model = ModelIO.create(s.modelMeta(), new Rng(s.seed() * 1_000_003L + step0 * 131L + worker));
            JointRecipe recipe = Run.recipe(model, data, null, null);
            Module trained = recipe.model();
            AdamW opt = s.optimizer().build(trained.trainableParameters());
            Flat.load(state, trained, opt, step0);
            trained.train(true);
            Rng plan = new Rng(epochStart);
            recipe.startEpoch(epoch, plan);
            List<int[]> batches = recipe.batches(epoch, TrainOptions.of(s.epochs(), s.batchSize(), s.optimizer().lr()), plan);
            LrSchedule lr = step -> lrs[(int) (step - step0)];
            double lossSum = 0, last = Double.NaN;
            double[] terms = new double[TERMS.length];
            for (int i = firstStep; i < firstStep + steps; i++) {
                int g = worker + s.workers() * i;
                Loss l = Trainer.step(recipe, opt, lr, s.clipNorm(), batches.get(g), new Recipe.Step(epoch, g, opt.stepCount(), plan), last, null);
                last = l.value();
                lossSum += l.value();
                for (int t = 0; t < TERMS.length; t++) terms[t] += l.terms().getOrDefault(TERMS[t], 0.0);
            }
            float[] flat = Flat.of(trained, opt);
            float[] out = java.util.Arrays.copyOf(flat, flat.length + TERMS.length + 3);
            out[flat.length] = (float) lossSum;
            out[flat.length + 1] = steps;
            for (int t = 0; t < TERMS.length; t++) out[flat.length + 2 + t] = (float) terms[t];
            out[out.length - 1] = (float) ((System.nanoTime() - t0) / 1e9);
            return out;
        }
    }

    /** The driver's state between rounds: history, rounds, the next round, and the partial epoch's sums (loss, steps, terms, seconds). */
    private static final class State {
        final List<Epoch> history;
        final List<Round> rounds;
        int nextEpoch, nextRound;
        double[] acc;

        State(List<Epoch> history, List<Round> rounds, int nextEpoch, int nextRound, double[] acc) {
            this.history = history;
            this.rounds = rounds;
            this.nextEpoch = nextEpoch;
            this.nextRound = nextRound;
            this.acc = acc;
        }

        Map<String, Object> toJson(long seed, Options p) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", Long.toString(seed));
            m.put("workers", p.workers());
            m.put("local_steps", p.localSteps());
            m.put("next_epoch", nextEpoch);
            m.put("next_round", nextRound);
            m.put("history", history.stream().map(Epoch::toJson).toList());
            m.put("rounds", rounds.stream().map(Round::toJson).toList());
            List<Object> a = new ArrayList<>();
            for (double v : acc) a.add(v);
            m.put("epoch_sums", a);
            return m;
        }

        static State read(Map<String, String> meta, Path file, long seed, Options p) {
            String json = meta.get(STATE);
            if (json == null)
                throw new IllegalArgumentException(file + " was not written by data-parallel training (no '" + STATE + "' metadata); delete it or point the output elsewhere");
            Map<?, ?> m = (Map<?, ?>) Json.parse(json);
            if (Long.parseLong((String) m.get("seed")) != seed || num(m, "workers").intValue() != p.workers() || num(m, "local_steps").intValue() != p.localSteps())
                throw new IllegalArgumentException(file + " was written with seed " + m.get("seed") + ", " + m.get("workers") + " workers and " + m.get("local_steps")
                    + " local steps, not " + seed + ", " + p.workers() + " and " + p.localSteps() + "; resume with the same settings or delete it");
            List<Epoch> history = new ArrayList<>();
            for (Object e : (List<?>) m.get("history")) history.add(Epoch.fromJson((Map<?, ?>) e));
            List<Round> rounds = new ArrayList<>();
            for (Object r : (List<?>) m.get("rounds")) rounds.add(Round.fromJson((Map<?, ?>) r));
            List<?> a = (List<?>) m.get("epoch_sums");
            double[] acc = new double[a.size()];
            for (int i = 0; i < acc.length; i++) acc[i] = ((Number) a.get(i)).doubleValue();
            return new State(history, rounds, num(m, "next_epoch").intValue(), num(m, "next_round").intValue(), acc);
        }
    }

    private static void save(Path file, Module trained, AdamW opt, long[] rng, JointRecipe recipe, State st, long seed, Options p) {
        Map<String, String> meta = new LinkedHashMap<>(recipe.metadata());
        meta.put(STATE, Json.write(st.toJson(seed, p)));
        try {
            Checkpoint.save(file, trained, opt, new Rng(rng), st.nextEpoch - 1, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.deleteLeftovers(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the checkpoint folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Number num(Map<?, ?> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("checkpoint state has no number '" + k + "'");
        return n;
    }

    private static void say(TrainOptions o, String fmt, Object... args) {
        if (o.log() != null) o.log().println(String.format(Locale.ROOT, fmt, args));
    }
}
