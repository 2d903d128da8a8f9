package org.bgtai.model;

import org.bgtai.autograd.Var;
import org.bgtai.nn.Embedding;
import org.bgtai.nn.LayerNorm;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.Parameter;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * The gloss route of BGTAI, non-autoregressive: {@code S} learned slot queries attend over the
 * encoder output and predict one gloss token each ({@code <pad>} after the end), and the
 * predicted gloss distribution is embedded back:
 * <pre>
 *   a_s = softmax(q_s o^T / sqrt(D)) (padding masked),  logits_s = W LN(q_s + a_s o)
 *   g_s = softmax(logits_s) E_gloss + slot_s,            z = MLP(flatten(g_1..g_S))
 * </pre>
 * Trained with cross-entropy against the known gloss; the soft embedding keeps the language
 * embedding differentiable. (The autoregressive Langue2Gloss decoder can replace the slot head.)
 *
 * <p>Shapes: {@code o [B, N, D]}, padding {@code [B, N]} -> logits {@code [B, S, V]};
 * logits -> embedding {@code [B, E]}.
 */
public final class GlossHead extends Module {
    private final Parameter queries, slots;
    private final LayerNorm norm;
    private final Linear out;
    private final Embedding glossEmb;
    private final Projection embed;
    private final int dModel, numSlots;

    public GlossHead(int dModel, int numSlots, int glossVocab, int embedDim, Rng rng) {
        this.dModel = dModel;
        this.numSlots = numSlots;
        queries = registerParameter("queries", new Parameter(rng.normal(0, 1f, numSlots, dModel)));
        norm = registerModule("norm", new LayerNorm(dModel, 1e-5f));
        out = registerModule("out", new Linear(dModel, glossVocab, true, rng));
        glossEmb = registerModule("gloss_emb", new Embedding(glossVocab, dModel, -1, rng));
        slots = registerParameter("slots", new Parameter(rng.normal(0, 0.02f, numSlots, dModel)));
        embed = registerModule("embed", new Projection(numSlots * dModel, embedDim, rng));
    }

    public int numSlots() {
        return numSlots;
    }

    /** @param o [B, N, D] @param padding [B, N] (1 = pad) @return gloss logits [B, S, V] */
    public Var logits(Var o, Tensor padding) {
        int b = o.size(0), n = o.size(1);
        Var scores = o.matmul(queries.var().mT()).transpose(1, 2).mul((float) (1 / Math.sqrt(dModel)));   // [B, S, N]
        float[] m = new float[b * numSlots * n];
        float[] p = padding.contiguous().toArray();
        for (int r = 0; r < b; r++)
            for (int s = 0; s < numSlots; s++)
                System.arraycopy(p, r * n, m, (r * numSlots + s) * n, n);
        Var att = scores.maskedFill(Tensor.of(m, b, numSlots, n), -1e9f).softmax(-1);
        Var ctx = att.matmul(o).add(queries.var());   // [B, S, D]
        return out.forward(norm.forward(ctx));
    }

    /** @param logits [B, S, V] @return language embedding through the gloss [B, E] */
    public Var embed(Var logits) {
        int b = logits.size(0);
        Var g = logits.softmax(-1).matmul(glossEmb.weight().var()).add(slots.var());   // [B, S, D]
        return embed.forward(g.reshape(b, numSlots * dModel));
    }
}
