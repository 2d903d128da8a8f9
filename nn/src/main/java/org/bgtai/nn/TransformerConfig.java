package org.bgtai.nn;

/**
 * Sizes and options of a transformer layer, with PyTorch's defaults
 * ({@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
 * activation=relu, layer_norm_eps=1e-5, norm_first=False)}).
 *
 * @param dModel model width D
 * @param heads attention heads (divide D)
 * @param ffDim feed-forward width
 * @param dropout dropout probability (attention weights, residual branches, feed-forward)
 * @param activation feed-forward activation
 * @param normFirst pre-norm ({@code x + f(norm(x))}) instead of post-norm ({@code norm(x + f(x))})
 * @param layerNormEps LayerNorm epsilon
 */
public record TransformerConfig(int dModel, int heads, int ffDim, float dropout, Activation activation, boolean normFirst, float layerNormEps) {
    public TransformerConfig {
        if (dModel <= 0 || heads <= 0 || dModel % heads != 0)
            throw new IllegalArgumentException("TransformerConfig: dModel " + dModel + " must be positive and divisible by heads " + heads);
        if (ffDim <= 0) throw new IllegalArgumentException("TransformerConfig: ffDim must be positive, got " + ffDim);
    }

    /** PyTorch's defaults for the given sizes (ReLU, post-norm, eps 1e-5). */
    public static TransformerConfig of(int dModel, int heads, int ffDim, float dropout) {
        return new TransformerConfig(dModel, heads, ffDim, dropout, Activation.RELU, false, 1e-5f);
    }

    public TransformerConfig withActivation(Activation a) {
        return new TransformerConfig(dModel, heads, ffDim, dropout, a, normFirst, layerNormEps);
    }

    public TransformerConfig withNormFirst(boolean nf) {
        return new TransformerConfig(dModel, heads, ffDim, dropout, activation, nf, layerNormEps);
    }
}
