package org.bgtai.tensor.cpu;

import java.util.Arrays;
import org.bgtai.tensor.Backend;
import org.bgtai.tensor.BinaryOp;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.ReduceOp;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.UnaryOp;

/**
 * The CPU backend: heap {@code float[]} storage, Vector API kernels with scalar fallbacks,
 * multi-threaded through {@link Parallel}. Results are independent of the thread count: work is
 * split into disjoint output ranges and every reduction runs in a fixed order per output.
 *
 * <p>{@link Device#CPU} finds this class through {@link java.util.ServiceLoader} (it is listed in
 * {@code META-INF/services/org.bgtai.tensor.Backend}), so the root package does not depend on
 * this one. It holds no mutable state: every instance behaves the same. Its {@link #fused()} ops
 * are the fused-layer kernels of {@code CpuFusedOps}.
 */
public final class CpuBackend implements Backend {
    private final CpuFusedOps fused = new CpuFusedOps();

    /** For {@link java.util.ServiceLoader}; use {@code Device.CPU.backend()}. */
    public CpuBackend() {}

    @Override
    public Device device() {
        return Device.CPU;
    }

    /** The CPU kernels of the fused ops ({@code CpuFusedOps}). */
    @Override
    public FusedOps fused() {
        return fused;
    }

    private static Tensor alloc(int[] shape) {
        return Tensor.of(new float[Shape.numel(shape)], shape);
    }

    @Override
    public Tensor empty(int... shape) {
        return alloc(shape);
    }

    @Override
    public Tensor full(float value, int... shape) {
        return Tensor.full(value, shape);
    }

    @Override
    public Tensor fromHost(float[] data, int... shape) {
        return Tensor.of(data.clone(), shape);
    }

    @Override
    public float[] toHost(Tensor t) {
        if (t.isContiguous()) {
            float[] d = t.cpuData();
            return Arrays.copyOfRange(d, t.offset(), t.offset() + t.numel());
        }
        return contiguous(t).cpuData();
    }

    @Override
    public void copyInto(Tensor dst, Tensor src) {
        if (dst.numel() == 0) return;
        float[] d = dst.cpuData(), s = src.cpuData();
        Loop loop = new Loop(dst.shape(), dst.strides(), src.strides());
        int ds = loop.innerStride(0), ss = loop.innerStride(1);
        loop.run(new int[] {dst.offset(), src.offset()}, (o, n) -> {
            if (ds == 1 && ss == 1) System.arraycopy(s, o[1], d, o[0], n);
            else for (int i = 0; i < n; i++) d[o[0] + i * ds] = s[o[1] + i * ss];
        });
    }

    @Override
    public Tensor bernoulli(long seed, long base, float p, int[] shape) {
        float[] d = new float[Shape.numel(shape)];
        Parallel.forRange(d.length, 1 << 14, (s, e) -> Kernels.bernoulli(d, s, e, seed, base, p));
        return Tensor.of(d, shape);
    }

    @Override
    public void fill(Tensor dst, float value) {
        float[] d = dst.cpuData();
        Arrays.fill(d, dst.offset(), dst.offset() + dst.numel(), value);
    }

