package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Scaled dot-product attention as one fused op:
 * {@code out = dropout(softmax(q k^T * scale + mask)) v}.
 *
 * <p>Shapes: {@code q [B, H, Tq, d]}, {@code k, v [B, H, Tk, d]} (any strides, e.g. head views of
 * a projection), {@code keyPadding [B, Tk]} (nonzero = ignore that key) or null -> {@code [B, H, Tq, d]}.
 * With {@code causal}, query {@code i} sees keys {@code j <= i + Tk - Tq} (so a single query
 * appended to a cache sees everything). Scaling, masking, softmax and dropout are one op of the
 * device's {@link FusedOps#attention} (the matrix products around it are GEMMs); the backward pass
 * reuses the stored probabilities:
 * {@code dS = P * (dP - rowsum(dP * P)) * scale}. A query row whose keys are all masked gets
 * all-zero weights (PyTorch would return NaN). The dropout mask is drawn on the tensors' device
 * from the layer's seeded generator, so a seeded run draws the same masks on every device.
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
        checkPadding(keyPadding, qs[0], ks[2]);
        FusedOps f = q.value().backend().fused();
        FusedOps.AttentionResult r = forward(f, q.value(), k.value(), v.value(), keyPadding, causal, dropout, (float) (1.0 / Math.sqrt(qs[3])));
        return Var.op("attention", r.out(), g -> f.attentionBackward(r, g, q.requiresGrad(), k.requiresGrad(), v.requiresGrad()), q, k, v);
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
        Tensor heads5 = qkv.value().reshape(batch, t, 3, heads, d).permute(2, 0, 3, 1, 4);   // [3, B, H, T, d] head views
        Tensor q = heads5.select(0, 0), k = heads5.select(0, 1), v = heads5.select(0, 2);
        checkPadding(keyPadding, batch, t);
        FusedOps f = qkv.value().backend().fused();
        FusedOps.AttentionResult r = forward(f, q, k, v, keyPadding, causal, dropout, (float) (1.0 / Math.sqrt(d)));
        return Var.op("attention", r.out(), g -> new Tensor[] {packGrads(f.attentionBackward(r, g, true, true, true), 0, batch, t, heads, d)}, qkv);
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
        Tensor h = kv.value().reshape(batch, tk, 2, heads, d).permute(2, 0, 3, 1, 4);        // [2, B, H, Tk, d] head views
        Tensor qh = q.value().reshape(batch, tq, heads, d).permute(0, 2, 1, 3);
        checkPadding(keyPadding, batch, tk);
        FusedOps f = kv.value().backend().fused();
        FusedOps.AttentionResult r = forward(f, qh, h.select(0, 0), h.select(0, 1), keyPadding, causal, dropout, (float) (1.0 / Math.sqrt(d)));
        return Var.op("attention", r.out(), g -> {
            Tensor[] gr = f.attentionBackward(r, g, q.requiresGrad(), kv.requiresGrad(), kv.requiresGrad());
            Tensor gq = gr[0] == null ? null : gr[0].permute(0, 2, 1, 3).reshape(batch, tq, heads * d);
            return new Tensor[] {gq, kv.requiresGrad() ? packGrads(gr, 1, batch, tk, heads, d) : null};
        }, q, kv);
    }

    /** The fused forward, with the dropout keep-mask {@code [B, H, Tq, Tk]} drawn on the device when dropout is active. */
    private static FusedOps.AttentionResult forward(FusedOps f, Tensor q, Tensor k, Tensor v, Tensor keyPadding, boolean causal,
                                                    Dropout dropout, float scale) {
        FusedOps.DropMask drop = dropout != null && dropout.active()
            ? dropout.mask(new int[] {q.size(0), q.size(1), q.size(2), k.size(2)}, q.device()) : null;
        return f.attention(q, k, v, keyPadding, causal, drop, scale);
    }

    /** {@code parts} (from index {@code from}) as one packed gradient {@code [B, T, n * heads * d]}. */
    private static Tensor packGrads(Tensor[] parts, int from, int batch, int t, int heads, int d) {
        int n = parts.length - from;
        Tensor packed = parts[from].backend().empty(batch, t, n * heads * d);   // every element is written below
        Tensor view = packed.reshape(batch, t, n, heads, d).permute(2, 0, 3, 1, 4);
        for (int i = 0; i < n; i++) view.select(0, i).copyFrom(parts[from + i]);
        return packed;
    }

    private static void checkPadding(Tensor keyPadding, int batch, int tk) {
        if (keyPadding != null && (keyPadding.dim() != 2 || keyPadding.size(0) != batch || keyPadding.size(1) != tk))
            throw new IllegalArgumentException("key padding mask must be [batch, keys] = [" + batch + ", " + tk + "], got " + Shape.str(keyPadding.shape()));
    }
}
