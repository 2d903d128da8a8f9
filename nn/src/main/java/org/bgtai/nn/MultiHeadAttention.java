package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Multi-head attention with PyTorch's packed projection layout ({@code nn.MultiheadAttention},
 * {@code batch_first=True}):
 * {@code q = query Wq^T + bq, k = key Wk^T + bk, v = value Wv^T + bv} with
 * {@code in_proj_weight = [Wq; Wk; Wv]} ({@code [3D, D]}) and {@code in_proj_bias [3D]}; each of
 * {@code H} heads attends with {@link Attention#scaledDotProduct}, and the concatenated heads go
 * through {@code out_proj} ({@code [D, D]} + bias). As in PyTorch, self-attention (query, key and
 * value the same {@link Var}) projects q, k and v with one matrix product
 * ({@link Attention#packedSelfAttention}), and attention on one memory (key and value the same)
 * projects k and v with one ({@link Attention#packedCrossAttention}).
 *
 * <p>Shapes: {@code query [B, Tq, D]}, {@code key, value [B, Tk, D]}, key padding mask
 * {@code [B, Tk]} (nonzero = ignore) -> {@code [B, Tq, D]}. State-dict keys:
 * {@code in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias}.
 *
 * <pre>{@code
 * MultiHeadAttention mha = new MultiHeadAttention(16, 4, 0f, new Rng(0));
 * Var y = mha.forward(x, null, true);   // causal self-attention, [B, T, 16]
 * }</pre>
 */
public final class MultiHeadAttention extends Module {
    private final int dim, heads;
    private final Parameter inProjWeight, inProjBias;
    private final Linear outProj;
    private final Dropout dropout;

    /** Xavier-uniform {@code in_proj_weight}, zero biases, as PyTorch initialises it. */
    public MultiHeadAttention(int dim, int heads, float dropout, Rng rng) {
        if (heads <= 0 || dim % heads != 0)
            throw new IllegalArgumentException("MultiHeadAttention: embed dim " + dim + " must be divisible by the number of heads " + heads);
        this.dim = dim;
        this.heads = heads;
        this.inProjWeight = registerParameter("in_proj_weight", new Parameter(Init.xavierUniform(rng, 3 * dim, dim)));
        this.inProjBias = registerParameter("in_proj_bias", new Parameter(Tensor.zeros(3 * dim)));
        this.outProj = registerModule("out_proj", new Linear(dim, dim, true, rng));
        outProj.bias().value().fill(0f);
        this.dropout = registerModule("attn_dropout", new Dropout(dropout, rng.fork()));
    }

    public int dim() {
        return dim;
    }

    public int heads() {
        return heads;
    }

    /** Self-attention: {@code x [B, T, D]} attends to itself. */
    public Var forward(Var x, Tensor keyPadding, boolean causal) {
        return forward(x, x, x, keyPadding, causal);
    }

    /**
     * @param query [B, Tq, D]
     * @param key [B, Tk, D]
     * @param value [B, Tk, D]
     * @param keyPadding [B, Tk] nonzero = ignore, or null
     * @param causal mask keys after each query position
     * @return [B, Tq, D]
     */
    public Var forward(Var query, Var key, Var value, Tensor keyPadding, boolean causal) {
        checkInput("query", query);
        checkInput("key", key);
        checkInput("value", value);
        if (query == key && key == value) {
            // self-attention: one projection for q, k and v (PyTorch's packed in_proj)
            Var qkv = Linear.linear(query, inProjWeight.var(), inProjBias.var());
            return outProj.forward(mergeHeads(Attention.packedSelfAttention(qkv, heads, keyPadding, causal, dropout)));
        }
        if (key == value) {
            // cross-attention on one memory: one projection for k and v
            Var kv = Linear.linear(key, inProjWeight.var().narrow(0, dim, 2 * dim), inProjBias.var().narrow(0, dim, 2 * dim));
            return outProj.forward(mergeHeads(Attention.packedCrossAttention(project(query, 0), kv, heads, keyPadding, causal, dropout)));
        }
        Var q = splitHeads(project(query, 0));
        Var k = splitHeads(project(key, 1));
        Var v = splitHeads(project(value, 2));
        return outProj.forward(mergeHeads(Attention.scaledDotProduct(q, k, v, keyPadding, causal, dropout)));
    }

    /**
     * One decoding step with cached keys and values (no causal mask needed: the cache only holds
     * earlier positions).
     *
     * @param query [B, Tq, D] the new positions
     * @param source for self-attention the same new positions, for cross-attention the encoder memory [B, S, D]
     * @param cache this layer's cache, updated in place
     * @param selfAttention append the new keys/values (true) or compute them from {@code source} once (false)
     * @param keyPadding [B, Tk] for cross-attention, or null
     * @return [B, Tq, D]
     */
    public Var forwardCached(Var query, Var source, KvCache cache, boolean selfAttention, Tensor keyPadding) {
        checkInput("query", query);
        Var q = splitHeads(project(query, 0));
        if (selfAttention) cache.append(splitHeads(project(source, 1)), splitHeads(project(source, 2)));
        else if (cache.isEmpty()) cache.set(splitHeads(project(source, 1)), splitHeads(project(source, 2)));
        Var o = Attention.scaledDotProduct(q, cache.keys(), cache.values(), keyPadding, false, dropout);
        return outProj.forward(mergeHeads(o));
    }

    private void checkInput(String what, Var x) {
        if (x.dim() != 3 || x.size(2) != dim)
            throw new IllegalArgumentException("MultiHeadAttention(" + dim + "): " + what + " must be [batch, time, " + dim + "], got " + Shape.str(x.shape()));
    }

    /** {@code x W_i^T + b_i} with the i-th block (0 = q, 1 = k, 2 = v) of the packed projection. */
    private Var project(Var x, int i) {
        Var w = inProjWeight.var().narrow(0, i * dim, dim);
        Var b = inProjBias.var().narrow(0, i * dim, dim);
        return Linear.linear(x, w, b);
    }

    private Var splitHeads(Var x) {
        int b = x.size(0), t = x.size(1);
        return x.reshape(b, t, heads, dim / heads).permute(0, 2, 1, 3);
    }

    private Var mergeHeads(Var x) {
        int b = x.size(0), t = x.size(2);
        return x.permute(0, 2, 1, 3).reshape(b, t, dim);
    }

    public Parameter inProjWeight() {
        return inProjWeight;
    }

    public Parameter inProjBias() {
        return inProjBias;
    }

    public Linear outProj() {
        return outProj;
    }
}
