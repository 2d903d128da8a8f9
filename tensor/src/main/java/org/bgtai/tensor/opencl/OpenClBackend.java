package org.bgtai.tensor.opencl;

import static org.jocl.CL.clReleaseMemObject;

import java.util.Arrays;
import java.util.List;
import org.bgtai.tensor.Backend;
import org.bgtai.tensor.BinaryOp;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.ReduceOp;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.UnaryOp;
import org.jocl.cl_mem;

/**
 * The {@link Backend} of an {@link OpenClDevice}: every primitive op is one (rarely two) kernel
 * launches on the device's in-order queue. Inputs may be strided views (shapes and strides go to
 * the kernels as int8 arguments, see {@link Layout}); outputs are new contiguous tensors. The
 * semantics are those of the CPU backend (same NaN rules, same GELU/erf formulas, first index
 * wins ties in argmax); sums are accumulated in float in a different order, so results agree to
 * float rounding, not bit for bit. Index tensors live on the host and are uploaded per call; the
 * scatter ops ({@code indexAdd}, {@code scatterAdd}) build on the host, from the indices alone,
 * a list of the sources of every output element, so they are deterministic without atomics.
 * {@link #fused()} runs the fused layer ops as kernels ({@link OpenClFusedOps}), and
 * {@link #bernoulli} draws dropout masks on the device with the CPU's bits.
 */
final class OpenClBackend implements Backend {
    private static final int UNARY_CLAMP = 99;
    private static final long[] GEMM_LOCAL = {16, 16, 1};

    private final OpenClDevice dev;
    private final OpenClFusedOps fused;

    OpenClBackend(OpenClDevice dev) {
        this.dev = dev;
        this.fused = new OpenClFusedOps(dev, this);
    }

    @Override
    public Device device() {
        return dev;
    }

    /** The fused ops' kernels ({@code fused.cl}). */
    @Override
    public FusedOps fused() {
        return fused;
    }

    /** The live buffer behind {@code t}; throws when it was closed or is on another device. */
    ClBuffer buf(Tensor t) {
        if (!(t.storage() instanceof ClBuffer b) || b.device() != dev)
            throw new IllegalArgumentException("tensor " + Shape.str(t.shape()) + " lives on " + t.device().name() + ", not " + dev.name()
                + "; move it with .to(device)");
        if (b.isClosed())
            throw new IllegalStateException("tensor " + Shape.str(t.shape()) + " on " + dev.name()
                + " was used after its device buffer was closed; close a ClBuffer only after the last op that reads it");
        return b;
    }

    private Tensor alloc(int[] shape) {
        return Tensor.wrap(dev.alloc(Shape.numel(shape)), shape);
    }

    private static long[] global(long n) {
        return new long[] {n};
    }

    // ------------------------------------------------------------------ creation and transfer

    @Override
    public Tensor empty(int... shape) {
        return alloc(shape);  // uninitialised: callers (contiguous, cat) overwrite every element
    }

    @Override
    public Tensor full(float value, int... shape) {
        Tensor out = alloc(shape);
        fill(out, value);
        return out;
    }

    @Override
    public Tensor fromHost(float[] data, int... shape) {
        Tensor out = alloc(shape);
        dev.write(buf(out), data);
        return out;
    }

    @Override
    public float[] toHost(Tensor t) {
        if (t.isContiguous()) return dev.read(buf(t), t.offset(), t.numel());
        try (ClBuffer tmp = buf(contiguous(t))) {
            return dev.read(tmp, 0, t.numel());
        }
    }

    @Override
    public void copyInto(Tensor dst, Tensor src) {
        int n = dst.numel();
        if (n == 0) return;
        int[][] l = Layout.collapse(dst.shape(), dst.strides(), src.strides());
        dev.launch("copy_strided", global(n), null, buf(dst), dst.offset(), l[1], buf(src), src.offset(), l[2], l[0], n);
    }

