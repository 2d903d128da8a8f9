package org.bgtai.langue2gloss;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Architecture of a {@link Langue2Gloss} model.
 *
 * @param srcVocab text vocabulary size
 * @param tgtVocab gloss vocabulary size
 * @param dModel model width {@code D}
 * @param heads attention heads (divides {@code D})
 * @param ffDim feed-forward width
 * @param encoderLayers encoder layers
 * @param decoderLayers decoder layers; 0 = encoder only (no gloss decoder: a joint model's UniBriVL variant)
 * @param dropout dropout on embeddings, attention weights, residual branches and feed-forward
 * @param tieEmbeddings the output projection reuses the gloss embedding matrix
 * @param maxLen longest sequence (positional table size); audio input may have up to {@code 4 * maxLen} frames
 *               (the front end downsamples time by 4)
 * @param nMels log-mel bands of the audio front end ({@code audio.*}, {@link org.bgtai.model.AudioEncoder}),
 *              or 0 for a text-only model (no audio parameters; the PHOENIX models)
 */
public record L2GConfig(int srcVocab, int tgtVocab, int dModel, int heads, int ffDim, int encoderLayers, int decoderLayers,
                        float dropout, boolean tieEmbeddings, int maxLen, int nMels) {
    /** A text-only model ({@code nMels = 0}). */
    public L2GConfig(int srcVocab, int tgtVocab, int dModel, int heads, int ffDim, int encoderLayers, int decoderLayers,
                     float dropout, boolean tieEmbeddings, int maxLen) {
        this(srcVocab, tgtVocab, dModel, heads, ffDim, encoderLayers, decoderLayers, dropout, tieEmbeddings, maxLen, 0);
    }

    public L2GConfig {
        if (srcVocab < 5 || tgtVocab < 5) throw new IllegalArgumentException("vocabularies need more than the 4 specials, got " + srcVocab + " and " + tgtVocab);
        if (dModel <= 0 || heads <= 0 || dModel % heads != 0) throw new IllegalArgumentException("d_model " + dModel + " must be a positive multiple of heads " + heads);
        if (ffDim <= 0 || encoderLayers <= 0 || decoderLayers < 0)
            throw new IllegalArgumentException("ff dim and encoder layers must be positive and decoder layers >= 0 (0 = encoder only), got " + ffDim + ", "
                + encoderLayers + ", " + decoderLayers);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        if (maxLen < 8) throw new IllegalArgumentException("maxLen must be >= 8, got " + maxLen);
        if (nMels < 0) throw new IllegalArgumentException("nMels must be >= 0 (0 = text only), got " + nMels);
    }

    /** Whether the model has a gloss decoder ({@code decoderLayers > 0}). */
    public boolean decodes() {
        return decoderLayers > 0;
    }

    /** Whether the model has the audio front end (reads {@link EncoderInput.Audio}). */
    public boolean audio() {
        return nMels > 0;
    }

    /** This config with an audio front end of {@code nMels} bands (0 removes it). */
    public L2GConfig withAudio(int nMels) {
        return new L2GConfig(srcVocab, tgtVocab, dModel, heads, ffDim, encoderLayers, decoderLayers, dropout, tieEmbeddings, maxLen, nMels);
    }

    /** The recipe used for PHOENIX-2014T (d 256, 4 heads, FF 1024, 3 + 3 layers, dropout 0.3, tied). */
    public static L2GConfig phoenix(int srcVocab, int tgtVocab) {
        return new L2GConfig(srcVocab, tgtVocab, 256, 4, 1024, 3, 3, 0.3f, true, 256);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("src_vocab", srcVocab);
        m.put("tgt_vocab", tgtVocab);
        m.put("d_model", dModel);
        m.put("heads", heads);
        m.put("ff_dim", ffDim);
        m.put("encoder_layers", encoderLayers);
        m.put("decoder_layers", decoderLayers);
        m.put("dropout", Double.parseDouble(Float.toString(dropout)));
        m.put("tie_embeddings", tieEmbeddings);
        m.put("max_len", maxLen);
        if (nMels > 0) m.put("n_mels", nMels);
        return m;
    }

    /** Reads {@link #toJson()}; a config without {@code n_mels} (written before the audio path existed) is text-only. */
    public static L2GConfig fromJson(Map<?, ?> m) {
        try {
            return new L2GConfig(num(m, "src_vocab"), num(m, "tgt_vocab"), num(m, "d_model"), num(m, "heads"), num(m, "ff_dim"),
                num(m, "encoder_layers"), num(m, "decoder_layers"), ((Number) m.get("dropout")).floatValue(),
                Boolean.TRUE.equals(m.get("tie_embeddings")), num(m, "max_len"), m.containsKey("n_mels") ? num(m, "n_mels") : 0);
        } catch (NullPointerException | ClassCastException e) {
            throw new IllegalArgumentException("model config is missing a field or has a wrong type: " + m, e);
        }
    }

    private static int num(Map<?, ?> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("model config field \"" + k + "\" is missing or not a number");
        return n.intValue();
    }
}
