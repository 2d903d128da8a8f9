package org.bgtai.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.langue2gloss.L2GConfig;

/**
 * Sizes and switches of the joint audio/text/gloss/image model. Both variants share the
 * universal language encoder ({@link org.bgtai.langue2gloss.Langue2Gloss}'s encoder), the image
 * encoder and the embedding size; BGTAI adds the gloss decoder and the gloss encoder.
 *
 * @param variant       {@link Variant#UNIBRIVL}: language embedding straight from the encoder;
 *                      {@link Variant#BGTAI}: language -> gloss (decoder) -> gloss embedding
 * @param dModel        width of the universal language encoder (and the gloss encoder)
 * @param heads         attention heads
 * @param ffDim         feed-forward width
 * @param layers        language encoder layers
 * @param decoderLayers gloss decoder layers (BGTAI)
 * @param glossLayers   gloss encoder layers (BGTAI)
 * @param dropout       dropout in the language encoder and decoder
 * @param embedDim      shared embedding width (InfoNCE space)
 * @param sampleRate    audio rate of the log-mel front end (Hz)
 * @param nFft          STFT size
 * @param hop           STFT hop
 * @param nMels         mel bands
 * @param imageChannels 1 (MNIST) or 3 (world)
 * @param cnnWidths     channels of the image CNN's conv blocks (each conv 3x3 + ReLU + 2x2 max-pool but the last)
 * @param maxText       longest text in tokens
 * @param maxGloss      longest gloss in tokens
 * @param maxLen        most encoder positions (text tokens, or audio frames / 4)
 * @param temperature   initial InfoNCE temperature (learned)
 * @param textImage     UniBriVL: train text<->image InfoNCE as well as audio<->image; BGTAI: train text->gloss as well as audio->gloss
 * @param glossWeight   weight {@code c} of the gloss cross-entropy (BGTAI)
 * @param beam          beam size of BGTAI's gloss decoding at inference (1 = greedy; length penalty {@link #LENGTH_PENALTY})
 * @param cmvn          per-utterance mean normalisation of the log-mel: each mel band minus its mean over the clip's frames,
 *                      removing a fixed spectral tilt (microphone, room, voice) before the global normalisation
 */
