package org.bgtai.tensor.opencl;

import static org.jocl.CL.clReleaseMemObject;

import java.util.List;
import org.bgtai.tensor.ComposedFusedOps;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;
import org.jocl.cl_mem;

/**
 * The OpenCL kernels of the {@link FusedOps} ({@code fused.cl}): the masked softmax (+ dropout)
 * of attention between the GEMMs of {@link Tensor#matmul}, layer norm forward and backward,
 * softmax cross-entropy, the dropout mask ops, im2col / col2im, max and average pooling, bias add
 * and column sums, the AdamW and SGD updates, sums of squares and scaling. Row ops run one
 * work-group per row; backward ops that scatter on the CPU gather per input element here (no
 * atomics, deterministic). Operands are made contiguous first; the in-place ops fall back to
 * {@link ComposedFusedOps} for a tensor that is not contiguous. Sums are accumulated in float in
 * a different order than on the CPU, so results agree to float rounding.
 */
final class OpenClFusedOps extends ComposedFusedOps {
    /** Work-groups per tensor of the sum-of-squares launch. */
    private static final int SUMSQ_GROUPS = 64;

    private final OpenClDevice dev;
    private final OpenClBackend backend;

    OpenClFusedOps(OpenClDevice dev, OpenClBackend backend) {
        this.dev = dev;
        this.backend = backend;
    }

    private ClBuffer buf(Tensor t) {
        return backend.buf(t);
    }

    private Tensor alloc(int... shape) {
        return Tensor.wrap(dev.alloc(Shape.numel(shape)), shape);
    }

    private int group(int n) {
        return Layout.nextPow2AtMost(n, dev.maxWorkGroup());
    }

    private static long[] size(long n) {
        return new long[] {n};
    }

    private static OpenClDevice.Local scratch(int ls) {
        return new OpenClDevice.Local(4L * ls);
    }

    /** One work-group of {@code ls} items per row. */
    private void rows(String kernel, int rows, int ls, Object... args) {
        if (rows > 0) dev.launch(kernel, size((long) rows * ls), size(ls), args);
    }

    private void each(String kernel, long n, Object... args) {
        if (n > 0) dev.launch(kernel, size(n), null, args);
    }

    /** {@code t} on this device (a mask or key padding made on the host is copied once). */
    private Tensor here(Tensor t) {
        return t.device() == dev ? t : t.to(dev);
    }

    // ------------------------------------------------------------------ attention

    @Override
    public AttentionResult attention(Tensor q, Tensor k, Tensor v, Tensor keyPadding, boolean causal, DropMask drop, float scale) {
        int heads = q.size(1), tq = q.size(2), tk = k.size(2);
        Tensor s = q.matmul(k.mT());                                   // [B, H, Tq, Tk], fresh
        int rows = s.numel() / Math.max(1, tk);
        Tensor pad = keyPadding == null ? null : here(keyPadding).contiguous();
        Tensor keep = drop == null ? null : here(drop.keep()).contiguous();
        Tensor used = drop == null ? s : alloc(s.shape());
        int ls = group(tk);
        if (tk > 0)
            rows("attn_softmax", rows, ls, buf(s), buf(used), pad == null ? buf(s) : buf(pad), pad == null ? 0 : pad.offset(), pad == null ? 0 : 1,
                keep == null ? buf(s) : buf(keep), keep == null ? 0 : keep.offset(), keep == null ? 0 : 1, drop == null ? 1f : drop.scale(),
                tk, heads, tq, causal ? 1 : 0, scale, scratch(ls));
        return new AttentionResult(used.matmul(v), q, k, v, s, used, drop, scale);
    }

