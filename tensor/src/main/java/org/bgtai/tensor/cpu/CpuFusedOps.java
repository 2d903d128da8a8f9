package org.bgtai.tensor.cpu;

import java.util.List;
import org.bgtai.tensor.ComposedFusedOps;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Tensor;

/**
 * The CPU kernels of the {@link FusedOps}: each op is one or a few parallel loops over heap
 * arrays (the score matrix of attention is softmaxed in place, layer norm and cross-entropy run
 * one pass per row, convolution is im2col / col2im around the GEMM). Results are independent of
 * the thread count except where noted (the layer-norm weight gradient and the column sums add
 * per-thread partial sums). The matrix products are {@link Tensor#matmul}, i.e. the CPU GEMM.
 *
 * <p>Inputs that a kernel needs contiguous are made so ({@link Tensor#contiguous()}); the in-place
 * ops fall back to {@link ComposedFusedOps} for a tensor that is not contiguous. Stateless.
 */
final class CpuFusedOps extends ComposedFusedOps {
    CpuFusedOps() {}

    private static int numelAfter(int[] s, int from) {
        int p = 1;
        for (int i = from; i < s.length; i++) p *= s[i];
        return p;
    }

    // ------------------------------------------------------------------ attention

    @Override
    public AttentionResult attention(Tensor q, Tensor k, Tensor v, Tensor keyPadding, boolean causal, DropMask drop, float scale) {
        int batch = q.size(0), heads = q.size(1), tq = q.size(2), tk = k.size(2);
        Tensor p = q.matmul(k.mT());                         // [B, H, Tq, Tk], fresh and contiguous
        float[] pd = p.cpuData();
        float[] pad = keyPadding == null ? null : keyPadding.contiguous().toArray();
        int rows = batch * heads * tq;
        Parallel.forRange(rows, Math.max(1, 2048 / Math.max(1, tk)), (lo, hi) -> {
            for (int r = lo; r < hi; r++)
                FusedKernels.maskedSoftmaxRow(pd, r * tk, tk, scale, pad, r / (heads * tq) * tk, causal ? r % tq + tk - tq : tk - 1);
        });
        Tensor used = p;
        if (drop != null) {
            Tensor keep = drop.keep().contiguous();
            used = Tensor.of(FusedKernels.mulMask(pd, 0, keep.cpuData(), keep.offset(), drop.scale(), pd.length), p.shape());
        }
        return new AttentionResult(used.matmul(v), q, k, v, p, used, drop, scale);
    }

