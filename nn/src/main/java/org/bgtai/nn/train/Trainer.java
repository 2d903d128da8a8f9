package org.bgtai.nn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bgtai.autograd.GradMode;
import org.bgtai.nn.Module;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.optim.Grads;
import org.bgtai.nn.optim.LrSchedule;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.Json;

/**
 * The training loop every recipe uses. Per epoch: the recipe's batches from the loop's seeded
 * generator, then per batch
 * <pre>
 *   lr = schedule(step);  L = recipe.loss(batch);  stop if L is not finite;
 *   zero grads;  backward(L);  clip global norm;  AdamW step
 * </pre>
 * then validation, the history entry, best-epoch selection, an atomic checkpoint. The checkpoint
 * ({@link Checkpoint}: weights, AdamW moments, the loop's and every dropout layer's generator,
 * the epoch, the history, the budget spent, best-epoch state and the recipe's {@link Recipe#state})
 * holds everything an epoch carries to the next, so a run resumed after an interruption ends with
 * the same weights as one that was not interrupted.
 *
 * <p>Every run first deletes the temporary files ({@code .<name>.<hex>.tmp}) that writes into the
 * checkpoint folder left when a process was killed before their rename ({@link
 * org.bgtai.tensor.io.AtomicFiles#deleteLeftovers}); they are never read, the loop owns its folder.
 *
 * <p>A non-finite loss stops training before its backward pass (the weights are untouched and the
 * last checkpoint, written at the end of the last good epoch, is kept); the error names the epoch,
 * the step, the offending term and the last finite loss.
 *
 * <pre>{@code
 * Trainer.Result r = new Trainer(TrainOptions.of(20, 64, 2e-3).withCheckpoints(dir, true)).fit(recipe);
 * r.history().get(r.history().size() - 1).metric("val_R@1");
 * }</pre>
 */
public final class Trainer {
    /** Metadata key of the loop's own state in a checkpoint. */
    static final String STATE = "trainer";

    private final TrainOptions o;
    private Rng rng;

    public Trainer(TrainOptions options) {
        this.o = options;
        this.rng = new Rng(options.seed());
    }

    /**
     * Uses {@code rng} as the loop's generator instead of a new one from the options' seed (for a
     * recipe whose model was initialised from the same stream). A resumed run restores its state.
     */
    public Trainer generator(Rng rng) {
        this.rng = rng;
        return this;
    }

    /**
     * What a {@link #fit} call did.
     *
     * @param history     every epoch so far, resumed ones included
     * @param stepLosses  the loss of every step of this call
     * @param bestEpoch   the best epoch by {@link TrainOptions#bestBy()} (0 without selection)
     * @param stopReason  why training ended early ({@code null} when all epochs ran)
     * @param averaged    whether the average of the last epochs was kept as the best weights
     * @param averageMetrics validation figures of that average (empty when none was tried)
     */
    public record Result(List<Epoch> history, List<Float> stepLosses, int bestEpoch, String stopReason, boolean averaged, Map<String, Double> averageMetrics,
                         double seconds) {
        /** The last epoch, or null when none ran. */
        public Epoch last() {
            return history.isEmpty() ? null : history.get(history.size() - 1);
        }

        /** The best epoch by the selection criteria, or null. */
        public Epoch best() {
            return bestEpoch == 0 ? null : history.get(bestEpoch - 1);
        }
    }