    @Override
    public Tensor[] attentionBackward(AttentionResult fwd, Tensor g, boolean wantQ, boolean wantK, boolean wantV) {
        Tensor gq = null, gk = null, gv = null;
        if (wantV) gv = fwd.probsUsed().mT().matmul(g);
        if (wantQ || wantK) {
            Tensor p = fwd.probs();
            int tk = p.size(3), rows = p.numel() / Math.max(1, tk);
            Tensor gp = g.matmul(fwd.v().mT());                        // fresh
            Tensor keep = fwd.drop() == null ? null : here(fwd.drop().keep()).contiguous();
            int ls = group(tk);
            if (tk > 0)
                rows("attn_softmax_backward", rows, ls, buf(gp), buf(p), keep == null ? buf(p) : buf(keep), keep == null ? 0 : keep.offset(),
                    keep == null ? 0 : 1, fwd.drop() == null ? 1f : fwd.drop().scale(), tk, fwd.scale(), scratch(ls));
            if (wantQ) gq = gp.matmul(fwd.k());
            if (wantK) gk = gp.mT().matmul(fwd.q());
        }
        return new Tensor[] {gq, gk, gv};
    }

    // ------------------------------------------------------------------ layer norm

    @Override
    public LayerNormResult layerNorm(Tensor x, Tensor w, Tensor b, float eps) {
        int d = w.size(0);
        Tensor xc = x.contiguous(), wc = w.contiguous(), bc = b.contiguous();
        int rows = xc.numel() / d;
        Tensor y = alloc(x.shape()), mean = alloc(rows), rstd = alloc(rows);
        int ls = group(d);
        rows("layer_norm", rows, ls, buf(xc), xc.offset(), buf(wc), wc.offset(), buf(bc), bc.offset(), buf(y), buf(mean), buf(rstd), d, eps,
            scratch(ls));
        return new LayerNormResult(y, xc, wc, mean, rstd);
    }

    @Override
    public Tensor[] layerNormBackward(LayerNormResult fwd, Tensor grad, boolean needX, boolean needW, boolean needB) {
        Tensor g = grad.contiguous(), x = fwd.x(), w = fwd.w();
        int d = w.size(0), rows = fwd.mean().numel();
        Tensor gx = null, gw = null, gb = null;
        if (needX) {
            gx = alloc(x.shape());
            int ls = group(d);
            rows("layer_norm_backward_x", rows, ls, buf(g), g.offset(), buf(x), x.offset(), buf(w), w.offset(), buf(fwd.mean()),
                buf(fwd.rstd()), buf(gx), d, scratch(ls));
        }
        if (needW || needB) {
            gw = alloc(d);
            gb = alloc(d);
            int ls = group(rows);
            rows("layer_norm_backward_wb", d, ls, buf(g), g.offset(), buf(x), x.offset(), buf(fwd.mean()), buf(fwd.rstd()), buf(gw), buf(gb),
                rows, d, needW ? 1 : 0, needB ? 1 : 0, scratch(ls));
        }
        return new Tensor[] {gx, needW ? gw : null, needB ? gb : null};
    }

    // ------------------------------------------------------------------ cross-entropy

    @Override
    public CrossEntropyResult crossEntropy(Tensor logits, IntTensor target, float smoothing, int ignoreIndex) {
        int rows = logits.size(0), c = logits.size(1);
        int[] t = target.data();
        int n = 0;
        for (int i = 0; i < rows; i++) if (t[i] != ignoreIndex) n++;
        Tensor x = logits.contiguous();
        Tensor grad = alloc(rows, c), rowLoss = alloc(rows);
        if (rows > 0 && c > 0) {
            int ls = group(c);
            cl_mem tgt = dev.uploadInts(t);
            try {
                rows("cross_entropy", rows, ls, buf(x), x.offset(), tgt, c, ignoreIndex, smoothing, buf(grad), buf(rowLoss), scratch(ls));
            } finally {
                clReleaseMemObject(tgt);   // freed once the queued kernel has run
            }
        }
        return new CrossEntropyResult(rowLoss.sum().div((float) n), grad, n);
    }

    // ------------------------------------------------------------------ dropout

    @Override
    public Tensor dropout(Tensor x, DropMask m) {
        Tensor xc = x.contiguous(), kc = here(m.keep()).contiguous(), out = alloc(x.shape());
        each("mul_mask", out.numel(), buf(xc), xc.offset(), buf(kc), kc.offset(), m.scale(), buf(out), out.numel());
        return out;
    }

