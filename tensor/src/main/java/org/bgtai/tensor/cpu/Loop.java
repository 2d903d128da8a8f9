package org.bgtai.tensor.cpu;

import org.bgtai.tensor.Parallel;

/**
 * Iteration plan over one output shape read by several strided operands: size-1 dims are dropped
 * and adjacent dims that are contiguous for every operand are merged, so most elementwise ops
 * become a few long rows with unit (or zero) inner stride.
 */
final class Loop {
    final int[] shape;      // coalesced outer..inner sizes (at least one dim)
    final int[][] strides;  // [operand][dim]
    final int rows;         // product of all dims but the last
    final int inner;        // size of the last dim

    @FunctionalInterface
    interface RowBody {
        /** One row: operand k starts at {@code offs[k]} and advances by {@code Loop.innerStride(k)}. */
        void row(int[] offs, int n);
    }

    Loop(int[] shape, int[]... operandStrides) {
        int r = shape.length, k = operandStrides.length;
        int[] s = new int[Math.max(r, 1)];
        int[][] st = new int[k][Math.max(r, 1)];
        int m = 0;
        for (int d = 0; d < r; d++) {
            if (shape[d] == 1) continue;
            if (m > 0) {
                boolean merge = true;
                for (int o = 0; o < k; o++) if (st[o][m - 1] != operandStrides[o][d] * shape[d]) { merge = false; break; }
                if (merge) {
                    s[m - 1] *= shape[d];
                    for (int o = 0; o < k; o++) st[o][m - 1] = operandStrides[o][d];
                    continue;
                }
            }
            s[m] = shape[d];
            for (int o = 0; o < k; o++) st[o][m] = operandStrides[o][d];
            m++;
        }
        if (m == 0) {  // scalar or all-ones shape
            s[0] = 1;
            for (int o = 0; o < k; o++) st[o][0] = 0;
            m = 1;
        }
        this.shape = java.util.Arrays.copyOf(s, m);
        this.strides = new int[k][];
        for (int o = 0; o < k; o++) this.strides[o] = java.util.Arrays.copyOf(st[o], m);
        int rr = 1;
        for (int d = 0; d < m - 1; d++) rr *= this.shape[d];
        this.rows = rr;
        this.inner = this.shape[m - 1];
        for (int d : shape) if (d == 0) { throw new IllegalStateException("empty loops must be filtered by the caller"); }
    }

    int innerStride(int operand) {
        return strides[operand][shape.length - 1];
    }

    /** Start offsets of row {@code row} for every operand. */
    void offsets(int row, int[] bases, int[] out) {
        for (int o = 0; o < out.length; o++) out[o] = bases[o];
        int rem = row;
        for (int d = shape.length - 2; d >= 0; d--) {
            int i = rem % shape[d];
            rem /= shape[d];
            for (int o = 0; o < out.length; o++) out[o] += i * strides[o][d];
        }
    }

    /** Runs {@code body} for every row, in parallel when the total work is large. */
    void run(int[] bases, RowBody body) {
        int grain = Math.max(1, 16384 / Math.max(1, inner));
        Parallel.forRange(rows, grain, (lo, hi) -> {
            int[] offs = new int[bases.length];
            for (int r = lo; r < hi; r++) {
                offsets(r, bases, offs);
                body.row(offs, inner);
            }
        });
    }
}
