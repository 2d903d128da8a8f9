package org.bgtai.tensor;

import java.util.List;

/**
 * The ops that layers fuse (Candle's {@code CustomOp} idea): each is one call on the backend of
 * its operands, so a layer has one code path on every device. {@link Backend#fused()} gives the
 * implementation; {@link ComposedFusedOps} composes every op from public {@link Tensor} ops (what
 * a backend without kernels of its own gets, and what tests compare against), the CPU and OpenCL
 * backends run kernels. Forward ops return records holding what the backward op needs; backward
 * ops are separate methods. Autograd stays in the layers: a layer wraps the forward result in a
 * {@code Var.op} whose backward rule calls the backward op.
 *
 * <p>Operands are on this implementation's device and already validated by the layer (shapes,
 * index ranges); they may be strided views unless a method says otherwise. Results are new
 * contiguous tensors on the same device, except for the in-place ops ({@link #addBias},
 * {@link #adamW}, {@link #sgd}, {@link #scaleInPlace}). Implementations agree to float rounding
 * (the CPU kernels are the reference for rounding; the composed and OpenCL versions sum in other
 * orders) and share the NaN rules of the CPU kernels.
 *
 * <h2>Equations and shapes</h2>
 * <pre>
 * attention   S = q k^T * scale  (+ -inf where masked),  P = softmax_rows(S),  Pd = P * keep * dropScale,  out = Pd v
 *             q [B, H, Tq, d], k, v [B, H, Tk, d], keyPadding [B, Tk] (nonzero = masked) or null;
 *             causal: query i sees keys j &lt;= i + Tk - Tq; a row with every key masked gets P = 0
 *   backward  dv = Pd^T g,  dPd = g v^T,  dP = dPd * keep * dropScale,  dS = P * (dP - rowsum(dP * P)) * scale,
 *             dq = dS k,  dk = dS^T q
 * layerNorm   y = (x - mu) * rstd * w + b,  mu = mean(x),  rstd = 1 / sqrt(mean((x - mu)^2) + eps)  over the last dim
 *             x [..., D], w, b [D]; saves mu, rstd [rows]
 *   backward  xhat = (x - mu) rstd,  dx = rstd (g w - mean(g w) - xhat mean(g w xhat)),  dw = sum_rows g xhat,  db = sum_rows g
 * crossEntropy  l_r = (1 - e)(lse_r - x_r[t_r]) + e (lse_r - mean_c x_r[c]),  loss = sum_{r: t_r != ignore} l_r / n
 *             logits [rows, C], target [rows] (host ints); grad = softmax(x_r) - (1 - e) onehot(t_r) - e / C  (0 on ignored rows)
 *   backward  dlogits = grad * g / n
 * dropout     x * keep * scale;  residual + x * keep * scale;  max(h, 0) * keep * scale;  backward of the last: h &gt; 0 ? g * keep * scale : 0
 * im2col      cols[n, (c, u, v), (i, j)] = x[n, c, i sh + u dh - ph, j sw + v dw - pw]  (0 outside);  col2im is its adjoint (sums)
 * maxPool2d   y[n, c, i, j] = max_{u, v} x[n, c, i sh + u - ph, j sw + v - pw] (first maximal element; padding never wins),
 *             argmax = u kw + v of that element;  backward adds g to that element
 * avgPool2d   y = sum_{u, v} x[...] / (kh kw)  (padding counts as 0);  backward spreads g / (kh kw) over the window
 * addBias     y[o, c, i] += bias[c]  with y viewed as [outer, C, inner] around dim {@code axis}
 * columnSums  g [rows, cols] -&gt; [cols]
 * adamW       p = p decay - stepSize m / (sqrt(v) invSqrtBc2 + eps),  m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2
 * sgd         g' = g + wd p;  b = first ? g' : mu b + g';  g'' = nesterov ? g' + mu b : b  (no momentum: g'' = g');  p -= lr g''
 * sumOfSquares  sum over all tensors of x^2 (a host double);  scaleInPlace  x *= factor
 * </pre>
 *
 * <pre>{@code
 * FusedOps f = x.backend().fused();
 * FusedOps.LayerNormResult r = f.layerNorm(x, w, b, 1e-5f);          // r.y() [..., D]
 * Tensor[] grads = f.layerNormBackward(r, g, true, true, true);      // {dx, dw, db}
 * }</pre>
 */
public interface FusedOps {

    // ------------------------------------------------------------------ records

    /**
     * A dropout mask: {@code keep} holds 0/1 values (1 = element kept) in the shape of the tensor
     * it applies to, {@code scale} is {@code 1 / (1 - p)}. An element is multiplied by
     * {@code keep * scale}.
     */
    record DropMask(Tensor keep, float scale) {}

    /** Attention forward: {@code out [B, H, Tq, d]} and what the backward pass reads. */
    record AttentionResult(Tensor out, Tensor q, Tensor k, Tensor v, Tensor probs, Tensor probsUsed, DropMask drop, float scale) {}

    /** Layer norm forward: {@code y} and the saved input (contiguous), weight and row statistics {@code [rows]}. */
    record LayerNormResult(Tensor y, Tensor x, Tensor w, Tensor mean, Tensor rstd) {}

    /**
     * Cross-entropy forward: the mean {@code loss} (rank 0), the unscaled gradient {@code grad}
     * {@code [rows, C]} and {@code count}, the number of rows that count ({@code n}).
     */
    record CrossEntropyResult(Tensor loss, Tensor grad, int count) {}

    /** Max pooling forward: {@code out [N, C, Ho, Wo]} and the window offset {@code u kw + v} of each maximum (as floats). */
    record MaxPoolResult(Tensor out, Tensor argmax) {}

