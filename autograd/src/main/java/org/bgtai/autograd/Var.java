package org.bgtai.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bgtai.tensor.BinaryOp;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.UnaryOp;

/**
 * A node of the reverse-mode autodiff graph: a {@link Tensor} value, and for results of ops the
 * parents and the backward rule that maps the output gradient to the parents' gradients.
 *
 * <pre>{@code
 * Var w = Var.param(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
 * Var x = Var.of(Tensor.ones(4, 3));
 * Var loss = x.matmul(w.mT()).square().mean();
 * loss.backward();           // w.grad() now holds d loss / d w, [2, 3]
 * }</pre>
 *
 * <p>Broadcasting ops reduce gradients back to each operand's shape. {@link #backward()} frees
 * the graph it walked (parents and rules are dropped) unless asked to retain it. Leaves created
 * with {@link #param} accumulate gradients across backward calls until {@link #zeroGrad()}.
 * Inside {@link GradMode#noGrad()} ops record nothing.
 */
public final class Var {
    /** Maps the output gradient to one gradient per parent ({@code null} where not needed). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOut);
    }

    private final Tensor value;
    private final boolean requiresGrad;
    private Tensor grad;
    private Var[] parents;
    private Backward backward;
    private final String op;
    /** For a {@link #narrow} node: {dim, start, length} of its view, so backward adds into that slice. */
    private int[] slice;

