package org.bgtai.joint;

/**
 * Optimisation settings.
 *
 * @param epochs      passes over the training set
 * @param batchSize   samples per step (the last partial batch is dropped; InfoNCE needs negatives)
 * @param lr          peak AdamW learning rate (linear warm-up, cosine decay to lr/20)
 * @param weightDecay AdamW decoupled weight decay
 * @param warmupSteps warm-up steps
 * @param clipNorm    global gradient-norm clip (0 = off)
 * @param seed        shuffling seed (its state is checkpointed)
 */
public record TrainConfig(int epochs, int batchSize, double lr, double weightDecay, int warmupSteps, double clipNorm, long seed) {
    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batchSize < 2) throw new IllegalArgumentException("batch size must be >= 2 (InfoNCE needs negatives), got " + batchSize);
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
    }
}
