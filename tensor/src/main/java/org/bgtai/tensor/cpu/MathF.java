package org.bgtai.tensor.cpu;

/** Scalar special functions shared by the CPU kernels (double precision inside). */
public final class MathF {
    private MathF() {}

    static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** Error function: Taylor series near 0, Abramowitz-Stegun 7.1.26 beyond (abs. error < 2e-7). */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 0.5) {
            double x2 = x * x;
            // 2/sqrt(pi) * (x - x^3/3 + x^5/10 - x^7/42 + x^9/216 - x^11/1320)
            return 1.1283791670955126 * x * (1 - x2 * (1.0 / 3 - x2 * (1.0 / 10 - x2 * (1.0 / 42 - x2 * (1.0 / 216 - x2 / 1320)))));
        }
        double t = 1.0 / (1.0 + 0.3275911 * ax);
        double y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-ax * ax);
        return x < 0 ? -y : y;
    }

    public static float gelu(float x) {
        return (float) (0.5 * x * (1.0 + erf(x * INV_SQRT_2)));
    }

    /** d/dx of exact GELU: Phi(x) + x phi(x). */
    public static float geluGrad(float x) {
        double cdf = 0.5 * (1.0 + erf(x * INV_SQRT_2));
        double pdf = INV_SQRT_2PI * Math.exp(-0.5 * (double) x * x);
        return (float) (cdf + x * pdf);
    }

    public static float geluTanh(float x) {
        double u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
        return (float) (0.5 * x * (1.0 + Math.tanh(u)));
    }

    public static float geluTanhGrad(float x) {
        double u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
        double t = Math.tanh(u);
        return (float) (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x));
    }

    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