    @Override
    public void addInPlace(Tensor dst, Tensor src, float alpha) {
        if (dst.numel() == 0) return;
        float[] d = dst.cpuData(), s = src.cpuData();
        Loop loop = new Loop(dst.shape(), dst.strides(), src.strides());
        int ds = loop.innerStride(0), ss = loop.innerStride(1);
        loop.run(new int[] {dst.offset(), src.offset()}, (o, n) -> {
            if (ds == 1 && ss == 1) Kernels.axpy(alpha, s, o[1], d, o[0], n);
            else for (int i = 0; i < n; i++) d[o[0] + i * ds] += alpha * s[o[1] + i * ss];
        });
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        Tensor c = x.contiguous();
        Tensor out = alloc(x.shape());
        float[] in = c.cpuData(), o = out.cpuData();
        int off = c.offset();
        int n = out.numel();
        Parallel.forRange(n, 8192, (lo, hi) -> Kernels.unary(op, in, off + lo, o, lo, hi - lo));
        return out;
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, int[] outShape) {
        Tensor out = alloc(outShape);
        if (out.numel() == 0) return out;
        float[] ad = a.cpuData(), bd = b.cpuData(), od = out.cpuData();
        Loop loop = new Loop(outShape, out.strides(),
            Shape.broadcastStrides(a.shape(), a.strides(), outShape),
            Shape.broadcastStrides(b.shape(), b.strides(), outShape));
        int as = loop.innerStride(1), bs = loop.innerStride(2);
        loop.run(new int[] {0, a.offset(), b.offset()},
            (o, n) -> Kernels.binaryRow(op, ad, o[1], as, bd, o[2], bs, od, o[0], n));
        return out;
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b, int[] outShape) {
        Tensor out = alloc(outShape);
        if (out.numel() == 0) return out;
        float[] cd = cond.cpuData(), ad = a.cpuData(), bd = b.cpuData(), od = out.cpuData();
        Loop loop = new Loop(outShape, out.strides(),
            Shape.broadcastStrides(cond.shape(), cond.strides(), outShape),
            Shape.broadcastStrides(a.shape(), a.strides(), outShape),
            Shape.broadcastStrides(b.shape(), b.strides(), outShape));
        int cs = loop.innerStride(1), as = loop.innerStride(2), bs = loop.innerStride(3);
        loop.run(new int[] {0, cond.offset(), a.offset(), b.offset()}, (o, n) -> {
            for (int i = 0; i < n; i++)
                od[o[0] + i] = cd[o[1] + i * cs] != 0f ? ad[o[2] + i * as] : bd[o[3] + i * bs];
        });
        return out;
    }