    /** Drawn on the device with {@link org.bgtai.tensor.Rng#draw}'s SplitMix64: the CPU's bits, nothing copied. */
    @Override
    public Tensor bernoulli(long seed, long base, float p, int[] shape) {
        Tensor out = alloc(shape);
        int n = out.numel();
        if (n == 0) return out;
        long threshold = (long) Math.ceil(p * 0x1.0p53);   // x * 2^-53 < p exactly when x < threshold (CPU Kernels.bernoulliThreshold)
        dev.launch("bernoulli", global(n), null, buf(out), seed, base, threshold, n);
        return out;
    }

    @Override
    public void fill(Tensor dst, float value) {
        int n = dst.numel();
        if (n == 0) return;
        dev.launch("fill", global(n), null, buf(dst), dst.offset(), value, n);
    }

    @Override
    public void addInPlace(Tensor dst, Tensor src, float alpha) {
        int n = dst.numel();
        if (n == 0) return;
        int[][] l = Layout.collapse(dst.shape(), dst.strides(), src.strides());
        dev.launch("axpy_strided", global(n), null, buf(dst), dst.offset(), l[1], buf(src), src.offset(), l[2], l[0], n, alpha);
    }

    // ------------------------------------------------------------------ elementwise

    private Tensor unaryKernel(int op, Tensor x, float p0, float p1) {
        Tensor out = alloc(x.shape());
        int n = out.numel();
        if (n == 0) return out;
        int[][] l = Layout.collapse(x.shape(), x.strides());
        dev.launch("unary", global(n), null, op, buf(x), x.offset(), l[1], l[0], buf(out), n, p0, p1);
        return out;
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        return unaryKernel(op.ordinal(), x, 0f, 0f);
    }

    @Override
    public Tensor clamp(Tensor x, float lo, float hi) {
        return unaryKernel(UNARY_CLAMP, x, lo, hi);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, int[] outShape) {
        Tensor out = alloc(outShape);
        int n = out.numel();
        if (n == 0) return out;
        int[][] l = Layout.collapse(outShape,
            Shape.broadcastStrides(a.shape(), a.strides(), outShape),
            Shape.broadcastStrides(b.shape(), b.strides(), outShape));
        dev.launch("binary", global(n), null, op.ordinal(), buf(a), a.offset(), l[1], buf(b), b.offset(), l[2], l[0], buf(out), n);
        return out;
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b, int[] outShape) {
        Tensor out = alloc(outShape);
        int n = out.numel();
        if (n == 0) return out;
        int[][] l = Layout.collapse(outShape,
            Shape.broadcastStrides(cond.shape(), cond.strides(), outShape),
            Shape.broadcastStrides(a.shape(), a.strides(), outShape),
            Shape.broadcastStrides(b.shape(), b.strides(), outShape));
        dev.launch("where3", global(n), null, buf(cond), cond.offset(), l[1], buf(a), a.offset(), l[2], buf(b), b.offset(), l[3],
            l[0], buf(out), n);
        return out;
    }

    // ------------------------------------------------------------------ reductions

    private static int[] reducedShape(int[] shape, boolean[] red, boolean keepDim) {
        if (!keepDim) return Layout.select(shape, red, false);
        int[] out = shape.clone();
        for (int i = 0; i < out.length; i++) if (red[i]) out[i] = 1;
        return out;
    }

    /** Local size for a row of {@code n} elements: a power of two up to the device limit. */
    private int rowGroup(int n) {
        return Layout.nextPow2AtMost(n, dev.maxWorkGroup());
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDim) {
        int[] shape = x.shape(), strides = x.strides();
        boolean[] red = new boolean[shape.length];
        for (int a : axes) red[a] = true;
        Tensor out = alloc(reducedShape(shape, red, keepDim));
        int rows = out.numel();
        if (rows == 0) return out;
        int[][] o = Layout.collapse(Layout.select(shape, red, false), Layout.select(strides, red, false));
        int[] innerShape = Layout.select(shape, red, true);
        int[][] in = Layout.collapse(innerShape, Layout.select(strides, red, true));
        int inner = Shape.numel(innerShape);
        int ls = rowGroup(inner);
        dev.launch("reduce_rows", global((long) rows * ls), new long[] {ls}, op.ordinal(), buf(x), x.offset(), o[0], o[1], in[0], in[1], inner,
            buf(out), new OpenClDevice.Local(4L * ls));
        return out;
    }

