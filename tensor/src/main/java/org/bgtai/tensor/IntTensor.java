package org.bgtai.tensor;

import java.util.Arrays;

/**
 * A dense, contiguous tensor of int32 indices (token ids, class labels, argmax results, gather
 * indices). Index data always lives on the host; offload backends copy it when needed.
 */
public final class IntTensor {
    private final int[] data;
    private final int[] shape;

    private IntTensor(int[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps {@code data} (not copied) with {@code shape}. */
    public static IntTensor of(int[] data, int... shape) {
        int n = Shape.numel(shape);
        if (n != data.length)
            throw new IllegalArgumentException("IntTensor.of: " + data.length + " values do not fill shape "
                + Shape.str(shape) + " (" + n + " elements)");
        return new IntTensor(data, shape.clone());
    }

    /** A 1-D index tensor. */
    public static IntTensor of(int... data) {
        return new IntTensor(data, new int[] {data.length});
    }

    /** From int64 values (e.g. safetensors I64), checking that each fits an int. */
    public static IntTensor fromLongs(long[] data, int... shape) {
        int[] d = new int[data.length];
        for (int i = 0; i < d.length; i++) {
            if (data[i] < Integer.MIN_VALUE || data[i] > Integer.MAX_VALUE)
                throw new IllegalArgumentException("index value " + data[i] + " at position " + i + " does not fit int32");
            d[i] = (int) data[i];
        }
        return of(d, shape);
    }

    public static IntTensor zeros(int... shape) {
        return new IntTensor(new int[Shape.numel(shape)], shape.clone());
    }

    /** {@code [0, 1, ..., n-1]}. */
    public static IntTensor arange(int n) {
        int[] d = new int[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return new IntTensor(d, new int[] {n});
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim() {
        return shape.length;
    }

    public int size(int d) {
        return shape[Shape.dim(d, shape.length, shape)];
    }

    public int numel() {
        return data.length;
    }

    /** The backing array (row-major); do not modify unless you own the tensor. */
    public int[] data() {
        return data;
    }

    public int get(int... idx) {
        if (idx.length != shape.length)
            throw new IllegalArgumentException("get: " + idx.length + " indices for shape " + Shape.str(shape));
        int off = 0;
        int[] st = Shape.contiguousStrides(shape);
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i])
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of range for shape " + Shape.str(shape));
            off += idx[i] * st[i];
        }
        return data[off];
    }

    public IntTensor reshape(int... newShape) {
        int[] s = Tensor.inferShape(newShape, data.length, shape);
        return new IntTensor(data, s);
    }

    /** Checks every value is in {@code [0, bound)}; the message names the first bad one. */
    public void checkRange(int bound, String what) {
        for (int i = 0; i < data.length; i++) {
            int v = data[i];
            if (v < 0 || v >= bound)
                throw new IndexOutOfBoundsException(what + ": index " + v + " at flat position " + i
                    + " is out of range [0, " + bound + ") (shape " + Shape.str(shape) + ")");
        }
    }

    /** As a float tensor (e.g. for masks). */
    public Tensor toFloat() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = data[i];
        return Tensor.of(f, shape);
    }

    public int[] toArray() {
        return data.clone();
    }

    @Override
    public String toString() {
        return "IntTensor" + Shape.str(shape) + (data.length <= 32 ? " " + Arrays.toString(data) : "");
    }
}
