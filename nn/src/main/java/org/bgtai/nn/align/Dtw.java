package org.bgtai.nn.align;

import java.util.Arrays;
import java.util.List;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Vectorization;

/**
 * Dynamic time warping between two sequences (or a given cost matrix).
 *
 * <p>With a [Q, T] cost matrix {@code C} the accumulated cost is
 * <pre>
 *   D[i, j] = C[i, j] + min(D[i-1, j-1], D[i-1, j], D[i, j-1]),   D[0, 0] = C[0, 0]
 * </pre>
 * (steps (1,1), (1,0), (0,1)) and the DTW cost is {@code D[Q-1, T-1]}. The optimal path is found
 * by backtracking; ties are broken as in the PyTorch fixture: diagonal first, then (i-1, j),
 * then (i, j-1). Options add a local cost for sequences ({@link LocalCost}), a global
 * {@link Constraint} (Sakoe-Chiba band, Itakura parallelogram) and open-begin / open-end
 * matching along the second axis (subsequence DTW: the path may start at any (0, j) and end at
 * any (Q-1, j); an open end picks the smallest j of least cost).
 *
 * <pre>{@code
 * float[] x = {0, 1, 2}, y = {0, 0, 1, 2};           // [3, 1] and [4, 1]
 * DtwAlignment a = Dtw.align(x, y, 1, Dtw.Options.DEFAULT);
 * // a.cost() == 0, path (0,0) (0,1) (1,2) (2,3)
 * }</pre>
 *
 * <p>Costs must be finite (NaN or infinity gives an IllegalArgumentException naming the cell;
 * cells outside a constraint are not read). Accumulation is in double (as in the C reference
 * {@code bench/dtw.c}). The kernel keeps two rolling rows and the directions for backtracking.
 * Unconstrained rows go sixteen at a time in Vector API lanes on the anti-diagonal wavefront
 * ({@link DtwStrip}, directions packed two bits per cell), or, without the Vector API, four at a
 * time in scalar code, each row one column behind the row above so the four min-plus chains
 * overlap ({@code block4}); the one-row loop {@code row} is the reference and runs the
 * constrained rows. {@link #cost} keeps only the two rows.
 */
public final class Dtw {
    static final byte DIAG = 0, UP = 1, LEFT = 2, START = 3;
    private static final double INF = Double.POSITIVE_INFINITY;

    private Dtw() {}

    /**
     * Per-thread work arrays, reused between calls: allocating (and page-faulting) a fresh
     * megabyte direction matrix per call costs about as much as the recursion itself. Holds no
     * results; matrices over {@link #MAX_CACHED_CELLS} cells are allocated per call.
     */
    private static final class Scratch {
        static final int MAX_CACHED_CELLS = 1 << 24;
        byte[] dir = new byte[0], packed = new byte[0];
        double[] a = new double[0], b = new double[0];
        float[] skew = new float[0];
        int[] stripOff = new int[0], stripLane = new int[0];

        byte[] directions(int n) {
            if (n > MAX_CACHED_CELLS) return new byte[n];
            if (dir.length < n) dir = new byte[n];
            return dir;
        }

        double[] rowA(int n) {
            if (a.length < n) a = new double[n];
            return a;
        }

        double[] rowB(int n) {
            if (b.length < n) b = new double[n];
            return b;
        }

        /** Packed directions of {@link DtwStrip} strips. */
        byte[] packed(int n) {
            if (n > MAX_CACHED_CELLS) return new byte[n];
            if (packed.length < n) packed = new byte[n];
            return packed;
        }

        float[] skew(int n) {
            if (skew.length < n) skew = new float[n];
            return skew;
        }