    @Override
    public IntTensor argReduce(boolean max, Tensor x, int axis, boolean keepDim) {
        int[] shape = x.shape(), strides = x.strides();
        boolean[] red = new boolean[shape.length];
        red[axis] = true;
        int[] outShape = reducedShape(shape, red, keepDim);
        int rows = Shape.numel(outShape);
        if (rows == 0) return IntTensor.zeros(outShape);
        int[][] o = Layout.collapse(Layout.without(shape, axis), Layout.without(strides, axis));
        int n = shape[axis];
        int ls = rowGroup(n);
        cl_mem res = dev.intBuffer(rows);
        try {
            dev.launch("arg_reduce", global((long) rows * ls), new long[] {ls}, max ? 1 : 0, buf(x), x.offset(), o[0], o[1], strides[axis], n,
                res, new OpenClDevice.Local(4L * ls), new OpenClDevice.Local(4L * ls));
            return IntTensor.of(dev.readInts(res, rows), outShape);
        } finally {
            clReleaseMemObject(res);
        }
    }

    @Override
    public Tensor softmax(Tensor x, int axis, boolean log) {
        if (x.dim() == 0) return full(log ? 0f : 1f);
        int[] shape = x.shape();
        Tensor out = alloc(shape);
        int n = shape[axis];
        int rows = n == 0 ? 0 : out.numel() / n;
        if (rows == 0) return out;
        int[] ys = out.strides(), xs = x.strides();
        int[][] l = Layout.collapse(Layout.without(shape, axis), Layout.without(xs, axis), Layout.without(ys, axis));
        int ls = rowGroup(n);
        dev.launch("softmax_rows", global((long) rows * ls), new long[] {ls}, buf(x), x.offset(), l[0], l[1], xs[axis], buf(out), l[2], ys[axis],
            n, log ? 1 : 0, new OpenClDevice.Local(4L * ls));
        return out;
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor g, int axis, boolean log) {
        if (y.dim() == 0) return full(0f);
        int[] shape = y.shape();
        Tensor out = alloc(shape);
        int n = shape[axis];
        int rows = n == 0 ? 0 : out.numel() / n;
        if (rows == 0) return out;
        int[] ysd = y.strides(), gs = g.strides(), os = out.strides();
        int[][] l = Layout.collapse(Layout.without(shape, axis), Layout.without(ysd, axis), Layout.without(gs, axis), Layout.without(os, axis));
        int ls = rowGroup(n);
        dev.launch("softmax_backward_rows", global((long) rows * ls), new long[] {ls}, buf(y), y.offset(), l[0], l[1], ysd[axis],
            buf(g), g.offset(), l[2], gs[axis], buf(out), l[3], os[axis], n, log ? 1 : 0, new OpenClDevice.Local(4L * ls));
        return out;
    }

    // ------------------------------------------------------------------ matmul

    @Override
    public Tensor matmul(Tensor a, Tensor b, int[] outShape) {
        Tensor out = alloc(outShape);
        int r = outShape.length;
        int m = outShape[r - 2], n = outShape[r - 1];
        int k = a.shape()[a.dim() - 1];
        if (out.numel() == 0) return out;
        if (k == 0) {
            fill(out, 0f);
            return out;
        }
        int[] batch = Arrays.copyOf(outShape, r - 2);
        int nb = Shape.numel(batch);
        int[] as = a.strides(), bs = b.strides();
        int[] abs = Shape.broadcastStrides(Arrays.copyOf(a.shape(), a.dim() - 2), Arrays.copyOf(as, as.length - 2), batch);
        int[] bbs = Shape.broadcastStrides(Arrays.copyOf(b.shape(), b.dim() - 2), Arrays.copyOf(bs, bs.length - 2), batch);
        int[][] l = Layout.collapse(batch, abs, bbs);
        long gx = (n + 63) / 64 * 16L, gy = (m + 63) / 64 * 16L;
        dev.launch("gemm", new long[] {gx, gy, nb}, GEMM_LOCAL, m, n, k,
            buf(a), a.offset(), as[as.length - 2], as[as.length - 1],
            buf(b), b.offset(), bs[bs.length - 2], bs[bs.length - 1],
            buf(out), l[0], l[1], l[2]);
        return out;
    }

