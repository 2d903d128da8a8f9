package org.bgtai.nn.train;

import java.util.List;
import java.util.Map;
import org.bgtai.nn.Module;
import org.bgtai.tensor.Rng;

/**
 * What {@link Trainer} trains: a model, its examples and the loss of a batch. Everything else
 * (batch order, forward/backward/step, checks, clipping, schedules, budgets, progress, history,
 * best-model selection, checkpoints and resume) is the loop's.
 *
 * <p>A recipe is short: {@link #model()}, {@link #size()}, {@link #loss}; the defaults cover the
 * rest. Batches are index arrays into the recipe's own examples.
 *
 * <pre>{@code
 * Recipe r = new Recipe() {
 *     public Module model() { return net; }
 *     public int size() { return x.length; }
 *     public Loss loss(int[] batch, Step step) { return Loss.of(Mse.loss(net.forward(rows(x, batch)), rows(y, batch))); }
 * };
 * Trainer.Result res = new Trainer(TrainOptions.of(10, 32, 1e-3)).fit(r);
 * }</pre>
 */
public interface Recipe {
    /**
     * Everything trained: the optimizer updates its trainable parameters and the checkpoint saves
     * its state dict (and the state of its dropout layers' generators).
     */
    Module model();

    /** Number of training examples; batches index into {@code [0, size())}. */
    int size();

    /**
     * The batches of one epoch, drawn from the loop's generator. The default is a fresh
     * permutation of {@code [0, size())} cut into {@link TrainOptions#batchSize()} chunks (the last
     * partial chunk dropped when {@link TrainOptions#dropLast()}).
     *
     * @param epoch 1-based
     */
    default List<int[]> batches(int epoch, TrainOptions options, Rng rng) {
        return Batches.shuffled(rng.permutation(size()), options.batchSize(), options.dropLast());
    }

    /**
     * Optimizer steps of a full epoch, for the schedule's total: by default what
     * {@link #batches} gives, {@code size / batch} rounded as {@link TrainOptions#dropLast()} says.
     */
    default long stepsPerEpoch(TrainOptions options) {
        int n = size(), b = options.batchSize();
        return options.dropLast() ? n / b : (n + b - 1) / b;
    }

    /** The loss of one batch (the model is in training mode). */
    Loss loss(int[] batch, Step step);

    /** Called before each epoch's batches are drawn (data-pair selection, per-epoch seeds). */
    default void startEpoch(int epoch, Rng rng) {}

    /**
     * Validation after each epoch, with the model in evaluation mode and gradients off: named
     * figures for the history and for {@link TrainOptions#bestBy()}.
     */
    default Map<String, Double> validate(int epoch) {
        return Map.of();
    }

    /** Called after each epoch, once its checkpoint is written, with the history so far (e.g. to write a report). */
    default void endEpoch(List<Epoch> history) {}

    /** Figures of the epoch just trained that are not losses (fraction skipped by selection, ...). */
    default Map<String, Double> epochStats() {
        return Map.of();
    }

    /** The text after the loss on the progress bar (e.g. a temperature), or empty. */
    default String progress() {
        return "";
    }

    /** Metadata that describes the model, written into every checkpoint and best-weights file (config, vocabularies). */
    default Map<String, String> metadata() {
        return Map.of();
    }

    /** State to checkpoint beyond weights, optimizer and generators (e.g. per-pair confidences), as JSON-ready values. */
    default Map<String, Object> state() {
        return Map.of();
    }

    /**
     * Restores {@link #state()} and checks the checkpoint's {@link #metadata()} against this
     * recipe's (throw with the fix when they do not fit).
     */
    default void restore(Map<String, Object> state, Map<String, String> metadata) {}

    /** Where a step is: epoch (1-based), index in the epoch, optimizer steps so far and the loop's generator. */
    record Step(int epoch, int index, long globalStep, Rng rng) {}
}
