package org.bgtai.nn;

import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Weight initialisers with PyTorch's defaults.
 *
 * <ul>
 * <li>{@link #uniformFanIn}: {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}, what {@code nn.Linear} and
 * {@code nn.ConvNd} use for weights (kaiming-uniform with {@code a = sqrt(5)}) and biases.
 * <li>{@link #xavierUniform}: {@code U(-a, a)}, {@code a = sqrt(6 / (fanIn + fanOut))}, for the
 * attention projections and in {@code nn.Transformer}.
 * </ul>
 */
public final class Init {
    private Init() {}

    /** {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))} of {@code shape}. */
    public static Tensor uniformFanIn(Rng rng, int fanIn, int... shape) {
        float b = (float) (1.0 / Math.sqrt(Math.max(1, fanIn)));
        return rng.uniform(-b, b, shape);
    }

    /** Xavier/Glorot uniform for a weight {@code [fanOut, fanIn, ...receptive field]}. */
    public static Tensor xavierUniform(Rng rng, int... shape) {
        int receptive = 1;
        for (int i = 2; i < shape.length; i++) receptive *= shape[i];
        int fanOut = shape[0] * receptive, fanIn = (shape.length > 1 ? shape[1] : 1) * receptive;
        float a = (float) Math.sqrt(6.0 / (fanIn + fanOut));
        return rng.uniform(-a, a, shape);
    }

    /** Re-initialises every parameter of rank >= 2 in {@code m} with {@link #xavierUniform}, as {@code nn.Transformer} does. */
    public static void xavierUniformAll(Module m, Rng rng) {
        for (Parameter p : m.parameters())
            if (p.shape().length >= 2) p.copyFrom(xavierUniform(rng, p.shape()));
    }
}
