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

    /**
     * Accuracies of a probe protocol: one per held-out fold (or one for a single split), their mean
     * and standard deviation (sample, n - 1; 0 for one fold).
     *
     * @param folds the held-out fold of each accuracy ({@code "holdout"} for a single split)
     * @param test  test rows of each fold
     */
    public record Protocol(java.util.List<String> folds, double[] accuracy, int[] test, double mean, double std) {
        static Protocol of(java.util.List<String> folds, double[] acc, int[] test) {
            double m = 0, v = 0;
            for (double a : acc) m += a / acc.length;
            for (double a : acc) v += (a - m) * (a - m);
            return new Protocol(java.util.List.copyOf(folds), acc, test, m, acc.length > 1 ? Math.sqrt(v / (acc.length - 1)) : 0);
        }
    }

    /**
     * K-fold cross-validation over given folds, as ESC-50's protocol: for each distinct fold, fit
     * on the rows of the other folds and test on its rows. Folds are taken in numeric order when
     * they are all numbers, else in text order.
     *
     * @param fold fold of each row (e.g. the CSV's {@code fold} column)
     */
    public static Protocol crossValidate(float[][] x, int[] y, String[] fold, int classes, double l2, int iters) {
        java.util.TreeSet<String> distinct = new java.util.TreeSet<>(java.util.Comparator.comparing((String f) -> f.matches("-?\\d{1,18}") ? Long.parseLong(f) : Long.MAX_VALUE)
            .thenComparing(java.util.Comparator.naturalOrder()));
        java.util.Collections.addAll(distinct, fold);
        if (distinct.size() < 2) throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + distinct);
        java.util.List<String> names = new java.util.ArrayList<>(distinct);
        double[] acc = new double[names.size()];
        int[] test = new int[names.size()];
        for (int k = 0; k < names.size(); k++) {
            java.util.List<Integer> tr = new java.util.ArrayList<>(), te = new java.util.ArrayList<>();
            for (int i = 0; i < x.length; i++) (fold[i].equals(names.get(k)) ? te : tr).add(i);
            if (tr.isEmpty()) throw new IllegalArgumentException("fold " + names.get(k) + " holds every row: nothing to train on");
            acc[k] = fit(rows(x, tr), rows(y, tr), classes, l2, iters).accuracy(rows(x, te), rows(y, te));
            test[k] = te.size();
        }
        return Protocol.of(names, acc, test);
    }

    /** One seeded split: fit on a random {@code 1 - testFraction} of the rows, test on the rest (at least one row each). */
    public static Protocol holdOut(float[][] x, int[] y, int classes, double testFraction, long seed, double l2, int iters) {
        if (x.length < 2) throw new IllegalArgumentException("a train/test split needs at least 2 rows, got " + x.length);
        int[] perm = new org.bgtai.tensor.Rng(seed).permutation(x.length);
        int nTest = Math.min(x.length - 1, Math.max(1, (int) Math.round(testFraction * x.length)));
        java.util.List<Integer> tr = new java.util.ArrayList<>(), te = new java.util.ArrayList<>();
        for (int j = 0; j < perm.length; j++) (j < nTest ? te : tr).add(perm[j]);
        double acc = fit(rows(x, tr), rows(y, tr), classes, l2, iters).accuracy(rows(x, te), rows(y, te));
        return Protocol.of(java.util.List.of("holdout"), new double[] {acc}, new int[] {te.size()});
    }

    private static float[][] rows(float[][] x, java.util.List<Integer> idx) {
        float[][] out = new float[idx.size()][];
        for (int i = 0; i < out.length; i++) out[i] = x[idx.get(i)];
        return out;
    }

    private static int[] rows(int[] y, java.util.List<Integer> idx) {
        int[] out = new int[idx.size()];
        for (int i = 0; i < out.length; i++) out[i] = y[idx.get(i)];
        return out;
    }
}