    @Override
    public Tensor clamp(Tensor x, float lo, float hi) {
        Tensor c = x.contiguous();
        Tensor out = alloc(x.shape());
        float[] in = c.cpuData(), o = out.cpuData();
        int off = c.offset();
        Parallel.forRange(out.numel(), 8192, (s, e) -> {
            for (int i = s; i < e; i++) {
                float v = in[off + i];
                o[i] = v < lo ? lo : (v > hi ? hi : v);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ reductions

    /** Moves {@code axes} (sorted) to the end and returns a contiguous tensor. */
    private static Tensor axesLast(Tensor x, int[] axes) {
        int r = x.dim();
        int[] order = new int[r];
        boolean[] red = new boolean[r];
        for (int a : axes) red[a] = true;
        int k = 0;
        for (int i = 0; i < r; i++) if (!red[i]) order[k++] = i;
        for (int a : axes) order[k++] = a;
        boolean identity = true;
        for (int i = 0; i < r; i++) if (order[i] != i) identity = false;
        return (identity ? x : x.permute(order)).contiguous();
    }

    private static int[] reducedShape(int[] shape, int[] axes, boolean keepDim) {
        boolean[] red = new boolean[shape.length];
        for (int a : axes) red[a] = true;
        int[] out = new int[keepDim ? shape.length : shape.length - axes.length];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (red[i]) {
                if (keepDim) out[j++] = 1;
            } else {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDim) {
        int[] shape = x.shape();
        int[] outShape = reducedShape(shape, axes, keepDim);
        int inner = 1;
        for (int a : axes) inner *= shape[a];
        int outer = Shape.numel(outShape);
        Tensor out = alloc(outShape);
        float[] od = out.cpuData();
        if (outer == 0) return out;
        // Leading axes of a contiguous tensor (e.g. the bias gradient [N, D] -> [D]): column sums.
        boolean leading = x.isContiguous() && (op == ReduceOp.SUM || op == ReduceOp.MEAN);
        for (int i = 0; i < axes.length && leading; i++) if (axes[i] != i) leading = false;
        if (leading && axes.length < shape.length) {
            float[] xd = x.cpuData();
            int xo = x.offset();
            int rowsN = inner, cols = outer;
            float scale = op == ReduceOp.MEAN ? 1f / rowsN : 1f;
            Parallel.forRange(cols, 256, (lo, hi) -> {
                for (int r = 0; r < rowsN; r++) Kernels.axpy(1f, xd, xo + r * cols + lo, od, lo, hi - lo);
                if (scale != 1f) for (int j = lo; j < hi; j++) od[j] *= scale;
            });
            return out;
        }
        Tensor c = axesLast(x, axes);
        float[] xd = c.cpuData();
        int xo = c.offset();
        int n = inner;
        Parallel.forRange(outer, Math.max(1, 4096 / Math.max(1, n)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) od[r] = reduceRow(op, xd, xo + r * n, n);
        });
        return out;
    }

    private static float reduceRow(ReduceOp op, float[] x, int off, int n) {
        switch (op) {
            case SUM: return Kernels.sum(x, off, n);
            case MEAN: return n == 0 ? Float.NaN : Kernels.sum(x, off, n) / n;
            case MAX: return Kernels.max(x, off, n);
            case MIN: {
                float m = Float.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    float v = x[off + i];
                    if (Float.isNaN(v)) return v;
                    if (v < m) m = v;
                }
                return m;
            }
            case PROD: {
                double p = 1;
                for (int i = 0; i < n; i++) p *= x[off + i];
                return (float) p;
            }
            case LOGSUMEXP: {
                float m = Kernels.max(x, off, n);
                if (m == Float.NEGATIVE_INFINITY || Float.isNaN(m) || m == Float.POSITIVE_INFINITY) return m;
                double s = 0;
                for (int i = 0; i < n; i++) s += Math.exp(x[off + i] - m);
                return (float) (m + Math.log(s));
            }
            default: throw new AssertionError(op);
        }
    }

    @Override
    public IntTensor argReduce(boolean max, Tensor x, int axis, boolean keepDim) {
        int[] axes = {axis};
        Tensor c = axesLast(x, axes);
        int n = x.shape()[axis];
        int[] outShape = reducedShape(x.shape(), axes, keepDim);
        int outer = Shape.numel(outShape);
        int[] od = new int[outer];
        float[] xd = c.cpuData();
        int xo = c.offset();
        Parallel.forRange(outer, Math.max(1, 4096 / n), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int base = xo + r * n, best = 0;
                float bv = xd[base];
                for (int i = 1; i < n && !Float.isNaN(bv); i++) {
                    float v = xd[base + i];
                    if (Float.isNaN(v) || (max ? v > bv : v < bv)) {
                        bv = v;
                        best = i;
                    }
                }
                od[r] = best;
            }
        });
        return IntTensor.of(od, outShape);
    }

    /** Runs a row function over {@code axis} moved last; returns the result in the original layout. */
    private interface RowOp {
        void run(float[][] in, int[] inOff, float[] out, int outOff, int n);
    }

    private static Tensor alongAxis(int axis, RowOp f, Tensor... xs) {
        int r = xs[0].dim();
        int[] order = new int[r];
        for (int i = 0, k = 0; i < r; i++) if (i != axis) order[k++] = i;
        order[r - 1] = axis;
        boolean last = axis == r - 1;
        Tensor[] cs = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) cs[i] = (last ? xs[i] : xs[i].permute(order)).contiguous();
        int[] ps = cs[0].shape();
        Tensor out = alloc(ps);
        int n = ps.length == 0 ? 1 : ps[ps.length - 1];
        int rows = n == 0 ? 0 : out.numel() / n;
        float[][] in = new float[cs.length][];
        int[] base = new int[cs.length];
        for (int i = 0; i < cs.length; i++) {
            in[i] = cs[i].cpuData();
            base[i] = cs[i].offset();
        }
        float[] od = out.cpuData();
        Parallel.forRange(rows, Math.max(1, 4096 / Math.max(1, n)), (lo, hi) -> {
            int[] offs = new int[cs.length];
            for (int row = lo; row < hi; row++) {
                for (int i = 0; i < offs.length; i++) offs[i] = base[i] + row * n;
                f.run(in, offs, od, row * n, n);
            }
        });
        if (last) return out;
        int[] inv = new int[r];
        for (int i = 0; i < r; i++) inv[order[i]] = i;
        return out.permute(inv).contiguous();
    }

