package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * One encoder layer (PyTorch {@code nn.TransformerEncoderLayer}, {@code batch_first=True}):
 * <pre>
 * post-norm: x = norm1(x + dropout1(self_attn(x)));  x = norm2(x + dropout2(ff(x)))
 * pre-norm:  x = x + dropout1(self_attn(norm1(x)));  x = x + dropout2(ff(norm2(x)))
 * ff(x) = linear2(dropout(activation(linear1(x))))
 * </pre>
 * Shapes: {@code x [B, T, D]}, key padding mask {@code [B, T]} (nonzero = pad) -> {@code [B, T, D]}.
 * State-dict keys: {@code self_attn.*, linear1.*, linear2.*, norm1.*, norm2.*}.
 *
 * <pre>{@code
 * var layer = new TransformerEncoderLayer(TransformerConfig.of(16, 4, 32, 0f), new Rng(0));
 * Var y = layer.forward(x, null, false);
 * }</pre>
 */
public final class TransformerEncoderLayer extends Module {
    private final TransformerConfig cfg;
    private final MultiHeadAttention selfAttn;
    private final Linear linear1, linear2;
    private final Dropout dropout, dropout1, dropout2;
    private final LayerNorm norm1, norm2;

    public TransformerEncoderLayer(TransformerConfig cfg, Rng rng) {
        this.cfg = cfg;
        int d = cfg.dModel();
        selfAttn = registerModule("self_attn", new MultiHeadAttention(d, cfg.heads(), cfg.dropout(), rng));
        linear1 = registerModule("linear1", new Linear(d, cfg.ffDim(), true, rng));
        dropout = registerModule("dropout", new Dropout(cfg.dropout(), rng.fork()));
        linear2 = registerModule("linear2", new Linear(cfg.ffDim(), d, true, rng));
        norm1 = registerModule("norm1", new LayerNorm(d, cfg.layerNormEps()));
        norm2 = registerModule("norm2", new LayerNorm(d, cfg.layerNormEps()));
        dropout1 = registerModule("dropout1", new Dropout(cfg.dropout(), rng.fork()));
        dropout2 = registerModule("dropout2", new Dropout(cfg.dropout(), rng.fork()));
    }

    /**
     * @param x [B, T, D]
     * @param keyPadding [B, T] nonzero = padding, or null
     * @param causal mask later positions
     * @return [B, T, D]
     */
    public Var forward(Var x, Tensor keyPadding, boolean causal) {
        if (cfg.normFirst()) {
            x = dropout1.addTo(x, selfAttn.forward(norm1.forward(x), keyPadding, causal));
            return dropout2.addTo(x, ff(norm2.forward(x)));
        }
        x = norm1.forward(dropout1.addTo(x, selfAttn.forward(x, keyPadding, causal)));
        return norm2.forward(dropout2.addTo(x, ff(x)));
    }

    private Var ff(Var x) {
        return FeedForward.apply(x, linear1, cfg.activation(), dropout, linear2);
    }

    public TransformerConfig config() {
        return cfg;
    }
}