    @Override
    public Tensor[] attentionBackward(AttentionResult fwd, Tensor g, boolean wantQ, boolean wantK, boolean wantV) {
        Tensor gq = null, gk = null, gv = null;
        if (wantV) gv = fwd.probsUsed().mT().matmul(g);
        if (wantQ || wantK) {
            Tensor p = fwd.probs();
            int tk = p.size(3), rows = p.numel() / Math.max(1, tk);
            float scale = fwd.scale();
            Tensor gp = g.matmul(fwd.v().mT());                  // [B, H, Tq, Tk], fresh
            float[] gd = gp.cpuData(), pd = p.cpuData();
            Tensor keep = fwd.drop() == null ? null : fwd.drop().keep().contiguous();
            float[] md = keep == null ? null : keep.cpuData();
            int mo = keep == null ? 0 : keep.offset();
            float ms = fwd.drop() == null ? 1f : fwd.drop().scale();
            Parallel.forRange(rows, Math.max(1, 2048 / Math.max(1, tk)), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int o = r * tk;
                    double s = 0;
                    if (md != null) for (int j = 0; j < tk; j++) gd[o + j] *= md[mo + o + j] * ms;
                    for (int j = 0; j < tk; j++) s += (double) gd[o + j] * pd[o + j];
                    float sf = (float) s;
                    for (int j = 0; j < tk; j++) gd[o + j] = pd[o + j] * (gd[o + j] - sf) * scale;
                }
            });
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
        float[] xd = xc.cpuData(), wd = wc.cpuData(), bd = bc.cpuData();
        int xo = xc.offset(), wo = wc.offset(), bo = bc.offset(), rows = xc.numel() / d;
        float[] y = new float[rows * d], mean = new float[rows], rstd = new float[rows];
        Parallel.forRange(rows, Math.max(1, 4096 / d), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = xo + r * d;
                double s = 0;
                for (int i = 0; i < d; i++) s += xd[o + i];
                float mu = (float) (s / d);
                double v = 0;
                for (int i = 0; i < d; i++) {
                    float c = xd[o + i] - mu;
                    v += c * c;
                }
                float rs = (float) (1.0 / Math.sqrt(v / d + eps));
                mean[r] = mu;
                rstd[r] = rs;
                int yo = r * d;
                for (int i = 0; i < d; i++) y[yo + i] = (xd[o + i] - mu) * rs * wd[wo + i] + bd[bo + i];
            }
        });
        return new LayerNormResult(Tensor.of(y, x.shape()), xc, wc, Tensor.of(mean, rows), Tensor.of(rstd, rows));
    }

    @Override
    public Tensor[] layerNormBackward(LayerNormResult fwd, Tensor grad, boolean needX, boolean needW, boolean needB) {
        Tensor g = grad.contiguous();
        float[] gd = g.cpuData(), xd = fwd.x().cpuData(), wd = fwd.w().cpuData();
        float[] mean = fwd.mean().cpuData(), rstd = fwd.rstd().cpuData();
        int go = g.offset(), xo = fwd.x().offset(), wo = fwd.w().offset();
        int d = fwd.w().size(0), rows = mean.length;
        float[] gx = needX ? new float[rows * d] : null;
        int chunks = Math.max(1, Math.min(Parallel.threads() * 2, rows / 16));
        float[][] gw = new float[chunks][d], gb = new float[chunks][d];
        Parallel.forEach(chunks, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                int r0 = (int) ((long) rows * k / chunks), r1 = (int) ((long) rows * (k + 1) / chunks);
                float[] pw = gw[k], pb = gb[k];
                for (int r = r0; r < r1; r++) {
                    int o = xo + r * d, gof = go + r * d;
                    float mu = mean[r], rs = rstd[r];
                    double sg = 0, sgx = 0;
                    for (int i = 0; i < d; i++) {
                        float xh = (xd[o + i] - mu) * rs;
                        float gi = gd[gof + i];
                        pw[i] += gi * xh;
                        pb[i] += gi;
                        float gwi = gi * wd[wo + i];
                        sg += gwi;
                        sgx += gwi * xh;
                    }
                    if (gx != null) {
                        float mg = (float) (sg / d), mgx = (float) (sgx / d);
                        int yo = r * d;
                        for (int i = 0; i < d; i++) {
                            float xh = (xd[o + i] - mu) * rs;
                            gx[yo + i] = rs * (gd[gof + i] * wd[wo + i] - mg - xh * mgx);
                        }
                    }
                }
            }
        });
        for (int k = 1; k < chunks; k++) for (int i = 0; i < d; i++) {
            gw[0][i] += gw[k][i];
            gb[0][i] += gb[k][i];
        }
        return new Tensor[] {gx == null ? null : Tensor.of(gx, fwd.y().shape()), needW ? Tensor.of(gw[0], d) : null,
            needB ? Tensor.of(gb[0], d) : null};
    }

    // ------------------------------------------------------------------ cross-entropy

    @Override
    public CrossEntropyResult crossEntropy(Tensor logits, IntTensor target, float smoothing, int ignoreIndex) {
        int rows = logits.size(0), c = logits.size(1);
        int[] t = target.data();
        Tensor x = logits.contiguous();
        float[] xd = x.cpuData();
        int xo = x.offset();
        float[] grad = new float[rows * c];
        double[] rowLoss = new double[rows];
        int valid = 0;
        for (int i = 0; i < rows; i++) if (t[i] != ignoreIndex) valid++;
        float e = smoothing;
        Parallel.forRange(rows, Math.max(1, 8192 / c), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                if (t[r] == ignoreIndex) continue;
                int o = xo + r * c, go = r * c;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) max = Math.max(max, xd[o + j]);
                double sum = 0, sumX = 0;
                for (int j = 0; j < c; j++) {
                    float ex = (float) Math.exp(xd[o + j] - max);
                    grad[go + j] = ex;
                    sum += ex;
                    sumX += xd[o + j];
                }
                double lse = max + Math.log(sum);
                // -(1-e) logp[t] - e/C sum_c logp[c]
                rowLoss[r] = (1 - e) * (lse - xd[o + t[r]]) + e * (lse - sumX / c);
                float inv = (float) (1.0 / sum), off = e / c;
                for (int j = 0; j < c; j++) grad[go + j] = grad[go + j] * inv - off;
                grad[go + t[r]] -= 1 - e;
            }
        });
        double total = 0;
        for (double v : rowLoss) total += v;
        return new CrossEntropyResult(Tensor.scalar((float) (total / valid)), Tensor.of(grad, rows, c), valid);
    }

    @Override
    public Tensor crossEntropyBackward(CrossEntropyResult fwd, Tensor g) {
        float s = g.item() / fwd.count();
        float[] grad = fwd.grad().cpuData();
        float[] gd = new float[grad.length];
        Parallel.forRange(gd.length, 1 << 15, (lo, hi) -> {
            for (int i = lo; i < hi; i++) gd[i] = grad[i] * s;
        });
        return Tensor.of(gd, fwd.grad().shape());
    }

    // ------------------------------------------------------------------ dropout

    @Override
    public Tensor dropout(Tensor x, DropMask m) {
        Tensor xc = x.contiguous(), kc = m.keep().contiguous();
        return Tensor.of(FusedKernels.mulMask(xc.cpuData(), xc.offset(), kc.cpuData(), kc.offset(), m.scale(), x.numel()), x.shape());
    }

    @Override
    public Tensor addDropout(Tensor residual, Tensor x, DropMask m) {
        Tensor rc = residual.contiguous(), xc = x.contiguous(), kc = m.keep().contiguous();
        return Tensor.of(FusedKernels.addMulMask(rc.cpuData(), rc.offset(), xc.cpuData(), xc.offset(), kc.cpuData(), kc.offset(), m.scale(),
            x.numel()), x.shape());
    }

    @Override
    public Tensor reluDropout(Tensor h, DropMask m) {
        Tensor hc = h.contiguous(), kc = m.keep().contiguous();
        return Tensor.of(FusedKernels.reluMulMask(hc.cpuData(), hc.offset(), kc.cpuData(), kc.offset(), m.scale(), h.numel()), h.shape());
    }

    @Override
    public Tensor reluDropoutBackward(Tensor g, Tensor h, DropMask m) {
        Tensor gc = g.contiguous(), hc = h.contiguous(), kc = m.keep().contiguous();
        return Tensor.of(FusedKernels.reluMaskGrad(gc.cpuData(), gc.offset(), hc.cpuData(), hc.offset(), kc.cpuData(), kc.offset(), m.scale(),
            h.numel()), h.shape());
    }

    // ------------------------------------------------------------------ convolution and pooling

    @Override
    public Tensor im2col(Tensor x, Window2d geo) {
        Tensor xc = x.contiguous();
        float[] xd = xc.cpuData();
        int n = geo.n(), c = geo.c(), h = geo.h(), w = geo.w(), kh = geo.kh(), kw = geo.kw(), ho = geo.ho(), wo = geo.wo();
        int sh = geo.sh(), sw = geo.sw(), ph = geo.ph(), pw = geo.pw(), dh = geo.dh(), dw = geo.dw();
        int xo = xc.offset(), l = ho * wo, kk = kh * kw;
        float[] cols = new float[n * c * kk * l];
        Parallel.forRange(n * c, 1, (lo, hi) -> {
            for (int nc = lo; nc < hi; nc++) {
                int src = xo + nc * h * w;
                for (int u = 0; u < kh; u++) for (int v = 0; v < kw; v++) {
                    int dst = (nc * kk + u * kw + v) * l;
                    for (int i = 0; i < ho; i++) {
                        int ih = i * sh + u * dh - ph;
                        int row = dst + i * wo;
                        if (ih < 0 || ih >= h) continue;
                        for (int j = 0; j < wo; j++) {
                            int iw = j * sw + v * dw - pw;
                            if (iw >= 0 && iw < w) cols[row + j] = xd[src + ih * w + iw];
                        }
                    }
                }
            }
        });
        return Tensor.of(cols, n, c * kk, l);
    }

    @Override
    public Tensor col2im(Tensor cols, Window2d geo) {
        Tensor gc = cols.contiguous();
        float[] cd = gc.cpuData();
        int n = geo.n(), c = geo.c(), h = geo.h(), w = geo.w(), kh = geo.kh(), kw = geo.kw(), ho = geo.ho(), wo = geo.wo();
        int sh = geo.sh(), sw = geo.sw(), ph = geo.ph(), pw = geo.pw(), dh = geo.dh(), dw = geo.dw();
        int co = gc.offset(), l = ho * wo, kk = kh * kw;
        float[] gx = new float[n * c * h * w];
        Parallel.forRange(n * c, 1, (lo, hi) -> {
            for (int nc = lo; nc < hi; nc++) {
                int dstBase = nc * h * w;
                for (int u = 0; u < kh; u++) for (int v = 0; v < kw; v++) {
                    int src = co + (nc * kk + u * kw + v) * l;
                    for (int i = 0; i < ho; i++) {
                        int ih = i * sh + u * dh - ph;
                        if (ih < 0 || ih >= h) continue;
                        for (int j = 0; j < wo; j++) {
                            int iw = j * sw + v * dw - pw;
                            if (iw >= 0 && iw < w) gx[dstBase + ih * w + iw] += cd[src + i * wo + j];
                        }
                    }
                }
            }
        });
        return Tensor.of(gx, n, c, h, w);
    }

    @Override
    public MaxPoolResult maxPool2d(Tensor x, Window2d geo) {
        float[][] r = pool(true, x, geo);
        int[] ys = {geo.n(), geo.c(), geo.ho(), geo.wo()};
        return new MaxPoolResult(Tensor.of(r[0], ys), Tensor.of(r[1], ys));
    }

    @Override
    public Tensor avgPool2d(Tensor x, Window2d geo) {
        return Tensor.of(pool(false, x, geo)[0], geo.n(), geo.c(), geo.ho(), geo.wo());
    }

    /** {@code {y, argmax}} (argmax null for average pooling). */
    private static float[][] pool(boolean max, Tensor x, Window2d geo) {
        int planes = geo.n() * geo.c(), h = geo.h(), w = geo.w(), ho = geo.ho(), wo = geo.wo();
        int kh = geo.kh(), kw = geo.kw(), sh = geo.sh(), sw = geo.sw(), ph = geo.ph(), pw = geo.pw();
        Tensor xc = x.contiguous();
        float[] xd = xc.cpuData();
        int xo = xc.offset();
        float[] y = new float[planes * ho * wo];
        float[] arg = max ? new float[y.length] : null;
        float inv = 1f / (kh * kw);
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int pl = lo; pl < hi; pl++) for (int i = 0; i < ho; i++) for (int j = 0; j < wo; j++) {
                float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                int best = -1;
                for (int u = 0; u < kh; u++) {
                    int ih = i * sh + u - ph;
                    if (ih < 0 || ih >= h) continue;
                    for (int v = 0; v < kw; v++) {
                        int iw = j * sw + v - pw;
                        if (iw < 0 || iw >= w) continue;
                        float val = xd[xo + pl * h * w + ih * w + iw];
                        if (max) {
                            if (val > acc || best < 0) {
                                acc = val;
                                best = u * kw + v;
                            }
                        } else acc += val;
                    }
                }
                int out = (pl * ho + i) * wo + j;
                y[out] = max ? acc : acc * inv;
                if (max) arg[out] = best;
            }
        });
        return new float[][] {y, arg};
    }

    @Override
    public Tensor maxPool2dBackward(MaxPoolResult fwd, Tensor g, Window2d geo) {
        return poolBackward(fwd.argmax().contiguous(), g, geo);
    }

    @Override
    public Tensor avgPool2dBackward(Tensor g, Window2d geo) {
        return poolBackward(null, g, geo);
    }

    /** The max gradient goes to the recorded element; the average one is spread over the window. */
    private static Tensor poolBackward(Tensor argmax, Tensor g, Window2d geo) {
        int planes = geo.n() * geo.c(), h = geo.h(), w = geo.w(), ho = geo.ho(), wo = geo.wo();
        int kh = geo.kh(), kw = geo.kw(), sh = geo.sh(), sw = geo.sw(), ph = geo.ph(), pw = geo.pw();
        boolean max = argmax != null;
        float[] arg = max ? argmax.cpuData() : null;
        int ao = max ? argmax.offset() : 0;
        Tensor gc = g.contiguous();
        float[] gd = gc.cpuData();
        int go = gc.offset();
        float inv = 1f / (kh * kw);
        float[] gx = new float[planes * h * w];
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int pl = lo; pl < hi; pl++) for (int i = 0; i < ho; i++) for (int j = 0; j < wo; j++) {
                int out = (pl * ho + i) * wo + j;
                float gv = gd[go + out];
                if (max) {
                    int best = (int) arg[ao + out];
                    int u = best / kw, v = best - u * kw;
                    gx[pl * h * w + (i * sh + u - ph) * w + (j * sw + v - pw)] += gv;
                    continue;
                }
                for (int u = 0; u < kh; u++) {
                    int ih = i * sh + u - ph;
                    if (ih < 0 || ih >= h) continue;
                    for (int v = 0; v < kw; v++) {
                        int iw = j * sw + v - pw;
                        if (iw >= 0 && iw < w) gx[pl * h * w + ih * w + iw] += gv * inv;
                    }
                }
            }
        });
        return Tensor.of(gx, geo.n(), geo.c(), h, w);
    }

    // ------------------------------------------------------------------ bias

    @Override
    public Tensor addBias(Tensor y, Tensor bias, int axis) {
        if (!y.isDense()) return super.addBias(y, bias, axis);
        int[] s = y.shape();
        int channels = s[axis], inner = numelAfter(s, axis + 1), outer = y.numel() / Math.max(1, channels * inner);
        Tensor bc = bias.contiguous();
        if (inner == 1) FusedKernels.addRowBias(y.cpuData(), bc.cpuData(), bc.offset(), outer, channels);
        else FusedKernels.addPlaneBias(y.cpuData(), bc.cpuData(), bc.offset(), outer * channels, channels, inner);
        return y;
    }

    @Override
    public Tensor columnSums(Tensor g) {
        Tensor c = g.contiguous();
        int cols = c.size(1);
        return Tensor.of(FusedKernels.columnSums(c.cpuData(), c.offset(), c.size(0), cols), cols);
    }

    // ------------------------------------------------------------------ optimizers and gradients

    @Override
    public void adamW(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvg, List<Tensor> expAvgSq, AdamWStep step) {
        float b1 = step.beta1(), b2 = step.beta2(), decay = step.decay(), stepSize = step.stepSize(), invSqrtBc2 = step.invSqrtBc2(), e = step.eps();
        for (int t = 0; t < params.size(); t++) {
            Tensor p = params.get(t), mt = expAvg.get(t), vt = expAvgSq.get(t);
            if (!p.isContiguous() || !mt.isContiguous() || !vt.isContiguous()) {
                super.adamW(List.of(p), List.of(grads.get(t)), List.of(mt), List.of(vt), step);
                continue;
            }
            Tensor gt = grads.get(t).contiguous();
            float[] pd = p.cpuData(), gd = gt.cpuData(), md = mt.cpuData(), vd = vt.cpuData();
            int po = p.offset(), go = gt.offset(), mo = mt.offset(), vo = vt.offset();
            Parallel.forRange(p.numel(), 1 << 14, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    float g = gd[go + i];
                    float mi = b1 * md[mo + i] + (1 - b1) * g;
                    float vi = b2 * vd[vo + i] + (1 - b2) * g * g;
                    md[mo + i] = mi;
                    vd[vo + i] = vi;
                    float denom = (float) Math.sqrt(vi) * invSqrtBc2 + e;
                    pd[po + i] = pd[po + i] * decay - stepSize * mi / denom;
                }
            });
        }
    }

    @Override
    public void sgd(List<Tensor> params, List<Tensor> grads, List<Tensor> momentumBuffers, SgdStep step) {
        float lr = step.lr(), mu = step.momentum(), wd = step.weightDecay();
        boolean first = step.first(), nesterov = step.nesterov();
        for (int t = 0; t < params.size(); t++) {
            Tensor p = params.get(t), bt = momentumBuffers == null ? null : momentumBuffers.get(t);
            if (!p.isContiguous() || (bt != null && !bt.isContiguous())) {
                super.sgd(List.of(p), List.of(grads.get(t)), bt == null ? null : List.of(bt), step);
                continue;
            }
            Tensor gt = grads.get(t).contiguous();
            float[] pd = p.cpuData(), gd = gt.cpuData();
            float[] bd = bt == null ? null : bt.cpuData();
            int po = p.offset(), go = gt.offset(), bo = bt == null ? 0 : bt.offset();
            Parallel.forRange(p.numel(), 1 << 14, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    float g = gd[go + i] + wd * pd[po + i];
                    if (bd != null) {
                        float b = first ? g : mu * bd[bo + i] + g;
                        bd[bo + i] = b;
                        g = nesterov ? g + mu * b : b;
                    }
                    pd[po + i] -= lr * g;
                }
            });
        }
    }

    @Override
    public double sumOfSquares(List<Tensor> xs) {
        double s = 0;
        for (Tensor x : xs) {
            float[] d = x.isDense() ? x.cpuData() : x.toArray();
            double part = 0;
            for (float v : d) part += (double) v * v;
            s += part;
        }
        return s;
    }

    @Override
    public void scaleInPlace(List<Tensor> xs, float factor) {
        for (Tensor x : xs) {
            if (!x.isContiguous()) {
                x.copyFrom(x.mul(factor));
                continue;
            }
            float[] d = x.cpuData();
            for (int i = x.offset(), e = i + x.numel(); i < e; i++) d[i] *= factor;
        }
    }
}