    /** Trains {@code recipe} for the remaining epochs (all of them, or those after the checkpoint). */
    public Result fit(Recipe recipe) {
        long t0 = System.nanoTime();
        Module model = recipe.model();
        AdamW opt = o.optimizer().build(model.trainableParameters());
        long total = recipe.stepsPerEpoch(o) * o.epochs();
        LrSchedule schedule = o.schedule().of(o.lr(), Math.max(1, total));
        Path dir = o.checkpointDir(), ckpt = dir == null ? null : dir.resolve(TrainOptions.CHECKPOINT);
        List<Epoch> history = new ArrayList<>();
        List<Float> stepLosses = new ArrayList<>();
        double spent = 0;
        int bestEpoch = 0;
        if (dir != null) {   // a fresh start after a kill in the first epoch (no checkpoint yet) leaves them too
            try {
                int gone = org.bgtai.tensor.io.AtomicFiles.deleteLeftovers(dir);
                if (gone > 0) say("deleted %d temporary file%s in %s left by writes an interruption cut short", gone, gone == 1 ? "" : "s", dir);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the temporary files left in " + dir + ": " + e.getMessage()
                    + "; delete the files named .*.tmp there", e);
            }
        }
        if (o.resume() && Files.exists(ckpt)) {
            LoopState s = load(ckpt, recipe, model, opt);
            history.addAll(s.history);
            spent = s.spent;
            bestEpoch = s.bestEpoch;
            say("resumed from %s after epoch %d (step %d)", ckpt, history.size(), opt.stepCount());
        } else if (o.resume()) {
            say("no checkpoint in %s: starting fresh", dir);
        }
        if (dir != null) createDirectories(dir);
        String stop = null;
        double lastEpochTime = history.isEmpty() ? 0 : budgetTime(history.get(history.size() - 1));
        int ranHere = 0;
        for (int epoch = history.size() + 1; epoch <= o.epochs(); epoch++) {
            if (!o.budget().allows(spent, lastEpochTime)) {
                stop = String.format(Locale.ROOT, "budget: %.1f of %.1f s spent before epoch %d", spent, o.budget().seconds(), epoch);
                break;
            }
            if (o.patience() > 0 && bestEpoch > 0 && epoch - 1 - bestEpoch >= o.patience()) {
                stop = "no better validation figures for " + o.patience() + " epochs after epoch " + bestEpoch;
                break;
            }
            if (o.stopAfter() > 0 && ranHere == o.stopAfter()) {
                stop = "stopped after " + ranHere + " epochs of this call";
                break;
            }
            Epoch e = runEpoch(recipe, model, opt, schedule, epoch, stepLosses, history.isEmpty() ? Double.NaN : history.get(history.size() - 1).loss());
            history.add(e);
            ranHere++;
            spent += budgetTime(e);
            lastEpochTime = budgetTime(e);
            boolean best = !o.bestBy().isEmpty() && (bestEpoch == 0 || better(e, history.get(bestEpoch - 1)));
            if (best) {
                bestEpoch = epoch;
                if (dir != null) writeWeights(dir.resolve(TrainOptions.BEST), model, recipe, Map.of("epoch", Integer.toString(epoch)));
            }
            if (dir != null && o.averageLast() > 1) {
                writeWeights(dir.resolve(snapshot(epoch)), model, recipe, Map.of("epoch", Integer.toString(epoch)));
                deleteIfExists(dir.resolve(snapshot(epoch - o.averageLast())));
            }
            if (ckpt != null) save(ckpt, recipe, model, opt, new LoopState(history, spent, bestEpoch));
            say("epoch %d: loss %.4f%s%s%s (%.1f s)%s", epoch, e.loss(), figures(e.terms()), figures(e.stats()), figures(e.metrics()), e.seconds(),
                best ? " *best*" : "");
            recipe.endEpoch(List.copyOf(history));
        }
        Average avg = dir != null && o.averageLast() > 1 && history.size() >= 2 && !o.bestBy().isEmpty()
            ? tryAverage(recipe, model, dir, history, bestEpoch) : new Average(Map.of(), false);
        if (stop != null) say("%s", stop);
        return new Result(List.copyOf(history), List.copyOf(stepLosses), bestEpoch, stop, avg.kept(), avg.metrics(), (System.nanoTime() - t0) / 1e9);
    }

    private Epoch runEpoch(Recipe recipe, Module model, AdamW opt, LrSchedule schedule, int epoch, List<Float> stepLosses, double lastFinite) {
        long w0 = System.nanoTime(), c0 = cpuNanos();
        recipe.startEpoch(epoch, rng);
        List<int[]> batches = recipe.batches(epoch, o, rng);
        model.train(true);
        double lossSum = 0;
        Map<String, Double> termSums = new LinkedHashMap<>();
        int examples = 0;
        long totalExamples = 0;
        for (int[] b : batches) totalExamples += b.length;
        try (ProgressBar bar = new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", epoch, o.epochs()), totalExamples, "ex", barStream())) {
            for (int s = 0; s < batches.size(); s++) {
                int[] batch = batches.get(s);
                Loss l = step(recipe, opt, schedule, o.clipNorm(), batch, new Recipe.Step(epoch, s, opt.stepCount(), rng),
                    stepLosses.isEmpty() ? lastFinite : stepLosses.get(stepLosses.size() - 1), o.checkpointDir());
                lossSum += l.value();
                l.terms().forEach((k, v) -> termSums.merge(k, v, Double::sum));
                stepLosses.add((float) l.value());
                examples += batch.length;
                String extra = recipe.progress();
                bar.step(batch.length, "loss %.3f%s", lossSum / (s + 1), extra.isEmpty() ? "" : "  " + extra);
            }
        }
        double trainSecs = (System.nanoTime() - w0) / 1e9, cpuSecs = (cpuNanos() - c0) / 1e9;
        int n = Math.max(1, batches.size());
        Map<String, Double> terms = new LinkedHashMap<>();
        termSums.forEach((k, v) -> terms.put(k, v / n));
        Map<String, Double> stats = recipe.epochStats();
        long v0 = System.nanoTime();
        Map<String, Double> metrics = validate(recipe, model, epoch);
        double evalSecs = (System.nanoTime() - v0) / 1e9;
        return new Epoch(epoch, opt.stepCount(), examples, batches.isEmpty() ? Double.NaN : lossSum / n, terms, stats, metrics, trainSecs, cpuSecs, evalSecs);
    }

    /**
     * The recipe's validation figures after {@code epoch}: {@code model} in eval mode and no
     * gradients while it runs, back in training mode after (also for loops other than {@link #fit}).
     */
    public static Map<String, Double> validate(Recipe recipe, Module model, int epoch) {
        model.train(false);
        try (var ignored = GradMode.noGrad()) {
            return recipe.validate(epoch);
        } finally {
            model.train(true);
        }
    }

    /**
     * One step of the loop on {@code batch}: the learning rate of the optimizer's step count from
     * {@code schedule}, the recipe's loss, the non-finite check (before any gradient: a
     * {@link NonFiniteLossException} naming {@code at}, {@code lastFinite} and {@code checkpointDir}),
     * zero grads, backward, global-norm clipping at {@code clipNorm} (0 = off) and the update.
     * {@link #fit} runs it for every batch; other drivers of the loop (e.g. K local steps on each
     * worker of a data-parallel run) call it themselves. The model must be in training mode.
     *
     * @return the batch's loss (its value and terms; the graph is spent)
     */
    public static Loss step(Recipe recipe, AdamW opt, LrSchedule schedule, double clipNorm, int[] batch, Recipe.Step at, double lastFinite, Path checkpointDir) {
        opt.setLr(schedule.lr(opt.stepCount()));
        Loss l = recipe.loss(batch, at);
        String bad = l.nonFinite();
        if (bad != null) throw new NonFiniteLossException(at.epoch(), at.index(), opt.stepCount(), bad, l.terms(), lastFinite, checkpointDir);
        opt.zeroGrad();
        l.backward();
        if (clipNorm > 0) Grads.clipGlobalNorm(opt.parameters(), clipNorm);
        opt.step();
        return l;
    }

    /** The time an epoch counts against the budget. */
    private double budgetTime(Epoch e) {
        Budget b = o.budget();
        return (b.cpu() ? e.cpuSeconds() : e.trainSeconds()) + (b.countEval() ? e.evalSeconds() : 0);
    }

    /** Whether {@code a} ranks above {@code b} by the criteria (missing or NaN figures rank last). */
    private boolean better(Epoch a, Epoch b) {
        for (TrainOptions.Criterion c : o.bestBy()) {
            double x = a.metric(c.metric()), y = b.metric(c.metric());
            if (Double.isNaN(x) || Double.isNaN(y)) {
                if (Double.isNaN(x) != Double.isNaN(y)) return Double.isNaN(y);
                continue;
            }
            if (x != y) return c.higherIsBetter() ? x > y : x < y;
        }
        return false;
    }

    /** The validation figures of the average of the last epochs, and whether it was kept as the best weights. */
    private record Average(Map<String, Double> metrics, boolean kept) {}

    /** Averages the kept epoch snapshots and validates the average; keeps it as the best weights when it validates better. */
    private Average tryAverage(Recipe recipe, Module model, Path dir, List<Epoch> history, int bestEpoch) {
        List<Map<String, Tensor>> ws = new ArrayList<>();
        for (int ep = Math.max(1, history.size() - o.averageLast() + 1); ep <= history.size(); ep++) {
            Path f = dir.resolve(snapshot(ep));
            if (!Files.exists(f)) continue;
            try {
                ws.add(Checkpoint.read(f).model());
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the epoch snapshot " + f + ": " + e.getMessage(), e);
            }
        }
        if (ws.size() < 2) return new Average(Map.of(), false);
        Map<String, Tensor> last = model.stateDict();
        Map<String, Tensor> keep = new LinkedHashMap<>();
        last.forEach((k, v) -> keep.put(k, v.copy()));
        model.loadStateDict(Checkpoint.average(ws), true);
        Map<String, Double> metrics = validate(recipe, model, history.size());
        Epoch avg = new Epoch(history.size(), history.get(history.size() - 1).step(), 0, Double.NaN, Map.of(), Map.of(), metrics, 0, 0, 0);
        boolean kept = bestEpoch == 0 || better(avg, history.get(bestEpoch - 1));
        say("average of the last %d epochs%s%s", ws.size(), figures(metrics), kept ? " (kept as best)" : " (not kept)");
        if (kept) writeWeights(dir.resolve(TrainOptions.BEST), model, recipe, Map.of("averaged_epochs", Integer.toString(ws.size())));
        model.loadStateDict(keep, true);
        return new Average(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics)), kept);
    }

    static String snapshot(int epoch) {
        return "epoch-" + epoch + ".safetensors";
    }

    // ------------------------------------------------------------------ checkpoints

    /** What a checkpoint says about its run: the history, the best epoch (0 = none) and the budget spent. */
    public record Saved(List<Epoch> history, int bestEpoch, double spentSeconds) {
        /** The best epoch, or null. */
        public Epoch best() {
            return bestEpoch == 0 ? null : history.get(bestEpoch - 1);
        }
    }

    /** Reads the loop's state from a checkpoint written by {@link #fit} (weights are not loaded). */
    @SuppressWarnings("unchecked")
    public static Saved read(Path checkpoint) throws IOException {
        Map<String, String> meta;
        try (var f = org.bgtai.tensor.io.SafetensorsFile.open(checkpoint)) {
            meta = f.metadata();
        }
        String json = meta.get(STATE);
        if (json == null) throw new IllegalArgumentException(checkpoint + " was not written by the training loop (no '" + STATE + "' metadata)");
        Map<String, Object> st = (Map<String, Object>) Json.parse(json);
        List<Epoch> history = new ArrayList<>();
        for (Object e : (List<Object>) st.get("history")) history.add(Epoch.fromJson((Map<?, ?>) e));
        return new Saved(List.copyOf(history), ((Number) st.get("best_epoch")).intValue(), ((Number) st.get("spent_seconds")).doubleValue());
    }

    /** What the loop carries from epoch to epoch besides weights, optimizer and generators. */
    private record LoopState(List<Epoch> history, double spent, int bestEpoch) {}

    private void save(Path file, Recipe recipe, Module model, AdamW opt, LoopState s) {
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("seed", Long.toString(o.seed()));
        st.put("history", s.history.stream().map(Epoch::toJson).toList());
        st.put("spent_seconds", s.spent);
        st.put("best_epoch", s.bestEpoch);
        st.put("recipe", recipe.state());
        Map<String, String> meta = new LinkedHashMap<>(recipe.metadata());
        meta.put(STATE, Json.write(st));
        try {
            Checkpoint.save(file, model, opt, rng, s.history.size(), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private LoopState load(Path file, Recipe recipe, Module model, AdamW opt) {
        Checkpoint.Info info;
        try {
            info = Checkpoint.load(file, model, opt);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the checkpoint " + file + ": " + e.getMessage() + "; delete it to start afresh", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; it was written by a different model or optimizer: train with the same settings, or delete it", e);
        }
        String json = info.metadata().get(STATE);
        if (json == null) throw new IllegalArgumentException(file + " was not written by the training loop (no '" + STATE + "' metadata); delete it or point the output elsewhere");
        Map<String, Object> st = (Map<String, Object>) Json.parse(json);
        long seed = Long.parseLong((String) st.get("seed"));
        if (seed != o.seed())
            throw new IllegalArgumentException(file + " was trained with seed " + seed + ", not " + o.seed() + "; resume with the same seed or delete it");
        if (info.rng() != null) rng = info.rng();
        List<Epoch> history = new ArrayList<>();
        for (Object e : (List<Object>) st.get("history")) history.add(Epoch.fromJson((Map<?, ?>) e));
        recipe.restore((Map<String, Object>) st.get("recipe"), info.metadata());
        return new LoopState(history, ((Number) st.get("spent_seconds")).doubleValue(), ((Number) st.get("best_epoch")).intValue());
    }

    private static void writeWeights(Path file, Module model, Recipe recipe, Map<String, String> extra) {
        Map<String, String> meta = new LinkedHashMap<>(recipe.metadata());
        meta.putAll(extra);
        try {
            Checkpoint.write(file, model.stateDict(), null, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the checkpoint folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteIfExists(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the old snapshot " + f + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ output

    private java.io.PrintStream barStream() {
        return o.log() != null ? o.log() : new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
    }

    private void say(String fmt, Object... args) {
        if (o.log() != null) o.log().println(String.format(Locale.ROOT, fmt, args));
    }

    private static String figures(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(String.format(Locale.ROOT, ", %s %.4g", k, v)));
        return sb.toString();
    }

    /** Process CPU time in ns (all threads), or 0 where the JVM does not report it. */
    static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? Math.max(0, os.getProcessCpuTime()) : 0;
    }
}