    // ------------------------------------------------------------------ indexing

    /** Shape and strides padded (not merged: the axis must survive) to the kernel rank. */
    private static int paddedAxis(int axis, int rank) {
        return axis + Layout.MAXR - rank;
    }

    @Override
    public Tensor indexSelect(Tensor x, int axis, IntTensor index) {
        int[] os = x.shape();
        os[axis] = index.numel();
        Tensor out = alloc(os);
        int n = out.numel();
        if (n == 0) return out;
        cl_mem idx = dev.uploadInts(index.data());
        try {
            dev.launch("index_select", global(n), null, buf(x), x.offset(), Layout.pad(x.strides(), 0, os), Layout.pad(os, 1, os),
                paddedAxis(axis, os.length), idx, buf(out), n);
        } finally {
            clReleaseMemObject(idx);  // freed once the queued kernel has run
        }
        return out;
    }

    @Override
    public Tensor gather(Tensor x, int axis, IntTensor index) {
        int[] is = index.shape();
        Tensor out = alloc(is);
        int n = out.numel();
        if (n == 0) return out;
        cl_mem idx = dev.uploadInts(index.data());
        try {
            dev.launch("gather", global(n), null, buf(x), x.offset(), Layout.pad(x.strides(), 0, is), Layout.pad(is, 1, is),
                paddedAxis(axis, is.length), idx, buf(out), n);
        } finally {
            clReleaseMemObject(idx);
        }
        return out;
    }

    /**
     * Groups source positions by target: {@code start[t]..start[t+1]} index into the returned
     * {@code perm}, which lists the sources of target {@code t} in increasing order.
     */
    static int[][] sourcesByTarget(int[] target, int targets) {
        int[] start = new int[targets + 1];
        for (int t : target) start[t + 1]++;
        for (int t = 0; t < targets; t++) start[t + 1] += start[t];
        int[] fillPos = Arrays.copyOf(start, targets);
        int[] perm = new int[target.length];
        for (int s = 0; s < target.length; s++) perm[fillPos[target[s]]++] = s;
        return new int[][] {start, perm};
    }

    @Override
    public Tensor indexAdd(int[] shape, int axis, IntTensor index, Tensor src) {
        Tensor out = alloc(shape);
        int n = out.numel();
        if (n == 0) return out;
        Tensor c = src.contiguous();
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        int dimN = shape[axis], ni = index.numel();
        int[][] csr = sourcesByTarget(index.data(), dimN);
        cl_mem start = dev.uploadInts(csr[0]), perm = dev.uploadInts(csr[1]);
        try {
            dev.launch("index_add", global(n), null, buf(c), c.offset(), start, perm, dimN, ni, inner, buf(out), n);
        } finally {
            closeTemporary(c, src);
            clReleaseMemObject(start);
            clReleaseMemObject(perm);
        }
        return out;
    }

    @Override
    public Tensor scatterAdd(int[] shape, int axis, IntTensor index, Tensor src) {
        Tensor out = alloc(shape);
        int n = out.numel();
        if (n == 0) return out;
        Tensor c = src.contiguous();
        int[] is = index.shape(), id = index.data();
        int[] os = out.strides();
        int r = is.length;
        int[] target = new int[id.length];
        for (int p = 0; p < id.length; p++) {
            int rem = p, off = 0;
            for (int d = r - 1; d >= 0; d--) {
                int i = rem % is[d];
                rem /= is[d];
                off += (d == axis ? id[p] : i) * os[d];
            }
            target[p] = off;
        }
        int[][] csr = sourcesByTarget(target, n);
        cl_mem start = dev.uploadInts(csr[0]), perm = dev.uploadInts(csr[1]);
        try {
            dev.launch("scatter_add", global(n), null, buf(c), c.offset(), start, perm, buf(out), n);
        } finally {
            closeTemporary(c, src);
            clReleaseMemObject(start);
            clReleaseMemObject(perm);
        }
        return out;
    }

    /** Frees {@code copy} now when it is a temporary made from {@code original} (safe: queued kernels keep it alive). */
    private static void closeTemporary(Tensor copy, Tensor original) {
        if (copy.storage() != original.storage()) ((ClBuffer) copy.storage()).close();
    }

}
