package org.bgtai.tensor;

import java.util.Arrays;

/** Static helpers for shapes ({@code int[]} dimension sizes) and strides. */
public final class Shape {
    private Shape() {}

    /** Number of elements of a shape; throws if it overflows an int (tensors are int-indexed). */
    public static int numel(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            n *= d;
            if (n > Integer.MAX_VALUE - 8)
                throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31 elements; split the tensor");
        }
        return (int) n;
    }

    /** Row-major (C-order) strides of a shape. */
    public static int[] contiguousStrides(int... shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    /** {@code [2, 3]} style rendering. */
    public static String str(int... shape) {
        return Arrays.toString(shape);
    }

    /** Maps a possibly negative dim ({@code -1} = last) to {@code [0, rank)}, or throws naming the shape. */
    public static int dim(int dim, int rank, int[] shapeForMessage) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
            throw new IllegalArgumentException("dimension " + dim + " out of range for a tensor of shape "
                + str(shapeForMessage) + " (valid: " + (-rank) + " .. " + (rank - 1) + ")");
        return d;
    }

    /**
     * NumPy broadcasting of two shapes: dims are aligned from the right and each pair must be equal
     * or one of them 1.
     */
    public static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException("shapes " + str(a) + " and " + str(b)
                    + " cannot be broadcast: dim " + i + " is " + da + " vs " + db
                    + " (dims must match or be 1, aligned from the right; reshape or unsqueeze one operand)");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Strides that read a tensor of {@code shape}/{@code strides} as if it had the (broadcast)
     * shape {@code target}: broadcast dims get stride 0.
     */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        int r = target.length;
        int[] out = new int[r];
        int off = r - shape.length;
        if (off < 0) throw new IllegalArgumentException("cannot broadcast " + str(shape) + " to " + str(target));
        for (int i = 0; i < r; i++) {
            if (i < off) {
                out[i] = 0;
            } else {
                int d = shape[i - off];
                if (d == target[i]) out[i] = d == 1 ? 0 : strides[i - off];
                else if (d == 1) out[i] = 0;
                else throw new IllegalArgumentException("cannot broadcast " + str(shape) + " to " + str(target)
                    + ": dim " + i + " is " + d + ", target " + target[i]);
            }
        }
        return out;
    }

    public static boolean equal(int[] a, int[] b) {
        return Arrays.equals(a, b);
    }
}
