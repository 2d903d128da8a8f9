package org.bgtai.metrics;

/**
 * Linear probe: multinomial logistic regression on frozen embeddings, the standard measure of how
 * linearly separable the classes are in a representation. Features are standardised with the
 * training mean and standard deviation, then
 * <pre>
 *   p(c | x) = softmax_c(W_c . x + b_c),   minimise  -mean log p(y | x) + l2/2 |W|^2
 * </pre>
 * by full-batch gradient descent with Nesterov momentum (the problem is convex; a few hundred
 * steps converge on standardised features). Deterministic: no random initialisation (W = 0).
 *
 * <pre>{@code
 * LinearProbe p = LinearProbe.fit(trainEmb, trainLabels, 10, 1e-3, 300);   // trainEmb [N][D]
 * double acc = p.accuracy(testEmb, testLabels);
 * }</pre>
 */
public final class LinearProbe {
    private final double[] mean, std;
    private final double[][] w;   // [K][D + 1], last column = bias

    private LinearProbe(double[] mean, double[] std, double[][] w) {
        this.mean = mean;
        this.std = std;
        this.w = w;
    }

    /**
     * @param x       [N][D] training embeddings
     * @param y       [N] labels in [0, classes)
     * @param classes number of classes K
     * @param l2      weight decay on W (not on the bias), >= 0
     * @param iters   gradient steps
     */
    public static LinearProbe fit(float[][] x, int[] y, int classes, double l2, int iters) {
        int n = x.length;
        if (n == 0 || n != y.length) throw new IllegalArgumentException("linear probe needs equal, non-zero numbers of embeddings and labels, got " + n + "/" + y.length);
        int d = x[0].length;
        for (int i = 0; i < n; i++) {
            if (x[i].length != d) throw new IllegalArgumentException("embedding " + i + " has " + x[i].length + " dims, expected " + d);
            if (y[i] < 0 || y[i] >= classes) throw new IllegalArgumentException("label " + y[i] + " of row " + i + " outside [0, " + classes + ")");
        }
        double[] mean = new double[d], std = new double[d];
        for (float[] r : x) for (int j = 0; j < d; j++) mean[j] += r[j] / (double) n;
        for (float[] r : x) for (int j = 0; j < d; j++) std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
        for (int j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) + 1e-8;
        double[][] z = new double[n][d + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) z[i][j] = (x[i][j] - mean[j]) / std[j];
            z[i][d] = 1;
        }
        double[][] w = new double[classes][d + 1], v = new double[classes][d + 1], look = new double[classes][d + 1], g = new double[classes][d + 1];
        double lr = 0.5, mom = 0.9;
        double[] p = new double[classes];
        for (int it = 0; it < iters; it++) {
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j <= d; j++) look[c][j] = w[c][j] + mom * v[c][j];
                java.util.Arrays.fill(g[c], 0);
            }
            for (int i = 0; i < n; i++) {
                softmax(look, z[i], p);
                p[y[i]] -= 1;
                for (int c = 0; c < classes; c++) {
                    double pc = p[c] / n;
                    if (pc == 0) continue;
                    double[] gc = g[c], zi = z[i];
                    for (int j = 0; j <= d; j++) gc[j] += pc * zi[j];
                }
            }
            for (int c = 0; c < classes; c++)
                for (int j = 0; j <= d; j++) {
                    double grad = g[c][j] + (j < d ? l2 * look[c][j] : 0);
                    v[c][j] = mom * v[c][j] - lr * grad;
                    w[c][j] += v[c][j];
                }
        }
        return new LinearProbe(mean, std, w);
    }

    private static void softmax(double[][] w, double[] z, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < w.length; c++) {
            double s = 0;
            for (int j = 0; j < z.length; j++) s += w[c][j] * z[j];
            out[c] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < w.length; c++) sum += out[c] = Math.exp(out[c] - max);
        for (int c = 0; c < w.length; c++) out[c] /= sum;
    }

    /** Class probabilities of one embedding [D] -> [K]. */
    public double[] probabilities(float[] x) {
        int d = mean.length;
        if (x.length != d) throw new IllegalArgumentException("embedding has " + x.length + " dims, the probe was fitted on " + d);
        double[] z = new double[d + 1];
        for (int j = 0; j < d; j++) z[j] = (x[j] - mean[j]) / std[j];
        z[d] = 1;
        double[] p = new double[w.length];
        softmax(w, z, p);
        return p;
    }

    /** Most probable class of one embedding [D]. */
    public int predict(float[] x) {
        double[] p = probabilities(x);
        int arg = 0;
        for (int c = 1; c < p.length; c++) if (p[c] > p[arg]) arg = c;
        return arg;
    }

    /** Fraction of rows of {@code x} [N][D] predicted as {@code y}. */
    public double accuracy(float[][] x, int[] y) {
        int ok = 0;
        for (int i = 0; i < x.length; i++) if (predict(x[i]) == y[i]) ok++;
        return x.length == 0 ? 0 : (double) ok / x.length;
    }
}