    @Override
    public Tensor addDropout(Tensor residual, Tensor x, DropMask m) {
        Tensor rc = residual.contiguous(), xc = x.contiguous(), kc = here(m.keep()).contiguous(), out = alloc(x.shape());
        each("add_mul_mask", out.numel(), buf(rc), rc.offset(), buf(xc), xc.offset(), buf(kc), kc.offset(), m.scale(), buf(out), out.numel());
        return out;
    }

    @Override
    public Tensor reluDropout(Tensor h, DropMask m) {
        Tensor hc = h.contiguous(), kc = here(m.keep()).contiguous(), out = alloc(h.shape());
        each("relu_mul_mask", out.numel(), buf(hc), hc.offset(), buf(kc), kc.offset(), m.scale(), buf(out), out.numel());
        return out;
    }

    @Override
    public Tensor reluDropoutBackward(Tensor g, Tensor h, DropMask m) {
        Tensor gc = g.contiguous(), hc = h.contiguous(), kc = here(m.keep()).contiguous(), out = alloc(h.shape());
        each("relu_mask_grad", out.numel(), buf(gc), gc.offset(), buf(hc), hc.offset(), buf(kc), kc.offset(), m.scale(), buf(out), out.numel());
        return out;
    }

    // ------------------------------------------------------------------ convolution and pooling

    @Override
    public Tensor im2col(Tensor x, Window2d geo) {
        Tensor xc = x.contiguous();
        Tensor cols = alloc(geo.n(), geo.c() * geo.kh() * geo.kw(), geo.ho() * geo.wo());
        each("im2col", cols.numel(), buf(xc), xc.offset(), buf(cols), geo.h(), geo.w(), geo.kh(), geo.kw(), geo.ho(), geo.wo(),
            geo.sh(), geo.sw(), geo.ph(), geo.pw(), geo.dh(), geo.dw(), cols.numel());
        return cols;
    }

    @Override
    public Tensor col2im(Tensor cols, Window2d geo) {
        Tensor cc = cols.contiguous();
        Tensor gx = alloc(geo.n(), geo.c(), geo.h(), geo.w());
        each("col2im", gx.numel(), buf(cc), cc.offset(), buf(gx), geo.h(), geo.w(), geo.kh(), geo.kw(), geo.ho(), geo.wo(),
            geo.sh(), geo.sw(), geo.ph(), geo.pw(), geo.dh(), geo.dw(), gx.numel());
        return gx;
    }

    private Tensor[] pool(boolean max, Tensor x, Window2d geo) {
        Tensor xc = x.contiguous();
        Tensor y = alloc(geo.n(), geo.c(), geo.ho(), geo.wo()), arg = max ? alloc(y.shape()) : y;
        each("pool2d", y.numel(), max ? 1 : 0, buf(xc), xc.offset(), buf(y), buf(arg), geo.h(), geo.w(), geo.kh(), geo.kw(), geo.ho(), geo.wo(),
            geo.sh(), geo.sw(), geo.ph(), geo.pw(), y.numel());
        return new Tensor[] {y, arg};
    }

    private Tensor poolBackward(Tensor argmax, Tensor g, Window2d geo) {
        Tensor gc = g.contiguous(), ac = argmax == null ? gc : argmax.contiguous();
        Tensor gx = alloc(geo.n(), geo.c(), geo.h(), geo.w());
        each("pool2d_backward", gx.numel(), argmax == null ? 0 : 1, buf(gc), gc.offset(), buf(ac), ac.offset(), buf(gx), geo.h(), geo.w(),
            geo.kh(), geo.kw(), geo.ho(), geo.wo(), geo.sh(), geo.sw(), geo.ph(), geo.pw(), gx.numel());
        return gx;
    }

    @Override
    public MaxPoolResult maxPool2d(Tensor x, Window2d geo) {
        Tensor[] r = pool(true, x, geo);
        return new MaxPoolResult(r[0], r[1]);
    }

    @Override
    public Tensor maxPool2dBackward(MaxPoolResult fwd, Tensor g, Window2d geo) {
        return poolBackward(fwd.argmax(), g, geo);
    }

