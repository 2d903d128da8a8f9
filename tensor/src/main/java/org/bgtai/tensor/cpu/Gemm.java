package org.bgtai.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.bgtai.tensor.Parallel;

/**
 * Single-precision matrix product on the CPU: {@code C[m x n] (+)= A[m x k] * B[k x n]}.
 *
 * <p>Operands are addressed by offset and element strides, so transposed and strided views need
 * no copy: {@code A(i,p) = a[aOff + i*aRs + p*aCs]}, {@code B(p,j) = b[bOff + p*bRs + j*bCs]},
 * {@code C(i,j) = c[cOff + i*ldc + j]}. For example {@code A^T} of a row-major {@code [k x m]}
 * array is {@code aRs = 1, aCs = m}. C must not overlap A or B.
 *
 * <p>Large products follow the GotoBLAS/BLIS scheme: B is packed {@code KC x NC} at a time into
 * {@code NR}-column slivers (kept in L3 / L1), A is packed {@code MC x KC} at a time into
 * {@code MR}-row slivers (kept in L2), and a {@code MR x NR} register-tiled micro-kernel
 * (3 rows x 3 vectors, broadcast A, FMA into 9 vector accumulators) walks the packed panels.
 * Threads ({@link Parallel}) share the packed B panel and split the rows of C. Small products
 * skip packing and threading; small batched products run whole batch items per thread.
 * Packing buffers are per-thread and reused, so a steady state allocates nothing but a few
 * task objects.
 *
 * <pre>{@code
 * // y[rows x out] = x[rows x in] * w^T, w stored row-major [out x in]
 * Gemm.sgemm(rows, out, in, x, 0, in, 1, w, 0, 1, in, y, 0, out, false);
 * }</pre>
 *
 * <p>{@link GemmReference} is the scalar reference the tests compare against.
 */
