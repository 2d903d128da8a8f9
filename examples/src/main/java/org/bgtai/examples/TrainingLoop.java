package org.bgtai.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.Loss;
import org.bgtai.nn.train.Recipe;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * The training loop on one screen: a {@link Recipe} says what to train (a model, its examples,
 * the loss of a batch, a validation figure); {@link TrainOptions} say how (epochs, batch, AdamW
 * and its schedule, checkpoints); {@link Trainer} does the rest. The task is a "pinwheel": points
 * of the square [-1, 1]^2 whose class (4 of them) is the angular sector they fall in, taken modulo
 * 4 over 8 sectors, so that a linear model cannot separate them and a small MLP can.
 *
 * <p>Then checkpoint and resume: a second run is interrupted after half its epochs
 * ({@link TrainOptions#withStopAfter}, as a crash or Ctrl-C would), and a fresh process resumes it
 * from {@code checkpoint.safetensors}; it ends with the same weights as the uninterrupted run.
 *
 * <p>Run it with {@code bin/bgtai example TrainingLoop [DIR]} (DIR holds the checkpoints; a temporary
 * folder by default), or after {@code mvn package}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "examples/target/classes:cli/target/lib/*" org.bgtai.examples.TrainingLoop
 * </pre>
 * Time: 4 s for the three runs of 16 epochs over 1,000 points ({@code bin/bgtai example}, JVM start included, 2 cores
 * shared with another job).
 */
public final class TrainingLoop {
    private TrainingLoop() {}

    static final int CLASSES = 4, EPOCHS = 16;

    /** A two-hidden-layer perceptron, 2 -> 64 -> 64 -> 4. */
    public static final class Mlp extends Module {
        private final Linear l1, l2, out;

        public Mlp(Rng rng) {
            l1 = registerModule("l1", new Linear(2, 64, true, rng));
            l2 = registerModule("l2", new Linear(64, 64, true, rng));
            out = registerModule("out", new Linear(64, CLASSES, true, rng));
        }

        public Var forward(Var x) {
            return out.forward(l2.forward(l1.forward(x).relu()).relu());
        }
    }

    /** {@code n} random points [n, 2] and their pinwheel class. */
    record Points(float[] xy, int[] label) {
        static Points draw(int n, Rng rng) {
            float[] xy = new float[2 * n];
            int[] label = new int[n];
            for (int i = 0; i < n; i++) {
                double x = 2 * rng.nextDouble() - 1, y = 2 * rng.nextDouble() - 1;
                xy[2 * i] = (float) x;
                xy[2 * i + 1] = (float) y;
                int sector = (int) Math.floor((Math.atan2(y, x) + Math.PI) / (Math.PI / 4)) % 8;
                label[i] = sector % CLASSES;
            }
            return new Points(xy, label);
        }

        Tensor rows(int[] idx) {
            float[] out = new float[2 * idx.length];
            for (int i = 0; i < idx.length; i++) System.arraycopy(xy, 2 * idx[i], out, 2 * i, 2);
            return Tensor.of(out, idx.length, 2);
        }

        IntTensor labels(int[] idx) {
            int[] out = new int[idx.length];
            for (int i = 0; i < idx.length; i++) out[i] = label[idx[i]];
            return IntTensor.of(out, idx.length);
        }
    }

    /** What to train: the model, the examples, the loss of a batch and the validation accuracy. */
    record PinwheelRecipe(Mlp net, Points train, Points val) implements Recipe {
        @Override
        public Module model() {
            return net;
        }

        @Override
        public int size() {
            return train.label().length;
        }

        @Override
        public Loss loss(int[] batch, Step step) {
            return Loss.of(CrossEntropy.loss(net.forward(Var.of(train.rows(batch))), train.labels(batch)));
        }

        @Override
        public Map<String, Double> validate(int epoch) {
            return Map.of("val_acc", accuracy(net, val));
        }
    }

    /** Fraction of {@code p} classified correctly (no gradients). */
    static double accuracy(Mlp net, Points p) {
        int[] all = java.util.stream.IntStream.range(0, p.label().length).toArray();
        int[] pred;
        try (var g = GradMode.noGrad()) {
            pred = net.forward(Var.of(p.rows(all))).value().argmax(1, false).data();
        }
        int ok = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == p.label()[i]) ok++;
        return (double) ok / pred.length;
    }

    /**
     * What the program computed.
     *
     * @param valAccuracy   validation accuracy after the last epoch of the uninterrupted run
     * @param chance        accuracy of guessing (1 / classes)
     * @param maxResumeDiff largest |difference| between the weights of the uninterrupted and the resumed run
     * @param history       the uninterrupted run's epochs
     */
    public record Result(double valAccuracy, double chance, double maxResumeDiff, List<Epoch> history) {}

    public static void main(String[] args) throws IOException {
        run(args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("bgtai-training-loop"), System.out);
    }

    /** Trains, interrupts and resumes under {@code dir}, printing to {@code out}. */
    public static Result run(Path dir, PrintStream out) {
        Rng data = new Rng(7);
        Points train = Points.draw(1000, data), val = Points.draw(400, data);
        TrainOptions options = TrainOptions.of(EPOCHS, 32, 3e-3).withSeed(1).withLog(out)
            .withBestBy(List.of(TrainOptions.Criterion.max("val_acc")), 0);

        out.println("== uninterrupted run");
        Mlp full = new Mlp(new Rng(1));
        Trainer.Result r = new Trainer(options.withCheckpoints(dir.resolve("full"), false)).fit(new PinwheelRecipe(full, train, val));

        out.println("== the same run, interrupted after epoch " + EPOCHS / 2 + ", then resumed from its checkpoint");
        Path ckpt = dir.resolve("interrupted");
        new Trainer(options.withCheckpoints(ckpt, false).withStopAfter(EPOCHS / 2)).fit(new PinwheelRecipe(new Mlp(new Rng(1)), train, val));
        Mlp resumed = new Mlp(new Rng(1));   // as a new process would: fresh weights, then the checkpoint's
        new Trainer(options.withCheckpoints(ckpt, true)).fit(new PinwheelRecipe(resumed, train, val));

        double diff = 0;
        Map<String, Tensor> a = full.stateDict(), b = resumed.stateDict();
        for (String k : a.keySet()) {
            float[] x = a.get(k).toArray(), y = b.get(k).toArray();
            for (int i = 0; i < x.length; i++) diff = Math.max(diff, Math.abs(x[i] - y[i]));
        }
        double acc = r.last().metric("val_acc");
        out.printf("validation accuracy %.1f%% (chance %.1f%%, best epoch %d); resumed vs uninterrupted weights: max |diff| %.2g%n",
            100 * acc, 100.0 / CLASSES, r.bestEpoch(), diff);
        return new Result(acc, 1.0 / CLASSES, diff, r.history());
    }
}
