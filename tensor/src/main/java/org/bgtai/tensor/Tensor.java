package org.bgtai.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional float32 tensor: a {@link Storage} plus shape, strides and offset.
 *
 * <p>Movement ops ({@link #reshape}, {@link #permute}, {@link #transpose}, {@link #narrow},
 * {@link #slice}, {@link #expand}, {@link #unsqueeze}, {@link #squeeze}) return zero-copy views
 * that share storage; {@link #contiguous()} copies only when the layout requires it. Compute ops
 * return new contiguous tensors and never modify their inputs. Broadcasting follows NumPy.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);   // [2, 3]
 * Tensor y = x.matmul(x.transpose(0, 1));                        // [2, 2] = [[14, 32], [32, 77]]
 * Tensor p = x.softmax(-1);                                      // rows sum to 1
 * }</pre>
 *
 * <p>Tensors are immutable from the API's point of view except through the explicitly named
 * in-place methods ({@link #addInPlace}, {@link #copyFrom}, {@link #fill}), which optimizers and
 * gradient accumulation use.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    /** A contiguous tensor over {@code storage}. */
    public static Tensor wrap(Storage storage, int... shape) {
        int n = Shape.numel(shape);
        if (n > storage.length())
            throw new IllegalArgumentException("storage of " + storage.length() + " elements is too small for shape " + Shape.str(shape));
        return new Tensor(storage, shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    /** A view with explicit strides and offset (checked against the storage bounds). */
    public static Tensor view(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length)
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " and strides " + Shape.str(strides) + " differ in rank");
        long lo = offset, hi = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) throw new IllegalArgumentException("negative dimension in " + Shape.str(shape));
            if (shape[i] == 0) { lo = offset; hi = offset - 1; break; }
            long ext = (long) (shape[i] - 1) * strides[i];
            if (ext < 0) lo += ext; else hi += ext;
        }
        if (hi >= lo && (lo < 0 || hi >= storage.length()))
            throw new IllegalArgumentException("view shape " + Shape.str(shape) + " strides " + Shape.str(strides)
                + " offset " + offset + " reaches outside storage of " + storage.length() + " elements");
        return new Tensor(storage, shape.clone(), strides.clone(), offset);
    }

    // ------------------------------------------------------------------ creation

    /** Wraps {@code data} (not copied) as a CPU tensor of {@code shape}. */
    public static Tensor of(float[] data, int... shape) {
        int n = Shape.numel(shape);
        if (n != data.length)
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values do not fill shape "
                + Shape.str(shape) + " (" + n + " elements); pass the shape of the data");
        return new Tensor(new Storage.Cpu(data), shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    /** A 1-D CPU tensor of the given values (copied). */
    public static Tensor vector(float... values) {
        return of(values.clone(), values.length);
    }

    /** A rank-0 CPU tensor. */
    public static Tensor scalar(float v) {
        return of(new float[] {v});
    }

    public static Tensor zeros(int... shape) {
        return of(new float[Shape.numel(shape)], shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        if (value != 0f) Arrays.fill(d, value);
        return of(d, shape);
    }

    /** {@code [start, start+step, ...)} below {@code end}. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || (end - start) / step < 0)
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + "): step must move from start toward end");
        int n = (int) Math.ceil((end - start) / step);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = start + i * step;
        return of(d, n);
    }

    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** Identity matrix [n, n]. */
    public static Tensor eye(int n) {
        float[] d = new float[n * n];
        for (int i = 0; i < n; i++) d[i * n + i] = 1f;
        return of(d, n, n);
    }

    /** A new tensor of the same shape and device filled with {@code value}. */
    public Tensor fullLike(float value) {
        return backend().full(value, shape);
    }

    public Tensor zerosLike() {
        return fullLike(0f);
    }

    public Tensor onesLike() {
        return fullLike(1f);
    }

    // ------------------------------------------------------------------ metadata

    public int[] shape() {
        return shape.clone();
    }

    /** Size of dim {@code d} (negative counts from the end). */
    public int size(int d) {
        return shape[Shape.dim(d, shape.length, shape)];
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    public Storage storage() {
        return storage;
    }

    public Device device() {
        return storage.device();
    }

    public Backend backend() {
        return storage.device().backend();
    }

    /** The CPU backing array (use with {@link #offset()} and {@link #strides()}); throws for device tensors. */
    public float[] cpuData() {
        if (storage instanceof Storage.Cpu c) return c.data();
        throw new IllegalStateException("tensor lives on " + device().name() + ", not the CPU; call .to(Device.CPU) first");
    }

    public boolean isContiguous() {
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != acc) return false;
            acc *= shape[i];
        }
        return true;
    }

    /** Contiguous and starting at offset 0 covering exactly its storage (so {@link #cpuData()} is the data). */
    public boolean isDense() {
        return isContiguous() && offset == 0 && storage.length() == numel();
    }

    // ------------------------------------------------------------------ host access

    /** Row-major copy of the values. */
    public float[] toArray() {
        return backend().toHost(this);
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1)
            throw new IllegalStateException("item() needs a tensor with one element, got shape " + Shape.str(shape) + "; reduce it first (e.g. .sum())");
        return toArray()[0];
    }

    /** One element by index (slow; for tests and debugging). */
    public float get(int... idx) {
        if (idx.length != shape.length)
            throw new IllegalArgumentException("get: " + idx.length + " indices for a tensor of shape " + Shape.str(shape));
        int off = offset;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i])
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of range for shape " + Shape.str(shape));
            off += idx[i] * strides[i];
        }
        if (storage instanceof Storage.Cpu c) return c.data()[off];
        return narrowAll(idx).toArray()[0];
    }

    private Tensor narrowAll(int[] idx) {
        Tensor t = this;
        for (int i = 0; i < idx.length; i++) t = t.narrow(i, idx[i], 1);
        return t;
    }

    /** Copies this tensor to {@code device} (returns {@code this} when already there). */
    public Tensor to(Device device) {
        if (device == device()) return this;
        float[] host = toArray();
        return device.backend().fromHost(host, shape);
    }

    /** Throws if any value is NaN or infinite, naming {@code what} and the first bad position. */
    public Tensor checkFinite(String what) {
        float[] v = toArray();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i]))
                throw new ArithmeticException(what + " contains " + v[i] + " at flat index " + i + " (shape " + Shape.str(shape)
                    + "); check the learning rate, log of non-positive values, or division by zero upstream");
        }
        return this;
    }

    // ------------------------------------------------------------------ views

    /** Resolves one {@code -1} entry and checks the element count. */
    static int[] inferShape(int[] newShape, int numel, int[] oldShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long prod = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: only one -1 allowed, got " + Shape.str(newShape));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape: negative size in " + Shape.str(newShape));
            } else {
                prod *= s[i];
            }
        }
        if (infer >= 0) {
            if (prod == 0 || numel % prod != 0)
                throw new IllegalArgumentException("reshape: cannot reshape " + Shape.str(oldShape) + " (" + numel + " elements) into " + Shape.str(newShape));
            s[infer] = (int) (numel / prod);
        } else if (prod != numel) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shape.str(oldShape) + " (" + numel
                + " elements) into " + Shape.str(newShape) + " (" + prod + " elements)");
        }
        return s;
    }

    /** Reshape; a view when the strides allow it (always for contiguous tensors), else a copy. */
    public Tensor reshape(int... newShape) {
        int[] s = inferShape(newShape, numel(), shape);
        int[] st = viewStrides(s);
        if (st != null) return new Tensor(storage, s, st, offset);
        Tensor c = contiguous();
        return new Tensor(c.storage, s, Shape.contiguousStrides(s), c.offset);
    }

    /** Strides viewing this tensor as {@code newShape} without copying, or null (PyTorch's computeStride). */
    private int[] viewStrides(int[] newShape) {
        if (isContiguous()) return Shape.contiguousStrides(newShape);
        int[] newStrides = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = strides.length == 0 ? 1 : strides[strides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return newStrides;
    }

    /** Flattens dims {@code start..end} (inclusive) into one. */
    public Tensor flatten(int start, int end) {
        int r = shape.length;
        if (r == 0) return reshape(1);
        int s = Shape.dim(start, r, shape), e = Shape.dim(end, r, shape);
        if (s > e) throw new IllegalArgumentException("flatten: start " + start + " after end " + end);
        int[] ns = new int[r - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) ns[k++] = shape[i];
        int p = 1;
        for (int i = s; i <= e; i++) p *= shape[i];
        ns[k++] = p;
        for (int i = e + 1; i < r; i++) ns[k++] = shape[i];
        return reshape(ns);
    }

    /** Reorders dims: {@code permute(0, 2, 1)} swaps the last two of a rank-3 tensor. */
    public Tensor permute(int... order) {
        int r = shape.length;
        if (order.length != r)
            throw new IllegalArgumentException("permute: order " + Shape.str(order) + " has " + order.length + " dims, tensor " + Shape.str(shape) + " has " + r);
        int[] ns = new int[r], nst = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int d = Shape.dim(order[i], r, shape);
            if (seen[d]) throw new IllegalArgumentException("permute: dim " + d + " repeated in " + Shape.str(order));
            seen[d] = true;
            ns[i] = shape[d];
            nst[i] = strides[d];
        }
        return new Tensor(storage, ns, nst, offset);
    }

    public Tensor transpose(int d0, int d1) {
        int r = shape.length;
        int a = Shape.dim(d0, r, shape), b = Shape.dim(d1, r, shape);
        int[] order = new int[r];
        for (int i = 0; i < r; i++) order[i] = i;
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Transpose of the last two dims. */
    public Tensor mT() {
        if (shape.length < 2) throw new IllegalArgumentException("mT needs rank >= 2, got " + Shape.str(shape));
        return transpose(-2, -1);
    }

    /** Elements {@code [start, start+length)} along {@code dim} (a view). */
    public Tensor narrow(int dim, int start, int length) {
        int d = Shape.dim(dim, shape.length, shape);
        if (start < 0 || length < 0 || start + length > shape[d])
            throw new IndexOutOfBoundsException("narrow(dim=" + dim + ", start=" + start + ", length=" + length
                + ") out of range for size " + shape[d] + " (shape " + Shape.str(shape) + ")");
        int[] ns = shape.clone();
        ns[d] = length;
        return new Tensor(storage, ns, strides.clone(), offset + (length == 0 ? 0 : start * strides[d]));
    }

    /** Python-style {@code [start:end:step]} along {@code dim}; negative start/end count from the end. */
    public Tensor slice(int dim, int start, int end, int step) {
        int d = Shape.dim(dim, shape.length, shape);
        int n = shape[d];
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive, got " + step);
        int s = start < 0 ? Math.max(0, start + n) : Math.min(start, n);
        int e = end < 0 ? Math.max(0, end + n) : Math.min(end, n);
        int len = e <= s ? 0 : (e - s + step - 1) / step;
        int[] ns = shape.clone(), nst = strides.clone();
        ns[d] = len;
        nst[d] = strides[d] * step;
        return new Tensor(storage, ns, nst, offset + (len == 0 ? 0 : s * strides[d]));
    }

    /** Index {@code i} along {@code dim}, removing that dim (a view). */
    public Tensor select(int dim, int i) {
        int d = Shape.dim(dim, shape.length, shape);
        int idx = i < 0 ? i + shape[d] : i;
        return narrow(d, idx, 1).squeeze(d);
    }

    /** Broadcasts size-1 dims to {@code target} (stride 0, a view); {@code -1} keeps a dim. */
    public Tensor expand(int... target) {
        int r = target.length;
        if (r < shape.length)
            throw new IllegalArgumentException("expand: target " + Shape.str(target) + " has lower rank than " + Shape.str(shape));
        int[] t = target.clone();
        int off = r - shape.length;
        for (int i = 0; i < r; i++) if (t[i] == -1) {
            if (i < off) throw new IllegalArgumentException("expand: -1 not allowed for new leading dim in " + Shape.str(target));
            t[i] = shape[i - off];
        }
        int[] st = Shape.broadcastStrides(shape, strides, t);
        return new Tensor(storage, t, st, offset);
    }

    public Tensor unsqueeze(int dim) {
        int r = shape.length + 1;
        int d = Shape.dim(dim, r, shape);
        int[] ns = new int[r], nst = new int[r];
        for (int i = 0, j = 0; i < r; i++) {
            if (i == d) {
                ns[i] = 1;
                nst[i] = j < shape.length ? strides[j] * shape[j] : 1;
            } else {
                ns[i] = shape[j];
                nst[i] = strides[j];
                j++;
            }
        }
        return new Tensor(storage, ns, nst, offset);
    }

    /** Removes dim {@code dim}, which must have size 1. */
    public Tensor squeeze(int dim) {
        int d = Shape.dim(dim, shape.length, shape);
        if (shape[d] != 1)
            throw new IllegalArgumentException("squeeze: dim " + dim + " has size " + shape[d] + ", not 1 (shape " + Shape.str(shape) + ")");
        int[] ns = new int[shape.length - 1], nst = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != d) {
            ns[j] = shape[i];
            nst[j++] = strides[i];
        }
        return new Tensor(storage, ns, nst, offset);
    }

    /** Removes every size-1 dim. */
    public Tensor squeeze() {
        Tensor t = this;
        for (int i = shape.length - 1; i >= 0; i--) if (shape[i] == 1) t = t.squeeze(i);
        return t;
    }

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : backend().contiguous(this);
    }

    /** Always a new contiguous copy. */
    public Tensor copy() {
        return backend().contiguous(this);
    }

    // ------------------------------------------------------------------ elementwise

    private void sameDevice(Tensor o, String op) {
        if (o.device() != device())
            throw new IllegalArgumentException(op + ": operands on different devices (" + device().name() + " and "
                + o.device().name() + "); move one with .to(device)");
    }

    private Tensor scalarLike(float v) {
        return device() == Device.CPU ? scalar(v) : backend().full(v);
    }

    public Tensor unary(UnaryOp op) {
        return backend().unary(op, this);
    }

    public Tensor binary(BinaryOp op, Tensor o) {
        sameDevice(o, op.name().toLowerCase());
        int[] out;
        try {
            out = Shape.broadcast(shape, o.shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op.name().toLowerCase() + ": " + e.getMessage(), e);
        }
        return backend().binary(op, this, o, out);
    }

    public Tensor add(Tensor o) { return binary(BinaryOp.ADD, o); }
    public Tensor sub(Tensor o) { return binary(BinaryOp.SUB, o); }
    public Tensor mul(Tensor o) { return binary(BinaryOp.MUL, o); }
    public Tensor div(Tensor o) { return binary(BinaryOp.DIV, o); }
    public Tensor pow(Tensor o) { return binary(BinaryOp.POW, o); }
    public Tensor maximum(Tensor o) { return binary(BinaryOp.MAX, o); }
    public Tensor minimum(Tensor o) { return binary(BinaryOp.MIN, o); }
    public Tensor add(float v) { return binary(BinaryOp.ADD, scalarLike(v)); }
    public Tensor sub(float v) { return binary(BinaryOp.SUB, scalarLike(v)); }
    public Tensor mul(float v) { return binary(BinaryOp.MUL, scalarLike(v)); }
    public Tensor div(float v) { return binary(BinaryOp.DIV, scalarLike(v)); }
    public Tensor pow(float v) { return v == 2f ? unary(UnaryOp.SQUARE) : binary(BinaryOp.POW, scalarLike(v)); }
    public Tensor maximum(float v) { return binary(BinaryOp.MAX, scalarLike(v)); }
    public Tensor minimum(float v) { return binary(BinaryOp.MIN, scalarLike(v)); }
    /** {@code v - this}. */
    public Tensor rsub(float v) { return scalarLike(v).binary(BinaryOp.SUB, this); }

    public Tensor gt(Tensor o) { return binary(BinaryOp.GT, o); }
    public Tensor ge(Tensor o) { return binary(BinaryOp.GE, o); }
    public Tensor lt(Tensor o) { return binary(BinaryOp.LT, o); }
    public Tensor le(Tensor o) { return binary(BinaryOp.LE, o); }
    public Tensor eq(Tensor o) { return binary(BinaryOp.EQ, o); }
    public Tensor ne(Tensor o) { return binary(BinaryOp.NE, o); }
    public Tensor gt(float v) { return binary(BinaryOp.GT, scalarLike(v)); }
    public Tensor ge(float v) { return binary(BinaryOp.GE, scalarLike(v)); }
    public Tensor lt(float v) { return binary(BinaryOp.LT, scalarLike(v)); }
    public Tensor le(float v) { return binary(BinaryOp.LE, scalarLike(v)); }
    public Tensor eq(float v) { return binary(BinaryOp.EQ, scalarLike(v)); }
    public Tensor ne(float v) { return binary(BinaryOp.NE, scalarLike(v)); }

    public Tensor neg() { return unary(UnaryOp.NEG); }
    public Tensor exp() { return unary(UnaryOp.EXP); }
    public Tensor log() { return unary(UnaryOp.LOG); }
    public Tensor sqrt() { return unary(UnaryOp.SQRT); }
    public Tensor rsqrt() { return unary(UnaryOp.RSQRT); }
    public Tensor reciprocal() { return unary(UnaryOp.RECIPROCAL); }
    public Tensor square() { return unary(UnaryOp.SQUARE); }
    public Tensor abs() { return unary(UnaryOp.ABS); }
    public Tensor sign() { return unary(UnaryOp.SIGN); }
    public Tensor sin() { return unary(UnaryOp.SIN); }
    public Tensor cos() { return unary(UnaryOp.COS); }
    public Tensor tanh() { return unary(UnaryOp.TANH); }
    public Tensor sigmoid() { return unary(UnaryOp.SIGMOID); }
    public Tensor relu() { return unary(UnaryOp.RELU); }
    public Tensor gelu() { return unary(UnaryOp.GELU); }
    public Tensor geluTanh() { return unary(UnaryOp.GELU_TANH); }
    public Tensor silu() { return unary(UnaryOp.SILU); }
    public Tensor erf() { return unary(UnaryOp.ERF); }
    public Tensor log1p() { return unary(UnaryOp.LOG1P); }

    /** Clamps every value into {@code [lo, hi]} (use +-Infinity for one-sided). */
    public Tensor clamp(float lo, float hi) {
        if (lo > hi) throw new IllegalArgumentException("clamp: lo " + lo + " > hi " + hi);
        return backend().clamp(this, lo, hi);
    }

    /** {@code cond != 0 ? a : b}, broadcast. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        a.sameDevice(b, "where");
        cond.sameDevice(a, "where");
        int[] out = Shape.broadcast(Shape.broadcast(cond.shape, a.shape), b.shape);
        return a.backend().where(cond, a, b, out);
    }

    /** Sets positions where {@code mask != 0} to {@code value} (mask broadcasts to this shape). */
    public Tensor maskedFill(Tensor mask, float value) {
        int[] out = Shape.broadcast(shape, mask.shape);
        if (!Arrays.equals(out, shape))
            throw new IllegalArgumentException("maskedFill: mask " + Shape.str(mask.shape) + " must broadcast to the tensor's shape " + Shape.str(shape));
        return where(mask, scalarLike(value), this);
    }

    // ------------------------------------------------------------------ reductions

    private int[] normAxes(int[] axes) {
        if (axes.length == 0) {
            int[] all = new int[shape.length];
            for (int i = 0; i < all.length; i++) all[i] = i;
            return all;
        }
        int[] a = new int[axes.length];
        for (int i = 0; i < axes.length; i++) a[i] = Shape.dim(axes[i], shape.length, shape);
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++)
            if (a[i] == a[i - 1]) throw new IllegalArgumentException("reduction axes repeat dim " + a[i] + ": " + Shape.str(axes));
        return a;
    }

    /** Reduces along {@code axes} (all dims when empty). */
    public Tensor reduce(ReduceOp op, boolean keepDim, int... axes) {
        int[] a = normAxes(axes);
        for (int ax : a)
            if (shape[ax] == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN))
                throw new IllegalArgumentException(op + " over an empty dim " + ax + " of shape " + Shape.str(shape));
        return backend().reduce(op, this, a, keepDim);
    }

    /** Sum of all elements (rank 0). */
    public Tensor sum() { return reduce(ReduceOp.SUM, false); }
    public Tensor mean() { return reduce(ReduceOp.MEAN, false); }
    public Tensor sum(int dim, boolean keepDim) { return reduce(ReduceOp.SUM, keepDim, dim); }
    public Tensor mean(int dim, boolean keepDim) { return reduce(ReduceOp.MEAN, keepDim, dim); }
    public Tensor max(int dim, boolean keepDim) { return reduce(ReduceOp.MAX, keepDim, dim); }
    public Tensor min(int dim, boolean keepDim) { return reduce(ReduceOp.MIN, keepDim, dim); }
    public Tensor max() { return reduce(ReduceOp.MAX, false); }
    public Tensor min() { return reduce(ReduceOp.MIN, false); }
    public Tensor logsumexp(int dim, boolean keepDim) { return reduce(ReduceOp.LOGSUMEXP, keepDim, dim); }

    /** Variance along {@code dim}; {@code unbiased} divides by n-1. */
    public Tensor var(int dim, boolean unbiased, boolean keepDim) {
        int n = size(dim);
        Tensor mu = mean(dim, true);
        Tensor ss = sub(mu).square().sum(dim, keepDim);
        int denom = unbiased ? n - 1 : n;
        if (denom <= 0) throw new IllegalArgumentException("var: dim " + dim + " has " + n + " elements, too few for " + (unbiased ? "unbiased " : "") + "variance");
        return ss.div(denom);
    }

    public IntTensor argmax(int dim, boolean keepDim) {
        int d = Shape.dim(dim, shape.length, shape);
        if (shape[d] == 0) throw new IllegalArgumentException("argmax over empty dim " + dim + " of " + Shape.str(shape));
        return backend().argReduce(true, this, d, keepDim);
    }

    public IntTensor argmin(int dim, boolean keepDim) {
        int d = Shape.dim(dim, shape.length, shape);
        if (shape[d] == 0) throw new IllegalArgumentException("argmin over empty dim " + dim + " of " + Shape.str(shape));
        return backend().argReduce(false, this, d, keepDim);
    }

    /** Numerically stable softmax along {@code dim}. */
    public Tensor softmax(int dim) {
        return backend().softmax(this, Shape.dim(dim, shape.length, shape), false);
    }

    /** Numerically stable log-softmax along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        return backend().softmax(this, Shape.dim(dim, shape.length, shape), true);
    }

    // ------------------------------------------------------------------ matmul

    /**
     * Matrix product with NumPy semantics: 1-D operands are promoted (and the added dim removed),
     * batch dims broadcast. {@code [..., m, k] x [..., k, n] -> [..., m, n]}.
     */
    public Tensor matmul(Tensor o) {
        sameDevice(o, "matmul");
        if (shape.length == 0 || o.shape.length == 0)
            throw new IllegalArgumentException("matmul: both operands need rank >= 1, got " + Shape.str(shape) + " x " + Shape.str(o.shape) + "; use mul for scalars");
        Tensor a = shape.length == 1 ? unsqueeze(0) : this;
        Tensor b = o.shape.length == 1 ? o.unsqueeze(1) : o;
        int ka = a.shape[a.shape.length - 1], kb = b.shape[b.shape.length - 2];
        if (ka != kb) {
            String hint = ka == b.shape[b.shape.length - 1] ? "; did you mean a.matmul(b.mT())?" : "";
            throw new IllegalArgumentException("matmul: shape mismatch " + Shape.str(shape) + " x " + Shape.str(o.shape)
                + " (inner dims " + ka + " vs " + kb + ")" + hint);
        }
        int[] ba = Arrays.copyOf(a.shape, a.shape.length - 2), bb = Arrays.copyOf(b.shape, b.shape.length - 2);
        int[] batch;
        try {
            batch = Shape.broadcast(ba, bb);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: batch dims " + Shape.str(ba) + " and " + Shape.str(bb) + " do not broadcast ("
                + Shape.str(shape) + " x " + Shape.str(o.shape) + ")", e);
        }
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = a.shape[a.shape.length - 2];
        out[batch.length + 1] = b.shape[b.shape.length - 1];
        Tensor r = backend().matmul(a, b, out);
        if (shape.length == 1) r = r.squeeze(-2);
        if (o.shape.length == 1) r = r.squeeze(-1);
        return r;
    }

    // ------------------------------------------------------------------ indexing

    /** Rows (entries along {@code dim}) picked by a 1-D {@code index}; {@code embedding} is {@code indexSelect(0, ids)}. */
    public Tensor indexSelect(int dim, IntTensor index) {
        int d = Shape.dim(dim, shape.length, shape);
        if (index.dim() != 1) throw new IllegalArgumentException("indexSelect: index must be 1-D, got " + Shape.str(index.shape()));
        index.checkRange(shape[d], "indexSelect on dim " + d + " of " + Shape.str(shape));
        return backend().indexSelect(this, d, index);
    }

    /** Embedding lookup: {@code this [vocab, dim]}, {@code ids [...]} -> {@code [..., dim]}. */
    public Tensor embedding(IntTensor ids) {
        if (shape.length != 2) throw new IllegalArgumentException("embedding table must be [vocab, dim], got " + Shape.str(shape));
        int[] os = Arrays.copyOf(ids.shape(), ids.dim() + 1);
        os[ids.dim()] = shape[1];
        return indexSelect(0, ids.reshape(-1)).reshape(os);
    }

    /** Inverse of {@link #indexSelect}: zero tensor of {@code shape} with {@code src} rows added at {@code index}. */
    public static Tensor indexAdd(int[] shape, int dim, IntTensor index, Tensor src) {
        int d = Shape.dim(dim, shape.length, shape);
        index.checkRange(shape[d], "indexAdd on dim " + d + " of " + Shape.str(shape));
        int[] expect = shape.clone();
        expect[d] = index.numel();
        if (!Arrays.equals(expect, src.shape))
            throw new IllegalArgumentException("indexAdd: src " + Shape.str(src.shape) + " must be " + Shape.str(expect));
        return src.backend().indexAdd(shape, d, index, src);
    }

    /** PyTorch {@code gather}: {@code index} has this tensor's rank; {@code out[..i..] = this[.. index[..i..] ..]} along {@code dim}. */
    public Tensor gather(int dim, IntTensor index) {
        int d = Shape.dim(dim, shape.length, shape);
        int[] is = index.shape();
        if (is.length != shape.length)
            throw new IllegalArgumentException("gather: index rank " + is.length + " differs from tensor rank " + shape.length);
        for (int i = 0; i < is.length; i++)
            if (i != d && is[i] > shape[i])
                throw new IllegalArgumentException("gather: index shape " + Shape.str(is) + " exceeds tensor shape " + Shape.str(shape) + " at dim " + i);
        index.checkRange(shape[d], "gather on dim " + d + " of " + Shape.str(shape));
        return backend().gather(this, d, index);
    }

    /** PyTorch {@code scatter_add} into a zero tensor of {@code shape}. */
    public static Tensor scatterAdd(int[] shape, int dim, IntTensor index, Tensor src) {
        int d = Shape.dim(dim, shape.length, shape);
        if (!Arrays.equals(index.shape(), src.shape))
            throw new IllegalArgumentException("scatterAdd: index " + Shape.str(index.shape()) + " and src " + Shape.str(src.shape) + " must have the same shape");
        index.checkRange(shape[d], "scatterAdd on dim " + d + " of " + Shape.str(shape));
        return src.backend().scatterAdd(shape, d, index, src);
    }

    /** Concatenates along {@code dim}; all other dims must match. */
    public static Tensor cat(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("cat: no tensors given");
        int[] s0 = parts.get(0).shape;
        int d = Shape.dim(dim, s0.length, s0);
        int total = 0;
        for (Tensor t : parts) {
            parts.get(0).sameDevice(t, "cat");
            if (t.shape.length != s0.length)
                throw new IllegalArgumentException("cat: ranks differ: " + Shape.str(s0) + " vs " + Shape.str(t.shape));
            for (int i = 0; i < s0.length; i++)
                if (i != d && t.shape[i] != s0[i])
                    throw new IllegalArgumentException("cat along dim " + d + ": shapes " + Shape.str(s0) + " and " + Shape.str(t.shape) + " differ at dim " + i);
            total += t.shape[d];
        }
        int[] out = s0.clone();
        out[d] = total;
        return parts.get(0).backend().cat(parts, d, out);
    }

    public static Tensor cat(int dim, Tensor... parts) {
        return cat(List.of(parts), dim);
    }

    /** Stacks equal-shaped tensors along a new dim. */
    public static Tensor stack(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("stack: no tensors given");
        int r = parts.get(0).dim() + 1;
        int d = Shape.dim(dim, r, parts.get(0).shape);
        List<Tensor> u = new ArrayList<>(parts.size());
        for (Tensor t : parts) {
            if (!Arrays.equals(t.shape, parts.get(0).shape))
                throw new IllegalArgumentException("stack: shapes differ: " + Shape.str(parts.get(0).shape) + " vs " + Shape.str(t.shape));
            u.add(t.unsqueeze(d));
        }
        return cat(u, d);
    }

    /** Splits into views of the given sizes along {@code dim}. */
    public List<Tensor> split(int dim, int... sizes) {
        int d = Shape.dim(dim, shape.length, shape);
        int sum = 0;
        for (int s : sizes) sum += s;
        if (sum != shape[d])
            throw new IllegalArgumentException("split: sizes " + Shape.str(sizes) + " sum to " + sum + ", dim " + d + " has " + shape[d]);
        List<Tensor> out = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            out.add(narrow(d, start, s));
            start += s;
        }
        return out;
    }

    /** Splits into {@code n} equal views along {@code dim}. */
    public List<Tensor> chunk(int n, int dim) {
        int d = Shape.dim(dim, shape.length, shape);
        if (n <= 0 || shape[d] % n != 0)
            throw new IllegalArgumentException("chunk: dim " + d + " of size " + shape[d] + " is not divisible into " + n + " parts");
        int[] sizes = new int[n];
        Arrays.fill(sizes, shape[d] / n);
        return split(d, sizes);
    }

    /**
     * Constant padding, PyTorch order: {@code pads = [lastLeft, lastRight, secondLastLeft, ...]}.
     */
    public Tensor pad(int[] pads, float value) {
        if (pads.length % 2 != 0 || pads.length / 2 > shape.length)
            throw new IllegalArgumentException("pad: " + pads.length + " values for a rank-" + shape.length + " tensor; give (left, right) pairs from the last dim");
        int[] out = shape.clone();
        for (int i = 0; i < pads.length / 2; i++) {
            int d = shape.length - 1 - i;
            if (pads[2 * i] < 0 || pads[2 * i + 1] < 0) throw new IllegalArgumentException("pad: negative padding " + Shape.str(pads) + "; use narrow to crop");
            out[d] += pads[2 * i] + pads[2 * i + 1];
        }
        Tensor r = backend().full(value, out);
        Tensor view = r;
        for (int i = 0; i < pads.length / 2; i++) {
            int d = shape.length - 1 - i;
            view = view.narrow(d, pads[2 * i], shape[d]);
        }
        backend().copyInto(view, this);
        return r;
    }

    // ------------------------------------------------------------------ in place (optimizers, accumulation)

    /** {@code this += alpha * src} in place; shapes must match. */
    public void addInPlace(Tensor src, float alpha) {
        sameDevice(src, "addInPlace");
        if (!Arrays.equals(shape, src.shape))
            throw new IllegalArgumentException("addInPlace: shapes " + Shape.str(shape) + " and " + Shape.str(src.shape) + " differ");
        backend().addInPlace(this, src, alpha);
    }

    /** Copies {@code src} (broadcast to this shape) into this tensor's memory. */
    public void copyFrom(Tensor src) {
        sameDevice(src, "copyFrom");
        Tensor s = Arrays.equals(shape, src.shape) ? src : src.expand(shape);
        backend().copyInto(this, s);
    }

    /** Fills this tensor's memory with {@code value}. */
    public void fill(float value) {
        if (isContiguous()) backend().fill(this, value);
        else backend().copyInto(this, backend().full(value).expand(shape));
    }

    // ------------------------------------------------------------------ misc

    /** True when shapes match and every element differs by at most {@code atol + rtol * |other|}. */
    public boolean allClose(Tensor other, float rtol, float atol) {
        if (!Arrays.equals(shape, other.shape)) return false;
        float[] a = toArray(), b = other.toArray();
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i]) != Float.isNaN(b[i])) return false;
            if (Math.abs(a[i] - b[i]) > atol + rtol * Math.abs(b[i])) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.str(shape));
        if (device() != Device.CPU) sb.append(" on ").append(device().name());
        int n = numel();
        if (n <= 64) {
            float[] v = toArray();
            sb.append(' ').append(Arrays.toString(v));
        }
        return sb.toString();
    }
}