    private Var(Tensor value, boolean requiresGrad, Var[] parents, Backward backward, String op) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.parents = parents;
        this.backward = backward;
        this.op = op;
    }

    /** A constant (no gradient). */
    public static Var of(Tensor value) {
        return new Var(value, false, null, null, "const");
    }

    /** A trainable leaf that accumulates its gradient in {@link #grad()}. */
    public static Var param(Tensor value) {
        return new Var(value, true, null, null, "param");
    }

    public static Var scalar(float v) {
        return of(Tensor.scalar(v));
    }

    /**
     * A new op node: {@code value} computed from {@code parents}, with {@code backward} giving
     * one gradient per parent (each already reduced to that parent's shape, or {@code null}). This
     * is how layers outside this module define fused ops (soft-DTW, fused norms).
     */
    public static Var op(String name, Tensor value, Backward backward, Var... parents) {
        boolean rg = false;
        if (GradMode.isEnabled()) for (Var p : parents) rg |= p.requiresGrad;
        return rg ? new Var(value, true, parents, backward, name) : new Var(value, false, null, null, name);
    }

    public Tensor value() {
        return value;
    }

    /** The accumulated gradient of a leaf after {@link #backward()}, or {@code null}. */
    public Tensor grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public boolean isLeaf() {
        return backward == null;
    }

    public int[] shape() {
        return value.shape();
    }

    public int size(int d) {
        return value.size(d);
    }

    public int dim() {
        return value.dim();
    }

    /** Name of the op that produced this node ({@code param}/{@code const} for leaves). */
    public String opName() {
        return op;
    }

    public float item() {
        return value.item();
    }

    /** Clears the accumulated gradient (in place when present, so the buffer is reused). */
    public void zeroGrad() {
        if (grad != null) grad.fill(0f);
    }

    /** Drops the gradient buffer. */
    public void clearGrad() {
        grad = null;
    }

    /** Sets the gradient (e.g. loaded from a checkpoint or averaged across workers). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape(), value.shape()))
            throw new IllegalArgumentException("setGrad: gradient " + Shape.str(g.shape()) + " does not match value " + Shape.str(value.shape()));
        grad = g;
    }

    /** Same value, cut from the graph. */
    public Var detach() {
        return of(value);
    }

    // ------------------------------------------------------------------ backward

    /** Backpropagates from a one-element output (gradient 1) and frees the graph. */
    public void backward() {
        if (value.numel() != 1)
            throw new IllegalStateException("backward() on a non-scalar output of shape " + Shape.str(value.shape())
                + " needs an explicit gradient: call backward(gradOutput) or reduce it first (e.g. .sum() or .mean())");
        backward(value.onesLike(), false);
    }

    /** Backpropagates {@code gradOut} (same shape as this value). */
    public void backward(Tensor gradOut) {
        backward(gradOut, false);
    }

    /**
     * Backpropagates {@code gradOut}; with {@code retainGraph} the graph stays usable for another
     * backward pass.
     */
    public void backward(Tensor gradOut, boolean retainGraph) {
        if (!requiresGrad)
            throw new IllegalStateException("backward() on a value that does not require grad: no parameter reaches it"
                + " (was it computed under GradMode.noGrad(), or from detached/constant inputs only?)");
        if (!Arrays.equals(gradOut.shape(), value.shape()))
            throw new IllegalArgumentException("backward: gradient shape " + Shape.str(gradOut.shape()) + " does not match output shape " + Shape.str(value.shape()));
        List<Var> order = topoOrder();
        Map<Var, Tensor> grads = new IdentityHashMap<>();
        // Sums this loop allocated and nobody else has seen: further gradients are added in place.
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        grads.put(this, gradOut);
        try (var ignored = GradMode.noGrad()) {
            for (Var v : order) {
                Tensor g = grads.remove(v);
                if (g == null) continue;
                owned.remove(g);   // handed to a backward rule from here on
                if (v.backward == null) {
                    v.accumulate(g);
                    continue;
                }
                if (v.slice != null) {
                    addSlice(v.parents[0], g, v.slice, grads, owned);
                    if (!retainGraph) {
                        v.parents = null;
                        v.backward = null;
                    }
                    continue;
                }
                Tensor[] pg = v.backward.apply(g);
                for (int i = 0; i < v.parents.length; i++) {
                    Var p = v.parents[i];
                    if (!p.requiresGrad || pg[i] == null) continue;
                    Tensor gi = pg[i];
                    if (!Arrays.equals(gi.shape(), p.value.shape()))
                        throw new IllegalStateException("backward of '" + v.op + "' produced gradient " + Shape.str(gi.shape())
                            + " for an input of shape " + Shape.str(p.value.shape()) + " (a bug in that op's backward rule)");
                    Tensor prev = grads.get(p);
                    if (prev == null) grads.put(p, gi);
                    else if (owned.contains(prev)) prev.addInPlace(gi, 1f);
                    else {
                        Tensor sum = prev.add(gi);
                        owned.add(sum);
                        grads.put(p, sum);
                    }
                }
                if (!retainGraph) {
                    v.parents = null;
                    v.backward = null;
                }
            }
        }
    }

    /**
     * The gradient {@code g} of a narrow view of {@code p}, added into that slice of p's gradient:
     * of the leaf directly, else of a full-size sum this loop owns (allocated here when p has none
     * yet). A split into n parts then costs one zero-filled gradient instead of n plus n-1 sums.
     */
    private static void addSlice(Var p, Tensor g, int[] slice, Map<Var, Tensor> grads, Set<Tensor> owned) {
        if (!p.requiresGrad) return;
        Tensor full;
        if (p.backward == null) {
            if (p.grad == null) p.grad = g.backend().full(0f, p.value.shape());
            full = p.grad;
        } else {
            full = grads.get(p);
            if (full == null || !owned.contains(full)) {
                full = full == null ? g.backend().full(0f, p.value.shape()) : full.copy();
                owned.add(full);
                grads.put(p, full);
            }
        }
        full.narrow(slice[0], slice[1], slice[2]).addInPlace(g, 1f);
    }

    private void accumulate(Tensor g) {
        // Always copy the first gradient: backward rules may hand the same tensor to several
        // parents (add, reshape), and the buffer is later accumulated into in place.
        if (grad == null) grad = g.copy();
        else grad.addInPlace(g, 1f);
    }

    /** Nodes reachable from this one that require grad, outputs before inputs. */
    private List<Var> topoOrder() {
        List<Var> post = new ArrayList<>();
        Map<Var, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {this, 0});
        seen.put(this, true);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Var v = (Var) top[0];
            int i = (Integer) top[1];
            if (v.parents != null && i < v.parents.length) {
                top[1] = i + 1;
                Var p = v.parents[i];
                if (p.requiresGrad && seen.put(p, true) == null) stack.push(new Object[] {p, 0});
            } else {
                stack.pop();
                post.add(v);
            }
        }
        java.util.Collections.reverse(post);
        return post;
    }

    // ------------------------------------------------------------------ helpers

    /** Sums {@code g} down to {@code shape} (undoing broadcasting). */
    public static Tensor sumToShape(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < gs.length; i++) {
            if (i < lead) axes.add(i);
            else if (shape[i - lead] == 1 && gs[i] != 1) axes.add(i);
        }
        Tensor r = axes.isEmpty() ? g : g.reduce(org.bgtai.tensor.ReduceOp.SUM, true, axes.stream().mapToInt(Integer::intValue).toArray());
        return r.reshape(shape);
    }

    // ------------------------------------------------------------------ arithmetic

    public Var add(Var o) {
        int[] as = shape(), bs = o.shape();
        return op("add", value.add(o.value), g -> new Tensor[] {sumToShape(g, as), sumToShape(g, bs)}, this, o);
    }

    public Var sub(Var o) {
        int[] as = shape(), bs = o.shape();
        return op("sub", value.sub(o.value), g -> new Tensor[] {sumToShape(g, as), o.requiresGrad ? sumToShape(g.neg(), bs) : null}, this, o);
    }

    public Var mul(Var o) {
        int[] as = shape(), bs = o.shape();
        Tensor a = value, b = o.value;
        return op("mul", a.mul(b), g -> new Tensor[] {
            requiresGrad ? sumToShape(g.mul(b), as) : null,
            o.requiresGrad ? sumToShape(g.mul(a), bs) : null}, this, o);
    }

    public Var div(Var o) {
        int[] as = shape(), bs = o.shape();
        Tensor a = value, b = o.value;
        Tensor out = a.div(b);
        return op("div", out, g -> new Tensor[] {
            requiresGrad ? sumToShape(g.div(b), as) : null,
            o.requiresGrad ? sumToShape(g.mul(out).div(b).neg(), bs) : null}, this, o);
    }

    public Var add(float v) {
        return op("add", value.add(v), g -> new Tensor[] {g}, this);
    }

    public Var sub(float v) {
        return op("sub", value.sub(v), g -> new Tensor[] {g}, this);
    }

    public Var mul(float v) {
        return op("mul", value.mul(v), g -> new Tensor[] {g.mul(v)}, this);
    }

    public Var div(float v) {
        return op("div", value.div(v), g -> new Tensor[] {g.div(v)}, this);
    }

    /** {@code v - this}. */
    public Var rsub(float v) {
        return op("rsub", value.rsub(v), g -> new Tensor[] {g.neg()}, this);
    }

    public Var neg() {
        return op("neg", value.neg(), g -> new Tensor[] {g.neg()}, this);
    }

    /** {@code this ^ p} for a constant exponent. */
    public Var pow(float p) {
        Tensor x = value;
        return op("pow", x.pow(p), g -> new Tensor[] {g.mul(x.pow(p - 1)).mul(p)}, this);
    }

    public Var square() {
        Tensor x = value;
        return op("square", x.square(), g -> new Tensor[] {g.mul(x).mul(2f)}, this);
    }

    public Var sqrt() {
        Tensor y = value.sqrt();
        return op("sqrt", y, g -> new Tensor[] {g.div(y.mul(2f))}, this);
    }

    public Var rsqrt() {
        Tensor y = value.rsqrt();
        return op("rsqrt", y, g -> new Tensor[] {g.mul(y.pow(3f)).mul(-0.5f)}, this);
    }

    public Var exp() {
        Tensor y = value.exp();
        return op("exp", y, g -> new Tensor[] {g.mul(y)}, this);
    }

    public Var log() {
        Tensor x = value;
        return op("log", x.log(), g -> new Tensor[] {g.div(x)}, this);
    }

    public Var abs() {
        Tensor x = value;
        return op("abs", x.abs(), g -> new Tensor[] {g.mul(x.sign())}, this);
    }

    public Var tanh() {
        Tensor y = value.tanh();
        return op("tanh", y, g -> new Tensor[] {y.binary(BinaryOp.TANH_GRAD, g)}, this);
    }

    public Var sigmoid() {
        Tensor y = value.sigmoid();
        return op("sigmoid", y, g -> new Tensor[] {y.binary(BinaryOp.SIGMOID_GRAD, g)}, this);
    }

    public Var relu() {
        Tensor x = value;
        return op("relu", x.relu(), g -> new Tensor[] {x.binary(BinaryOp.RELU_GRAD, g)}, this);
    }

    /** Exact GELU (erf). */
    public Var gelu() {
        Tensor x = value;
        return op("gelu", x.gelu(), g -> new Tensor[] {x.binary(BinaryOp.GELU_GRAD, g)}, this);
    }

    /** GELU, tanh approximation. */
    public Var geluTanh() {
        Tensor x = value;
        return op("gelu_tanh", x.geluTanh(), g -> new Tensor[] {x.binary(BinaryOp.GELU_TANH_GRAD, g)}, this);
    }

    public Var silu() {
        Tensor x = value;
        return op("silu", x.silu(), g -> new Tensor[] {x.binary(BinaryOp.SILU_GRAD, g)}, this);
    }

    /** Clamp; the gradient passes where the input is inside {@code [lo, hi]}. */
    public Var clamp(float lo, float hi) {
        Tensor x = value;
        return op("clamp", x.clamp(lo, hi), g -> new Tensor[] {g.mul(x.ge(lo).mul(x.le(hi)))}, this);
    }

    /** Elementwise max; ties send the gradient to {@code this}. */
    public Var maximum(Var o) {
        Tensor a = value, b = o.value;
        int[] as = shape(), bs = o.shape();
        return op("maximum", a.maximum(b), g -> {
            Tensor m = a.ge(b);
            return new Tensor[] {sumToShape(g.mul(m), as), sumToShape(g.mul(m.rsub(1f)), bs)};
        }, this, o);
    }

    /** {@code cond != 0 ? a : b} with a constant condition. */
    public static Var where(Tensor cond, Var a, Var b) {
        int[] as = a.shape(), bs = b.shape();
        return op("where", Tensor.where(cond, a.value, b.value), g -> {
            Tensor z = g.zerosLike();
            return new Tensor[] {
                a.requiresGrad ? sumToShape(Tensor.where(cond, g, z), as) : null,
                b.requiresGrad ? sumToShape(Tensor.where(cond, z, g), bs) : null};
        }, a, b);
    }

    /** Positions where {@code mask != 0} become {@code v} (no gradient flows there). */
    public Var maskedFill(Tensor mask, float v) {
        Tensor keep = mask.eq(0f);
        return op("masked_fill", value.maskedFill(mask, v), g -> new Tensor[] {g.mul(keep)}, this);
    }

    // ------------------------------------------------------------------ reductions

    public Var sum() {
        int[] s = shape();
        return op("sum", value.sum(), g -> new Tensor[] {g.reshape(ones(s.length)).expand(s).contiguous()}, this);
    }

    public Var mean() {
        int[] s = shape();
        int n = value.numel();
        return op("mean", value.mean(), g -> new Tensor[] {g.div(n).reshape(ones(s.length)).expand(s).contiguous()}, this);
    }

    private static int[] ones(int r) {
        int[] o = new int[r];
        Arrays.fill(o, 1);
        return o;
    }

    public Var sum(int dim, boolean keepDim) {
        int[] s = shape();
        int d = Shape.dim(dim, s.length, s);
        return op("sum", value.sum(d, keepDim), g -> new Tensor[] {(keepDim ? g : g.unsqueeze(d)).expand(s).contiguous()}, this);
    }

    public Var mean(int dim, boolean keepDim) {
        int[] s = shape();
        int d = Shape.dim(dim, s.length, s);
        int n = s[d];
        return op("mean", value.mean(d, keepDim), g -> new Tensor[] {(keepDim ? g : g.unsqueeze(d)).div(n).expand(s).contiguous()}, this);
    }

    /** Max along {@code dim}; the gradient goes to the first maximal element. */
    public Var max(int dim, boolean keepDim) {
        int[] s = shape();
        int d = Shape.dim(dim, s.length, s);
        IntTensor arg = value.argmax(d, true);
        Tensor m = value.gather(d, arg);
        return op("max", keepDim ? m : m.squeeze(d), g -> new Tensor[] {
            Tensor.scatterAdd(s, d, arg, keepDim ? g.contiguous() : g.unsqueeze(d).contiguous())}, this);
    }

    public Var logsumexp(int dim, boolean keepDim) {
        int[] s = shape();
        int d = Shape.dim(dim, s.length, s);
        Tensor x = value;
        Tensor y = x.logsumexp(d, true);
        return op("logsumexp", keepDim ? y : y.squeeze(d), g -> {
            Tensor gk = keepDim ? g : g.unsqueeze(d);
            return new Tensor[] {x.sub(y).exp().mul(gk)};
        }, this);
    }

    /** Variance along {@code dim} (biased when {@code unbiased} is false, as LayerNorm uses). */
    public Var var(int dim, boolean unbiased, boolean keepDim) {
        int n = size(dim);
        Var c = sub(mean(dim, true));
        return c.square().sum(dim, keepDim).div(unbiased ? n - 1 : n);
    }

    public Var softmax(int dim) {
        int d = Shape.dim(dim, dim(), value.shape());
        Tensor y = value.softmax(d);
        return op("softmax", y, g -> new Tensor[] {y.backend().softmaxBackward(y, g, d, false)}, this);
    }

    public Var logSoftmax(int dim) {
        int d = Shape.dim(dim, dim(), value.shape());
        Tensor y = value.logSoftmax(d);
        return op("log_softmax", y, g -> new Tensor[] {y.backend().softmaxBackward(y, g, d, true)}, this);
    }

    // ------------------------------------------------------------------ matmul

    /** Batched matmul with broadcasting (see {@link Tensor#matmul}); 1-D operands are promoted. */
    public Var matmul(Var o) {
        if (dim() == 1) return unsqueeze(0).matmul(o).squeeze(-2);
        if (o.dim() == 1) return matmul(o.unsqueeze(1)).squeeze(-1);
        Tensor a = value, b = o.value;
        int[] as = shape(), bs = o.shape();
        return op("matmul", a.matmul(b), g -> new Tensor[] {
            requiresGrad ? sumToShape(g.matmul(b.mT()), as) : null,
            o.requiresGrad ? sumToShape(a.mT().matmul(g), bs) : null}, this, o);
    }

    // ------------------------------------------------------------------ movement

    public Var reshape(int... shape) {
        int[] s = shape();
        return op("reshape", value.reshape(shape), g -> new Tensor[] {g.reshape(s)}, this);
    }

    public Var flatten(int start, int end) {
        int[] s = shape();
        return op("flatten", value.flatten(start, end), g -> new Tensor[] {g.reshape(s)}, this);
    }

    public Var permute(int... order) {
        int r = dim();
        int[] inv = new int[r];
        for (int i = 0; i < r; i++) inv[Shape.dim(order[i], r, value.shape())] = i;
        return op("permute", value.permute(order), g -> new Tensor[] {g.permute(inv)}, this);
    }

    public Var transpose(int d0, int d1) {
        return op("transpose", value.transpose(d0, d1), g -> new Tensor[] {g.transpose(d0, d1)}, this);
    }

    public Var mT() {
        return transpose(-2, -1);
    }

    public Var contiguous() {
        return value.isContiguous() ? this : op("contiguous", value.contiguous(), g -> new Tensor[] {g}, this);
    }

    public Var unsqueeze(int dim) {
        int[] s = shape();
        return op("unsqueeze", value.unsqueeze(dim), g -> new Tensor[] {g.reshape(s)}, this);
    }

    public Var squeeze(int dim) {
        int[] s = shape();
        return op("squeeze", value.squeeze(dim), g -> new Tensor[] {g.reshape(s)}, this);
    }

    public Var expand(int... shape) {
        int[] s = shape();
        return op("expand", value.expand(shape), g -> new Tensor[] {sumToShape(g, s)}, this);
    }

    /** A view of {@code [start, start+length)} along {@code dim}; its gradient is zero-padded back. */
    public Var narrow(int dim, int start, int length) {
        int[] s = shape();
        int d = Shape.dim(dim, s.length, s);
        // backward() adds the gradient into that slice of the parent's gradient itself (addSlice)
        Var out = op("narrow", value.narrow(d, start, length), g -> {
            throw new IllegalStateException("narrow's gradient is added by backward() into a slice of its parent's");
        }, this);
        if (out.backward != null) out.slice = new int[] {d, start, length};
        return out;
    }

    /** Python-style {@code [start:end:step]} along {@code dim}. */
    public Var slice(int dim, int start, int end, int step) {
        int[] s = shape();
        int d = Shape.dim(dim, s.length, s);
        return op("slice", value.slice(d, start, end, step), g -> {
            Tensor full = g.backend().full(0f, s);
            full.slice(d, start, end, step).copyFrom(g);
            return new Tensor[] {full};
        }, this);
    }

    public Var select(int dim, int i) {
        int d = Shape.dim(dim, dim(), value.shape());
        int idx = i < 0 ? i + size(d) : i;
        return narrow(d, idx, 1).squeeze(d);
    }

    public List<Var> split(int dim, int... sizes) {
        List<Var> out = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            out.add(narrow(dim, start, s));
            start += s;
        }
        return out;
    }

    public List<Var> chunk(int n, int dim) {
        int size = size(dim);
        if (n <= 0 || size % n != 0)
            throw new IllegalArgumentException("chunk: dim " + dim + " of size " + size + " is not divisible into " + n + " parts");
        int[] sizes = new int[n];
        Arrays.fill(sizes, size / n);
        return split(dim, sizes);
    }

    public static Var cat(List<Var> parts, int dim) {
        List<Tensor> vs = new ArrayList<>(parts.size());
        for (Var p : parts) vs.add(p.value);
        Tensor out = Tensor.cat(vs, dim);
        int d = Shape.dim(dim, out.dim(), out.shape());
        int[] sizes = new int[parts.size()];
        for (int i = 0; i < sizes.length; i++) sizes[i] = parts.get(i).size(d);
        return op("cat", out, g -> {
            Tensor[] r = new Tensor[sizes.length];
            int start = 0;
            for (int i = 0; i < sizes.length; i++) {
                r[i] = parts.get(i).requiresGrad ? g.narrow(d, start, sizes[i]).contiguous() : null;
                start += sizes[i];
            }
            return r;
        }, parts.toArray(new Var[0]));
    }

    public static Var stack(List<Var> parts, int dim) {
        List<Var> u = new ArrayList<>(parts.size());
        int d = Shape.dim(dim, parts.get(0).dim() + 1, parts.get(0).shape());
        for (Var p : parts) u.add(p.unsqueeze(d));
        return cat(u, d);
    }

    /** Constant padding, PyTorch order {@code [lastLeft, lastRight, ...]}. */
    public Var pad(int[] pads, float v) {
        int[] s = shape();
        return op("pad", value.pad(pads, v), g -> {
            Tensor view = g;
            for (int i = 0; i < pads.length / 2; i++) {
                int d = s.length - 1 - i;
                view = view.narrow(d, pads[2 * i], s[d]);
            }
            return new Tensor[] {view.contiguous()};
        }, this);
    }

    // ------------------------------------------------------------------ indexing

    /** Entries along {@code dim} picked by a 1-D index; gradients of repeated indices add up. */
    public Var indexSelect(int dim, IntTensor index) {
        int[] s = shape();
        int d = Shape.dim(dim, s.length, s);
        return op("index_select", value.indexSelect(d, index), g -> new Tensor[] {Tensor.indexAdd(s, d, index, g)}, this);
    }

    /** Embedding lookup: {@code table [vocab, dim]}, {@code ids [...]} -> {@code [..., dim]}. */
    public static Var embedding(Var table, IntTensor ids) {
        if (table.dim() != 2) throw new IllegalArgumentException("embedding table must be [vocab, dim], got " + Shape.str(table.shape()));
        int[] os = Arrays.copyOf(ids.shape(), ids.dim() + 1);
        os[ids.dim()] = table.size(1);
        return table.indexSelect(0, ids.reshape(-1)).reshape(os);
    }

    /** PyTorch {@code gather} along {@code dim}. */
    public Var gather(int dim, IntTensor index) {
        int[] s = shape();
        int d = Shape.dim(dim, s.length, s);
        return op("gather", value.gather(d, index), g -> new Tensor[] {Tensor.scatterAdd(s, d, index, g)}, this);
    }

    @Override
    public String toString() {
        return "Var(" + op + ", " + value + (requiresGrad ? ", requires_grad" : "") + ")";
    }
}
