package org.bgtai.generate;

import java.nio.file.Path;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Module;
import org.bgtai.nn.optim.Schedules;
import org.bgtai.nn.train.Loss;
import org.bgtai.nn.train.OptimizerConfig;
import org.bgtai.nn.train.Recipe;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * The recipe shared by the generator and its evaluation classifier: minibatches of rows (the last
 * one partial), AdamW (betas 0.9 / 0.999, no weight decay), warm-up over at most one epoch (100
 * steps, and short of the last step) then cosine decay to 5%, no clipping, on the training loop (progress, optional per-epoch
 * checkpoints and resume).
 */
final class Fit {
    /** Loss of one minibatch given the row indices (draws, e.g. noise, come from the loop's generator). */
    interface BatchLoss {
        Var loss(int[] rows, Rng rng);
    }

    private Fit() {}

    /**
     * @param checkpointDir folder of the per-epoch checkpoint (weights, AdamW, generator, epoch), or null
     * @param resume        continue from the checkpoint there when it exists
     * @return the mean loss of the last epoch run in this call (NaN when the checkpoint had finished)
     */
    static double run(String task, Module model, int n, int epochs, int batch, double lr, long seed, boolean quiet, Path checkpointDir, boolean resume,
                      BatchLoss f) {
        if (n <= 0 || epochs <= 0 || batch <= 0) throw new IllegalArgumentException(task + ": need samples, epochs and batch > 0 (got " + n + ", " + epochs + ", " + batch + ")");
        int steps = (n + batch - 1) / batch;
        TrainOptions o = TrainOptions.of(epochs, batch, lr).withBatches(batch, false)
            .withOptimizer(OptimizerConfig.adamW(lr).withBetas(0.9, 0.999).withWeightDecay(0))
            .withSchedule((peak, total) -> Schedules.warmupCosine(peak, Math.min(Math.min(100, steps), total - 1), total, peak * 0.05)).withClipNorm(0)
            .withSeed(seed).withCheckpoints(checkpointDir, resume).withLog(quiet ? null : System.err);
        Trainer.Result r = new Trainer(o).fit(new Recipe() {
            @Override
            public Module model() {
                return model;
            }

            @Override
            public int size() {
                return n;
            }

            @Override
            public Loss loss(int[] rows, Step step) {
                return Loss.of(f.loss(rows, step.rng()));
            }
        });
        return r.stepLosses().isEmpty() ? Double.NaN : r.last().loss();
    }

    /** Rows {@code rows} of {@code x} as a [rows, D] tensor. */
    static Tensor rows(float[][] x, int[] rows) {
        int d = x[0].length;
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(x[rows[i]], 0, out, i * d, d);
        return Tensor.of(out, rows.length, d);
    }
}