    @Override
    public Tensor softmax(Tensor x, int axis, boolean log) {
        if (x.dim() == 0) return log ? Tensor.scalar(0f) : Tensor.scalar(1f);
        return alongAxis(axis, (in, off, out, oo, n) -> Kernels.softmaxRow(in[0], off[0], out, oo, n, log), x);
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor g, int axis, boolean log) {
        if (y.dim() == 0) return Tensor.scalar(0f);
        return alongAxis(axis, (in, off, out, oo, n) -> {
            float[] yd = in[0], gd = in[1];
            int yo = off[0], go = off[1];
            if (log) {
                double s = 0;
                for (int i = 0; i < n; i++) s += gd[go + i];
                float sf = (float) s;
                for (int i = 0; i < n; i++) out[oo + i] = gd[go + i] - (float) Math.exp(yd[yo + i]) * sf;
            } else {
                double s = 0;
                for (int i = 0; i < n; i++) s += (double) gd[go + i] * yd[yo + i];
                float sf = (float) s;
                for (int i = 0; i < n; i++) out[oo + i] = yd[yo + i] * (gd[go + i] - sf);
            }
        }, y, g);
    }

    // ------------------------------------------------------------------ matmul

    @Override
    public Tensor matmul(Tensor a, Tensor b, int[] outShape) {
        Tensor out = alloc(outShape);
        int r = outShape.length;
        int m = outShape[r - 2], n = outShape[r - 1];
        int k = a.shape()[a.dim() - 1];
        if (out.numel() == 0) return out;
        int[] batch = Arrays.copyOf(outShape, r - 2);
        int nb = Shape.numel(batch);
        int[] as = a.strides(), bs = b.strides();
        int aRs = as[as.length - 2], aCs = as[as.length - 1], bRs = bs[bs.length - 2], bCs = bs[bs.length - 1];
        float[] ad = a.cpuData(), bd = b.cpuData(), od = out.cpuData();
        if (k == 0) return out;
        if (nb == 1) {
            Gemm.sgemm(m, n, k, ad, a.offset(), aRs, aCs, bd, b.offset(), bRs, bCs, od, 0, n, false);
            return out;
        }
        int[] aBatchShape = Arrays.copyOf(a.shape(), a.dim() - 2), bBatchShape = Arrays.copyOf(b.shape(), b.dim() - 2);
        int[] abs = Shape.broadcastStrides(aBatchShape, Arrays.copyOf(as, as.length - 2), batch);
        int[] bbs = Shape.broadcastStrides(bBatchShape, Arrays.copyOf(bs, bs.length - 2), batch);
        int[] cbs = Arrays.copyOf(out.strides(), r - 2);
        // Collapse the batch dims to one stride per operand when possible (the usual case).
        Loop loop = new Loop(batch, cbs, abs, bbs);
        if (loop.shape.length == 1) {
            Gemm.sgemmBatched(nb, m, n, k, ad, a.offset(), loop.strides[1][0], aRs, aCs,
                bd, b.offset(), loop.strides[2][0], bRs, bCs, od, 0, loop.strides[0][0], n, false);
            return out;
        }
        int[] aOffs = new int[nb], bOffs = new int[nb];
        int[] tmp = new int[3];
        int idx = 0;
        for (int row = 0; row < loop.rows; row++) {
            loop.offsets(row, new int[] {0, a.offset(), b.offset()}, tmp);
            for (int i = 0; i < loop.inner; i++) {
                aOffs[idx] = tmp[1] + i * loop.innerStride(1);
                bOffs[idx] = tmp[2] + i * loop.innerStride(2);
                idx++;
            }
        }
        Parallel.forRange(nb, 1, (lo, hi) -> {
            for (int t = lo; t < hi; t++)
                Gemm.sgemm(m, n, k, ad, aOffs[t], aRs, aCs, bd, bOffs[t], bRs, bCs, od, t * m * n, n, false);
        });
        return out;
    }

