package org.bgtai.generate;

import org.bgtai.autograd.Var;
import org.bgtai.nn.Module;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.optim.LrSchedule;
import org.bgtai.nn.optim.Schedules;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.util.ProgressBar;

/** The minibatch loop shared by the generator and its evaluation classifier (AdamW, warm-up + cosine, progress bar). */
final class Fit {
    /** Loss of one minibatch given the row indices. */
    interface BatchLoss {
        Var loss(int[] rows, Rng rng);
    }

    private Fit() {}

    /** @return the mean loss of the last epoch */
    static double run(String task, Module model, int n, int epochs, int batch, double lr, long seed, boolean quiet, BatchLoss f) {
        if (n <= 0 || epochs <= 0 || batch <= 0) throw new IllegalArgumentException(task + ": need samples, epochs and batch > 0 (got " + n + ", " + epochs + ", " + batch + ")");
        Rng rng = new Rng(seed);
        AdamW opt = new AdamW(model.trainableParameters(), lr, 0.9, 0.999, 1e-8, 0.0);
        int steps = (n + batch - 1) / batch;
        LrSchedule sched = Schedules.warmupCosine(lr, Math.min(100, steps), (long) steps * epochs, lr * 0.05);
        double last = Double.NaN;
        try (ProgressBar bar = quiet ? null : new ProgressBar(task, (long) steps * epochs, "step")) {
            for (int e = 0; e < epochs; e++) {
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
