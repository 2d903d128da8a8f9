package org.bgtai.examples;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TensorBasicsTest {
    /**
     * The product and the gradient against a plain double-precision computation:
     * z = x w^T, loss = -mean(logSoftmax(z)) over N rows and C classes, so
     * dloss/dz[i][c] = (C softmax(z)[i][c] - 1) / (N C) and dloss/dw = (dloss/dz)^T x.
     */
    @Test
    void gradientMatchesTheHandDerivedOne() {
        Printed p = new Printed();
        TensorBasics.Result r = TensorBasics.run(p.out);
        assertArrayEquals(new float[] {14, 32, 32, 77}, r.y().toArray());
        assertArrayEquals(new int[] {5, 3}, r.grad().shape());

        double[][] x = {{1, 2, 3}, {4, 5, 6}};
        float[] w = r.w().toArray();
        int n = 2, c = 5, d = 3;
        double[] grad = new double[c * d];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double[] z = new double[c];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int k = 0; k < c; k++) {
                for (int j = 0; j < d; j++) z[k] += x[i][j] * w[k * d + j];
                max = Math.max(max, z[k]);
            }
            for (int k = 0; k < c; k++) sum += Math.exp(z[k] - max);
            for (int k = 0; k < c; k++) {
                double logp = z[k] - max - Math.log(sum);
                loss -= logp / (n * c);
                double dz = (c * Math.exp(logp) - 1) / (n * c);
                for (int j = 0; j < d; j++) grad[k * d + j] += dz * x[i][j];
            }
        }
        assertEquals(loss, r.loss(), 1e-5);
        float[] g = r.grad().toArray();
        for (int i = 0; i < g.length; i++) assertEquals(grad[i], g[i], 1e-5, "dloss/dw element " + i);
        assertTrue(p.text().contains("dloss/dw = Tensor[5, 3]"), p.text());
    }
}
