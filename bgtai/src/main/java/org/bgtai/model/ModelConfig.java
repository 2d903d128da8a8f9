package org.bgtai.model;

/**
 * Sizes and switches of the joint audio/text/gloss/image model.
 *
 * @param variant      {@link Variant#UNIBRIVL}: language embedding straight from the encoder;
 *                     {@link Variant#BGTAI}: language embedded through the predicted gloss
 * @param dModel       width of the universal language encoder
 * @param heads        attention heads
 * @param ffDim        feed-forward width
 * @param layers       encoder layers
 * @param dropout      dropout in the encoder
 * @param embedDim     shared embedding width (InfoNCE space)
 * @param sampleRate   audio rate of the log-mel front end (Hz)
 * @param nFft         STFT size
 * @param hop          STFT hop
 * @param nMels        mel bands
 * @param imageChannels 1 (MNIST) or 3 (world)
 * @param cnnWidths    channels of the image CNN's conv blocks (each conv 3x3 + ReLU + 2x2 max-pool but the last)
 * @param maxText      longest text in tokens
 * @param maxGloss     gloss slots of the gloss head
 * @param temperature  initial InfoNCE temperature (learned)
 * @param textImage    train text<->image InfoNCE as well as audio<->image
 * @param glossWeight  weight {@code c} of the gloss cross-entropy (BGTAI only)
 * @param modalityEmbedding add a learned modality embedding (audio / text) before the shared encoder
 */
public record ModelConfig(Variant variant, int dModel, int heads, int ffDim, int layers, float dropout, int embedDim,
                          int sampleRate, int nFft, int hop, int nMels, int imageChannels, int[] cnnWidths,
                          int maxText, int maxGloss, float temperature, boolean textImage, float glossWeight,
                          boolean modalityEmbedding) {
    /** The two model variants. */
    public enum Variant { UNIBRIVL, BGTAI }

    public ModelConfig {
        if (dModel <= 0 || heads <= 0 || dModel % heads != 0) throw new IllegalArgumentException("dModel " + dModel + " must be a positive multiple of heads " + heads);
        if (layers <= 0 || embedDim <= 0 || nMels <= 0 || cnnWidths.length == 0)
            throw new IllegalArgumentException("layers, embedDim, nMels and cnnWidths must be positive/non-empty");
        if (maxText <= 0 || maxGloss <= 0) throw new IllegalArgumentException("maxText and maxGloss must be >= 1");
    }

    /** The built-in world's default: small and fast on 2 cores. */
    public static ModelConfig world(Variant v) {
        return new ModelConfig(v, 64, 4, 128, 2, 0f, 64, 8000, 256, 80, 40, 3, new int[] {16, 32, 64}, 4, 3, 0.07f, true, 1f, true);
    }

    /** AV-Digits (MNIST images, FSDD audio of up to ~1 s, strings of up to 5 digits). */
    public static ModelConfig digits(Variant v) {
        return new ModelConfig(v, 64, 4, 128, 2, 0.1f, 64, 8000, 256, 80, 40, 1, new int[] {8, 16, 32}, 5, 5, 0.07f, true, 1f, true);
    }

    public ModelConfig withVariant(Variant v) {
        return new ModelConfig(v, dModel, heads, ffDim, layers, dropout, embedDim, sampleRate, nFft, hop, nMels, imageChannels, cnnWidths, maxText, maxGloss, temperature, textImage, glossWeight, modalityEmbedding);
    }

    public ModelConfig withSizes(int dModel, int heads, int ffDim, int layers, int embedDim) {
        return new ModelConfig(variant, dModel, heads, ffDim, layers, dropout, embedDim, sampleRate, nFft, hop, nMels, imageChannels, cnnWidths, maxText, maxGloss, temperature, textImage, glossWeight, modalityEmbedding);
    }
}