    @Override
    public Tensor avgPool2d(Tensor x, Window2d geo) {
        return pool(false, x, geo)[0];
    }

    @Override
    public Tensor avgPool2dBackward(Tensor g, Window2d geo) {
        return poolBackward(null, g, geo);
    }

    // ------------------------------------------------------------------ bias

    @Override
    public Tensor addBias(Tensor y, Tensor bias, int axis) {
        if (!y.isContiguous()) return super.addBias(y, bias, axis);
        int[] s = y.shape();
        int inner = 1;
        for (int i = axis + 1; i < s.length; i++) inner *= s[i];
        Tensor bc = here(bias).contiguous();
        each("add_bias", y.numel(), buf(y), y.offset(), buf(bc), bc.offset(), s[axis], inner, y.numel());
        return y;
    }

    @Override
    public Tensor columnSums(Tensor g) {
        Tensor gc = g.contiguous();
        int rows = gc.size(0), cols = gc.size(1);
        Tensor out = alloc(cols);
        int ls = group(rows);
        rows("column_sums", cols, ls, buf(gc), gc.offset(), rows, cols, buf(out), scratch(ls));
        return out;
    }

    // ------------------------------------------------------------------ optimizers and gradients

    @Override
    public void adamW(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvg, List<Tensor> expAvgSq, AdamWStep s) {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i), m = expAvg.get(i), v = expAvgSq.get(i);
            if (!p.isContiguous() || !m.isContiguous() || !v.isContiguous()) {
                super.adamW(List.of(p), List.of(grads.get(i)), List.of(m), List.of(v), s);
                continue;
            }
            Tensor g = grads.get(i).contiguous();
            each("adamw", p.numel(), buf(p), p.offset(), buf(g), g.offset(), buf(m), m.offset(), buf(v), v.offset(), p.numel(),
                s.beta1(), s.beta2(), s.decay(), s.stepSize(), s.invSqrtBc2(), s.eps());
        }
    }

    @Override
    public void sgd(List<Tensor> params, List<Tensor> grads, List<Tensor> momentumBuffers, SgdStep s) {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i), b = momentumBuffers == null ? null : momentumBuffers.get(i);
            if (!p.isContiguous() || (b != null && !b.isContiguous())) {
                super.sgd(List.of(p), List.of(grads.get(i)), b == null ? null : List.of(b), s);
                continue;
            }
            Tensor g = grads.get(i).contiguous();
            each("sgd", p.numel(), buf(p), p.offset(), buf(g), g.offset(), b == null ? buf(p) : buf(b), b == null ? 0 : b.offset(),
                b == null ? 0 : 1, p.numel(), s.lr(), s.momentum(), s.weightDecay(), s.nesterov() ? 1 : 0, s.first() ? 1 : 0);
        }
    }

    @Override
    public double sumOfSquares(List<Tensor> xs) {
        int ls = group(dev.maxWorkGroup());
        int[] groups = new int[xs.size()];
        int slots = 0;
        for (int i = 0; i < xs.size(); i++) {
            long n = xs.get(i).numel();
            groups[i] = (int) Math.min(SUMSQ_GROUPS, (n + ls - 1) / ls);
            slots += groups[i];
        }
        if (slots == 0) return 0;
        Tensor partial = alloc(slots);
        for (int i = 0, slot = 0; i < xs.size(); slot += groups[i], i++) {
            if (groups[i] == 0) continue;
            Tensor x = xs.get(i).contiguous();
            dev.launch("sum_squares", size((long) groups[i] * ls), size(ls), buf(x), x.offset(), x.numel(), buf(partial), slot, scratch(ls));
        }
        double s = 0;
        for (float v : partial.toArray()) s += v;   // the one read back
        return s;
    }

    @Override
    public void scaleInPlace(List<Tensor> xs, float factor) {
        for (Tensor x : xs) {
            if (!x.isContiguous()) x.copyFrom(x.mul(factor));
            else each("scale_inplace", x.numel(), buf(x), x.offset(), factor, x.numel());
        }
    }
}
