package org.bgtai.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.tensor.cpu.Kernels;

/**
 * Random-shape properties: fast kernels against plain index-by-index references written here,
 * on contiguous tensors, transposed views, broadcast (size-1) dims and 1-element dims.
 */
class TensorPropertiesTest {

    /** A random shape of the given rank with dims in [1, maxDim]; dims of size 1 are common. */
    static int[] shape(Rng r, int rank, int maxDim) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(maxDim);
        return s;
    }

    /** A random tensor, sometimes presented as a non-contiguous view with the same logical shape. */
    static Tensor tensor(Rng r, int[] shape) {
        if (shape.length >= 2 && r.nextInt(2) == 0) {
            int[] sw = shape.clone();
            int a = 0, b = shape.length - 1;
            sw[a] = shape[b];
            sw[b] = shape[a];
            return r.uniform(-2, 2, sw).transpose(a, b);
        }
        return r.uniform(-2, 2, shape);
    }

    /** Equal within {@code tol * max(1, |expected|)}; NaN matches NaN and infinities match exactly. */
    static void close(double expected, double actual, double tol, String msg) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(expected, actual, msg);
            return;
        }
        assertEquals(expected, actual, tol * Math.max(1, Math.abs(expected)), msg);
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    static float at(Tensor t, int[] outIdx) {  // broadcast read
        int off = outIdx.length - t.dim();
        int[] idx = new int[t.dim()];
        for (int d = 0; d < t.dim(); d++) idx[d] = t.shape()[d] == 1 ? 0 : outIdx[d + off];
        return t.get(idx);
    }

    @Property(tries = 150)
    void binaryBroadcastMatchesReference(@ForAll long seed, @ForAll @IntRange(min = 0, max = 4) int rank) {
        Rng r = new Rng(seed);
        int[] out = shape(r, rank, 6);
        int[] sa = out.clone(), sb = Arrays.copyOfRange(out, r.nextInt(rank + 1), rank);
        for (int i = 0; i < sa.length; i++) if (r.nextInt(3) == 0) sa[i] = 1;
        for (int i = 0; i < sb.length; i++) if (r.nextInt(3) == 0) sb[i] = 1;
        Tensor a = tensor(r, sa), b = tensor(r, sb);
        BinaryOp op = BinaryOp.values()[r.nextInt(BinaryOp.values().length)];
        Tensor c = a.binary(op, b);
        int[] cs = Shape.broadcast(sa, sb);
        assertArrayEquals(cs, c.shape());
        int n = Shape.numel(cs);
        for (int i = 0; i < n; i++) {
            int[] idx = unravel(i, cs);
            float expect = Kernels.binary(op, at(a, idx), at(b, idx));
            close(expect, c.get(idx), 1e-5, op + " at " + Arrays.toString(idx));
        }
    }

    @Property(tries = 100)
    void reductionsMatchReference(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int rank, @ForAll boolean keepDim) {
        Rng r = new Rng(seed);
        int[] s = shape(r, rank, 7);
        Tensor x = tensor(r, s);
        int axis = r.nextInt(rank);
        for (ReduceOp op : ReduceOp.values()) {
            if (op == ReduceOp.PROD) continue;
            Tensor y = x.reduce(op, keepDim, axis);
            int[] ys = y.shape();
            int n = y.numel();
            for (int i = 0; i < n; i++) {
                int[] idx = unravel(i, ys);
                int[] full = new int[rank];
                for (int d = 0, k = 0; d < rank; d++) full[d] = d == axis ? 0 : idx[keepDim ? d : k++];
                double acc = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : op == ReduceOp.MIN ? Double.POSITIVE_INFINITY : 0;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s[axis]; j++) { full[axis] = j; m = Math.max(m, x.get(full)); }
                for (int j = 0; j < s[axis]; j++) {
                    full[axis] = j;
                    float v = x.get(full);
                    acc = switch (op) {
                        case SUM, MEAN -> acc + v;
                        case MAX -> Math.max(acc, v);
                        case MIN -> Math.min(acc, v);
                        case LOGSUMEXP -> acc + Math.exp(v - m);
                        default -> acc;
                    };
                }
                if (op == ReduceOp.MEAN) acc /= s[axis];
                if (op == ReduceOp.LOGSUMEXP) acc = m + Math.log(acc);
                assertEquals(acc, y.get(idx), 1e-5 * Math.max(1, Math.abs(acc)), op + " axis " + axis + " of " + Arrays.toString(s));
            }
        }
    }

    @Property(tries = 100)
    void softmaxRowsSumToOneAndMatchReference(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int rank) {
        Rng r = new Rng(seed);
        int[] s = shape(r, rank, 40);
        Tensor x = tensor(r, s).mul(5f);
        int axis = r.nextInt(rank);
        Tensor p = x.softmax(axis), lp = x.logSoftmax(axis);
        Tensor sums = p.sum(axis, false);
        for (float v : sums.toArray()) assertEquals(1.0, v, 1e-5);
        float[] a = lp.toArray(), b = p.log().toArray();
        for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 1e-4 * Math.max(1, Math.abs(b[i])));
    }

    @Property(tries = 100)
    void matmulMatchesReference(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int m,
                                @ForAll @IntRange(min = 1, max = 40) int k, @ForAll @IntRange(min = 1, max = 40) int n,
                                @ForAll @IntRange(min = 0, max = 3) int batch) {
        Rng r = new Rng(seed);
        int[] sa = batch == 0 ? new int[] {m, k} : new int[] {batch, m, k};
        int[] sb = batch == 0 || r.nextInt(2) == 0 ? new int[] {k, n} : new int[] {batch, k, n};
        Tensor a = tensor(r, sa), b = tensor(r, sb);
        Tensor c = a.matmul(b);
        int nb = Math.max(batch, 1);
        for (int t = 0; t < nb; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++)
                        acc += (double) (batch == 0 ? a.get(i, p) : a.get(t, i, p)) * (sb.length == 2 ? b.get(p, j) : b.get(t, p, j));
                    float got = batch == 0 ? c.get(i, j) : c.get(t, i, j);
                    assertEquals(acc, got, 1e-4 * Math.max(1, Math.abs(acc)) * Math.sqrt(k));
                }
    }

    @Property(tries = 60)
    void vectorKernelsMatchScalarReferences(@ForAll long seed, @ForAll @IntRange(min = 0, max = 70) int n) {
        Rng r = new Rng(seed);
        float[] x = r.uniform(-4, 4, n + 3).toArray(), y = r.uniform(0.1f, 4, n + 3).toArray();
        float[] o1 = new float[n], o2 = new float[n];
        for (UnaryOp op : UnaryOp.values()) {
            float[] in = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT ? y : x;
            Kernels.unary(op, in, 3, o1, 0, n);
            Kernels.unaryScalar(op, in, 3, o2, 0, n);
            for (int i = 0; i < n; i++) close(o2[i], o1[i], 2e-6, op.name());
        }
        for (BinaryOp op : BinaryOp.values()) {
            Kernels.binaryRow(op, x, 1, 1, y, 2, 1, o1, 0, n);
            Kernels.binaryRowScalar(op, x, 1, 1, y, 2, 1, o2, 0, n);
            for (int i = 0; i < n; i++) close(o2[i], o1[i], 1e-6, op.name());
            Kernels.binaryRow(op, x, 1, 1, y, 2, 0, o1, 0, n);
            Kernels.binaryRowScalar(op, x, 1, 1, y, 2, 0, o2, 0, n);
            for (int i = 0; i < n; i++) close(o2[i], o1[i], 1e-6, op.name());
        }
        assertEquals(Kernels.sumScalar(x, 1, n), Kernels.sum(x, 1, n), 1e-4);
        assertEquals(Kernels.maxScalar(x, 1, n), Kernels.max(x, 1, n));
        Kernels.softmaxRow(x, 2, o1, 0, n, true);
        Kernels.softmaxRowScalar(x, 2, o2, 0, n, true);
        for (int i = 0; i < n; i++) assertEquals(o2[i], o1[i], 1e-5);
    }

    @Property(tries = 80)
    void contiguousCopyOfRandomViewsPreservesValues(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int rank) {
        Rng r = new Rng(seed);
        int[] s = shape(r, rank, 6);
        Tensor x = r.uniform(-1, 1, s);
        int[] order = r.permutation(rank);
        Tensor p = x.permute(order);
        int d = r.nextInt(rank);
        int len = p.size(d);
        int start = r.nextInt(len);
        Tensor v = p.narrow(d, start, len - start);
        Tensor c = v.contiguous();
        int n = c.numel();
        for (int i = 0; i < n; i++) {
            int[] idx = unravel(i, c.shape());
            int[] src = new int[rank];
            for (int j = 0; j < rank; j++) src[order[j]] = idx[j] + (j == d ? start : 0);
            assertEquals(x.get(src), c.get(idx));
        }
    }
}
