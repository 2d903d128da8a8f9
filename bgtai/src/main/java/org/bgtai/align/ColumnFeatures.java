package org.bgtai.align;

import java.util.List;
import org.bgtai.data.DigitString;
import org.bgtai.data.Image;

/**
 * Source features of an image read as a sequence ("image as a sequence"): column x of a
 * {@code [C, H, W]} image is the vector of its {@code C * H} pixels (top to bottom, channel by
 * channel), each pixel row standardised with a mean and standard deviation fitted on training
 * images. No learned or random projection: for MNIST strips a column is 28 numbers. Positions
 * are in columns ({@link AlignPair#COLUMNS}, one position per column).
 *
 * <pre>{@code
 * ColumnFeatures cf = ColumnFeatures.fit(trainingDigitImages);
 * AlignPair p = cf.pair(digitString);   // Y [W, 28], truth from the digits' column spans
 * }</pre>
 */
public final class ColumnFeatures {
    private final float[] mean, std;
    private final int dim;

    private ColumnFeatures(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
        this.dim = mean.length;
    }

    /** Fits the per-pixel-row statistics on the columns of the given images (all of one channel count and height). */
    public static ColumnFeatures fit(List<Image> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("need at least one image to fit column statistics");
        int d = images.get(0).channels() * images.get(0).height();
        double[] s = new double[d], ss = new double[d];
        long n = 0;
        for (Image im : images) {
            if (im.channels() * im.height() != d)
                throw new IllegalArgumentException("images differ in channels x height: " + im.channels() + "x" + im.height() + " vs " + d + " pixels a column");
            for (int x = 0; x < im.width(); x++)
                for (int r = 0; r < d; r++) {
                    double v = im.data()[r * im.width() + x];
                    s[r] += v;
                    ss[r] += v * v;
                }
            n += im.width();
        }
        float[] mean = new float[d], std = new float[d];
        for (int r = 0; r < d; r++) {
            double mu = s[r] / n;
            mean[r] = (float) mu;
            std[r] = (float) Math.sqrt(Math.max(1e-4, ss[r] / n - mu * mu));
        }
        return new ColumnFeatures(mean, std);
    }

    /** F = pixels per column. */
    public int dim() {
        return dim;
    }

    /** Standardised columns Y [W, C * H] of an image. */
    public float[] frames(Image im) {
        if (im.channels() * im.height() != dim)
            throw new IllegalArgumentException("image has " + im.channels() + "x" + im.height() + " pixels a column, the features were fitted on " + dim);
        int w = im.width();
        float[] y = new float[w * dim];
        for (int x = 0; x < w; x++)
            for (int r = 0; r < dim; r++) y[x * dim + r] = (im.data()[r * w + x] - mean[r]) / std[r];
        return y;
    }

    /**
     * A pair of an image, its tokens and the true column span {@code [starts[q], ends[q])} of each
     * token. Column x sits at position x (its centre), so a span's extent is
     * {@code [starts[q] - 1/2, ends[q] - 1/2)} and the truth splits the background between two
     * spans at its middle, as for audio ({@link AlignMetrics#truthLabels}).
     */
    public AlignPair pair(Image im, int[] tokens, int[] starts, int[] ends) {
        float[] y = frames(im);
        int w = im.width();
        double[] s = new double[tokens.length], e = new double[tokens.length];
        for (int q = 0; q < tokens.length; q++) {
            s[q] = starts[q] - 0.5;
            e[q] = ends[q] - 0.5;
        }
        return new AlignPair(y, w, dim, tokens.clone(), AlignMetrics.truthLabels(w, 1, s, e), s, e, 1, AlignPair.COLUMNS);
    }

    /** A pair from a digit string's strip (tokens = digits 0-9). */
    public AlignPair pair(DigitString d) {
        return pair(d.image(), d.digits(), d.colStarts(), d.colEnds());
    }
}
