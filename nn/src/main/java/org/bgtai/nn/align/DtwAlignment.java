package org.bgtai.nn.align;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of DTW: the accumulated cost of the optimal warping path and the path itself.
 *
 * <p>The path is stored as two parallel index arrays, step {@code k} visiting cell
 * {@code (qs[k], ts[k])}; it runs from its start (the corner (0, 0), or (0, j) for open-begin)
 * to its end (the corner (Q-1, T-1), or (Q-1, j) for open-end), moving by (1,0), (0,1) or (1,1).
 *
 * @param cost accumulated cost: the sum of the cost matrix over the path
 * @param rows Q, the length of the first sequence (rows of the cost matrix)
 * @param cols T, the length of the second sequence (columns of the cost matrix)
 * @param qs   row index of each step of the path, in order
 * @param ts   column index of each step of the path, in order
 */
public record DtwAlignment(double cost, int rows, int cols, int[] qs, int[] ts) {

    /** One cell {@code (q, t)} of a warping path. */
    public record Step(int q, int t) {}

    /** Number of steps (cells) on the path. */
    public int length() {
        return qs.length;
    }

    /** The path as a list of index pairs, from start to end. */
    public List<Step> steps() {
        List<Step> out = new ArrayList<>(qs.length);
        for (int k = 0; k < qs.length; k++) out.add(new Step(qs[k], ts[k]));
        return out;
    }

    /** The path as a binary matrix: [Q, T] row-major, 1 on the path, 0 elsewhere. */
    public float[] matrix() {
        float[] m = new float[rows * cols];
        for (int k = 0; k < qs.length; k++) m[qs[k] * cols + ts[k]] = 1f;
        return m;
    }
}
