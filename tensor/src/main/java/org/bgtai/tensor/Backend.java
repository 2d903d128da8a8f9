package org.bgtai.tensor;

import java.util.List;

/**
 * The primitive ops a device implements. {@link Tensor}'s methods are thin, validated wrappers
 * over these; everything else (layers, losses) is composed from them. Implementations may assume
 * arguments are already validated (shapes broadcastable, dims normalised, same device).
 *
 * <p>Inputs may be arbitrary strided views; outputs are always new contiguous tensors on the
 * same device, except for {@code *Into} methods.
 */
public interface Backend {
    Device device();

    /** A new uninitialised-or-zero contiguous tensor of {@code shape} on this device. */
    Tensor empty(int... shape);

    /** A new tensor filled with {@code value}. */
    Tensor full(float value, int... shape);

    /** Copies host data into a new tensor of this device. */
    Tensor fromHost(float[] data, int... shape);

    /** Copies a tensor of this device into a new host array (row-major, contiguous). */
    float[] toHost(Tensor t);

    /** Contiguous copy of a (possibly strided) view. */
    default Tensor contiguous(Tensor x) {
        Tensor out = empty(x.shape());
        copyInto(out, x);
        return out;
    }

    Tensor unary(UnaryOp op, Tensor x);

    /** {@code op(a, b)} with broadcasting to {@code outShape}. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b, int[] outShape);

    /** {@code cond != 0 ? a : b}, all broadcast to {@code outShape}. */
    Tensor where(Tensor cond, Tensor a, Tensor b, int[] outShape);

    /** Clamps into {@code [lo, hi]}. */
    Tensor clamp(Tensor x, float lo, float hi);

    /** Reduces along sorted, distinct {@code axes}; keeps them as size-1 dims when {@code keepDim}. */
    Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDim);

    /** Index of the max (or min) along {@code axis}; first occurrence wins ties. */
    IntTensor argReduce(boolean max, Tensor x, int axis, boolean keepDim);

    Tensor softmax(Tensor x, int axis, boolean log);

    /** Backward of (log-)softmax: given output {@code y} and upstream {@code g}. */
    Tensor softmaxBackward(Tensor y, Tensor g, int axis, boolean log);

    /** Batched matrix product, batch dims broadcast; {@code a [..., m, k] x b [..., k, n]}. */
    Tensor matmul(Tensor a, Tensor b, int[] outShape);

    /** Selects entries along {@code axis} by {@code index} (1-D). */
    Tensor indexSelect(Tensor x, int axis, IntTensor index);

    /** {@code out[..., index[i], ...] += src[..., i, ...]} along {@code axis} into a new zero tensor of {@code shape}. */
    Tensor indexAdd(int[] shape, int axis, IntTensor index, Tensor src);

    /** PyTorch {@code gather}: {@code out[i][j] = x[i][index[i][j]]} along {@code axis}. */
    Tensor gather(Tensor x, int axis, IntTensor index);

    /** PyTorch {@code scatter_add} into a new zero tensor of {@code shape}. */
    Tensor scatterAdd(int[] shape, int axis, IntTensor index, Tensor src);

    /** Concatenates along {@code axis}: copies each part into its slice of a new tensor. */
    default Tensor cat(List<Tensor> parts, int axis, int[] outShape) {
        Tensor out = empty(outShape);
        int start = 0;
        for (Tensor t : parts) {
            int len = t.shape()[axis];
            if (len > 0) copyInto(out.narrow(axis, start, len), t);
            start += len;
        }
        return out;
    }

    /** Adds {@code src} (broadcast-free, same shape) into {@code dst} in place. */
    void addInPlace(Tensor dst, Tensor src, float alpha);

    /** Copies {@code src} into the view {@code dst} (same shape) in place. */
    void copyInto(Tensor dst, Tensor src);

    /** Fills {@code dst} (contiguous) with {@code value}. */
    void fill(Tensor dst, float value);

    /**
     * 0/1 values of {@code shape}: element {@code i} is 1 when draw {@code base + i} of
     * {@link Rng#draw}{@code (seed, .)}, as a 53-bit uniform in [0, 1), is below {@code p}. The
     * same bits on every device. The default draws on the CPU and copies the result here.
     */
    default Tensor bernoulli(long seed, long base, float p, int[] shape) {
        return Device.CPU.backend().bernoulli(seed, base, p, shape).to(device());
    }

    /**
     * The fused ops of this device (attention, layer norm, cross-entropy, dropout, convolution and
     * pooling, optimizer updates). The default composes them of this backend's primitive ops
     * ({@link ComposedFusedOps}); backends with kernels of their own override it.
     */
    default FusedOps fused() {
        return ComposedFusedOps.INSTANCE;
    }
}
