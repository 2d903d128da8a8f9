package org.bgtai.model;

import org.bgtai.text.Vocab;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Embedding;
import org.bgtai.nn.Module;
import org.bgtai.nn.Parameter;
import org.bgtai.nn.SinusoidalPositionalEncoding;
import org.bgtai.nn.TransformerConfig;
import org.bgtai.nn.TransformerEncoder;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * The universal language encoder (spec item 1): one transformer encoder shared by text and
 * audio. Text: word embeddings; audio: the {@link AudioEncoder} front end. Both get a learned
 * modality embedding (switchable) and sinusoidal positions, then
 * <pre>
 *   o_1:N = Transformer(x + modality + pe),   h = mean over non-padded positions of o
 * </pre>
 *
 * <p>Shapes: text ids {@code [B, L]} (0 = pad), mel {@code [B, T, nMels]} with per-row frame
 * counts; out {@code o [B, N, D]}, {@code h [B, D]}, padding {@code [B, N]} (1 = pad).
 */
public final class LanguageEncoder extends Module {
    /** Encoder output: per-position features, pooled features and the padding mask (1 = pad). */
    public record Encoded(Var o, Var h, Tensor padding) {}

    private final AudioEncoder audio;
    private final Embedding text;
    private final Parameter modality;   // [2, D]: 0 = text, 1 = audio
    private final SinusoidalPositionalEncoding pe;
    private final TransformerEncoder encoder;
    private final boolean useModality;
    private final int dModel;

    public LanguageEncoder(ModelConfig c, int textVocab, Rng rng) {
        dModel = c.dModel();
        audio = registerModule("audio", new AudioEncoder(c.nMels(), c.dModel(), rng));
        text = registerModule("text", new Embedding(textVocab, c.dModel(), Vocab.PAD, rng));
        modality = registerParameter("modality", new Parameter(rng.normal(0, 0.02f, 2, c.dModel())));
        useModality = c.modalityEmbedding();
        pe = registerModule("pe", new SinusoidalPositionalEncoding(c.dModel(), 4096));
        encoder = registerModule("encoder", new TransformerEncoder(
            TransformerConfig.of(c.dModel(), c.heads(), c.ffDim(), c.dropout()).withNormFirst(true), c.layers(), true, rng));
    }

    public AudioEncoder audioFrontEnd() {
        return audio;
    }

    /** @param ids [B, L] token ids, 0 = pad */
    public Encoded encodeText(IntTensor ids) {
        int b = ids.size(0), l = ids.size(1);
        float[] pad = new float[b * l];
        for (int i = 0; i < pad.length; i++) pad[i] = ids.data()[i] == Vocab.PAD ? 1 : 0;
        for (int r = 0; r < b; r++) pad[r * l] = 0;   // never mask a whole row
        Var x = text.forward(ids).mul((float) Math.sqrt(dModel));
        return encode(x, Tensor.of(pad, b, l), 0);
    }

    /** @param mel [B, T, nMels] @param frames valid frames of each row (the rest is padding) */
    public Encoded encodeAudio(Tensor mel, int[] frames) {
        Var x = audio.forward(Var.of(mel));
        int b = x.size(0), n = x.size(1);
        float[] pad = new float[b * n];
        for (int r = 0; r < b; r++) {
            int valid = Math.max(1, AudioEncoder.outFrames(frames[r]));
            for (int t = valid; t < n; t++) pad[r * n + t] = 1;
        }
        return encode(x, Tensor.of(pad, b, n), 1);
    }

    private Encoded encode(Var x, Tensor padding, int mod) {
        if (useModality) x = x.add(modality.var().select(0, mod));
        x = pe.forward(x, 0);
        Var o = encoder.forward(x, padding);
        return new Encoded(o, maskedMean(o, padding), padding);
    }

    /** Mean over the non-padded positions: o [B, N, D], padding [B, N] -> [B, D]. */
    public static Var maskedMean(Var o, Tensor padding) {
        Tensor keep = padding.rsub(1f);   // [B, N]
        Tensor count = keep.sum(1, true);  // [B, 1]
        return o.mul(Var.of(keep.unsqueeze(2))).sum(1, false).div(Var.of(count));
    }
}