public final class Gemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int VL = S.length();
    /**
     * Micro-tile rows. 3 rows x 3 vectors (9 accumulators + 3 B vectors + 1 broadcast = 13 of 16
     * AVX2 registers) measured fastest here: C2 spills in 6 x 2-vector tiles (15 live vectors).
     */
    static final int MR = 3;
    /** Micro-tile columns: three vectors. */
    static final int NR = 3 * VL;
    /** Depth of one packed panel: a B sliver KC x NR (18 KB) stays in the 32 KB L1. */
    static final int KC = Integer.getInteger("bgtai.gemm.kc", 192);
    /** Rows of one packed A block: MC x KC (180 KB) stays in the 512 KB L2. */
    static final int MC = roundUp(Integer.getInteger("bgtai.gemm.mc", 240), MR);
    /** Columns of one packed B panel (KC x NC stays in L3). */
    static final int NC = roundUp(Integer.getInteger("bgtai.gemm.nc", 4080), NR);
    /** Below this many multiply-adds (m*n*k) the product runs unpacked on the calling thread. */
    static final long SMALL = Long.getLong("bgtai.gemm.small", 1L << 16);
    /** Below this many multiply-adds a product (or batch chunk) is not split across threads. */
    static final long PARALLEL_MIN = Long.getLong("bgtai.gemm.parallelMin", 1L << 18);

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private Gemm() {}

    /**
     * {@code C[m x n] (+)= A[m x k] * B[k x n]} with strided operands (see the class comment).
     *
     * @param a A(i,p) = a[aOff + i*aRs + p*aCs], i in [0,m), p in [0,k)
     * @param b B(p,j) = b[bOff + p*bRs + j*bCs], j in [0,n)
     * @param c C(i,j) = c[cOff + i*ldc + j], row-major output; must not overlap a or b
     * @param accumulate false overwrites C, true adds the product to it
     * @throws IllegalArgumentException on negative sizes, {@code ldc < n} or indices outside an array
     */
    public static void sgemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                             float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate) {
        GemmChecks.check(1, m, n, k, a, aOff, 0, aRs, aCs, b, bOff, 0, bRs, bCs, c, cOff, 0, ldc);
        gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, Parallel.threads() > 1);
    }

    /**
     * Batched product: for {@code t} in {@code [0, batch)}, the same as {@link #sgemm} with offsets
     * {@code aOff + t*aBs}, {@code bOff + t*bBs}, {@code cOff + t*cBs}. A batch stride of 0
     * broadcasts that operand; with {@code cBs = 0} and {@code accumulate = true} the products of all
     * batch items are summed into one C (items then run in order).
     *
     * @throws IllegalArgumentException on negative sizes, {@code ldc < n} or indices outside an array
     */
    public static void sgemmBatched(int batch, int m, int n, int k, float[] a, int aOff, int aBs, int aRs, int aCs,
                                    float[] b, int bOff, int bBs, int bRs, int bCs, float[] c, int cOff, int cBs, int ldc,
                                    boolean accumulate) {
        GemmChecks.check(batch, m, n, k, a, aOff, aBs, aRs, aCs, b, bOff, bBs, bRs, bCs, c, cOff, cBs, ldc);
        if (batch == 0 || m == 0 || n == 0) return;
        long work = (long) m * n * k;
        long cSpan = (long) (m - 1) * ldc + n;
        boolean disjoint = Math.abs((long) cBs) >= cSpan;
        boolean threaded = Parallel.threads() > 1;
        if (batch > 1 && disjoint && threaded && work < 4 * PARALLEL_MIN) {
            int grain = (int) Math.max(1, PARALLEL_MIN / Math.max(1, work));
            Parallel.forRange(batch, grain, (lo, hi) -> {
                for (int t = lo; t < hi; t++) {
                    gemm(m, n, k, a, aOff + t * aBs, aRs, aCs, b, bOff + t * bBs, bRs, bCs,
                        c, cOff + t * cBs, ldc, accumulate, false);
                }
            });
            return;
        }
        for (int t = 0; t < batch; t++) {
            gemm(m, n, k, a, aOff + t * aBs, aRs, aCs, b, bOff + t * bBs, bRs, bCs,
                c, cOff + t * cBs, ldc, accumulate, threaded);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Dispatch

    private static void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                             float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc,
                             boolean accumulate, boolean threaded) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
            return;
        }
        long work = (long) m * n * k;
        if (work < SMALL) {
            GemmSmall.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
        } else if (!threaded || work < PARALLEL_MIN) {
            blocked(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, WORKSPACE.get(), MC, KC, NC);
        } else {
            parallel(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, MC, KC, NC);
        }
    }

    /** Entry for tests: the packed path with explicit block sizes, threaded or not. */
    static void packed(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                       float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate,
                       boolean threaded, int mcB, int kcB, int ncB) {
        GemmChecks.check(1, m, n, k, a, aOff, 0, aRs, aCs, b, bOff, 0, bRs, bCs, c, cOff, 0, ldc);
        if (m == 0 || n == 0 || k == 0) {
            gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, false);
            return;
        }
        int mcR = roundUp(mcB, MR), ncR = roundUp(ncB, NR);
        if (threaded) parallel(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, mcR, kcB, ncR);
        else blocked(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, WORKSPACE.get(), mcR, kcB, ncR);
    }

    // ---------------------------------------------------------------------------------------------
    // Blocked (packed) product

    /** Per-thread packing buffers, grown on demand and reused. */
    static final class Workspace {
        float[] aPack = new float[0];
        float[] bPack = new float[0];
        final float[] tile = new float[MR * NR];

        float[] aPack(int size) {
            if (aPack.length < size) aPack = new float[size];
            return aPack;
        }

        float[] bPack(int size) {
            if (bPack.length < size) bPack = new float[size];
            return bPack;
        }
    }

    /** Depth of each k block: k split into equal blocks of at most kcB. */
    private static int depth(int k, int kcB) {
        int blocks = (k + kcB - 1) / kcB;
        return (k + blocks - 1) / blocks;
    }

    /** One thread, all loops: jc (NC) / pc (KC) / ic (MC) / macro-kernel. */
    static void blocked(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                        float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate,
                        Workspace ws, int mcB, int kcB, int ncB) {
        int kcMax = depth(k, kcB);
        int ncMax = Math.min(ncB, roundUp(n, NR));
        int mcMax = Math.min(mcB, roundUp(m, MR));
        float[] bp = ws.bPack(kcMax * ncMax);
        float[] ap = ws.aPack(kcMax * mcMax);
        for (int jc = 0; jc < n; jc += ncB) {
            int nc = Math.min(ncB, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                packB(kc, nc, 0, (nc + NR - 1) / NR, b, bOff + pc * bRs + jc * bCs, bRs, bCs, bp);
                boolean add = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += mcB) {
                    int mc = Math.min(mcB, m - ic);
                    packA(mc, kc, a, aOff + ic * aRs + pc * aCs, aRs, aCs, ap);
                    macro(mc, nc, kc, ap, bp, c, cOff + ic * ldc + jc, ldc, add, ws.tile);
                }
            }
        }
    }

    /**
     * Threads share each packed B panel (packed in parallel) and split C's rows in MR-row units;
     * each thread packs its own A blocks. Products with too few rows split C's columns instead.
     */
    static void parallel(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                         float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate,
                         int mcB, int kcB, int ncB) {
        int threads = Parallel.threads();
        int rowSlivers = (m + MR - 1) / MR;
        if (rowSlivers < 2 * threads) {
            int colSlivers = (n + NR - 1) / NR;
            Parallel.forRange(colSlivers, 1, (lo, hi) -> {
                int j0 = lo * NR, j1 = Math.min(n, hi * NR);
                blocked(m, j1 - j0, k, a, aOff, aRs, aCs, b, bOff + j0 * bCs, bRs, bCs, c, cOff + j0, ldc, accumulate,
                    WORKSPACE.get(), mcB, kcB, ncB);
            });
            return;
        }
        int kcMax = depth(k, kcB);
        int ncMax = Math.min(ncB, roundUp(n, NR));
        float[] bp = WORKSPACE.get().bPack(kcMax * ncMax);
        // 4 equal chunks per thread: balanced, and small enough for work stealing to even out noise.
        int rowGrain = Math.max(1, (rowSlivers + 4 * threads - 1) / (4 * threads));
        for (int jc = 0; jc < n; jc += ncB) {
            int nc = Math.min(ncB, n - jc);
            int ncSlivers = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                int bBase = bOff + pc * bRs + jc * bCs;
                Parallel.forRange(ncSlivers, Math.max(4, (ncSlivers + 4 * threads - 1) / (4 * threads)), (lo, hi) -> packB(kc, nc, lo, hi, b, bBase, bRs, bCs, bp));
                boolean add = accumulate || pc > 0;
                int aBase = aOff + pc * aCs, cBase = cOff + jc;
                Parallel.forRange(rowSlivers, rowGrain, (lo, hi) -> {
                    Workspace ws = WORKSPACE.get();
                    int i1 = Math.min(m, hi * MR);
                    float[] ap = ws.aPack(kc * Math.min(mcB, roundUp(i1 - lo * MR, MR)));
                    for (int ic = lo * MR; ic < i1; ic += mcB) {
                        int mc = Math.min(mcB, i1 - ic);
                        packA(mc, kc, a, aBase + ic * aRs, aRs, aCs, ap);
                        macro(mc, nc, kc, ap, bp, c, cBase + ic * ldc, ldc, add, ws.tile);
                    }
                });
            }
        }
    }

    /**
     * Packs B(p, j) for p in [0,kc), j in slivers [s0,s1) of the nc-column panel into NR-column
     * slivers: {@code bp[s*kc*NR + p*NR + jj] = B(p, s*NR + jj)}, zero beyond nc.
     */
    static void packB(int kc, int nc, int s0, int s1, float[] b, int base, int bRs, int bCs, float[] bp) {
        for (int s = s0; s < s1; s++) {
            int j0 = s * NR;
            int nr = Math.min(NR, nc - j0);
            int dst = s * kc * NR;
            if (bCs == 1 && nr == NR) {
                int src = base + j0;
                for (int p = 0; p < kc; p++, src += bRs, dst += NR) {
                    FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                    FloatVector.fromArray(S, b, src + VL).intoArray(bp, dst + VL);
                    FloatVector.fromArray(S, b, src + 2 * VL).intoArray(bp, dst + 2 * VL);
                }
            } else if (bCs == 1) {
                int src = base + j0;
                for (int p = 0; p < kc; p++, src += bRs, dst += NR) {
                    for (int jj = 0; jj < nr; jj++) bp[dst + jj] = b[src + jj];
                    for (int jj = nr; jj < NR; jj++) bp[dst + jj] = 0f;
                }
            } else {
                for (int jj = 0; jj < nr; jj++) {
                    int src = base + (j0 + jj) * bCs;
                    for (int p = 0, d = dst + jj; p < kc; p++, src += bRs, d += NR) bp[d] = b[src];
                }
                if (nr < NR) {
                    for (int p = 0, d = dst; p < kc; p++, d += NR) {
                        for (int jj = nr; jj < NR; jj++) bp[d + jj] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs A(i, p) for i in [0,mc), p in [0,kc) into MR-row slivers:
     * {@code ap[s*kc*MR + p*MR + r] = A(s*MR + r, p)}, zero beyond mc.
     */
    static void packA(int mc, int kc, float[] a, int base, int aRs, int aCs, float[] ap) {
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int mr = Math.min(MR, mc - i0);
            int dst = i0 * kc;
            if (mr == MR && aRs == 1) {
                int src = base + i0;
                for (int p = 0; p < kc; p++, src += aCs, dst += MR) {
                    ap[dst] = a[src];
                    ap[dst + 1] = a[src + 1];
                    ap[dst + 2] = a[src + 2];
                }
            } else if (mr == MR) {
                int s0 = base + i0 * aRs;
                int s1 = s0 + aRs, s2 = s1 + aRs;
                for (int p = 0, q = 0; p < kc; p++, q += aCs, dst += MR) {
                    ap[dst] = a[s0 + q];
                    ap[dst + 1] = a[s1 + q];
                    ap[dst + 2] = a[s2 + q];
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    if (r < mr) {
                        int src = base + (i0 + r) * aRs;
                        for (int p = 0, d = dst + r; p < kc; p++, src += aCs, d += MR) ap[d] = a[src];
                    } else {
                        for (int p = 0, d = dst + r; p < kc; p++, d += MR) ap[d] = 0f;
                    }
                }
            }
        }
    }

    /** Multiplies a packed mc x kc A block by a packed kc x nc B panel into C. */
    static void macro(int mc, int nc, int kc, float[] ap, float[] bp, float[] c, int cOff, int ldc,
                      boolean add, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bIdx = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int aIdx = ir * kc;
                int cIdx = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    kernel(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, add);
                } else {
                    kernel(kc, ap, aIdx, bp, bIdx, tile, 0, NR, false);
                    for (int r = 0; r < mr; r++) {
                        int row = cIdx + r * ldc;
                        for (int jj = 0; jj < nr; jj++) {
                            c[row + jj] = add ? c[row + jj] + tile[r * NR + jj] : tile[r * NR + jj];
                        }
                    }
                }
            }
        }
    }

    /**
     * The micro-kernel: C[3 x NR] (+)= Ap[3 x kc] * Bp[kc x NR] with A and B packed slivers.
     * Nine vector accumulators stay in registers for the whole depth; each step loads three B
     * vectors, broadcasts three A values and issues nine FMAs.
     */
    static void kernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + VL);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * VL);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            c02 = b2.fma(av, c02);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            c12 = b2.fma(av, c12);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            c22 = b2.fma(av, c22);
        }
        // Stores written out by hand: a helper taking vectors that C2 fails to inline would box them.
        int i0 = cIdx, i1 = i0 + ldc, i2 = i1 + ldc;
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, i0));
            c01 = c01.add(FloatVector.fromArray(S, c, i0 + VL));
            c02 = c02.add(FloatVector.fromArray(S, c, i0 + 2 * VL));
            c10 = c10.add(FloatVector.fromArray(S, c, i1));
            c11 = c11.add(FloatVector.fromArray(S, c, i1 + VL));
            c12 = c12.add(FloatVector.fromArray(S, c, i1 + 2 * VL));
            c20 = c20.add(FloatVector.fromArray(S, c, i2));
            c21 = c21.add(FloatVector.fromArray(S, c, i2 + VL));
            c22 = c22.add(FloatVector.fromArray(S, c, i2 + 2 * VL));
        }
        c00.intoArray(c, i0);
        c01.intoArray(c, i0 + VL);
        c02.intoArray(c, i0 + 2 * VL);
        c10.intoArray(c, i1);
        c11.intoArray(c, i1 + VL);
        c12.intoArray(c, i1 + 2 * VL);
        c20.intoArray(c, i2);
        c21.intoArray(c, i2 + VL);
        c22.intoArray(c, i2 + 2 * VL);
    }

    static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