public record ModelConfig(Variant variant, int dModel, int heads, int ffDim, int layers, int decoderLayers, int glossLayers, float dropout,
                          int embedDim, int sampleRate, int nFft, int hop, int nMels, int imageChannels, int[] cnnWidths, int maxText, int maxGloss,
                          int maxLen, float temperature, boolean textImage, float glossWeight, int beam, boolean cmvn) {
    /** The two model variants. */
    public enum Variant { UNIBRIVL, BGTAI }

    public ModelConfig {
        if (dModel <= 0 || heads <= 0 || dModel % heads != 0) throw new IllegalArgumentException("dModel " + dModel + " must be a positive multiple of heads " + heads);
        if (layers <= 0 || decoderLayers <= 0 || glossLayers <= 0 || embedDim <= 0 || nMels <= 0 || cnnWidths.length == 0)
            throw new IllegalArgumentException("layers, decoderLayers, glossLayers, embedDim, nMels and cnnWidths must be positive/non-empty");
        if (maxText <= 0 || maxGloss <= 0 || maxLen < 8) throw new IllegalArgumentException("maxText and maxGloss must be >= 1 and maxLen >= 8");
        if (beam < 1) throw new IllegalArgumentException("beam size must be >= 1 (1 = greedy), got " + beam);
    }

    /** GNMT length penalty {@code alpha} of beam decoding (as {@code l2g}'s default). */
    public static final double LENGTH_PENALTY = 1.0;

    /** Beam size of a new model's decoding. */
    public static final int DEFAULT_BEAM = 4;

    /** The built-in world's default: small and fast on 2 cores. */
    public static ModelConfig world(Variant v) {
        return new ModelConfig(v, 64, 4, 128, 2, 1, 1, 0f, 64, 8000, 256, 80, 40, 3, new int[] {16, 32, 64, 64}, 16, 3, 64, 0.07f, true, 1f, DEFAULT_BEAM, false);
    }

    /** AV-Digits and digit strings (MNIST images, FSDD audio, strings of up to 5 digits with long silences). */
    public static ModelConfig digits(Variant v) {
        return new ModelConfig(v, 64, 4, 128, 2, 1, 1, 0.1f, 64, 8000, 256, 80, 40, 1, new int[] {8, 16, 32}, 24, 5, 512, 0.07f, true, 1f, DEFAULT_BEAM, false);
    }

    /**
     * A user's own paired data ({@code --data pairs:FILE}): RGB images resized to 32 x 32 (the
     * world's image tower), texts of up to 24 tokens, glosses of up to 8, clips of up to about 20 s
     * at 8 kHz (512 encoder positions).
     */
    public static ModelConfig pairs(Variant v) {
        return new ModelConfig(v, 64, 4, 128, 2, 1, 1, 0.1f, 64, 8000, 256, 80, 40, 3, new int[] {16, 32, 64, 64}, 24, 8, 512, 0.07f, true, 1f, DEFAULT_BEAM, false);
    }

    /**
     * PHOENIX-2014T sentences with weather maps ({@code org.bgtai.data.WeatherMaps}, 32 x 32 RGB):
     * text only (the audio front end is built but unused), sentences up to 52 words and glosses
     * up to 30 tokens; the world's image CNN; no text-image flag (text is the only language input).
     * The language side (d 64, 4 heads, FF 256, 2 + 2 layers, dropout 0.1) is the small PHOENIX
     * translator of {@code results/weather} ({@code bin/bgtai l2g train --d-model 64 --ff 256
     * --encoder-layers 2 --decoder-layers 2 --dropout 0.1}), so that runs from scratch and runs
     * started from it ({@code --language-init}) have the same architecture.
     */
    public static ModelConfig weather(Variant v) {
        return new ModelConfig(v, 64, 4, 256, 2, 2, 1, 0.1f, 64, 8000, 256, 80, 40, 3, new int[] {16, 32, 64, 64}, 56, 32, 64, 0.07f, false, 1f, DEFAULT_BEAM, false);
    }

    /**
     * This config with the language side's sizes of a Langue2Gloss model ({@code dModel}, heads,
     * FF width, encoder and decoder layers, dropout, positions), so that its weights fit.
     */
    public ModelConfig withLanguage(L2GConfig l) {
        return new ModelConfig(variant, l.dModel(), l.heads(), l.ffDim(), l.encoderLayers(), Math.max(1, l.decoderLayers()), glossLayers, l.dropout(), embedDim,
            sampleRate, nFft, hop, nMels, imageChannels, cnnWidths, maxText, maxGloss, Math.max(maxLen, l.maxLen()), temperature, textImage, glossWeight, beam, cmvn);
    }

    public ModelConfig withVariant(Variant v) {
        return new ModelConfig(v, dModel, heads, ffDim, layers, decoderLayers, glossLayers, dropout, embedDim, sampleRate, nFft, hop, nMels, imageChannels,
            cnnWidths, maxText, maxGloss, maxLen, temperature, textImage, glossWeight, beam, cmvn);
    }

    public ModelConfig withSizes(int dModel, int heads, int ffDim, int layers, int embedDim) {
        return new ModelConfig(variant, dModel, heads, ffDim, layers, decoderLayers, glossLayers, dropout, embedDim, sampleRate, nFft, hop, nMels, imageChannels,
            cnnWidths, maxText, maxGloss, maxLen, temperature, textImage, glossWeight, beam, cmvn);
    }

    /** The log-mel hop (samples between frames). */
    public ModelConfig withHop(int hop) {
        return new ModelConfig(variant, dModel, heads, ffDim, layers, decoderLayers, glossLayers, dropout, embedDim, sampleRate, nFft, hop, nMels, imageChannels,
            cnnWidths, maxText, maxGloss, maxLen, temperature, textImage, glossWeight, beam, cmvn);
    }

    public ModelConfig withGlossWeight(float c) {
        return new ModelConfig(variant, dModel, heads, ffDim, layers, decoderLayers, glossLayers, dropout, embedDim, sampleRate, nFft, hop, nMels, imageChannels,
            cnnWidths, maxText, maxGloss, maxLen, temperature, textImage, c, beam, cmvn);
    }

    public ModelConfig withTextImage(boolean on) {
        return new ModelConfig(variant, dModel, heads, ffDim, layers, decoderLayers, glossLayers, dropout, embedDim, sampleRate, nFft, hop, nMels, imageChannels,
            cnnWidths, maxText, maxGloss, maxLen, temperature, on, glossWeight, beam, cmvn);
    }

    /** Decodes BGTAI's gloss with beam size {@code k} (1 = greedy). */
    public ModelConfig withBeam(int k) {
        return new ModelConfig(variant, dModel, heads, ffDim, layers, decoderLayers, glossLayers, dropout, embedDim, sampleRate, nFft, hop, nMels, imageChannels,
            cnnWidths, maxText, maxGloss, maxLen, temperature, textImage, glossWeight, k, cmvn);
    }

    /** Per-utterance mean normalisation of the log-mel on or off. */
    public ModelConfig withCmvn(boolean on) {
        return new ModelConfig(variant, dModel, heads, ffDim, layers, decoderLayers, glossLayers, dropout, embedDim, sampleRate, nFft, hop, nMels, imageChannels,
            cnnWidths, maxText, maxGloss, maxLen, temperature, textImage, glossWeight, beam, on);
    }

    /** The universal language encoder (and, for BGTAI, its gloss decoder) as a Langue2Gloss config. */
    public L2GConfig language(int textVocab, int glossVocab) {
        return new L2GConfig(textVocab, glossVocab, dModel, heads, ffDim, layers, variant == Variant.BGTAI ? decoderLayers : 0, dropout, true, maxLen, nMels);
    }

    /** JSON-ready form, read back by {@link #fromJson}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", variant.name());
        m.put("dModel", dModel);
        m.put("heads", heads);
        m.put("ffDim", ffDim);
        m.put("layers", layers);
        m.put("decoderLayers", decoderLayers);
        m.put("glossLayers", glossLayers);
        m.put("dropout", (double) dropout);
        m.put("embedDim", embedDim);
        m.put("sampleRate", sampleRate);
        m.put("nFft", nFft);
        m.put("hop", hop);
        m.put("nMels", nMels);
        m.put("imageChannels", imageChannels);
        List<Object> w = new ArrayList<>();
        for (int x : cnnWidths) w.add(x);
        m.put("cnnWidths", w);
        m.put("maxText", maxText);
        m.put("maxGloss", maxGloss);
        m.put("maxLen", maxLen);
        m.put("temperature", (double) temperature);
        m.put("textImage", textImage);
        m.put("glossWeight", (double) glossWeight);
        m.put("beam", beam);
        m.put("cmvn", cmvn);
        return m;
    }

    /** The inverse of {@link #toJson()}; errors name the missing or mistyped field. */
    public static ModelConfig fromJson(Map<?, ?> m) {
        try {
            List<?> w = (List<?>) m.get("cnnWidths");
            int[] widths = new int[w.size()];
            for (int i = 0; i < widths.length; i++) widths[i] = ((Number) w.get(i)).intValue();
            return new ModelConfig(Variant.valueOf((String) m.get("variant")), i(m, "dModel"), i(m, "heads"), i(m, "ffDim"), i(m, "layers"),
                i(m, "decoderLayers"), i(m, "glossLayers"), (float) d(m, "dropout"), i(m, "embedDim"), i(m, "sampleRate"), i(m, "nFft"), i(m, "hop"),
                i(m, "nMels"), i(m, "imageChannels"), widths, i(m, "maxText"), i(m, "maxGloss"), i(m, "maxLen"), (float) d(m, "temperature"),
                (Boolean) m.get("textImage"), (float) d(m, "glossWeight"),
                // models written before these fields decoded greedily without per-utterance normalisation
                m.containsKey("beam") ? i(m, "beam") : 1, m.containsKey("cmvn") && (Boolean) m.get("cmvn"));
        } catch (NullPointerException | ClassCastException | IllegalArgumentException e) {
            throw new IllegalArgumentException("model config is missing a field or has a wrong type (written by an older version?): " + m, e);
        }
    }

    private static int i(Map<?, ?> m, String k) {
        return ((Number) m.get(k)).intValue();
    }

    private static double d(Map<?, ?> m, String k) {
        return ((Number) m.get(k)).doubleValue();
    }
}
