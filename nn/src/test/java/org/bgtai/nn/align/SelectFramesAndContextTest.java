package org.bgtai.nn.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.autograd.GradCheck;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Eq. 4 ({@link AlignOps#selectFrames}) and the context means: values against direct loops, gradients by central differences. */
class SelectFramesAndContextTest {
    static final double EPS = 3e-3, RTOL = 2e-2, ATOL = 2e-3;

    @Property(tries = 60)
    void selectFramesGradients(@ForAll @IntRange(min = 1, max = 4) int q, @ForAll @IntRange(min = 1, max = 6) int t,
                               @ForAll @IntRange(min = 1, max = 3) int f, @ForAll long seed) {
        Rng r = new Rng(seed);
        Tensor a = r.uniform(0.2f, 1f, q, t), y = r.uniform(-1f, 1f, t, f);
        GradCheck.assertGradients("selectFrames " + q + "x" + t + "x" + f, v -> AlignOps.selectFrames(v[0], v[1]), EPS, RTOL, ATOL, a, y);
        // value: the row-normalised weighted mean of the frames
        float[] out = AlignOps.selectFrames(Var.of(a), Var.of(y)).value().toArray(), av = a.toArray(), yv = y.toArray();
        for (int i = 0; i < q; i++) {
            double z = 0;
            for (int j = 0; j < t; j++) z += av[i * t + j];
            for (int c = 0; c < f; c++) {
                double s = 0;
                for (int j = 0; j < t; j++) s += av[i * t + j] * yv[j * f + c];
                assertEquals(s / z, out[i * f + c], 1e-5);
            }
        }
    }

    @Test
    void selectFramesOfABinaryPathIsTheMeanOfEachSpan() {
        // spans [0, 2) and [2, 5) of 5 frames
        float[] path = {1, 1, 0, 0, 0, 0, 0, 1, 1, 1};
        float[] y = {1, 10, 3, 20, 5, 30, 7, 40, 9, 50};   // [5, 2]
        float[] out = AlignOps.selectFrames(Var.of(Tensor.of(path, 2, 5)), Var.of(Tensor.of(y, 5, 2))).value().toArray();
        assertArrayEquals(new float[] {2, 15, 7, 40}, out, 1e-6f);
        var e = assertThrows(IllegalArgumentException.class, () -> AlignOps.selectFrames(Var.of(Tensor.of(path, 2, 5)), Var.of(Tensor.zeros(4, 2))));
        assertTrue(e.getMessage().contains("must match"), e.getMessage());
    }

    @Property(tries = 60)
    void contextMeansGradientsAndValues(@ForAll @IntRange(min = 1, max = 7) int t, @ForAll @IntRange(min = 1, max = 3) int f,
                                        @ForAll @IntRange(min = 1, max = 4) int s1, @ForAll @IntRange(min = 1, max = 9) int s2, @ForAll long seed) {
        Rng r = new Rng(seed);
        Tensor h = r.uniform(-1f, 1f, t, f);
        int[] scales = {s1, s2};
        GradCheck.assertGradients("contextMeans", v -> AlignOps.contextMeans(v[0], scales), EPS, RTOL, ATOL, h);
        float[] out = AlignOps.contextMeans(Var.of(h), scales).value().toArray(), x = h.toArray();
        int w = 4 * f;
        for (int j = 0; j < t; j++)
            for (int k = 0; k < 2; k++)
                for (int c = 0; c < f; c++) {
                    double left = 0, right = 0;
                    int nl = 0, nr = 0;
                    for (int u = j - scales[k]; u < j; u++) if (u >= 0) { left += x[u * f + c]; nl++; }
                    for (int u = j + 1; u <= j + scales[k]; u++) if (u < t) { right += x[u * f + c]; nr++; }
                    assertEquals(nl == 0 ? 0 : left / nl, out[j * w + 2 * k * f + c], 1e-5);
                    assertEquals(nr == 0 ? 0 : right / nr, out[j * w + (2 * k + 1) * f + c], 1e-5);
                }
    }

    @Test
    void asymmetricDtwMatchesEveryPositionOnceAndSkipsOnlyOptionalRows() {
        // dictionary rows: A, optional silence, B; sequence A A 0 0 B  (1-d features)
        float[] dict = {1, 0, 5}, seq = {1, 1, 0, 0, 5};
        float[] cost = new float[3 * 5];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) cost[i * 5 + j] = (dict[i] - seq[j]) * (dict[i] - seq[j]);
        AsymmetricDtw.Path p = AsymmetricDtw.align(cost, 3, 5, new boolean[] {false, true, false});
        assertArrayEquals(new int[] {0, 0, 1, 1, 2}, p.rows());
        assertEquals(0, p.cost(), 1e-9);
        // without the silence in the sequence the optional row is skipped
        float[] seq2 = {1, 1, 5};
        float[] c2 = new float[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) c2[i * 3 + j] = (dict[i] - seq2[j]) * (dict[i] - seq2[j]);
        assertArrayEquals(new int[] {0, 0, 2}, AsymmetricDtw.align(c2, 3, 3, new boolean[] {false, true, false}).rows());
        // a row that may not be skipped must be matched: here it costs
        assertArrayEquals(new int[] {0, 1, 2}, AsymmetricDtw.align(c2, 3, 3, new boolean[] {false, false, false}).rows());
        assertThrows(IllegalArgumentException.class, () -> AsymmetricDtw.align(new float[4 * 1], 4, 1, new boolean[4]));
    }

    /** Property: the path is the cheapest of all monotonic row sequences that respect the skip rules (brute force on tiny cases). */
    @Property(tries = 80)
    void asymmetricDtwIsOptimal(@ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @IntRange(min = 1, max = 5) int t, @ForAll long seed) {
        Rng r = new Rng(seed);
        float[] cost = r.uniform(0f, 1f, rows, t).toArray();
        boolean[] skip = new boolean[rows];
        for (int i = 0; i < rows; i++) skip[i] = r.nextInt(2) == 0;
        double best = brute(cost, rows, t, skip, new int[t], 0);
        if (best == Double.POSITIVE_INFINITY) {
            assertThrows(IllegalArgumentException.class, () -> AsymmetricDtw.align(cost, rows, t, skip));
            return;
        }
        AsymmetricDtw.Path p = AsymmetricDtw.align(cost, rows, t, skip);
        assertEquals(best, p.cost(), 1e-5);
        double sum = 0;
        for (int j = 0; j < t; j++) sum += cost[p.rows()[j] * t + j];
        assertEquals(p.cost(), sum, 1e-5);
        assertTrue(valid(p.rows(), rows, skip));
    }

    static double brute(float[] cost, int rows, int t, boolean[] skip, int[] path, int j) {
        if (j == t) {
            if (!valid(path, rows, skip)) return Double.POSITIVE_INFINITY;
            double s = 0;
            for (int u = 0; u < t; u++) s += cost[path[u] * t + u];
            return s;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            path[j] = i;
            best = Math.min(best, brute(cost, rows, t, skip, path, j + 1));
        }
        return best;
    }

    static boolean valid(int[] path, int rows, boolean[] skip) {
        int t = path.length;
        if (path[0] > 1 || (path[0] == 1 && !skip[0])) return false;
        if (path[t - 1] < rows - 2 || (path[t - 1] == rows - 2 && rows >= 2 && !skip[rows - 1])) return false;
        if (rows == 1 && path[t - 1] != 0) return false;
        for (int u = 1; u < t; u++) {
            int d = path[u] - path[u - 1];
            if (d < 0 || d > 2) return false;
            if (d == 2 && !skip[path[u] - 1]) return false;
        }
        return true;
    }
}
