package org.bgtai.nn.align;

/**
 * The local cost {@code c(x_i, y_j)} between one element of each sequence, the entries of the
 * DTW cost matrix {@code C[i, j] = c(x_i, y_j)}.
 *
 * <p>The standard choices are in {@link StandardCost}; any lambda works for DTW:
 * <pre>{@code
 * LocalCost l1 = (x, xo, y, yo, d) -> { double s = 0; for (int k = 0; k < d; k++) s += Math.abs(x[xo + k] - y[yo + k]); return s; };
 * }</pre>
 * Soft-DTW gradients with respect to the sequences also need {@link #addGradient}; a lambda
 * that does not override it can still be used for values and for the gradient with respect
 * to the cost matrix.
 */
@FunctionalInterface
public interface LocalCost {

    /**
     * The cost between {@code x[xo .. xo+d)} and {@code y[yo .. yo+d)}.
     *
     * @param x  a row-major sequence, element starts at {@code xo}
     * @param y  a row-major sequence, element starts at {@code yo}
     * @param d  the feature dimension
     */
    double cost(float[] x, int xo, float[] y, int yo, int d);

    /**
     * Adds {@code scale * dc/dx} to {@code gx[xo .. xo+d)} and {@code scale * dc/dy} to
     * {@code gy[yo .. yo+d)}.
     *
     * @throws UnsupportedOperationException for a user function without a gradient
     */
    default void addGradient(float[] x, int xo, float[] y, int yo, int d, double scale,
                             double[] gx, double[] gy) {
        throw new UnsupportedOperationException("this LocalCost has no gradient with respect to x and y;"
            + " use a StandardCost or override LocalCost.addGradient (the gradient with respect to the cost matrix is always available)");
    }

    /**
     * The cost matrix {@code C[i, j] = c(x_i, y_j)}.
     *
     * @param x [Q, D] row-major
     * @param y [T, D] row-major
     * @param d the feature dimension D
     * @return C [Q, T] row-major
     * @throws IllegalArgumentException when a sequence is empty or its length is not a multiple of D
     */
    default float[] matrix(float[] x, float[] y, int d) {
        int q = Checks.length("x", x, d);
        int t = Checks.length("y", y, d);
        float[] c = new float[q * t];
        for (int i = 0; i < q; i++) {
            int row = i * t;
            for (int j = 0; j < t; j++) c[row + j] = (float) cost(x, i * d, y, j * d, d);
        }
        return c;
    }
}
