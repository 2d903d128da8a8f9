package org.bgtai.generate;

import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * The judge of generated images: a two-layer MLP classifier ({@code D -> hidden -> ReLU -> classes})
 * trained on real images. Its predictions score generation ("does the image show the spoken
 * digit?") and its hidden layer is the feature space of the Fréchet distance
 * ({@link org.bgtai.metrics.Fid}).
 */
public final class ImageClassifier extends Module {
    private final Linear fc1, fc2;

    public ImageClassifier(int dim, int hidden, int classes, Rng rng) {
        fc1 = registerModule("fc1", new Linear(dim, hidden, true, rng));
        fc2 = registerModule("fc2", new Linear(hidden, classes, true, rng));
    }

    private Var hidden(Var x) {
        return fc1.forward(x).relu();
    }

    /**
     * Trains on {@code images [n][D]} with labels in {@code [0, classes)}.
     * @return the mean training loss of the last epoch
     */
    public double fit(float[][] images, int[] labels, int epochs, long seed, boolean quiet) {
        if (images.length != labels.length) throw new IllegalArgumentException(images.length + " images but " + labels.length + " labels");
        return Fit.run("classifier", this, images.length, epochs, 128, 2e-3, seed, quiet,
            (rows, rng) -> {
                int[] y = new int[rows.length];
                for (int i = 0; i < rows.length; i++) y[i] = labels[rows[i]];
                return CrossEntropy.loss(fc2.forward(hidden(Var.of(Fit.rows(images, rows)))), IntTensor.of(y, y.length));
            });
    }

    /** @return predicted class of every image */
    public int[] predict(float[][] images) {
        int[] out = new int[images.length];
        forBatches(images, (lo, x) -> {
            int[] p = fc2.forward(hidden(x)).value().argmax(1, false).data();
            System.arraycopy(p, 0, out, lo, p.length);
        });
        return out;
    }

    /** @return hidden-layer features [n][hidden] (the FID feature space) */
    public float[][] features(float[][] images) {
        float[][] out = new float[images.length][];
        forBatches(images, (lo, x) -> {
            Tensor h = hidden(x).value();
            int f = h.size(1);
            float[] a = h.contiguous().toArray();
            for (int i = 0; i < h.size(0); i++) out[lo + i] = java.util.Arrays.copyOfRange(a, i * f, (i + 1) * f);
        });
        return out;
    }

    private interface Chunk {
        void accept(int lo, Var x);
    }

    private static void forBatches(float[][] images, Chunk c) {
        try (var g = GradMode.noGrad()) {
            for (int lo = 0; lo < images.length; lo += 512) {
                int hi = Math.min(images.length, lo + 512);
                int[] rows = new int[hi - lo];
                for (int i = 0; i < rows.length; i++) rows[i] = lo + i;
                c.accept(lo, Var.of(Fit.rows(images, rows)));
            }
        }
    }
}
