package org.bgtai.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bgtai demo}: trains a small network end to end on data it makes itself (no files
 * needed) and writes a report. Until the BGTAI built-in world lands, the demo is a two-layer
 * MLP classifying a procedural three-arm spiral, trained with Adam through our autograd.
 */
@Command(name = "demo", description = "Train a small model end to end on built-in data (no downloads) and write a report.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--steps", description = "training steps (default ${DEFAULT-VALUE})", defaultValue = "400")
    int steps;

    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--out", description = "report folder (default ${DEFAULT-VALUE})", defaultValue = "reports/demo")
    Path out;

    /** Three interleaved spiral arms, {@code n} points each: x [3n, 2], labels [3n]. */
    static Object[] spiral(Rng rng, int n) {
        float[] x = new float[3 * n * 2];
        int[] y = new int[3 * n];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < n; i++) {
                double r = (double) i / n, t = c * 2 * Math.PI / 3 + r * 4 + rng.nextGaussian() * 0.15;
                int k = c * n + i;
                x[2 * k] = (float) (r * Math.cos(t));
                x[2 * k + 1] = (float) (r * Math.sin(t));
                y[k] = c;
            }
        return new Object[] {Tensor.of(x, 3 * n, 2), IntTensor.of(y)};
    }

    @Override
    public Integer call() throws IOException {
        Rng rng = new Rng(seed);
        Object[] train = spiral(rng, 300), test = spiral(rng, 100);
        Tensor xTrain = (Tensor) train[0], xTest = (Tensor) test[0];
        IntTensor yTrain = (IntTensor) train[1], yTest = (IntTensor) test[1];
        int hidden = 64;
        Var w1 = Var.param(rng.normal(0, (float) Math.sqrt(2.0 / 2), hidden, 2)), b1 = Var.param(Tensor.zeros(hidden));
        Var w2 = Var.param(rng.normal(0, (float) Math.sqrt(2.0 / hidden), hidden, hidden)), b2 = Var.param(Tensor.zeros(hidden));
        Var w3 = Var.param(rng.normal(0, (float) Math.sqrt(1.0 / hidden), 3, hidden)), b3 = Var.param(Tensor.zeros(3));
        Var[] params = {w1, b1, w2, b2, w3, b3};
        Tensor[] m = new Tensor[params.length], v = new Tensor[params.length];
        for (int i = 0; i < params.length; i++) {
            m[i] = params[i].value().zerosLike();
            v[i] = params[i].value().zerosLike();
        }
        float lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f;
        float loss = Float.NaN;
        try (var bar = new ProgressBar("demo", steps, "step")) {
            for (int step = 1; step <= steps; step++) {
                Var logits = forward(Var.of(xTrain), params);
                Var nll = logits.logSoftmax(-1).gather(1, yTrain.reshape(-1, 1)).mean().neg();
                loss = nll.item();
                if (!Float.isFinite(loss)) throw new ArithmeticException("demo loss became " + loss + " at step " + step + "; lower --steps or change --seed");
                for (Var p : params) p.zeroGrad();
                nll.backward();
                for (int i = 0; i < params.length; i++) {  // Adam, in place
                    Tensor g = params[i].grad();
                    m[i] = m[i].mul(beta1).add(g.mul(1 - beta1));
                    v[i] = v[i].mul(beta2).add(g.square().mul(1 - beta2));
                    float c1 = 1 - (float) Math.pow(beta1, step), c2 = 1 - (float) Math.pow(beta2, step);
                    Tensor upd = m[i].div(c1).div(v[i].div(c2).sqrt().add(1e-8f));
                    params[i].value().addInPlace(upd, -lr);
                }
                bar.step(1, "loss %.4f", loss);
            }
        }
        double acc;
        try (var ignored = GradMode.noGrad()) {
            IntTensor pred = forward(Var.of(xTest), params).value().argmax(1, false);
            int ok = 0;
            for (int i = 0; i < pred.numel(); i++) if (pred.data()[i] == yTest.data()[i]) ok++;
            acc = (double) ok / pred.numel();
        }
        Files.createDirectories(out);
        Path json = out.resolve("metrics.json");
        Files.writeString(json, String.format(Locale.ROOT,
            "{\"demo\": \"spiral-mlp\", \"steps\": %d, \"seed\": %d, \"final_train_loss\": %.6f, \"test_accuracy\": %.4f}%n",
            steps, seed, loss, acc));
        System.out.printf(Locale.ROOT, "test accuracy %.1f%% (300 held-out points, 3 classes); report: %s%n", 100 * acc, json);
        return acc > 0.9 ? 0 : 3;
    }

    private static Var forward(Var x, Var[] p) {
        Var h = x.matmul(p[0].mT()).add(p[1]).relu();
        h = h.matmul(p[2].mT()).add(p[3]).relu();
        return h.matmul(p[4].mT()).add(p[5]);
    }
}