        /** Per row: offset of its strip's packed directions (-1 = row in {@code dir}), and its lane. */
        void rows(int q) {
            if (stripOff.length < q) {
                stripOff = new int[q];
                stripLane = new int[q];
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * DTW options.
     *
     * @param localCost  cost between sequence elements (used by the sequence overloads only)
     * @param constraint global path constraint
     * @param openBegin  the path may start at any (0, j)
     * @param openEnd    the path may end at any (Q-1, j)
     */
    public record Options(LocalCost localCost, Constraint constraint, boolean openBegin, boolean openEnd) {
        /** Squared Euclidean cost, no constraint, both ends fixed at the corners. */
        public static final Options DEFAULT = new Options(StandardCost.SQUARED_EUCLIDEAN, Constraint.none(), false, false);

        public Options {
            if (localCost == null) throw new IllegalArgumentException("localCost is null; use StandardCost.SQUARED_EUCLIDEAN");
            if (constraint == null) throw new IllegalArgumentException("constraint is null; use Constraint.none()");
        }

        public Options withLocalCost(LocalCost c) {
            return new Options(c, constraint, openBegin, openEnd);
        }

        public Options withConstraint(Constraint c) {
            return new Options(localCost, c, openBegin, openEnd);
        }

        public Options withOpenBegin(boolean b) {
            return new Options(localCost, constraint, b, openEnd);
        }

        public Options withOpenEnd(boolean b) {
            return new Options(localCost, constraint, openBegin, b);
        }
    }

    // ---------------------------------------------------------------- sequences

    /**
     * DTW between two sequences of vectors.
     *
     * @param x [Q, D] row-major
     * @param y [T, D] row-major
     * @param d the feature dimension D
     */
    public static DtwAlignment align(float[] x, float[] y, int d, Options options) {
        int q = Checks.length("x", x, d), t = Checks.length("y", y, d);
        return align(options.localCost().matrix(x, y, d), q, t, options);
    }

    /**
     * DTW cost (no path) between two sequences of vectors.
     *
     * @param x [Q, D] row-major
     * @param y [T, D] row-major
     */
    public static double distance(float[] x, float[] y, int d, Options options) {
        int q = Checks.length("x", x, d), t = Checks.length("y", y, d);
        return cost(options.localCost().matrix(x, y, d), q, t, options);
    }

    // ---------------------------------------------------------------- cost matrix

    /** DTW with default options over a given cost matrix {@code c} [Q, T]. */
    public static DtwAlignment align(float[] c, int q, int t) {
        return align(c, q, t, Options.DEFAULT);
    }

    /**
     * DTW over a given cost matrix: accumulated cost and optimal path.
     *
     * @param c [Q, T] row-major, finite
     * @throws IllegalArgumentException on a shape mismatch, a non-finite cost or a constraint
     *                                  that leaves no path from start to end
     */
    public static DtwAlignment align(float[] c, int q, int t, Options options) {
        Checks.shape("cost matrix", c, q, t);
        Constraint.Window w = options.constraint().window(q, t);
        return alignKernel(c, 0, q, t, w, options.openBegin(), options.openEnd(), options.constraint());
    }

    /** DTW cost with default options over a given cost matrix {@code c} [Q, T]. */
    public static double cost(float[] c, int q, int t) {
        return cost(c, q, t, Options.DEFAULT);
    }

    /**
     * DTW cost only (two rolling rows, no path) over a given cost matrix.
     *
     * @param c [Q, T] row-major, finite
     */
    public static double cost(float[] c, int q, int t, Options options) {
        Checks.shape("cost matrix", c, q, t);
        Constraint.Window w = options.constraint().window(q, t);
        return costKernel(c, q, t, w, options.openBegin(), options.openEnd(), options.constraint());
    }

    /**
     * The full accumulated cost matrix D (for inspection and plotting).
     *
     * @param c [Q, T] row-major
     * @return D [Q, T] row-major; +infinity in cells outside the constraint or unreachable
     */
    public static double[] accumulatedCost(float[] c, int q, int t, Options options) {
        Checks.matrix("cost matrix", c, q, t);
        Constraint.Window w = options.constraint().window(q, t);
        double[] d = new double[q * t];
        Arrays.fill(d, INF);
        for (int i = 0; i < q; i++) {
            for (int j = w.lo()[i]; j < w.hi()[i]; j++) {
                double best;
                if (i == 0) {
                    best = options.openBegin() || j == 0 ? 0 : (j > 0 ? d[j - 1] : INF);
                } else {
                    best = j > 0 ? d[(i - 1) * t + j - 1] : INF;
                    double up = d[(i - 1) * t + j];
                    if (up < best) best = up;
                    if (j > 0 && d[i * t + j - 1] < best) best = d[i * t + j - 1];
                }
                d[i * t + j] = best + c[i * t + j];
            }
        }
        return d;
    }

    // ---------------------------------------------------------------- batches

    /**
     * DTW of a batch of equally sized cost matrices, spread over all cores ({@link Parallel}).
     *
     * @param costs [B, Q, T] row-major
     * @return B alignments, in order
     */
    public static DtwAlignment[] alignBatch(float[] costs, int batch, int q, int t, Options options) {
        if ((long) batch * q * t != costs.length) {
            throw new IllegalArgumentException("costs has " + costs.length + " values but [" + batch + ", " + q + ", " + t + "] needs " + (long) batch * q * t);
        }
        if (batch == 0) return new DtwAlignment[0];
        Checks.shape("cost matrix", costs, batch * q, t);
        Constraint.Window w = options.constraint().window(q, t);
        DtwAlignment[] out = new DtwAlignment[batch];
        int cells = q * t;
        Parallel.forRange(batch, 1, (lo, hi) -> {
            for (int b = lo; b < hi; b++) {
                out[b] = alignKernel(costs, b * cells, q, t, w, options.openBegin(), options.openEnd(), options.constraint());
            }
        });
        return out;
    }

    /**
     * DTW of a batch of cost matrices of any sizes, spread over all cores.
     *
     * @param costs B cost matrices, the b-th [qs[b], ts[b]] row-major
     */
    public static DtwAlignment[] alignBatch(float[][] costs, int[] qs, int[] ts, Options options) {
        if (qs.length != costs.length || ts.length != costs.length) {
            throw new IllegalArgumentException("batch sizes differ: " + costs.length + " cost matrices, " + qs.length + " row counts, " + ts.length + " column counts");
        }
        DtwAlignment[] out = new DtwAlignment[costs.length];
        Parallel.forRange(costs.length, 1, (lo, hi) -> {
            for (int b = lo; b < hi; b++) out[b] = align(costs[b], qs[b], ts[b], options);
        });
        return out;
    }

    /**
     * DTW of B pairs of sequences of any lengths (same feature dimension), spread over all cores.
     *
     * @param xs B sequences, each [Q_b, D] row-major
     * @param ys B sequences, each [T_b, D] row-major
     */
    public static DtwAlignment[] alignBatch(List<float[]> xs, List<float[]> ys, int d, Options options) {
        if (xs.size() != ys.size()) throw new IllegalArgumentException("batch sizes differ: " + xs.size() + " x sequences, " + ys.size() + " y sequences");
        DtwAlignment[] out = new DtwAlignment[xs.size()];
        Parallel.forRange(xs.size(), 1, (lo, hi) -> {
            for (int b = lo; b < hi; b++) out[b] = align(xs.get(b), ys.get(b), d, options);
        });
        return out;
    }

    // ---------------------------------------------------------------- kernels

    /** Fills the entries of {@code prev} (index j+1 = column j) that the next row reads but the previous row did not write. */
    private static void clearOutside(double[] prev, int plo, int phi, int lo, int hi) {
        for (int k = lo; k <= Math.min(hi, plo); k++) prev[k] = INF;
        for (int k = Math.max(lo, phi + 1); k <= hi; k++) prev[k] = INF;
    }

    /** Which loop computes the unconstrained rows (tests compare them). */
    enum Kernel {
        /** {@link #row}, one row at a time: the reference. */
        ROW,
        /** {@link #block4}: four rows in scalar code (the kernel without the Vector API). */
        BLOCK4,
        /** {@link DtwStrip}: sixteen rows in Vector API lanes. */
        STRIP;

        static final Kernel FASTEST = Vectorization.ENABLED ? STRIP : BLOCK4;
    }

    /** The DTW kernel over the cost matrix stored at {@code c[off .. off + q*t)}. */
    static DtwAlignment alignKernel(float[] c, int off, int q, int t, Constraint.Window w, boolean openBegin, boolean openEnd, Constraint constraint) {
        return alignKernel(c, off, q, t, w, openBegin, openEnd, constraint, Kernel.FASTEST);
    }

    /** The DTW kernel, with the given loop for runs of full rows (constrained rows always use {@link #row}). */
    static DtwAlignment alignKernel(float[] c, int off, int q, int t, Constraint.Window w, boolean openBegin, boolean openEnd, Constraint constraint,
                                    Kernel kernel) {
        int[] wlo = w.lo(), whi = w.hi();
        Scratch scratch = SCRATCH.get();
        // Rows are read up to index t + H - 1 by a strip (past column t-1 any non-NaN value does).
        int rowLength = t + DtwStrip.H;
        double[] prev = scratch.rowA(rowLength), cur = scratch.rowB(rowLength);
        Arrays.fill(prev, 0, rowLength, INF);
        Arrays.fill(cur, 0, rowLength, INF);
        // Every cell inside the window is written before backtracking reads it, so no zeroing.
        byte[] dir = scratch.directions(q * t);
        scratch.rows(q);
        int[] stripOff = scratch.stripOff, stripLane = scratch.stripLane;
        Arrays.fill(stripOff, 0, q, -1);
        byte[] packed = null;
        float[] skew = null;
        if (kernel == Kernel.STRIP && q > DtwStrip.H) {
            packed = scratch.packed((q - 1) / DtwStrip.H * DtwStrip.directionBytes(t));
            skew = scratch.skew(DtwStrip.bufferFloats());
        }
        int strips = 0;
        // Row 0.
        {
            int lo = wlo[0], hi = whi[0];
            if (!openBegin && lo != 0) throw unreachable(q, t, constraint, openBegin, openEnd);
            double left = INF;
            for (int j = lo; j < hi; j++) {
                double v = c[off + j];
                if (!Double.isFinite(v)) throw nonFinite(c, off, q, t);
                if (openBegin || j == 0) {
                    dir[j] = START;
                } else {
                    v += left;
                    dir[j] = LEFT;
                }
                left = v;
                prev[j + 1] = v;
            }
        }
        for (int i = 1; i < q; ) {
            if (packed != null && i + DtwStrip.H <= q && fullRows(wlo, whi, i, DtwStrip.H, t)) {
                clearOutside(prev, wlo[i - 1], whi[i - 1], 0, t);
                int at = strips++ * DtwStrip.directionBytes(t);
                if (!DtwStrip.strip(c, off + i * t, t, prev, cur, packed, at, skew)) throw nonFinite(c, off, q, t);
                for (int k = 0; k < DtwStrip.H; k++) {
                    stripOff[i + k] = at;
                    stripLane[i + k] = k;
                }
                i += DtwStrip.H;
            } else if (kernel != Kernel.ROW && i + BLOCK <= q && fullRows(wlo, whi, i, BLOCK, t)) {
                clearOutside(prev, wlo[i - 1], whi[i - 1], 0, t);
                if (block4(c, off + i * t, t, prev, cur, dir, i * t) != 0) throw nonFinite(c, off, q, t);
                i += BLOCK;
            } else {
                int lo = wlo[i], hi = whi[i];
                clearOutside(prev, wlo[i - 1], whi[i - 1], lo, hi);
                if (row(c, off + i * t, lo, hi, prev, cur, dir, i * t) != 0) throw nonFinite(c, off, q, t);
                i++;
            }
            double[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        // prev holds row q-1 in [wlo[q-1], whi[q-1]).
        int end = t - 1;
        int lastLo = wlo[q - 1], lastHi = whi[q - 1];
        if (openEnd) {
            end = -1;
            double best = INF;
            for (int j = lastLo; j < lastHi; j++) {
                if (prev[j + 1] < best) {
                    best = prev[j + 1];
                    end = j;
                }
            }
            if (end < 0) throw unreachable(q, t, constraint, openBegin, openEnd);
        } else if (lastHi != t || prev[t] == INF) {
            throw unreachable(q, t, constraint, openBegin, openEnd);
        }
        double total = prev[end + 1];
        if (total == INF) throw unreachable(q, t, constraint, openBegin, openEnd);
        return backtrack(dir, packed, stripOff, stripLane, q, t, end, total);
    }

    /** Rows per {@link #block4} call. */
    static final int BLOCK = 4;

    private static boolean fullRows(int[] wlo, int[] whi, int from, int n, int t) {
        for (int i = from; i < from + n; i++) if (wlo[i] != 0 || whi[i] != t) return false;
        return true;
    }

    /**
     * One cell of the recursion: writes the direction and returns {@code D[i, j]}. Branch-free
     * (a data-dependent branch mispredicts half the time on random costs): {@code Math.min} is an
     * intrinsic and the direction selects compile to cmov. Ties keep DIAG, then UP.
     */
    private static double cell(double diag, double up, double left, float cv, byte[] dir, int at) {
        int d1 = up < diag ? UP : DIAG;
        double m1 = Math.min(diag, up);
        dir[at] = (byte) (left < m1 ? LEFT : d1);
        return Math.min(left, m1) + cv;
    }

    /**
     * The reference loop: row i over columns [lo, hi) from row i-1 in {@code prev} (index j+1 =
     * column j, INF outside its window) into {@code cur}.
     *
     * @return 0, or NaN when a cost is NaN or infinite (an independent chain, so nearly free)
     */
    static float row(float[] c, int crow, int lo, int hi, double[] prev, double[] cur, byte[] dir, int drow) {
        double left = INF;
        float guard = 0;
        for (int j = lo; j < hi; j++) {
            double diag = prev[j], up = prev[j + 1];
            int d1 = up < diag ? UP : DIAG;
            double m1 = Math.min(diag, up);
            int d = left < m1 ? LEFT : d1;
            float cv = c[crow + j];
            guard += cv * 0f;
            left = Math.min(left, m1) + cv;
            cur[j + 1] = left;
            dir[drow + j] = (byte) d;
        }
        return guard;
    }

    /**
     * Four full rows i .. i+3 at once. Along a row each cell waits for its left neighbour (a
     * min + add latency chain), so one row at a time leaves the core mostly idle. Here row i+k
     * runs k columns behind row i+k-1: in one step, row i computes column j, row i+1 column j-1,
     * row i+2 column j-2, row i+3 column j-3, each from values of the previous step, giving four
     * independent chains. Rows i .. i+2 live in registers ({@code v} = last value, {@code w} =
     * the one before); row i+3 goes to {@code out} for the next block. Same cells, same
     * tie-breaking as {@link #row}.
     *
     * @param crow offset of row i in {@code c}
     * @param prev row i-1 (index j+1 = column j, prev[0] = INF)
     * @param out  receives row i+3 (same layout)
     * @param drow offset of row i in {@code dir}
     * @return 0, or NaN when a cost is NaN or infinite
     */
    static float block4(float[] c, int crow, int t, double[] prev, double[] out, byte[] dir, int drow) {
        int c1 = crow + t, c2 = c1 + t, c3 = c2 + t, d1 = drow + t, d2 = d1 + t, d3 = d2 + t;
        double v0 = INF, w0 = INF, v1 = INF, w1 = INF, v2 = INF, w2 = INF, v3 = INF;
        float g0 = 0, g1 = 0, g2 = 0, g3 = 0;
        int j = 0;
        // Prologue and epilogue (some rows idle) share this checked loop; the middle is unrolled.
        for (; j < t + 3; j++) {
            if (j == 3 && t > 3) {
                for (; j < t; j++) {
                    // The four cells of {@link #cell}, written out: the JIT makes better code of
                    // this than of four inlined calls (measured: about 2x).
                    float x3 = c[c3 + j - 3], x2 = c[c2 + j - 2], x1 = c[c1 + j - 1], x0 = c[crow + j];
                    g3 += x3 * 0f;
                    g2 += x2 * 0f;
                    g1 += x1 * 0f;
                    g0 += x0 * 0f;
                    double m3 = Math.min(w2, v2), m2 = Math.min(w1, v1), m1 = Math.min(w0, v0);
                    double diag = prev[j], up = prev[j + 1], m0 = Math.min(diag, up);
                    int e3 = v2 < w2 ? UP : DIAG, e2 = v1 < w1 ? UP : DIAG, e1 = v0 < w0 ? UP : DIAG, e0 = up < diag ? UP : DIAG;
                    dir[d3 + j - 3] = (byte) (v3 < m3 ? LEFT : e3);
                    dir[d2 + j - 2] = (byte) (v2 < m2 ? LEFT : e2);
                    dir[d1 + j - 1] = (byte) (v1 < m1 ? LEFT : e1);
                    dir[drow + j] = (byte) (v0 < m0 ? LEFT : e0);
                    v3 = Math.min(v3, m3) + x3;
                    out[j - 2] = v3;
                    w2 = v2;
                    v2 = Math.min(v2, m2) + x2;
                    w1 = v1;
                    v1 = Math.min(v1, m1) + x1;
                    w0 = v0;
                    v0 = Math.min(v0, m0) + x0;
                }
                if (j >= t + 3) break;
            }
            if (j - 3 >= 0 && j - 3 < t) {
                float x = c[c3 + j - 3];
                g3 += x * 0f;
                v3 = cell(w2, v2, v3, x, dir, d3 + j - 3);
                out[j - 2] = v3;
            }
            if (j - 2 >= 0 && j - 2 < t) {
                float x = c[c2 + j - 2];
                g2 += x * 0f;
                double n = cell(w1, v1, v2, x, dir, d2 + j - 2);
                w2 = v2;
                v2 = n;
            }
            if (j - 1 >= 0 && j - 1 < t) {
                float x = c[c1 + j - 1];
                g1 += x * 0f;
                double n = cell(w0, v0, v1, x, dir, d1 + j - 1);
                w1 = v1;
                v1 = n;
            }
            if (j < t) {
                float x = c[crow + j];
                g0 += x * 0f;
                double n = cell(prev[j], prev[j + 1], v0, x, dir, drow + j);
                w0 = v0;
                v0 = n;
            }
        }
        return g0 + g1 + g2 + g3;
    }

    private static DtwAlignment backtrack(byte[] dir, byte[] packed, int[] stripOff, int[] stripLane, int q, int t, int end, double total) {
        int[] qs = new int[q + t - 1], ts = new int[q + t - 1];
        int n = 0, i = q - 1, j = end;
        while (true) {
            qs[n] = i;
            ts[n] = j;
            n++;
            byte d = stripOff[i] < 0 ? dir[i * t + j] : DtwStrip.direction(packed, stripOff[i], stripLane[i], j);
            if (d == START) break;
            if (d == DIAG) {
                i--;
                j--;
            } else if (d == UP) {
                i--;
            } else {
                j--;
            }
        }
        int[] rq = new int[n], rt = new int[n];
        for (int k = 0; k < n; k++) {
            rq[k] = qs[n - 1 - k];
            rt[k] = ts[n - 1 - k];
        }
        return new DtwAlignment(total, q, t, rq, rt);
    }

    static double costKernel(float[] c, int q, int t, Constraint.Window w, boolean openBegin, boolean openEnd, Constraint constraint) {
        return costKernel(c, q, t, w, openBegin, openEnd, constraint, Kernel.FASTEST);
    }

    /** The cost-only kernel; {@link Kernel#STRIP} runs blocks of sixteen full rows at a time, any other kernel one row at a time. */
    static double costKernel(float[] c, int q, int t, Constraint.Window w, boolean openBegin, boolean openEnd, Constraint constraint,
                             Kernel kernel) {
        int[] wlo = w.lo(), whi = w.hi();
        double[] prev = new double[t + DtwStrip.H], cur = new double[t + DtwStrip.H];
        Arrays.fill(prev, INF);
        Arrays.fill(cur, INF);
        float[] skew = kernel == Kernel.STRIP && q > DtwStrip.H ? new float[DtwStrip.bufferFloats()] : null;
        {
            int lo = wlo[0], hi = whi[0];
            if (!openBegin && lo != 0) throw unreachable(q, t, constraint, openBegin, openEnd);
            double left = 0;
            for (int j = lo; j < hi; j++) {
                if (!Float.isFinite(c[j])) throw nonFinite(c, 0, q, t);
                double v = openBegin ? c[j] : left + c[j];
                left = v;
                prev[j + 1] = v;
            }
        }
        for (int i = 1; i < q; i++) {
            if (skew != null && i + DtwStrip.H <= q && fullRows(wlo, whi, i, DtwStrip.H, t)) {
                clearOutside(prev, wlo[i - 1], whi[i - 1], 0, t);
                if (!DtwStrip.strip(c, i * t, t, prev, cur, null, 0, skew)) throw nonFinite(c, 0, q, t);
                i += DtwStrip.H - 1;
                double[] tmp = prev;
                prev = cur;
                cur = tmp;
                continue;
            }
            int lo = wlo[i], hi = whi[i], row = i * t;
            clearOutside(prev, wlo[i - 1], whi[i - 1], lo, hi);
            double left = INF;
            float guard = 0;
            for (int j = lo; j < hi; j++) {
                double diag = prev[j], up = prev[j + 1];
                float cv = c[row + j];
                guard += cv * 0f;
                left = Math.min(left, Math.min(diag, up)) + cv;
                cur[j + 1] = left;
            }
            if (guard != 0) throw nonFinite(c, 0, q, t);
            double[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        double total;
        int lastLo = wlo[q - 1], lastHi = whi[q - 1];
        if (openEnd) {
            total = INF;
            for (int j = lastLo; j < lastHi; j++) total = Math.min(total, prev[j + 1]);
        } else {
            total = lastHi == t ? prev[t] : INF;
        }
        if (total == INF) throw unreachable(q, t, constraint, openBegin, openEnd);
        return total;
    }

    /** The precise error for a non-finite cost (found by a full scan, only on the error path). */
    private static IllegalArgumentException nonFinite(float[] c, int off, int q, int t) {
        try {
            Checks.matrix("cost matrix", java.util.Arrays.copyOfRange(c, off, off + q * t), q, t);
        } catch (IllegalArgumentException e) {
            return e;
        }
        return new IllegalArgumentException("cost matrix [" + q + ", " + t + "] has a non-finite value; check the inputs for NaN/Inf");
    }

    private static IllegalArgumentException unreachable(int q, int t, Constraint constraint, boolean openBegin, boolean openEnd) {
        return new IllegalArgumentException("no warping path through the " + q + " x " + t + " cost matrix satisfies " + constraint
            + (openBegin ? " (open begin)" : "") + (openEnd ? " (open end)" : "")
            + ": the constraint is too narrow to reach the corner; widen the band / slope or use Constraint.none()");
    }
}
