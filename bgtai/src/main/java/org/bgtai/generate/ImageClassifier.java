package org.bgtai.generate;

import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Linear;
import org.bgtai.model.ImageEncoder;
import org.bgtai.nn.Module;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * The judge of generated images: a small CNN ({@link ImageEncoder}, conv 3x3 blocks with
 * max-pooling, global average pooling) and a linear head, trained on real images. Its
 * predictions score generation ("does the image show the spoken digit?") and its pooled
 * features are the feature space of the Fréchet distance ({@link org.bgtai.metrics.Fid}).
 * Images are flat rows {@code [C * H * W]}.
 */
public final class ImageClassifier extends Module {
    private final ImageEncoder cnn;
    private final Linear head;
    private final int channels, height, width;

    public ImageClassifier(int channels, int height, int width, int classes, Rng rng) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        cnn = registerModule("cnn", new ImageEncoder(channels, new int[] {16, 32, 64}, rng));
        head = registerModule("head", new Linear(cnn.outChannels(), classes, true, rng));
    }

    private Var hidden(Var x) {
        return cnn.forward(x.reshape(x.size(0), channels, height, width));
    }

    /**
     * Trains on {@code images [n][D]} with labels in {@code [0, classes)}.
     * @return the mean training loss of the last epoch
     */
    public double fit(float[][] images, int[] labels, int epochs, long seed, boolean quiet) {
        return fit(images, labels, epochs, seed, quiet, null, false);
    }

    /** {@link #fit} with an atomic checkpoint in {@code checkpointDir} (or null) after every epoch, and resume from it. */
    public double fit(float[][] images, int[] labels, int epochs, long seed, boolean quiet, java.nio.file.Path checkpointDir, boolean resume) {
        if (images.length != labels.length) throw new IllegalArgumentException(images.length + " images but " + labels.length + " labels");
        return Fit.run("classifier", this, images.length, epochs, 64, 3e-3, seed, quiet, checkpointDir, resume,
            (rows, rng) -> {
                int[] y = new int[rows.length];
                for (int i = 0; i < rows.length; i++) y[i] = labels[rows[i]];
                return CrossEntropy.loss(head.forward(hidden(Var.of(Fit.rows(images, rows)))), IntTensor.of(y, y.length));
            });
    }

    /** @return predicted class of every image */
    public int[] predict(float[][] images) {
        int[] out = new int[images.length];
        forBatches(images, (lo, x) -> {
            int[] p = head.forward(hidden(x)).value().argmax(1, false).data();
            System.arraycopy(p, 0, out, lo, p.length);
        });
        return out;
    }

    /** @return pooled CNN features [n][64] (the FID feature space) */
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
