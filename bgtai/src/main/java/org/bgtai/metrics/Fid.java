package org.bgtai.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Fréchet distance between Gaussian fits of two feature sets (the FID of Heusel et al. 2017 when
 * the features are Inception's; here they are whatever network the caller names, e.g. the
 * hidden layer of a digit classifier, so the number is comparable only across runs with the same
 * feature network):
 * <pre>
 *   d^2 = |mu_1 - mu_2|^2 + Tr(S_1 + S_2 - 2 (S_1 S_2)^(1/2))
 * </pre>
 * with {@code Tr (S_1 S_2)^(1/2) = sum sqrt(eig(S_1^(1/2) S_2 S_1^(1/2)))} (a symmetric
 * positive semi-definite product, so the eigenvalues are real; tiny negative ones from rounding
 * are clipped to 0).
 */
public final class Fid {
    private Fid() {}

    /** @param a [n1][F] features @param b [n2][F] features, n1, n2 >= 2 */
    public static double distance(float[][] a, float[][] b) {
        if (a.length < 2 || b.length < 2) throw new IllegalArgumentException("FID needs at least 2 samples per set, got " + a.length + " and " + b.length);
        int f = a[0].length;
        if (b[0].length != f) throw new IllegalArgumentException("feature sizes differ: " + f + " vs " + b[0].length);
        double[] ma = mean(a, f), mb = mean(b, f);
        RealMatrix sa = cov(a, ma, f), sb = cov(b, mb, f);
        double d = 0;
        for (int i = 0; i < f; i++) d += (ma[i] - mb[i]) * (ma[i] - mb[i]);
        RealMatrix root = sqrtPsd(sa);
        RealMatrix m = root.multiply(sb).multiply(root);
        m = m.add(m.transpose()).scalarMultiply(0.5);   // symmetric up to rounding
        double cross = 0;
        for (double e : new EigenDecomposition(m).getRealEigenvalues()) cross += Math.sqrt(Math.max(0, e));
        return d + sa.getTrace() + sb.getTrace() - 2 * cross;
    }

    private static double[] mean(float[][] x, int f) {
        double[] m = new double[f];
        for (float[] r : x) {
            if (r.length != f) throw new IllegalArgumentException("ragged features: " + r.length + " vs " + f);
            for (int i = 0; i < f; i++) m[i] += r[i];
        }
        for (int i = 0; i < f; i++) m[i] /= x.length;
        return m;
    }

    /** Unbiased covariance (n - 1), like numpy.cov and the reference FID code. */
    private static RealMatrix cov(float[][] x, double[] m, int f) {
        double[][] c = new double[f][f];
        double[] d = new double[f];
        for (float[] r : x) {
            for (int i = 0; i < f; i++) d[i] = r[i] - m[i];
            for (int i = 0; i < f; i++) {
                double di = d[i];
                if (di == 0) continue;
                for (int j = i; j < f; j++) c[i][j] += di * d[j];
            }
        }
        for (int i = 0; i < f; i++)
            for (int j = i; j < f; j++) {
                c[i][j] /= x.length - 1;
                c[j][i] = c[i][j];
            }
        return new Array2DRowRealMatrix(c, false);
    }

    private static RealMatrix sqrtPsd(RealMatrix s) {
        EigenDecomposition e = new EigenDecomposition(s);
        RealMatrix v = e.getV();
        double[] ev = e.getRealEigenvalues();
        int f = ev.length;
        double[][] d = new double[f][f];
        for (int i = 0; i < f; i++) d[i][i] = Math.sqrt(Math.max(0, ev[i]));
        return v.multiply(new Array2DRowRealMatrix(d, false)).multiply(e.getVT());
    }
}
