package org.bgtai.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bgtai.autograd.Var;
import org.bgtai.nn.train.Checkpoint;
import org.bgtai.nn.Module;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.optim.LrSchedule;
import org.bgtai.nn.optim.Schedules;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.nn.train.ProgressBar;

/** The minibatch loop shared by the generator and its evaluation classifier (AdamW, warm-up + cosine, progress bar, optional per-epoch checkpoint). */
final class Fit {
    /** Loss of one minibatch given the row indices. */
    interface BatchLoss {
        Var loss(int[] rows, Rng rng);
    }

    private Fit() {}

    /** @return the mean loss of the last epoch */
    static double run(String task, Module model, int n, int epochs, int batch, double lr, long seed, boolean quiet, BatchLoss f) {
        try {
            return run(task, model, n, epochs, batch, lr, seed, quiet, null, false, f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // unreachable without a checkpoint file
        }
    }

    /**
     * @param checkpoint file written atomically after every epoch (weights, AdamW, RNG, epoch), or null
     * @param resume     continue from {@code checkpoint} when it exists
     * @return the mean loss of the last epoch run here (NaN when the checkpoint had finished)
     */
    static double run(String task, Module model, int n, int epochs, int batch, double lr, long seed, boolean quiet,
                      Path checkpoint, boolean resume, BatchLoss f) throws IOException {
        if (n <= 0 || epochs <= 0 || batch <= 0) throw new IllegalArgumentException(task + ": need samples, epochs and batch > 0 (got " + n + ", " + epochs + ", " + batch + ")");
        Rng rng = new Rng(seed);
        AdamW opt = new AdamW(model.trainableParameters(), lr, 0.9, 0.999, 1e-8, 0.0);
        int steps = (n + batch - 1) / batch;
        LrSchedule sched = Schedules.warmupCosine(lr, Math.min(100, steps), (long) steps * epochs, lr * 0.05);
        double last = Double.NaN;
        int start = 0;
        if (resume && checkpoint != null && Files.exists(checkpoint)) {
            Checkpoint.Info info = Checkpoint.load(checkpoint, model, opt);
            rng = info.rng();
            start = info.epoch();
            if (!quiet) System.err.println(task + ": resumed from " + checkpoint + " after epoch " + start);
        }
        try (ProgressBar bar = quiet ? null : new ProgressBar(task, (long) steps * (epochs - start), "step")) {
            for (int e = start; e < epochs; e++) {
                int[] order = rng.permutation(n);
                double sum = 0;
                for (int s = 0; s < steps; s++) {
                    int lo = s * batch, hi = Math.min(n, lo + batch);
                    int[] rows = java.util.Arrays.copyOfRange(order, lo, hi);
                    opt.setLr(sched.lr(opt.stepCount()));
                    Var loss = f.loss(rows, rng);
                    float v = loss.item();
                    if (!Float.isFinite(v))
                        throw new IllegalStateException(task + ": loss became " + v + " at epoch " + e + " step " + s + "; lower the learning rate (now " + lr + ")");
                    loss.backward();
                    opt.step();
                    opt.zeroGrad();
                    sum += v;
                    if (bar != null) bar.step(1, "epoch %d loss %.4f", e + 1, v);
                }
                last = sum / steps;
                if (checkpoint != null) Checkpoint.save(checkpoint, model, opt, rng, e + 1, Map.of("task", task));
            }
        }
        return last;
    }

    /** Rows {@code rows} of {@code x} as a [rows, D] tensor. */
    static Tensor rows(float[][] x, int[] rows) {
        int d = x[0].length;
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(x[rows[i]], 0, out, i * d, d);
        return Tensor.of(out, rows.length, d);
    }
}
