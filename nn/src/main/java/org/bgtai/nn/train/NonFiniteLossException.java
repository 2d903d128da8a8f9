package org.bgtai.nn.train;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A loss that is NaN or infinite, caught by {@link Trainer} before its backward pass: the weights
 * are those after the last good step, and the checkpoint of the last finished epoch is kept.
 */
public final class NonFiniteLossException extends ArithmeticException {
    private final int epoch, index;
    private final long step;

    NonFiniteLossException(int epoch, int index, long step, String what, Map<String, Double> terms, double lastFinite, Path checkpointDir) {
        super(String.format(Locale.ROOT, "training loss is not finite at epoch %d, batch %d (optimizer step %d): %s; terms %s; last finite loss %s. "
                + "Lower the learning rate or raise the warm-up, check the data for NaN/Inf, then resume%s", epoch, index, step, what, terms,
            Double.isNaN(lastFinite) ? "none yet" : String.format(Locale.ROOT, "%.6g", lastFinite),
            checkpointDir == null ? "" : " from the last good checkpoint in " + checkpointDir + " (it was not overwritten)"));
        this.epoch = epoch;
        this.index = index;
        this.step = step;
    }

    /** 1-based epoch of the failing batch. */
    public int epoch() {
        return epoch;
    }

    /** Index of the failing batch in its epoch. */
    public int batchIndex() {
        return index;
    }

    /** Optimizer steps taken before the failing batch. */
    public long step() {
        return step;
    }
}
