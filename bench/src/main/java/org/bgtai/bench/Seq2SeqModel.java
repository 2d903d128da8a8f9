package org.bgtai.bench;

import org.bgtai.autograd.Var;
import org.bgtai.nn.Embedding;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.SinusoidalPositionalEncoding;
import org.bgtai.nn.Transformer;
import org.bgtai.nn.TransformerConfig;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;

/**
 * The benchmark's translation model, the same as {@code bench/train_step_torch.py}: token
 * embeddings scaled by {@code sqrt(D)} plus sinusoidal positions, {@code torch.nn.Transformer}
 * (encoder and decoder stacks with final LayerNorms) and an output projection with bias.
 * Keys: {@code src_embed.weight, tgt_embed.weight, transformer.*, generator.*}.
 *
 * <p>Shapes: {@code src [B, S]}, {@code tgt [B, T]} ids -> logits {@code [B, T, tgtVocab]}.
 */
public final class Seq2SeqModel extends Module {
    private final Embedding srcEmbed, tgtEmbed;
    private final Transformer transformer;
    private final Linear generator;
    private final SinusoidalPositionalEncoding positions;
    private final float embedScale;

    public Seq2SeqModel(int srcVocab, int tgtVocab, TransformerConfig cfg, int encoderLayers, int decoderLayers, Rng rng) {
        srcEmbed = registerModule("src_embed", new Embedding(srcVocab, cfg.dModel(), -1, rng));
        tgtEmbed = registerModule("tgt_embed", new Embedding(tgtVocab, cfg.dModel(), -1, rng));
        transformer = registerModule("transformer", new Transformer(cfg, encoderLayers, decoderLayers, rng));
        generator = registerModule("generator", new Linear(cfg.dModel(), tgtVocab, true, rng));
        positions = new SinusoidalPositionalEncoding(cfg.dModel(), 512);
        embedScale = (float) Math.sqrt(cfg.dModel());
    }

    /** @param src [B, S] @param tgt [B, T] @return logits [B, T, tgtVocab] (target side causal) */
    public Var forward(IntTensor src, IntTensor tgt) {
        Var s = positions.forward(srcEmbed.forward(src).mul(embedScale), 0);
        Var t = positions.forward(tgtEmbed.forward(tgt).mul(embedScale), 0);
        return generator.forward(transformer.forward(s, t, null, null, true));
    }
}
