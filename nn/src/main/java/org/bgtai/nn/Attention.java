package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Scaled dot-product attention as one fused op:
 * {@code out = dropout(softmax(q k^T * scale + mask)) v}.
 *
 * <p>Shapes: {@code q [B, H, Tq, d]}, {@code k, v [B, H, Tk, d]} (any strides, e.g. head views of
 * a projection), {@code keyPadding [B, Tk]} (nonzero = ignore that key) or null -> {@code [B, H, Tq, d]}.
 * With {@code causal}, query {@code i} sees keys {@code j <= i + Tk - Tq} (so a single query
 * appended to a cache sees everything). Scaling, masking, softmax and dropout run in place on the
 * score matrix; the backward pass reuses the stored probabilities:
 * {@code dS = P * (dP - rowsum(dP * P)) * scale}. A query row whose keys are all masked gets
 * all-zero weights (PyTorch would return NaN).
 *
 * <pre>{@code
 * Var o = Attention.scaledDotProduct(q, k, v, null, true, null);   // causal self-attention
 * }</pre>
 */
public final class Attention {
    private Attention() {}

    /**
     * @param q [B, H, Tq, d]
     * @param k [B, H, Tk, d]
     * @param v [B, H, Tk, d]
     * @param keyPadding [B, Tk], nonzero = masked; or null
     * @param dropout attention-weight dropout (used when active), or null
     * @return [B, H, Tq, d]
     */
    public static Var scaledDotProduct(Var q, Var k, Var v, Tensor keyPadding, boolean causal, Dropout dropout) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 4 || ks.length != 4 || vs.length != 4 || qs[0] != ks[0] || qs[1] != ks[1] || qs[3] != ks[3]
            || !java.util.Arrays.equals(ks, vs))
            throw new IllegalArgumentException("attention expects q [B, H, Tq, d], k and v [B, H, Tk, d]; got q " + Shape.str(qs)
                + ", k " + Shape.str(ks) + ", v " + Shape.str(vs));
        int batch = qs[0], heads = qs[1], tq = qs[2], tk = ks[2];
        checkPadding(keyPadding, batch, tk);
        float scale = (float) (1.0 / Math.sqrt(qs[3]));
        if (q.value().device() != Device.CPU) return composed(q, k, v, keyPadding, causal, dropout, scale);
        Fused f = fused(q.value(), k.value(), v.value(), keyPadding, causal, dropout, scale);
        return Var.op("attention", f.out, g -> f.backward(g, q.requiresGrad(), k.requiresGrad(), v.requiresGrad()), q, k, v);
    }

    /**
     * Self-attention on the packed projection of {@code nn.MultiheadAttention}: {@code qkv [B, T,
     * 3 * heads * d]} holds q, k and v side by side along its last dim ({@code x in_proj_weight^T +
     * in_proj_bias}). The same as {@link #scaledDotProduct} on its head views, but with one parent:
     * the backward pass writes dq, dk and dv into one packed gradient, so the projection runs as
     * one matrix product each way (as in PyTorch) instead of three, and its weight gradient needs
     * no zero-padded slices.
     *
     * @return [B, heads, T, d]
     */
    public static Var packedSelfAttention(Var qkv, int heads, Tensor keyPadding, boolean causal, Dropout dropout) {
        int[] s = qkv.shape();
        if (s.length != 3 || heads <= 0 || s[2] % (3 * heads) != 0)
            throw new IllegalArgumentException("packed self-attention expects qkv [B, T, 3 * heads * d] with heads = " + heads
                + "; got " + Shape.str(s));
        int batch = s[0], t = s[1], d = s[2] / (3 * heads);
        if (qkv.value().device() != Device.CPU) {
            Var heads5 = qkv.reshape(batch, t, 3, heads, d).permute(2, 0, 3, 1, 4);   // [3, B, H, T, d]
            return scaledDotProduct(heads5.select(0, 0), heads5.select(0, 1), heads5.select(0, 2), keyPadding, causal, dropout);
        }
        Tensor heads5 = qkv.value().reshape(batch, t, 3, heads, d).permute(2, 0, 3, 1, 4);
        Tensor q = heads5.select(0, 0), k = heads5.select(0, 1), v = heads5.select(0, 2);
        checkPadding(keyPadding, batch, t);
        Fused f = fused(q, k, v, keyPadding, causal, dropout, (float) (1.0 / Math.sqrt(d)));
        return Var.op("attention", f.out, g -> new Tensor[] {packGrads(f.backward(g, true, true, true), 0, batch, t, heads, d)}, qkv);
    }

    /**
     * Attention of projected queries {@code q [B, Tq, heads * d]} on a packed key/value projection
     * {@code kv [B, Tk, 2 * heads * d]} (k then v along the last dim: cross-attention, where one
     * matrix product projects the memory to both). The same as {@link #scaledDotProduct} on the
     * head views; the backward pass writes dk and dv into one packed gradient.
     *
     * @return [B, heads, Tq, d]
     */
    public static Var packedCrossAttention(Var q, Var kv, int heads, Tensor keyPadding, boolean causal, Dropout dropout) {
        int[] qs = q.shape(), s = kv.shape();
        if (qs.length != 3 || s.length != 3 || heads <= 0 || qs[2] % heads != 0 || s[2] != 2 * qs[2] || s[0] != qs[0])
            throw new IllegalArgumentException("packed cross-attention expects q [B, Tq, heads * d] and kv [B, Tk, 2 * heads * d] with heads = "
                + heads + "; got q " + Shape.str(qs) + ", kv " + Shape.str(s));
        int batch = s[0], tq = qs[1], tk = s[1], d = qs[2] / heads;
        if (kv.value().device() != Device.CPU) {
            Var h = kv.reshape(batch, tk, 2, heads, d).permute(2, 0, 3, 1, 4);   // [2, B, H, Tk, d]
            return scaledDotProduct(q.reshape(batch, tq, heads, d).permute(0, 2, 1, 3), h.select(0, 0), h.select(0, 1), keyPadding, causal, dropout);
        }
        Tensor h = kv.value().reshape(batch, tk, 2, heads, d).permute(2, 0, 3, 1, 4);
        Tensor qh = q.value().reshape(batch, tq, heads, d).permute(0, 2, 1, 3);
        checkPadding(keyPadding, batch, tk);
        Fused f = fused(qh, h.select(0, 0), h.select(0, 1), keyPadding, causal, dropout, (float) (1.0 / Math.sqrt(d)));
        return Var.op("attention", f.out, g -> {
            Tensor[] r = f.backward(g, q.requiresGrad(), kv.requiresGrad(), kv.requiresGrad());
            Tensor gq = r[0] == null ? null : r[0].permute(0, 2, 1, 3).reshape(batch, tq, heads * d);
            return new Tensor[] {gq, kv.requiresGrad() ? packGrads(r, 1, batch, tk, heads, d) : null};
        }, q, kv);
    }

    /** {@code parts} (from index {@code from}) as one packed gradient {@code [B, T, n * heads * d]}. */
    private static Tensor packGrads(Tensor[] parts, int from, int batch, int t, int heads, int d) {
        int n = parts.length - from;
        Tensor packed = Tensor.zeros(batch, t, n * heads * d);
        Tensor view = packed.reshape(batch, t, n, heads, d).permute(2, 0, 3, 1, 4);
        for (int i = 0; i < n; i++) view.select(0, i).copyFrom(parts[from + i]);
        return packed;
    }

    private static void checkPadding(Tensor keyPadding, int batch, int tk) {
        if (keyPadding != null && (keyPadding.dim() != 2 || keyPadding.size(0) != batch || keyPadding.size(1) != tk))
            throw new IllegalArgumentException("key padding mask must be [batch, keys] = [" + batch + ", " + tk + "], got " + Shape.str(keyPadding.shape()));
    }

    /** The CPU kernel's output and what its backward pass needs. */
    private record Fused(Tensor out, Tensor q, Tensor k, Tensor v, Tensor p, Tensor pUsed, Tensor mask, int rows, int tk, float scale) {
        /** {dq, dk, dv} for an output gradient {@code g} (null where not wanted). */
        Tensor[] backward(Tensor g, boolean wantQ, boolean wantK, boolean wantV) {
            Tensor gq = null, gk = null, gv = null;
            if (wantV) gv = pUsed.mT().matmul(g);
            if (wantQ || wantK) {
                Tensor gp = g.matmul(v.mT());                 // [B, H, Tq, Tk], fresh
                float[] gd = gp.cpuData(), pd = p.cpuData();
                float[] md = mask == null ? null : mask.cpuData();
                Parallel.forRange(rows, Math.max(1, 2048 / Math.max(1, tk)), (lo, hi) -> {
                    for (int r = lo; r < hi; r++) {
                        int o = r * tk;
                        double s = 0;
                        if (md != null) for (int j = 0; j < tk; j++) gd[o + j] *= md[o + j];
                        for (int j = 0; j < tk; j++) s += (double) gd[o + j] * pd[o + j];
                        float sf = (float) s;
                        for (int j = 0; j < tk; j++) gd[o + j] = pd[o + j] * (gd[o + j] - sf) * scale;
                    }
                });
                if (wantQ) gq = gp.matmul(k);
                if (wantK) gk = gp.mT().matmul(q);
            }
            return new Tensor[] {gq, gk, gv};
        }
    }

    /** Forward on the CPU: scores, masked softmax and dropout in place, then {@code P v}. */
    private static Fused fused(Tensor qv, Tensor kv, Tensor vv, Tensor keyPadding, boolean causal, Dropout dropout, float scale) {
        int batch = qv.size(0), heads = qv.size(1), tq = qv.size(2), tk = kv.size(2);
        Tensor p = qv.matmul(kv.mT());                       // [B, H, Tq, Tk], fresh and contiguous
        float[] pd = p.cpuData();
        float[] pad = keyPadding == null ? null : keyPadding.contiguous().toArray();
        int rows = batch * heads * tq;
        Parallel.forRange(rows, Math.max(1, 2048 / Math.max(1, tk)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) maskedSoftmaxRow(pd, r * tk, tk, scale, pad, r / (heads * tq) * tk, causal ? r % tq + tk - tq : tk - 1);
        });
        Tensor mask = dropout != null && dropout.active() ? dropout.mask(p.shape()) : null;
        Tensor pUsed = mask == null ? p : Tensor.of(NnKernels.mulMask(pd, 0, mask.cpuData(), 1f), p.shape());
        return new Fused(pUsed.matmul(vv), qv, kv, vv, p, pUsed, mask, rows, tk, scale);
    }

    /**
     * The same attention composed of autograd ops, for tensors off the CPU: {@code matmul},
     * {@code maskedFill(-inf)}, {@code softmax}, the dropout mask multiply and {@code matmul}; the
     * backward pass is autograd's. The 0/1 mask {@code [B or 1, 1, Tq, Tk]} is built on the host
     * (from {@code keyPadding}, read to the host when it lives on the device) and copied to the
     * device once per call; so is the dropout mask (drawn from the same generator as on the CPU).
     */
    static Var composed(Var q, Var k, Var v, Tensor keyPadding, boolean causal, Dropout dropout, float scale) {
        int batch = q.size(0), tq = q.size(2), tk = k.size(2);
        Device dev = q.value().device();
        Var s = q.matmul(k.mT()).mul(scale);                  // [B, H, Tq, Tk]
        Tensor mask = null, rowVisible = null;
        if (causal || keyPadding != null) {
            int mb = keyPadding == null ? 1 : batch;
            float[] pad = keyPadding == null ? null : keyPadding.contiguous().toArray();
            float[] m = new float[mb * tq * tk], visible = new float[mb * tq];
            boolean anyEmpty = false;
            for (int b = 0; b < mb; b++)
                for (int i = 0; i < tq; i++) {
                    int lastVisible = causal ? i + tk - tq : tk - 1;
                    boolean seen = false;
                    for (int j = 0; j < tk; j++) {
                        boolean masked = j > lastVisible || (pad != null && pad[b * tk + j] != 0f);
                        m[(b * tq + i) * tk + j] = masked ? 1f : 0f;
                        seen |= !masked;
                    }
                    visible[b * tq + i] = seen ? 1f : 0f;
                    anyEmpty |= !seen;
                }
            mask = Tensor.of(m, mb, 1, tq, tk).to(dev);
            if (anyEmpty) rowVisible = Tensor.of(visible, mb, 1, tq, 1).to(dev);
        }
        // A row with every key masked would be softmax(-inf...) = NaN: fill with a finite value and
        // zero such rows afterwards (the CPU kernel gives them all-zero weights too).
        if (mask != null) s = s.maskedFill(mask, rowVisible == null ? Float.NEGATIVE_INFINITY : -1e30f);
        Var p = s.softmax(-1);
        if (rowVisible != null) p = p.mul(Var.of(rowVisible));
        if (dropout != null && dropout.active()) p = p.mul(Var.of(dropout.mask(p.shape()).to(dev)));
        return p.matmul(v);
    }

    /** Scales row {@code [o, o+n)}, masks keys beyond {@code lastVisible} and padded keys, then softmax in place. */
    static void maskedSoftmaxRow(float[] x, int o, int n, float scale, float[] pad, int padOff, int lastVisible) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            boolean masked = j > lastVisible || (pad != null && pad[padOff + j] != 0f);
            float s = masked ? Float.NEGATIVE_INFINITY : x[o + j] * scale;
            x[o + j] = s;
            if (s > max) max = s;
        }
        if (max == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(x, o, o + n, 0f);
            return;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(x[o + j] - max);
            x[o + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < n; j++) x[o + j] *= inv;
    }
}
