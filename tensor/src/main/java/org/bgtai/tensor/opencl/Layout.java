package org.bgtai.tensor.opencl;

import java.util.Arrays;
import org.bgtai.tensor.Shape;

/**
 * Shapes and strides as the kernels take them: dims that are contiguous for every operand are
 * merged, size-1 dims dropped, and the result padded to {@link #MAXR} with leading size-1 dims
 * (stride 0). Merging keeps the row-major enumeration of elements, so a kernel's flat index is
 * still the flat index of the original shape.
 */
final class Layout {
    static final int MAXR = 8;

    private Layout() {}

    /** {@code result[0]} = merged shape, {@code result[1 + i]} = merged strides of operand i; all padded to MAXR. */
    static int[][] collapse(int[] shape, int[]... strides) {
        int r = shape.length, ops = strides.length;
        int[] sh = new int[r];
        int[][] st = new int[ops][r];
        int k = 0;
        for (int d = 0; d < r; d++) {
            if (shape[d] == 1) continue;
            boolean merge = k > 0;
            for (int o = 0; o < ops && merge; o++)
                if (st[o][k - 1] != strides[o][d] * shape[d]) merge = false;
            if (merge) {
                sh[k - 1] *= shape[d];
                for (int o = 0; o < ops; o++) st[o][k - 1] = strides[o][d];
            } else {
                sh[k] = shape[d];
                for (int o = 0; o < ops; o++) st[o][k] = strides[o][d];
                k++;
            }
        }
        int[][] out = new int[1 + ops][];
        out[0] = pad(Arrays.copyOf(sh, k), 1, shape);
        for (int o = 0; o < ops; o++) out[1 + o] = pad(Arrays.copyOf(st[o], k), 0, shape);
        return out;
    }

    /** Pads {@code v} on the left with {@code fill} to MAXR entries. */
    static int[] pad(int[] v, int fill, int[] shapeForMessage) {
        if (v.length > MAXR)
            throw new UnsupportedOperationException("the OpenCL backend handles at most " + MAXR + " non-mergeable dims, got shape "
                + Shape.str(shapeForMessage) + "; reshape or make the tensor contiguous first");
        int[] p = new int[MAXR];
        Arrays.fill(p, 0, MAXR - v.length, fill);
        System.arraycopy(v, 0, p, MAXR - v.length, v.length);
        return p;
    }

    /** Drops entry {@code axis}. */
    static int[] without(int[] v, int axis) {
        int[] o = new int[v.length - 1];
        for (int i = 0, j = 0; i < v.length; i++) if (i != axis) o[j++] = v[i];
        return o;
    }

    /** Keeps ({@code keep = true}) or drops the entries at {@code axes} (a boolean mask). */
    static int[] select(int[] v, boolean[] mask, boolean keep) {
        int n = 0;
        for (int i = 0; i < v.length; i++) if (mask[i] == keep) n++;
        int[] o = new int[n];
        for (int i = 0, j = 0; i < v.length; i++) if (mask[i] == keep) o[j++] = v[i];
        return o;
    }

    static int nextPow2AtMost(int n, int cap) {
        int p = 1;
        while (p < n && p < cap) p <<= 1;
        return Math.min(p, Integer.highestOneBit(Math.max(cap, 1)));
    }
}
