package org.bgtai.model;

import java.util.List;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Embedding;
import org.bgtai.nn.Module;
import org.bgtai.nn.SinusoidalPositionalEncoding;
import org.bgtai.nn.TransformerConfig;
import org.bgtai.nn.TransformerEncoder;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.text.Tokenizer;

/**
 * The gloss side of BGTAI's bridge: a gloss token sequence to one embedding in the joint space,
 * the vector that images are aligned with.
 * <pre>
 *   x_t = E[g_t] * sqrt(D) + pe_t,   o = Transformer(x) (pre-norm, final norm),   z = Proj(mean_t o_t)
 * </pre>
 * Order matters (positions), so {@code THREE SEVEN} and {@code SEVEN THREE} embed differently.
 *
 * <p>Shapes: gloss ids {@code [B, G]} without specials, right-padded with {@code <pad>} (every row
 * has at least one token) -> {@code [B, E]}.
 *
 * <pre>{@code
 * GlossEncoder g = new GlossEncoder(glossVocab, 64, 4, 128, 1, 0f, 64, new Rng(1));
 * Var z = g.forward(IntTensor.of(new int[] {7, 9, 4}, 1, 3));   // [1, 64]
 * }</pre>
 */
public final class GlossEncoder extends Module {
    private final Embedding embed;
    private final TransformerEncoder encoder;
    private final Projection proj;
    private final SinusoidalPositionalEncoding positions;
    private final float scale;

    public GlossEncoder(int vocab, int dModel, int heads, int ffDim, int layers, float dropout, int embedDim, Rng rng) {
        embed = registerModule("embed", new Embedding(vocab, dModel, Tokenizer.PAD, rng));
        encoder = registerModule("encoder", new TransformerEncoder(TransformerConfig.of(dModel, heads, ffDim, dropout).withNormFirst(true), layers, true, rng));
        proj = registerModule("proj", new Projection(dModel, embedDim, rng));
        positions = new SinusoidalPositionalEncoding(dModel, 64);
        scale = (float) Math.sqrt(dModel);
    }

    /** @param gloss [B, G] ids, {@code <pad>} after the end @return [B, E] */
    public Var forward(IntTensor gloss) {
        int b = gloss.size(0), g = gloss.size(1);
        float[] pad = new float[b * g], keep = new float[b * g], inv = new float[b];
        int[] ids = gloss.data();
        for (int r = 0; r < b; r++) {
            int n = 0;
            for (int t = 0; t < g; t++) {
                boolean real = ids[r * g + t] != Tokenizer.PAD;
                pad[r * g + t] = real ? 0 : 1;
                keep[r * g + t] = real ? 1 : 0;
                if (real) n++;
            }
            if (n == 0) throw new IllegalArgumentException("gloss row " + r + " is empty; every row needs at least one gloss token");
            inv[r] = 1f / n;
        }
        Var x = positions.forward(embed.forward(gloss).mul(scale), 0);
        Var o = encoder.forward(x, Tensor.of(pad, b, g));
        Var mean = o.mul(Var.of(Tensor.of(keep, b, g, 1))).sum(1, false).mul(Var.of(Tensor.of(inv, b, 1)));
        return proj.forward(mean);
    }

    /** Gloss rows (no specials) as a right-padded id tensor {@code [B, max length]}. */
    public static IntTensor pad(List<int[]> rows) {
        int g = 1;
        for (int[] r : rows) g = Math.max(g, r.length);
        int[] out = new int[rows.size() * g];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, out, i * g, rows.get(i).length);
        return IntTensor.of(out, rows.size(), g);
    }
}
