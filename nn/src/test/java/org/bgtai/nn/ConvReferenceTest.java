package org.bgtai.nn;

import static org.bgtai.nn.testing.Close.assertClose;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** im2col convolution against a direct six-loop reference (groups, dilation, stride, padding). */
class ConvReferenceTest {
    @Property(tries = 30)
    void conv2dMatchesDirectLoops(@ForAll @IntRange(min = 1, max = 3) int groups, @ForAll @IntRange(min = 1, max = 3) int stride,
                                  @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dil,
                                  @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 5, max = 8) int h, @ForAll long seed) {
        Rng r = new Rng(seed);
        int n = 2, c = 2 * groups, o = groups * (1 + r.nextInt(2)), kw = 2, w = 6;
        Tensor x = r.normal(0, 1, n, c, h, w), wt = r.normal(0, 1, o, c / groups, kh, kw), b = r.normal(0, 1, o);
        Tensor y = Conv2d.conv2d(Var.of(x), Var.of(wt), Var.of(b), new int[] {stride, stride}, new int[] {pad, pad}, new int[] {dil, dil}, groups).value();
        int ho = (h + 2 * pad - dil * (kh - 1) - 1) / stride + 1, wo = (w + 2 * pad - dil * (kw - 1) - 1) / stride + 1;
        float[] ref = new float[n * o * ho * wo];
        int cg = c / groups, og = o / groups;
        for (int ni = 0; ni < n; ni++) for (int oi = 0; oi < o; oi++) for (int i = 0; i < ho; i++) for (int j = 0; j < wo; j++) {
            double s = b.get(oi);
            int g = oi / og;
            for (int ci = 0; ci < cg; ci++) for (int u = 0; u < kh; u++) for (int v = 0; v < kw; v++) {
                int ih = i * stride + u * dil - pad, iw = j * stride + v * dil - pad;
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) s += wt.get(oi, ci, u, v) * x.get(ni, g * cg + ci, ih, iw);
            }
            ref[((ni * o + oi) * ho + i) * wo + j] = (float) s;
        }
        assertClose("conv2d", Tensor.of(ref, n, o, ho, wo), y);
    }

    @Property(tries = 10)
    void maxPoolMatchesDirectLoops(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll long seed) {
        Tensor x = new Rng(seed).normal(0, 1, 1, 2, 6, 5);
        Tensor y = Pool2d.max(k, stride, 0).forward(Var.of(x)).value();
        int ho = (6 - k) / stride + 1, wo = (5 - k) / stride + 1;
        for (int c = 0; c < 2; c++) for (int i = 0; i < ho; i++) for (int j = 0; j < wo; j++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int u = 0; u < k; u++) for (int v = 0; v < k; v++) m = Math.max(m, x.get(0, c, i * stride + u, j * stride + v));
            org.junit.jupiter.api.Assertions.assertEquals(m, y.get(0, c, i, j));
        }
    }
}
