package org.bgtai.nn.align;

/**
 * Alignment cross-entropy (BGTAI Eq. 5) between a predicted distribution over source
 * positions for each target element and a DTW path:
 * <pre>
 *   L = -1/Q sum_q sum_t P*[q, t] log softmax_t(z[q, :])[t],    P*[q, :] = A*[q, :] / sum_t A*[q, t]
 * </pre>
 * with logits {@code z} [Q, T] and the binary path {@code A*} [Q, T] (each row normalised
 * into a target distribution; any non-negative rows work). The gradient with respect to the
 * logits is {@code (softmax(z) - P*) / Q}.
 *
 * <pre>{@code
 * AlignmentCrossEntropy.Result r = AlignmentCrossEntropy.of(logits, dtw.matrix(), q, t);
 * }</pre>
 */
public final class AlignmentCrossEntropy {
    private AlignmentCrossEntropy() {}

    /**
     * @param value    the loss
     * @param gradient dL/dlogits [Q, T] row-major
     */
    public record Result(double value, float[] gradient) {}

    /**
     * @param logits z [Q, T] row-major, finite
     * @param path   A* [Q, T] row-major, non-negative, every row with a positive entry
     */
    public static Result of(float[] logits, float[] path, int q, int t) {
        Checks.matrix("logits", logits, q, t);
        Checks.matrix("target path", path, q, t);
        if (logits.length != path.length) throw new IllegalArgumentException("logits and path differ in size");
        double value = 0;
        float[] g = new float[q * t];
        for (int i = 0; i < q; i++) {
            int row = i * t;
            double sum = 0, max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < t; j++) {
                float p = path[row + j];
                if (p < 0) throw new IllegalArgumentException("target path [" + q + ", " + t + "] has a negative entry " + p + " at (" + i + ", " + j + ")");
                sum += p;
                max = Math.max(max, logits[row + j]);
            }
            if (sum == 0) throw new IllegalArgumentException("target path [" + q + ", " + t + "] row " + i + " is empty; every target element needs at least one source position");
            double z = 0;
            for (int j = 0; j < t; j++) z += Math.exp(logits[row + j] - max);
            double logZ = max + Math.log(z);
            for (int j = 0; j < t; j++) {
                double target = path[row + j] / sum;
                double logp = logits[row + j] - logZ;
                if (target > 0) value -= target * logp;
                g[row + j] = (float) ((Math.exp(logp) - target) / q);
            }
        }
        return new Result(value / q, g);
    }
}
