package org.bgtai.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference {@link FusedOps}: every op composed of public {@link Tensor} ops, so it runs on
 * any device (each step is a primitive op of that device's {@link Backend}). It is what
 * {@link Backend#fused()} returns for a backend without kernels of its own, and what the tests
 * compare the CPU and OpenCL kernels against. Small index constants (the causal mask's
 * positions, class indices, cross-entropy row weights) are built on the host and copied to the
 * device once per call.
 *
 * <p>Backends may extend it and override the ops they have kernels for. It holds no state.
 *
 * <pre>{@code
 * FusedOps ref = ComposedFusedOps.INSTANCE;
 * Tensor y = ref.dropout(x, new FusedOps.DropMask(keep, 1f / 0.9f));   // x * keep / 0.9
 * }</pre>
 */
public class ComposedFusedOps implements FusedOps {
    /** The shared instance (stateless). */
    public static final ComposedFusedOps INSTANCE = new ComposedFusedOps();

    /** For subclasses; use {@link #INSTANCE}. */
    protected ComposedFusedOps() {}

    private static Tensor scaledKeep(DropMask m) {
        return m.keep().mul(m.scale());
    }

    // ------------------------------------------------------------------ attention

    /** 1 where a key is masked, {@code [B or 1, 1, Tq or 1, Tk]}, or null when nothing is. */
    private static Tensor attentionMask(Tensor keyPadding, boolean causal, int batch, int tq, int tk, Device dev) {
        Tensor mask = null;
        if (causal) {
            Tensor cols = Tensor.arange(tk).to(dev).reshape(1, tk);
            Tensor last = Tensor.arange(tq).add((float) (tk - tq)).to(dev).reshape(tq, 1);
            mask = cols.gt(last).reshape(1, 1, tq, tk);
        }
        if (keyPadding != null) {
            Tensor pad = keyPadding.to(dev).ne(0f).reshape(batch, 1, 1, tk);
            mask = mask == null ? pad : mask.maximum(pad);
        }
        return mask;
    }

    @Override
    public AttentionResult attention(Tensor q, Tensor k, Tensor v, Tensor keyPadding, boolean causal, DropMask drop, float scale) {
        int batch = q.size(0), tq = q.size(2), tk = k.size(2);
        Tensor s = q.matmul(k.mT()).mul(scale);                               // [B, H, Tq, Tk]
        Tensor mask = attentionMask(keyPadding, causal, batch, tq, tk, q.device());
        Tensor p;
        if (mask == null) {
            p = s.softmax(-1);
        } else {
            Tensor empty = mask.min(-1, true);                                  // 1 where every key is masked
            Tensor filled = s.maskedFill(mask, Float.NEGATIVE_INFINITY).maskedFill(empty, 0f);
            p = filled.softmax(-1).mul(empty.rsub(1f));                         // such rows get zero weights
        }
        Tensor used = drop == null ? p : p.mul(scaledKeep(drop));
        return new AttentionResult(used.matmul(v), q, k, v, p, used, drop, scale);
    }

    @Override
    public Tensor[] attentionBackward(AttentionResult fwd, Tensor g, boolean wantQ, boolean wantK, boolean wantV) {
        Tensor gq = null, gk = null, gv = null;
        if (wantV) gv = fwd.probsUsed().mT().matmul(g);
        if (wantQ || wantK) {
            Tensor gp = g.matmul(fwd.v().mT());
            if (fwd.drop() != null) gp = gp.mul(scaledKeep(fwd.drop()));
            Tensor p = fwd.probs();
            Tensor ds = p.mul(gp.sub(gp.mul(p).sum(-1, true))).mul(fwd.scale());
            if (wantQ) gq = ds.matmul(fwd.k());
            if (wantK) gk = ds.mT().matmul(fwd.q());
        }
        return new Tensor[] {gq, gk, gv};
    }

    // ------------------------------------------------------------------ layer norm

    @Override
    public LayerNormResult layerNorm(Tensor x, Tensor w, Tensor b, float eps) {
        int d = x.size(-1), rows = x.numel() / d;
        Tensor xc = x.contiguous(), x2 = xc.reshape(rows, d);
        Tensor mu = x2.mean(-1, true);
        Tensor c = x2.sub(mu);
        Tensor rstd = c.square().mean(-1, true).add(eps).rsqrt();
        Tensor y = c.mul(rstd).mul(w).add(b).reshape(x.shape());
        return new LayerNormResult(y, xc, w, mu.reshape(rows), rstd.reshape(rows));
    }

    @Override
    public Tensor[] layerNormBackward(LayerNormResult fwd, Tensor g, boolean needX, boolean needW, boolean needB) {
        int d = fwd.w().size(0), rows = fwd.x().numel() / d;
        Tensor g2 = g.reshape(rows, d);
        Tensor rstd = fwd.rstd().reshape(rows, 1);
        Tensor xhat = fwd.x().reshape(rows, d).sub(fwd.mean().reshape(rows, 1)).mul(rstd);
        Tensor gx = null, gw = null, gb = null;
        if (needX) {
            Tensor gwx = g2.mul(fwd.w());
            Tensor mg = gwx.mean(-1, true), mgx = gwx.mul(xhat).mean(-1, true);
            gx = gwx.sub(mg).sub(xhat.mul(mgx)).mul(rstd).reshape(fwd.x().shape());
        }
        if (needW) gw = g2.mul(xhat).sum(0, false);
        if (needB) gb = g2.sum(0, false);
        return new Tensor[] {gx, gw, gb};
    }

    // ------------------------------------------------------------------ cross-entropy

    @Override
    public CrossEntropyResult crossEntropy(Tensor logits, IntTensor target, float smoothing, int ignoreIndex) {
        int rows = logits.size(0), c = logits.size(1);
        int[] t = target.data();
        int[] safe = new int[rows];
        float[] keep = new float[rows], cls = new float[rows];
        int n = 0;
        for (int i = 0; i < rows; i++) {
            boolean counted = t[i] != ignoreIndex;
            safe[i] = counted ? t[i] : 0;
            cls[i] = safe[i];
            keep[i] = counted ? 1f : 0f;
            if (counted) n++;
        }
        Device dev = logits.device();
        Tensor counted = Tensor.of(keep, rows, 1).to(dev);
        Tensor lse = logits.logsumexp(-1, true);                                 // [rows, 1]
        Tensor picked = logits.gather(1, IntTensor.of(safe, rows, 1));
        Tensor rowLoss = lse.sub(picked).mul(1f - smoothing).add(lse.sub(logits.mean(-1, true)).mul(smoothing));
        Tensor zero = logits.backend().full(0f);
        Tensor loss = Tensor.where(counted, rowLoss, zero).sum().div((float) n);
        Tensor onehot = Tensor.arange(c).to(dev).reshape(1, c).eq(Tensor.of(cls, rows, 1).to(dev));
        Tensor grad = logits.softmax(-1).sub(smoothing / c).sub(onehot.mul(1f - smoothing));
        return new CrossEntropyResult(loss, Tensor.where(counted, grad, zero), n);
    }

    @Override
    public Tensor crossEntropyBackward(CrossEntropyResult fwd, Tensor g) {
        return fwd.grad().mul(g.div((float) fwd.count()));
    }

    // ------------------------------------------------------------------ dropout

    @Override
    public Tensor dropout(Tensor x, DropMask m) {
        return x.mul(scaledKeep(m));
    }

    @Override
    public Tensor addDropout(Tensor residual, Tensor x, DropMask m) {
        return residual.add(x.mul(scaledKeep(m)));
    }

    @Override
    public Tensor reluDropout(Tensor h, DropMask m) {
        return h.maximum(0f).mul(scaledKeep(m));   // max, not relu: NaN stays NaN as in Math.max
    }

    @Override
    public Tensor reluDropoutBackward(Tensor g, Tensor h, DropMask m) {
        return h.binary(BinaryOp.RELU_GRAD, g.mul(scaledKeep(m)));
    }

    // ------------------------------------------------------------------ convolution and pooling

    /** Window offset {@code (u, v)} of every output position: a strided view of the padded input. */
    private static Tensor window(Tensor padded, Window2d geo, int u, int v) {
        int ho = geo.ho(), wo = geo.wo();
        int r0 = u * geo.dh(), c0 = v * geo.dw();
        return padded.slice(2, r0, r0 + geo.sh() * (ho - 1) + 1, geo.sh()).slice(3, c0, c0 + geo.sw() * (wo - 1) + 1, geo.sw());
    }

    private static int[] pads(Window2d geo) {
        return new int[] {geo.pw(), geo.pw(), geo.ph(), geo.ph()};
    }

    private static Tensor paddedZeros(Tensor like, Window2d geo) {
        return like.backend().full(0f, geo.n(), geo.c(), geo.h() + 2 * geo.ph(), geo.w() + 2 * geo.pw());
    }

    private static Tensor unpad(Tensor padded, Window2d geo) {
        return padded.narrow(2, geo.ph(), geo.h()).narrow(3, geo.pw(), geo.w()).contiguous();
    }

    @Override
    public Tensor im2col(Tensor x, Window2d geo) {
        Tensor xp = x.pad(pads(geo), 0f);
        List<Tensor> parts = new ArrayList<>(geo.kh() * geo.kw());
        for (int u = 0; u < geo.kh(); u++)
            for (int v = 0; v < geo.kw(); v++) parts.add(window(xp, geo, u, v));
        return Tensor.stack(parts, 2).reshape(geo.n(), geo.c() * geo.kh() * geo.kw(), geo.ho() * geo.wo());
    }

    @Override
    public Tensor col2im(Tensor cols, Window2d geo) {
        Tensor gp = paddedZeros(cols, geo);
        Tensor c6 = cols.reshape(geo.n(), geo.c(), geo.kh(), geo.kw(), geo.ho(), geo.wo());
        for (int u = 0; u < geo.kh(); u++)
            for (int v = 0; v < geo.kw(); v++) window(gp, geo, u, v).addInPlace(c6.select(2, u).select(2, v), 1f);
        return unpad(gp, geo);
    }

    @Override
    public MaxPoolResult maxPool2d(Tensor x, Window2d geo) {
        Tensor xp = x.pad(pads(geo), 0f);
        Tensor valid = x.backend().full(1f, 1, 1, geo.h(), geo.w()).pad(pads(geo), 0f);
        Tensor acc = x.backend().full(Float.NEGATIVE_INFINITY, geo.n(), geo.c(), geo.ho(), geo.wo());
        Tensor best = x.backend().full(-1f, geo.n(), geo.c(), geo.ho(), geo.wo());
        for (int u = 0; u < geo.kh(); u++)
            for (int v = 0; v < geo.kw(); v++) {
                Tensor val = window(xp, geo, u, v);
                // the first valid element, then any larger one (NaN never compares larger)
                Tensor take = val.gt(acc).maximum(best.lt(0f)).mul(window(valid, geo, u, v));
                acc = Tensor.where(take, val, acc);
                best = Tensor.where(take, best.fullLike(u * geo.kw() + v), best);
            }
        return new MaxPoolResult(acc, best);
    }

    @Override
    public Tensor maxPool2dBackward(MaxPoolResult fwd, Tensor g, Window2d geo) {
        Tensor gp = paddedZeros(g, geo), zero = g.backend().full(0f);
        for (int u = 0; u < geo.kh(); u++)
            for (int v = 0; v < geo.kw(); v++)
                window(gp, geo, u, v).addInPlace(Tensor.where(fwd.argmax().eq(u * geo.kw() + v), g, zero), 1f);
        return unpad(gp, geo);
    }

    @Override
    public Tensor avgPool2d(Tensor x, Window2d geo) {
        Tensor xp = x.pad(pads(geo), 0f);
        Tensor acc = null;
        for (int u = 0; u < geo.kh(); u++)
            for (int v = 0; v < geo.kw(); v++) {
                Tensor val = window(xp, geo, u, v);
                acc = acc == null ? val.contiguous() : acc.add(val);
            }
        return acc.mul(1f / (geo.kh() * geo.kw()));
    }

    @Override
    public Tensor avgPool2dBackward(Tensor g, Window2d geo) {
        Tensor gp = paddedZeros(g, geo);
        float inv = 1f / (geo.kh() * geo.kw());
        for (int u = 0; u < geo.kh(); u++)
            for (int v = 0; v < geo.kw(); v++) window(gp, geo, u, v).addInPlace(g, inv);
        return unpad(gp, geo);
    }

    // ------------------------------------------------------------------ bias

    @Override
    public Tensor addBias(Tensor y, Tensor bias, int axis) {
        int[] bs = new int[y.dim() - axis];
        java.util.Arrays.fill(bs, 1);
        bs[0] = bias.size(0);
        return y.add(bias.reshape(bs));
    }

    @Override
    public Tensor columnSums(Tensor g) {
        return g.sum(0, false);
    }

    // ------------------------------------------------------------------ optimizers and gradients

    @Override
    public void adamW(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvg, List<Tensor> expAvgSq, AdamWStep s) {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i), g = grads.get(i), m = expAvg.get(i), v = expAvgSq.get(i);
            m.copyFrom(m.mul(s.beta1()));
            m.addInPlace(g, 1 - s.beta1());
            v.copyFrom(v.mul(s.beta2()));
            v.addInPlace(g.square(), 1 - s.beta2());
            Tensor denom = v.sqrt().mul(s.invSqrtBc2()).add(s.eps());
            if (s.decay() != 1f) p.copyFrom(p.mul(s.decay()));
            p.addInPlace(m.div(denom), -s.stepSize());
        }
    }

    @Override
    public void sgd(List<Tensor> params, List<Tensor> grads, List<Tensor> momentumBuffers, SgdStep s) {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i), b = momentumBuffers == null ? null : momentumBuffers.get(i);
            Tensor g = s.weightDecay() == 0f ? grads.get(i) : grads.get(i).add(p.mul(s.weightDecay()));
            if (b != null) {
                if (s.first()) b.copyFrom(g);
                else {
                    b.copyFrom(b.mul(s.momentum()));
                    b.addInPlace(g, 1f);
                }
                g = s.nesterov() ? g.add(b.mul(s.momentum())) : b;
            }
            p.addInPlace(g, -s.lr());
        }
    }

    @Override
    public double sumOfSquares(List<Tensor> xs) {
        Tensor acc = null;
        for (Tensor x : xs) {
            Tensor part = x.square().sum();
            acc = acc == null ? part : acc.add(part);
        }
        return acc == null ? 0 : acc.item();
    }

    @Override
    public void scaleInPlace(List<Tensor> xs, float factor) {
        for (Tensor x : xs) x.copyFrom(x.mul(factor));
    }
}
