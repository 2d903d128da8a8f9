package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Fixed sinusoidal position encoding ("Attention is all you need"), added to the input:
 * {@code pe[t, 2i] = sin(t / 10000^(2i/D))}, {@code pe[t, 2i+1] = cos(t / 10000^(2i/D))}.
 * No parameters. Shapes: {@code x [B, T, D]} -> {@code [B, T, D]}; {@code offset} shifts the
 * positions (incremental decoding).
 *
 * <pre>{@code
 * var pe = new SinusoidalPositionalEncoding(256, 512);
 * Var h = pe.forward(emb, 0);
 * }</pre>
 */
public final class SinusoidalPositionalEncoding extends Module {
    private Tensor table;

    public SinusoidalPositionalEncoding(int dim, int maxLen) {
        this.table = table(maxLen, dim);
    }

    @Override
    protected void moveBuffers(Device device) {
        table = table.to(device);
    }

    /** The table {@code [maxLen, dim]}. */
    public static Tensor table(int maxLen, int dim) {
        float[] d = new float[maxLen * dim];
        for (int t = 0; t < maxLen; t++)
            for (int i = 0; i < dim; i += 2) {
                double freq = Math.exp(-Math.log(10000.0) * i / dim);
                d[t * dim + i] = (float) Math.sin(t * freq);
                if (i + 1 < dim) d[t * dim + i + 1] = (float) Math.cos(t * freq);
            }
        return Tensor.of(d, maxLen, dim);
    }

    /** @param x [B, T, D] @param offset position of the first row @return [B, T, D] */
    public Var forward(Var x, int offset) {
        int t = x.size(1);
        if (x.dim() != 3 || x.size(2) != table.size(1) || offset + t > table.size(0))
            throw new IllegalArgumentException("positional encoding (max length " + table.size(0) + ", dim " + table.size(1) + ") cannot cover input "
                + Shape.str(x.shape()) + " at offset " + offset);
        if (table.device() != x.value().device()) table = table.to(x.value().device());   // one copy, then cached
        return x.add(Var.of(table.narrow(0, offset, t)));
    }
}
