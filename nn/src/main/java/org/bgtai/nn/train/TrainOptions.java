package org.bgtai.nn.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * How {@link Trainer} trains. Start from {@link #of(int, int, double)} (AdamW defaults, linear
 * warm-up over at most 100 steps and cosine decay to lr/20, clipping at 1.0, full batches, no
 * checkpoints, quiet) and change what a recipe needs with the {@code with*} methods.
 *
 * @param epochs        passes over the data (the schedule's nominal length)
 * @param batchSize     examples per optimizer step in the default batch plan
 * @param dropLast      drop an epoch's last partial batch (contrastive losses need full batches)
 * @param optimizer     AdamW settings ({@link OptimizerConfig#adamW}: the one default)
 * @param schedule      the learning rate per step, given the peak rate and the run's total optimizer steps
 * @param clipNorm      global gradient-norm clip ({@code 0} = off)
 * @param budget        time limit ({@link Budget#NONE} for none)
 * @param checkpointDir folder of {@code checkpoint.safetensors} (and best and snapshot weights), or null
 * @param resume        continue from the checkpoint in {@code checkpointDir} when there is one
 * @param seed          seed of the loop's generator (batch order and whatever the recipe draws from it)
 * @param bestBy        how validation figures rank epochs (the best epoch's weights go to {@code best.safetensors}); empty = none
 * @param patience      stop after this many epochs without a better one by {@code bestBy} (0 = never)
 * @param averageLast   keep the last {@code k} epochs' weights and try their average at the end (0 or 1 = off)
 * @param stopAfter     stop after this many epochs of this call (0 = no limit): an interruption, for tests
 * @param log           progress bar and per-epoch lines, or null for none
 */
public record TrainOptions(int epochs, int batchSize, boolean dropLast, OptimizerConfig optimizer, Schedule schedule,
                           double clipNorm, Budget budget, Path checkpointDir, boolean resume, long seed, List<Criterion> bestBy, int patience,
                           int averageLast, int stopAfter, PrintStream log) {
    /** The file name of the per-epoch checkpoint in {@link #checkpointDir}. */
    public static final String CHECKPOINT = "checkpoint.safetensors";
    /** The file name of the best epoch's weights in {@link #checkpointDir}. */
    public static final String BEST = "best.safetensors";

    public TrainOptions {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (clipNorm < 0) throw new IllegalArgumentException("clip norm must be >= 0 (0 = off), got " + clipNorm);
        if (patience < 0 || averageLast < 0 || stopAfter < 0)
            throw new IllegalArgumentException("patience, averageLast and stopAfter must be >= 0");
        if (resume && checkpointDir == null) throw new IllegalArgumentException("resume needs a checkpoint folder");
        bestBy = List.copyOf(bestBy);
    }

    /**
     * {@code epochs} passes in batches of {@code batchSize} (last partial batch dropped), AdamW
     * ({@link OptimizerConfig#adamW}) at peak {@code lr}, {@link Schedule#warmupCosine}{@code (100)},
     * clipping at 1.0, seed 1, no budget, no checkpoints, quiet.
     */
    public static TrainOptions of(int epochs, int batchSize, double lr) {
        return new TrainOptions(epochs, batchSize, true, OptimizerConfig.adamW(lr), Schedule.warmupCosine(100), 1.0, Budget.NONE, null, false, 1,
            List.of(), 0, 0, 0, null);
    }

    /** The peak learning rate ({@link OptimizerConfig#lr()}). */
    public double lr() {
        return optimizer.lr();
    }

    public TrainOptions withBatches(int batchSize, boolean dropLast) {
        return new TrainOptions(epochs, batchSize, dropLast, optimizer, schedule, clipNorm, budget, checkpointDir, resume, seed, bestBy, patience,
            averageLast, stopAfter, log);
    }

    public TrainOptions withOptimizer(OptimizerConfig optimizer) {
        return new TrainOptions(epochs, batchSize, dropLast, optimizer, schedule, clipNorm, budget, checkpointDir, resume, seed, bestBy, patience,
            averageLast, stopAfter, log);
    }

    public TrainOptions withSchedule(Schedule schedule) {
        return new TrainOptions(epochs, batchSize, dropLast, optimizer, schedule, clipNorm, budget, checkpointDir, resume, seed, bestBy, patience,
            averageLast, stopAfter, log);
    }

    public TrainOptions withClipNorm(double clipNorm) {
        return new TrainOptions(epochs, batchSize, dropLast, optimizer, schedule, clipNorm, budget, checkpointDir, resume, seed, bestBy, patience,
            averageLast, stopAfter, log);
    }

    public TrainOptions withBudget(Budget budget) {
        return new TrainOptions(epochs, batchSize, dropLast, optimizer, schedule, clipNorm, budget, checkpointDir, resume, seed, bestBy, patience,
            averageLast, stopAfter, log);
    }

    /** Checkpoints in {@code dir} after every epoch ({@code null}: none); {@code resume} continues from one found there. */
    public TrainOptions withCheckpoints(Path dir, boolean resume) {
        return new TrainOptions(epochs, batchSize, dropLast, optimizer, schedule, clipNorm, budget, dir, resume, seed, bestBy, patience, averageLast,
            stopAfter, log);
    }

    public TrainOptions withSeed(long seed) {
        return new TrainOptions(epochs, batchSize, dropLast, optimizer, schedule, clipNorm, budget, checkpointDir, resume, seed, bestBy, patience,
            averageLast, stopAfter, log);
    }

    /** Best-epoch selection by validation figures (first criterion first, ties broken by the next), with early stopping after {@code patience} epochs without improvement (0 = never). */
    public TrainOptions withBestBy(List<Criterion> bestBy, int patience) {
        return new TrainOptions(epochs, batchSize, dropLast, optimizer, schedule, clipNorm, budget, checkpointDir, resume, seed, bestBy, patience,
            averageLast, stopAfter, log);
    }

    public TrainOptions withAverageLast(int k) {
        return new TrainOptions(epochs, batchSize, dropLast, optimizer, schedule, clipNorm, budget, checkpointDir, resume, seed, bestBy, patience,
            k, stopAfter, log);
    }

    public TrainOptions withStopAfter(int epochs) {
        return new TrainOptions(this.epochs, batchSize, dropLast, optimizer, schedule, clipNorm, budget, checkpointDir, resume, seed, bestBy, patience,
            averageLast, epochs, log);
    }

    public TrainOptions withLog(PrintStream log) {
        return new TrainOptions(epochs, batchSize, dropLast, optimizer, schedule, clipNorm, budget, checkpointDir, resume, seed, bestBy, patience,
            averageLast, stopAfter, log);
    }

    /** A validation figure to maximise or minimise. */
    public record Criterion(String metric, boolean higherIsBetter) {
        public static Criterion max(String metric) {
            return new Criterion(metric, true);
        }

        public static Criterion min(String metric) {
            return new Criterion(metric, false);
        }
    }
}