    /**
     * The geometry of a 2-D window op on {@code [n, c, h, w]}: kernel {@code kh x kw}, stride,
     * zero padding and dilation; output {@code ho x wo}.
     */
    record Window2d(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        public int ho() {
            return (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        }

        public int wo() {
            return (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        }
    }

    /** AdamW hyperparameters of one step (see the class comment for the update). */
    record AdamWStep(float decay, float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {}

    /** SGD hyperparameters of one step; {@code first} marks step 1 (the momentum buffer starts as the gradient). */
    record SgdStep(float lr, float momentum, float weightDecay, boolean nesterov, boolean first) {}

    // ------------------------------------------------------------------ attention

    /**
     * Masked scaled-dot-product attention with optional dropout on the probabilities.
     *
     * @param q [B, H, Tq, d]
     * @param k [B, H, Tk, d]
     * @param v [B, H, Tk, d]
     * @param keyPadding [B, Tk], nonzero = masked, or null
     * @param causal mask keys {@code j > i + Tk - Tq}
     * @param drop keep mask [B, H, Tq, Tk] and scale, or null
     * @param scale the score scale, usually {@code 1 / sqrt(d)}
     */
    AttentionResult attention(Tensor q, Tensor k, Tensor v, Tensor keyPadding, boolean causal, DropMask drop, float scale);

    /** {@code {dq, dk, dv}} for the output gradient {@code g [B, H, Tq, d]} (null where not wanted). */
    Tensor[] attentionBackward(AttentionResult fwd, Tensor g, boolean wantQ, boolean wantK, boolean wantV);

    // ------------------------------------------------------------------ layer norm

    /** Layer norm over the last dim: {@code x [..., D]}, {@code w, b [D]}. */
    LayerNormResult layerNorm(Tensor x, Tensor w, Tensor b, float eps);

    /** {@code {dx, dw, db}} for {@code g} shaped like {@code y} (null where not wanted). */
    Tensor[] layerNormBackward(LayerNormResult fwd, Tensor g, boolean needX, boolean needW, boolean needB);

    // ------------------------------------------------------------------ cross-entropy

    /**
     * Softmax cross-entropy with label smoothing {@code e} and an ignore index. Every target is
     * in {@code [0, C)} or {@code ignoreIndex} (the caller checks); with no counted row the loss
     * is NaN (0/0).
     *
     * @param logits [rows, C]
     * @param target [rows], on the host
     */
    CrossEntropyResult crossEntropy(Tensor logits, IntTensor target, float smoothing, int ignoreIndex);

    /** {@code dlogits [rows, C] = grad * g / count} for the scalar upstream gradient {@code g}. */
    Tensor crossEntropyBackward(CrossEntropyResult fwd, Tensor g);

    // ------------------------------------------------------------------ dropout

    /** {@code x * keep * scale}. */
    Tensor dropout(Tensor x, DropMask m);

    /** {@code residual + x * keep * scale} (same shapes). */
    Tensor addDropout(Tensor residual, Tensor x, DropMask m);

    /** {@code max(h, 0) * keep * scale}. */
    Tensor reluDropout(Tensor h, DropMask m);

    /** Gradient of {@link #reluDropout}: {@code h > 0 ? g * keep * scale : 0}. */
    Tensor reluDropoutBackward(Tensor g, Tensor h, DropMask m);

    // ------------------------------------------------------------------ convolution and pooling

    /** {@code x [N, C, H, W]} -> {@code cols [N, C kh kw, Ho Wo]}. */
    Tensor im2col(Tensor x, Window2d geo);

    /** Adjoint of {@link #im2col}: {@code cols [N, C kh kw, Ho Wo]} -> {@code [N, C, H, W]}. */
    Tensor col2im(Tensor cols, Window2d geo);

    /** Max pooling of {@code x [N, C, H, W]} (dilation 1; every window holds at least one input element). */
    MaxPoolResult maxPool2d(Tensor x, Window2d geo);

    /** {@code dx [N, C, H, W]} for {@code g [N, C, Ho, Wo]}. */
    Tensor maxPool2dBackward(MaxPoolResult fwd, Tensor g, Window2d geo);

    /** Average pooling of {@code x [N, C, H, W]}, padding counted (dilation 1). */
    Tensor avgPool2d(Tensor x, Window2d geo);

    /** {@code dx [N, C, H, W]} for {@code g [N, C, Ho, Wo]}. */
    Tensor avgPool2dBackward(Tensor g, Window2d geo);

    // ------------------------------------------------------------------ bias

    /**
     * {@code y + bias} with {@code bias [C]} along dim {@code axis} of {@code y}. {@code y} must be
     * a fresh contiguous tensor the caller owns (a matrix product's result): implementations may
     * add in place and return it.
     */
    Tensor addBias(Tensor y, Tensor bias, int axis);

    /** Column sums of {@code g [rows, cols]} -> {@code [cols]} (the bias gradient of a linear map). */
    Tensor columnSums(Tensor g);

    // ------------------------------------------------------------------ optimizers and gradients

    /**
     * One AdamW update in place on every {@code params[i]}, {@code expAvg[i]}, {@code expAvgSq[i]}
     * (contiguous, same shape as {@code grads[i]}).
     */
    void adamW(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvg, List<Tensor> expAvgSq, AdamWStep step);

    /** One SGD update in place on {@code params[i]} and {@code momentumBuffers[i]} ({@code momentumBuffers} null without momentum). */
    void sgd(List<Tensor> params, List<Tensor> grads, List<Tensor> momentumBuffers, SgdStep step);

    /** {@code sum_i sum(xs[i]^2)}, read back to the host once. */
    double sumOfSquares(List<Tensor> xs);

    /** {@code x *= factor} in place for every (dense) {@code x}. */
    void scaleInPlace(List<Tensor> xs, float factor);
}
