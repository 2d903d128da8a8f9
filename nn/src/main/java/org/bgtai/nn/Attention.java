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
        if (keyPadding != null && (keyPadding.dim() != 2 || keyPadding.size(0) != batch || keyPadding.size(1) != tk))
            throw new IllegalArgumentException("key padding mask must be [batch, keys] = [" + batch + ", " + tk + "], got " + Shape.str(keyPadding.shape()));
        float scale = (float) (1.0 / Math.sqrt(qs[3]));
        if (q.value().device() != Device.CPU) return composed(q, k, v, keyPadding, causal, dropout, scale);
        Tensor qv = q.value(), kv = k.value(), vv = v.value();
        Tensor p = qv.matmul(kv.mT());                       // [B, H, Tq, Tk], fresh and contiguous
        float[] pd = p.cpuData();
        float[] pad = keyPadding == null ? null : keyPadding.contiguous().toArray();
        int rows = batch * heads * tq;
        Parallel.forRange(rows, Math.max(1, 2048 / Math.max(1, tk)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) maskedSoftmaxRow(pd, r * tk, tk, scale, pad, r / (heads * tq) * tk, causal ? r % tq + tk - tq : tk - 1);
        });
        Tensor mask = dropout != null && dropout.active() ? dropout.mask(p.shape()) : null;
        Tensor pUsed = mask == null ? p : Tensor.of(NnKernels.mulMask(pd, 0, mask.cpuData(), 1f), p.shape());
        Tensor out = pUsed.matmul(vv);
        return Var.op("attention", out, g -> {
            Tensor gq = null, gk = null, gv = null;
            if (v.requiresGrad()) gv = pUsed.mT().matmul(g);
            if (q.requiresGrad() || k.requiresGrad()) {
                Tensor gp = g.matmul(vv.mT());                // [B, H, Tq, Tk], fresh
                float[] gd = gp.cpuData();
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
                if (q.requiresGrad()) gq = gp.matmul(kv);
                if (k.requiresGrad()) gk = gp.mT().matmul(qv);
            }
            return new Tensor[] {gq, gk, gv};
        }, q, k, v);
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
