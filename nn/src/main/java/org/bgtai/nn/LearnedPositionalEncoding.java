package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Shape;

/**
 * Learned absolute position embeddings added to the input: {@code y[b, t] = x[b, t] + weight[offset + t]}.
 * Parameter {@code weight [maxLen, D]} (init {@code N(0, 0.02)}). Shapes: {@code x [B, T, D]} -> {@code [B, T, D]}.
 *
 * <pre>{@code
 * var pos = new LearnedPositionalEncoding(512, 256, new Rng(0));
 * Var h = pos.forward(emb, 0);
 * }</pre>
 */
public final class LearnedPositionalEncoding extends Module {
    private final Parameter weight;

    public LearnedPositionalEncoding(int maxLen, int dim, Rng rng) {
        weight = registerParameter("weight", new Parameter(rng.normal(0f, 0.02f, maxLen, dim)));
    }

    public Parameter weight() {
        return weight;
    }

    /** @param x [B, T, D] @param offset first position @return [B, T, D] */
    public Var forward(Var x, int offset) {
        int[] ws = weight.shape();
        if (x.dim() != 3 || x.size(2) != ws[1] || offset + x.size(1) > ws[0])
            throw new IllegalArgumentException("learned positions (max length " + ws[0] + ", dim " + ws[1] + ") cannot cover input "
                + Shape.str(x.shape()) + " at offset " + offset);
        return x.add(weight.var().narrow(0, offset, x.size(1)));
    }
}
