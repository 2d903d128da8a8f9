package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * A stack of {@link TransformerEncoderLayer}s with an optional final LayerNorm (PyTorch
 * {@code nn.TransformerEncoder(layer, num_layers, norm)}). Keys: {@code layers.0.*}, ..., {@code norm.*}.
 * Shapes: {@code x [B, T, D]}, padding {@code [B, T]} -> {@code [B, T, D]}.
 *
 * <pre>{@code
 * var enc = new TransformerEncoder(TransformerConfig.of(16, 4, 32, 0f), 2, true, new Rng(0));
 * Var memory = enc.forward(x, null);
 * }</pre>
 */
public final class TransformerEncoder extends Module {
    private final ModuleList<TransformerEncoderLayer> layers;
    private final LayerNorm norm;

    public TransformerEncoder(TransformerConfig cfg, int numLayers, boolean finalNorm, Rng rng) {
        if (numLayers <= 0) throw new IllegalArgumentException("TransformerEncoder needs at least one layer, got " + numLayers);
        layers = registerModule("layers", new ModuleList<>());
        for (int i = 0; i < numLayers; i++) layers.add(new TransformerEncoderLayer(cfg, rng));
        norm = finalNorm ? registerModule("norm", new LayerNorm(cfg.dModel(), cfg.layerNormEps())) : null;
    }

    /** @param x [B, T, D] @param padding [B, T] nonzero = pad, or null @return [B, T, D] */
    public Var forward(Var x, Tensor padding) {
        for (TransformerEncoderLayer l : layers) x = l.forward(x, padding, false);
        return norm == null ? x : norm.forward(x);
    }

    public ModuleList<TransformerEncoderLayer> layers() {
        return layers;
    }
}
