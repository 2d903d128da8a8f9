package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * One decoder layer (PyTorch {@code nn.TransformerDecoderLayer}, {@code batch_first=True}):
 * <pre>
 * post-norm: x = norm1(x + dropout1(self_attn(x, causal)))
 *            x = norm2(x + dropout2(multihead_attn(x, memory)))
 *            x = norm3(x + dropout3(ff(x)))
 * pre-norm:  x = x + dropout1(self_attn(norm1(x))); x = x + dropout2(multihead_attn(norm2(x), memory));
 *            x = x + dropout3(ff(norm3(x)))
 * </pre>
 * Shapes: {@code x [B, T, D]}, {@code memory [B, S, D]}, masks {@code [B, T]} and {@code [B, S]}
 * (nonzero = pad) -> {@code [B, T, D]}. {@link #forwardStep} decodes new positions with a
 * {@link KvCache} per attention and gives the same result as the full causal forward pass.
 *
 * <pre>{@code
 * var layer = new TransformerDecoderLayer(TransformerConfig.of(16, 4, 32, 0f), new Rng(0));
 * Var y = layer.forward(tgt, memory, null, null, true);
 * }</pre>
 */
public final class TransformerDecoderLayer extends Module {
    private final TransformerConfig cfg;
    private final MultiHeadAttention selfAttn, crossAttn;
    private final Linear linear1, linear2;
    private final Dropout dropout, dropout1, dropout2, dropout3;
    private final LayerNorm norm1, norm2, norm3;

    public TransformerDecoderLayer(TransformerConfig cfg, Rng rng) {
        this.cfg = cfg;
        int d = cfg.dModel();
        selfAttn = registerModule("self_attn", new MultiHeadAttention(d, cfg.heads(), cfg.dropout(), rng));
        crossAttn = registerModule("multihead_attn", new MultiHeadAttention(d, cfg.heads(), cfg.dropout(), rng));
        linear1 = registerModule("linear1", new Linear(d, cfg.ffDim(), true, rng));
        dropout = registerModule("dropout", new Dropout(cfg.dropout(), rng.fork()));
        linear2 = registerModule("linear2", new Linear(cfg.ffDim(), d, true, rng));
        norm1 = registerModule("norm1", new LayerNorm(d, cfg.layerNormEps()));
        norm2 = registerModule("norm2", new LayerNorm(d, cfg.layerNormEps()));
        norm3 = registerModule("norm3", new LayerNorm(d, cfg.layerNormEps()));
        dropout1 = registerModule("dropout1", new Dropout(cfg.dropout(), rng.fork()));
        dropout2 = registerModule("dropout2", new Dropout(cfg.dropout(), rng.fork()));
        dropout3 = registerModule("dropout3", new Dropout(cfg.dropout(), rng.fork()));
    }

    /**
     * @param x [B, T, D] target-side input
     * @param memory [B, S, D] encoder output
     * @param tgtPadding [B, T] or null
     * @param memoryPadding [B, S] or null
     * @param causal mask later target positions (true for training a decoder)
     * @return [B, T, D]
     */
    public Var forward(Var x, Var memory, Tensor tgtPadding, Tensor memoryPadding, boolean causal) {
        if (cfg.normFirst()) {
            x = dropout1.addTo(x, selfAttn.forward(norm1.forward(x), tgtPadding, causal));
            Var h = norm2.forward(x);
            x = dropout2.addTo(x, crossAttn.forward(h, memory, memory, memoryPadding, false));
            return dropout3.addTo(x, ff(norm3.forward(x)));
        }
        x = norm1.forward(dropout1.addTo(x, selfAttn.forward(x, tgtPadding, causal)));
        x = norm2.forward(dropout2.addTo(x, crossAttn.forward(x, memory, memory, memoryPadding, false)));
        return norm3.forward(dropout3.addTo(x, ff(x)));
    }

    /**
     * Incremental decoding: {@code x [B, n, D]} are the next {@code n} positions; earlier
     * positions come from {@code selfCache}, the memory's keys/values from {@code crossCache}.
     */
    public Var forwardStep(Var x, Var memory, Tensor memoryPadding, KvCache selfCache, KvCache crossCache) {
        if (cfg.normFirst()) {
            Var h = norm1.forward(x);
            x = dropout1.addTo(x, selfAttn.forwardCached(h, h, selfCache, true, null));
            x = dropout2.addTo(x, crossAttn.forwardCached(norm2.forward(x), memory, crossCache, false, memoryPadding));
            return dropout3.addTo(x, ff(norm3.forward(x)));
        }
        x = norm1.forward(dropout1.addTo(x, selfAttn.forwardCached(x, x, selfCache, true, null)));
        x = norm2.forward(dropout2.addTo(x, crossAttn.forwardCached(x, memory, crossCache, false, memoryPadding)));
        return norm3.forward(dropout3.addTo(x, ff(x)));
    }

    private Var ff(Var x) {
        return FeedForward.apply(x, linear1, cfg.activation(), dropout, linear2);
    }

    public TransformerConfig config() {
        return cfg;
    }
}
