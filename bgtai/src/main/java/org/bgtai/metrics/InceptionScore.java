package org.bgtai.metrics;

/**
 * Inception Score (Salimans et al. 2016) of a set of images from a classifier's class
 * probabilities {@code p(y|x)} (Inception's when the classifier is Inception; here whatever
 * classifier the caller names, e.g. a digit judge, so the number is comparable only across runs
 * with the same classifier):
 * <pre>
 *   IS = exp( mean_x KL(p(y|x) || p(y)) ),   p(y) = mean_x p(y|x)
 * </pre>
 * It lies in {@code [1, K]} for K classes: 1 when every image gets the same distribution (no
 * variety or no confidence), K when every image is classified with certainty and the classes are
 * used equally. Terms with {@code p(y|x) = 0} contribute 0 ({@code 0 log 0 = 0}).
 */
public final class InceptionScore {
    private InceptionScore() {}

    /**
     * @param probs [n][K] class probabilities, n >= 1, every row non-negative and summing to 1
     *              (within 1e-3)
     */
    public static double score(float[][] probs) {
        if (probs.length == 0) throw new IllegalArgumentException("Inception Score needs at least one row of probabilities");
        int k = probs[0].length;
        if (k == 0) throw new IllegalArgumentException("Inception Score needs at least one class");
        double[] marginal = new double[k];
        for (int i = 0; i < probs.length; i++) {
            float[] p = probs[i];
            if (p.length != k) throw new IllegalArgumentException("ragged probabilities: row " + i + " has " + p.length + " classes, row 0 has " + k);
            double s = 0;
            for (float v : p) {
                if (!(v >= 0)) throw new IllegalArgumentException("row " + i + " has a negative or NaN probability " + v);
                s += v;
            }
            if (Math.abs(s - 1) > 1e-3) throw new IllegalArgumentException("row " + i + " sums to " + s + ", not 1: pass probabilities (a softmax), not logits");
            for (int c = 0; c < k; c++) marginal[c] += p[c];
        }
        for (int c = 0; c < k; c++) marginal[c] /= probs.length;
        double kl = 0;
        for (float[] p : probs)
            for (int c = 0; c < k; c++)
                if (p[c] > 0) kl += p[c] * Math.log(p[c] / marginal[c]);   // marginal[c] >= p[c] / n > 0
        return Math.exp(kl / probs.length);
    }
}
