package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Lookup table {@code y[..., :] = weight[ids[...], :]} (PyTorch {@code nn.Embedding}).
 *
 * <p>Shapes: {@code weight [num, dim]}, {@code ids [...]} -> {@code [..., dim]}. With a padding
 * index that row starts at zero and receives no gradient, as in PyTorch. Weights start
 * {@code N(0, 1)}.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(100, 16, 0, new Rng(0));
 * Var x = emb.forward(IntTensor.of(new int[] {5, 0, 7}, 1, 3));   // [1, 3, 16], row 0 is zeros
 * }</pre>
 */
public final class Embedding extends Module {
    private final Parameter weight;
    private final int paddingIdx;

    /** @param paddingIdx row that stays zero and gets no gradient, or -1 for none */
    public Embedding(int num, int dim, int paddingIdx, Rng rng) {
        if (num <= 0 || dim <= 0) throw new IllegalArgumentException("Embedding(" + num + ", " + dim + "): sizes must be positive");
        if (paddingIdx < -1 || paddingIdx >= num)
            throw new IllegalArgumentException("Embedding: padding index " + paddingIdx + " outside [0, " + num + ") (use -1 for none)");
        Tensor w = rng.normal(0f, 1f, num, dim);
        if (paddingIdx >= 0) w.select(0, paddingIdx).fill(0f);
        this.weight = registerParameter("weight", new Parameter(w));
        this.paddingIdx = paddingIdx;
    }

    public Parameter weight() {
        return weight;
    }

    public int paddingIdx() {
        return paddingIdx;
    }

    public int embeddingDim() {
        return weight.shape()[1];
    }

    /** @param ids [...] token ids in {@code [0, num)} @return [..., dim] */
    public Var forward(IntTensor ids) {
        Var w = weight.var();
        int[] ws = w.shape();
        ids.checkRange(ws[0], "Embedding of " + ws[0] + " rows");
        IntTensor flat = ids.reshape(-1);
        int[] os = java.util.Arrays.copyOf(ids.shape(), ids.dim() + 1);
        os[ids.dim()] = ws[1];
        Tensor y = w.value().indexSelect(0, flat).reshape(os);
        return Var.op("embedding", y, g -> {
            Tensor gw = Tensor.indexAdd(ws, 0, flat, g.reshape(flat.numel(), ws[1]));
            if (paddingIdx >= 0) gw.select(0, paddingIdx).fill(0f);
            return new Tensor[] {gw};
        }, w);
    }
}
