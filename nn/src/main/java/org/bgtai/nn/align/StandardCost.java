package org.bgtai.nn.align;

/**
 * The usual local costs with their gradients.
 *
 * <ul>
 *   <li>{@link #SQUARED_EUCLIDEAN}: {@code ||x - y||^2} (the cost of the PyTorch fixture and of
 *       Cuturi and Blondel's soft-DTW);</li>
 *   <li>{@link #EUCLIDEAN}: {@code ||x - y||} (gradient 0 where x = y);</li>
 *   <li>{@link #COSINE}: {@code 1 - x.y / (||x|| ||y||)} (a zero vector counts as cost 1, gradient 0).</li>
 * </ul>
 */
public enum StandardCost implements LocalCost {
    SQUARED_EUCLIDEAN {
        @Override
        public double cost(float[] x, int xo, float[] y, int yo, int d) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                double diff = (double) x[xo + k] - y[yo + k];
                s += diff * diff;
            }
            return s;
        }

        @Override
        public void addGradient(float[] x, int xo, float[] y, int yo, int d, double scale, double[] gx, double[] gy) {
            for (int k = 0; k < d; k++) {
                double g = 2 * scale * ((double) x[xo + k] - y[yo + k]);
                gx[xo + k] += g;
                gy[yo + k] -= g;
            }
        }
    },
    EUCLIDEAN {
        @Override
        public double cost(float[] x, int xo, float[] y, int yo, int d) {
            return Math.sqrt(SQUARED_EUCLIDEAN.cost(x, xo, y, yo, d));
        }

        @Override
        public void addGradient(float[] x, int xo, float[] y, int yo, int d, double scale, double[] gx, double[] gy) {
            double n = cost(x, xo, y, yo, d);
            if (n == 0) return;
            for (int k = 0; k < d; k++) {
                double g = scale * ((double) x[xo + k] - y[yo + k]) / n;
                gx[xo + k] += g;
                gy[yo + k] -= g;
            }
        }
    },
    COSINE {
        @Override
        public double cost(float[] x, int xo, float[] y, int yo, int d) {
            double xy = 0, xx = 0, yy = 0;
            for (int k = 0; k < d; k++) {
                double a = x[xo + k], b = y[yo + k];
                xy += a * b;
                xx += a * a;
                yy += b * b;
            }
            if (xx == 0 || yy == 0) return 1;
            return 1 - xy / Math.sqrt(xx * yy);
        }

        @Override
        public void addGradient(float[] x, int xo, float[] y, int yo, int d, double scale, double[] gx, double[] gy) {
            double xy = 0, xx = 0, yy = 0;
            for (int k = 0; k < d; k++) {
                double a = x[xo + k], b = y[yo + k];
                xy += a * b;
                xx += a * a;
                yy += b * b;
            }
            if (xx == 0 || yy == 0) return;
            double nx = Math.sqrt(xx), ny = Math.sqrt(yy);
            // d(1 - xy/(nx ny))/dx = -(y/(nx ny) - xy x/(nx^3 ny)), symmetric for y.
            for (int k = 0; k < d; k++) {
                double a = x[xo + k], b = y[yo + k];
                gx[xo + k] -= scale * (b / (nx * ny) - xy * a / (xx * nx * ny));
                gy[yo + k] -= scale * (a / (nx * ny) - xy * b / (yy * nx * ny));
            }
        }
    }
}