    // ------------------------------------------------------------------ indexing

    private static int prod(int[] s, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= s[i];
        return p;
    }

    @Override
    public Tensor indexSelect(Tensor x, int axis, IntTensor index) {
        Tensor c = x.contiguous();
        int[] s = x.shape();
        int outer = prod(s, 0, axis), inner = prod(s, axis + 1, s.length), dimN = s[axis];
        int[] os = s.clone();
        os[axis] = index.numel();
        Tensor out = alloc(os);
        float[] xd = c.cpuData(), od = out.cpuData();
        int xo = c.offset();
        int[] idx = index.data();
        int ni = idx.length;
        Parallel.forRange(outer * ni, Math.max(1, 4096 / Math.max(1, inner)), (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int o = t / ni, i = t % ni;
                System.arraycopy(xd, xo + (o * dimN + idx[i]) * inner, od, t * inner, inner);
            }
        });
        return out;
    }

    @Override
    public Tensor indexAdd(int[] shape, int axis, IntTensor index, Tensor src) {
        Tensor c = src.contiguous();
        Tensor out = alloc(shape);
        int outer = prod(shape, 0, axis), inner = prod(shape, axis + 1, shape.length), dimN = shape[axis];
        float[] sd = c.cpuData(), od = out.cpuData();
        int so = c.offset();
        int[] idx = index.data();
        int ni = idx.length;
        if (outer >= 2) {
            Parallel.forRange(outer, 1, (lo, hi) -> {
                for (int o = lo; o < hi; o++)
                    for (int i = 0; i < ni; i++)
                        Kernels.axpy(1f, sd, so + (o * ni + i) * inner, od, (o * dimN + idx[i]) * inner, inner);
            });
        } else {
            // One outer block (embedding backward): split the columns so duplicate ids never race.
            Parallel.forRange(inner, 64, (lo, hi) -> {
                for (int i = 0; i < ni; i++)
                    Kernels.axpy(1f, sd, so + i * inner + lo, od, idx[i] * inner + lo, hi - lo);
            });
        }
        return out;
    }

    @Override
    public Tensor gather(Tensor x, int axis, IntTensor index) {
        int[] is = index.shape();
        Tensor out = alloc(is);
        int n = out.numel();
        if (n == 0) return out;
        float[] xd = x.cpuData(), od = out.cpuData();
        int[] xs = x.strides(), id = index.data();
        int xo = x.offset();
        int r = is.length;
        Parallel.forRange(n, 4096, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int rem = p, off = xo;
                for (int d = r - 1; d >= 0; d--) {
                    int i = rem % is[d];
                    rem /= is[d];
                    off += (d == axis ? id[p] : i) * xs[d];
                }
                od[p] = xd[off];
            }
        });
        return out;
    }

    @Override
    public Tensor scatterAdd(int[] shape, int axis, IntTensor index, Tensor src) {
        Tensor c = src.contiguous();
        Tensor out = alloc(shape);
        float[] sd = c.cpuData(), od = out.cpuData();
        int so = c.offset();
        int[] is = index.shape(), id = index.data();
        int[] os = out.strides();
        int r = is.length, n = index.numel();
        for (int p = 0; p < n; p++) {  // sequential: several sources may hit one output
            int rem = p, off = 0;
            for (int d = r - 1; d >= 0; d--) {
                int i = rem % is[d];
                rem /= is[d];
                off += (d == axis ? id[p] : i) * os[d];
            }
            od[off] += sd[so + p];
        }
        return out;
    }
}
