package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Encoder-decoder transformer like {@code torch.nn.Transformer(batch_first=True)}: an encoder
 * stack with a final LayerNorm and a decoder stack with a final LayerNorm; every weight of rank
 * >= 2 is Xavier-uniform initialised. Keys: {@code encoder.layers.0.*}, {@code encoder.norm.*},
 * {@code decoder.layers.0.*}, {@code decoder.norm.*}. Embeddings and the output projection are the
 * caller's (as in PyTorch).
 *
 * <p>Shapes: {@code src [B, S, D]}, {@code tgt [B, T, D]} -> {@code [B, T, D]}.
 * <pre>{@code
 * var tr = new Transformer(TransformerConfig.of(256, 4, 1024, 0.1f), 3, 3, new Rng(0));
 * Var h = tr.forward(src, tgt, srcPad, tgtPad, true);   // tgt causal
 * }</pre>
 */
public final class Transformer extends Module {
    private final TransformerEncoder encoder;
    private final TransformerDecoder decoder;

    public Transformer(TransformerConfig cfg, int encoderLayers, int decoderLayers, Rng rng) {
        encoder = registerModule("encoder", new TransformerEncoder(cfg, encoderLayers, true, rng));
        decoder = registerModule("decoder", new TransformerDecoder(cfg, decoderLayers, true, rng));
        Init.xavierUniformAll(this, rng);
    }

    /**
     * @param src [B, S, D]
     * @param tgt [B, T, D]
     * @param srcPadding [B, S] or null (also used as the memory padding mask)
     * @param tgtPadding [B, T] or null
     * @param causal causal target mask
     * @return [B, T, D]
     */
    public Var forward(Var src, Var tgt, Tensor srcPadding, Tensor tgtPadding, boolean causal) {
        Var memory = encoder.forward(src, srcPadding);
        return decoder.forward(tgt, memory, tgtPadding, srcPadding, causal);
    }

    public TransformerEncoder encoder() {
        return encoder;
    }

    public TransformerDecoder decoder() {
        return decoder;
    }
}
