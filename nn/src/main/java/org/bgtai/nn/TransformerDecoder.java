package org.bgtai.nn;

import java.util.ArrayList;
import java.util.List;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * A stack of {@link TransformerDecoderLayer}s with an optional final LayerNorm (PyTorch
 * {@code nn.TransformerDecoder}). Keys: {@code layers.0.*}, ..., {@code norm.*}.
 * Shapes: {@code x [B, T, D]}, {@code memory [B, S, D]} -> {@code [B, T, D]}.
 *
 * <p>For generation, {@link #newCache()} and {@link #forwardStep} feed one (or a few) new
 * positions at a time; the output equals the matching rows of the full causal forward pass.
 * <pre>{@code
 * TransformerDecoder.Cache cache = dec.newCache();
 * for (int t = 0; t < maxLen; t++) {
 *     Var h = dec.forwardStep(embed(lastToken), memory, null, cache);   // [B, 1, D]
 *     ...
 * }
 * }</pre>
 */
public final class TransformerDecoder extends Module {
    private final ModuleList<TransformerDecoderLayer> layers;
    private final LayerNorm norm;

    /** Per-layer key/value caches for incremental decoding. */
    public static final class Cache {
        final List<KvCache> self = new ArrayList<>(), cross = new ArrayList<>();

        Cache(int n) {
            for (int i = 0; i < n; i++) {
                self.add(new KvCache());
                cross.add(new KvCache());
            }
        }

        /** Number of positions decoded so far. */
        public int length() {
            return self.get(0).length();
        }

        /** Reorders / selects batch rows of every layer's caches (see {@link KvCache#reorder}). */
        public void reorder(org.bgtai.tensor.IntTensor rows) {
            self.forEach(c -> c.reorder(rows));
            cross.forEach(c -> c.reorder(rows));
        }

        /** Forgets all positions and the memory (start a new batch). */
        public void clear() {
            self.forEach(KvCache::clear);
            cross.forEach(KvCache::clear);
        }
    }

    public TransformerDecoder(TransformerConfig cfg, int numLayers, boolean finalNorm, Rng rng) {
        if (numLayers <= 0) throw new IllegalArgumentException("TransformerDecoder needs at least one layer, got " + numLayers);
        layers = registerModule("layers", new ModuleList<>());
        for (int i = 0; i < numLayers; i++) layers.add(new TransformerDecoderLayer(cfg, rng));
        norm = finalNorm ? registerModule("norm", new LayerNorm(cfg.dModel(), cfg.layerNormEps())) : null;
    }

    /**
     * @param x [B, T, D]
     * @param memory [B, S, D]
     * @param tgtPadding [B, T] or null
     * @param memoryPadding [B, S] or null
     * @param causal mask later target positions
     * @return [B, T, D]
     */
    public Var forward(Var x, Var memory, Tensor tgtPadding, Tensor memoryPadding, boolean causal) {
        for (TransformerDecoderLayer l : layers) x = l.forward(x, memory, tgtPadding, memoryPadding, causal);
        return norm == null ? x : norm.forward(x);
    }

    public Cache newCache() {
        return new Cache(layers.size());
    }

    /** @param x [B, n, D] the next positions @return [B, n, D] */
    public Var forwardStep(Var x, Var memory, Tensor memoryPadding, Cache cache) {
        for (int i = 0; i < layers.size(); i++) x = layers.get(i).forwardStep(x, memory, memoryPadding, cache.self.get(i), cache.cross.get(i));
        return norm == null ? x : norm.forward(x);
    }

    public ModuleList<TransformerDecoderLayer> layers() {
        return layers;
    }
}
