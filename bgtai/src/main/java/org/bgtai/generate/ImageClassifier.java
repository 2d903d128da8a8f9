package org.bgtai.generate;

import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Linear;
import org.bgtai.model.ImageEncoder;
import org.bgtai.nn.Module;
import org.bgtai.nn.ModuleList;
import org.bgtai.nn.Pool2d;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * The judge of generated images, trained on real images: a small CNN ({@link ImageEncoder}: conv
 * 3x3 blocks of widths 16, 32, 64 with ReLU and 2x2 max-pooling), a last 2x2 max-pooling, and on
 * the flattened map (which keeps where things are, so shape and size survive; a global average
 * would blur them) a hidden layer of 128 ReLU units and a linear head. Its predictions score
 * generation ("does the image show the spoken digit?") and the hidden layer is the feature
 * space of the Fréchet distance ({@link org.bgtai.metrics.Fid}). Images are flat rows
 * {@code [C * H * W]}, H and W at least 8.
 *
 * <p>A label may be made of independent factors (the built-in world's class = shape, colour and
 * size): with {@code factors = {f0, f1, ...}} the label is the mixed-radix number
 * {@code l = d0 + f0 (d1 + f1 (d2 + ...))}, every factor gets its own head and cross-entropy, and
 * the predicted label combines the heads' choices. Each head then learns from every image (a
 * shape from all colours and sizes) instead of from the images of one class.
 */
public final class ImageClassifier extends Module {
    /** Width of the hidden layer (the FID feature space). */
    public static final int FEATURES = 128;

    private final ImageEncoder cnn;
    private final Pool2d pool = Pool2d.max(2, 2, 0);
    private final Linear hidden;
    private final ModuleList<Linear> heads;
    private final int[] factors;
    private final int channels, height, width;

    /** A classifier of {@code classes} classes (one factor). */
    public ImageClassifier(int channels, int height, int width, int classes, Rng rng) {
        this(channels, height, width, new int[] {classes}, rng);
    }

    /** A classifier of labels made of {@code factors} (least significant first). */
    public ImageClassifier(int channels, int height, int width, int[] factors, Rng rng) {
        if (height < 8 || width < 8) throw new IllegalArgumentException("the judge pools three times: images must be at least 8x8, got " + height + "x" + width);
        if (factors.length == 0) throw new IllegalArgumentException("need at least one label factor");
        for (int f : factors) if (f < 2) throw new IllegalArgumentException("every label factor needs at least 2 values, got " + java.util.Arrays.toString(factors));
        this.factors = factors.clone();
        this.channels = channels;
        this.height = height;
        this.width = width;
        cnn = registerModule("cnn", new ImageEncoder(channels, new int[] {16, 32, 64}, rng));
        hidden = registerModule("hidden", new Linear(cnn.outChannels() * ((height / 8) * (width / 8) + 1), FEATURES, true, rng));
        heads = registerModule("heads", new ModuleList<>());
        for (int f : factors) heads.add(new Linear(FEATURES, f, true, rng));
    }

    private Var hidden(Var x) {
        Var f = cnn.featureMap(x.reshape(x.size(0), channels, height, width));
        Var m = pool.forward(f);
        // the pooled map (where things are) and its global maximum (what is there, wherever it is)
        Var glob = f.reshape(f.size(0), f.size(1), -1).max(2, false);
        return hidden.forward(Var.cat(java.util.List.of(m.reshape(m.size(0), -1), glob), 1)).relu();
    }

    /**
     * Trains on {@code images [n][D]} with labels in {@code [0, product of the factors)} (minibatches of 64, peak
     * learning rate 2e-3), with an atomic checkpoint in {@code checkpointDir} (or null) after every
     * epoch, and resume from it.
     * @return the mean training loss of the last epoch
     */
    public double fit(float[][] images, int[] labels, int epochs, long seed, boolean quiet, java.nio.file.Path checkpointDir, boolean resume) {
        if (images.length != labels.length) throw new IllegalArgumentException(images.length + " images but " + labels.length + " labels");
        int classes = classes();
        for (int y : labels) if (y < 0 || y >= classes) throw new IllegalArgumentException("label " + y + " outside [0, " + classes + ")");
        return Fit.run("classifier", this, images.length, epochs, 64, 2e-3, seed, quiet, checkpointDir, resume,
            (rows, rng) -> {
                Var h = hidden(Var.of(Fit.rows(images, rows)));
                Var loss = null;
                int radix = 1;
                for (int f = 0; f < factors.length; f++) {
                    int[] y = new int[rows.length];
                    for (int i = 0; i < rows.length; i++) y[i] = labels[rows[i]] / radix % factors[f];
                    Var l = CrossEntropy.loss(heads.get(f).forward(h), IntTensor.of(y, y.length));
                    loss = loss == null ? l : loss.add(l);
                    radix *= factors[f];
                }
                return loss;
            });
    }

    /** Number of labels: the product of the factors. */
    public int classes() {
        int classes = 1;
        for (int f : factors) classes *= f;
        return classes;
    }

    /** @return predicted class of every image */
    public int[] predict(float[][] images) {
        int[] out = new int[images.length];
        forBatches(images, (lo, x) -> {
            Var h = hidden(x);
            int radix = 1;
            for (int f = 0; f < factors.length; f++) {
                int[] p = heads.get(f).forward(h).value().argmax(1, false).data();
                for (int i = 0; i < p.length; i++) out[lo + i] += p[i] * radix;
                radix *= factors[f];
            }
        });
        return out;
    }

    /**
     * Class probabilities of every image, {@code [n][product of the factors]}: the softmax of the
     * head, or with several factors the product of the heads' softmaxes (the factors' choices
     * taken as independent, as {@link #predict} takes them), so every row sums to 1 and its
     * argmax is the predicted class. The input of the Inception Score ({@link org.bgtai.metrics.InceptionScore}).
     */
    public float[][] probabilities(float[][] images) {
        int classes = classes();
        float[][] out = new float[images.length][classes];
        for (float[] row : out) java.util.Arrays.fill(row, 1f);
        forBatches(images, (lo, x) -> {
            Var h = hidden(x);
            int radix = 1;
            for (int f = 0; f < factors.length; f++) {
                Tensor p = heads.get(f).forward(h).value().softmax(1);
                float[] a = p.contiguous().toArray();
                for (int i = 0; i < p.size(0); i++)
                    for (int l = 0; l < classes; l++) out[lo + i][l] *= a[i * factors[f] + l / radix % factors[f]];
                radix *= factors[f];
            }
        });
        return out;
    }

    /** @return hidden-layer features [n][128] (the FID feature space) */
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
