package org.bgtai.tensor.cpu;

import java.lang.invoke.VarHandle;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.bgtai.tensor.Parallel;

/**
 * The Vector API implementation behind {@link Gemm} (loaded only when {@link
 * org.bgtai.tensor.Vectorization#ENABLED}): {@code C[m x n] (+)= A[m x k] * B[k x n]} with the
 * strided addressing described on {@link Gemm}; arguments are already checked.
 *
 * <p>Large products follow the GotoBLAS/BLIS scheme: B is packed {@code KC x NC} at a time into
 * {@code NR}-column slivers (panel in L3, sliver in L2), A is packed {@code MC x KC} at a time into
 * {@code MR}-row slivers (kept in L2), and a {@code MR x NR} register-tiled micro-kernel
 * (broadcast A, FMA into vector accumulators) walks the packed panels.
 * Threads ({@link Parallel}) share each packed B panel (packed by all of them) and split C's rows,
 * joining once per depth block ({@link #SHARED_B}, the default); the alternative gives each
 * thread one independent part of C (a column or row range on whole micro-tiles) with its own
 * packed A and B, a single fork/join per call. The tile and block sizes are a {@link Config}. Small products
 * skip packing and threading; small batched products run whole batch items per thread.
 * Packing buffers are per-thread and reused, so a steady state allocates nothing but a few
 * task objects.
 */
final class GemmKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int VL = S.length();
    /** Floats per depth step of a packed 6-row A sliver ({@link #aStride}). */
    static final int A6 = aStride(6, 2);
    /**
     * Register tile and cache blocks of the packed path: {@code mr} rows x {@code nv} vectors
     * micro-tile, depth {@code kc}, rows {@code mc} of a packed A block, columns {@code nc} of a
     * packed B panel. Tiles: 6x2 and 4x2 (rows x vectors).
     */
    record Config(int mr, int nv, int kc, int mc, int nc) {
        Config {
            if (!(nv == 2 && (mr == 4 || mr == 6))) {
                throw new IllegalArgumentException("no " + mr + "x" + nv + " micro-kernel: use 6x2 or 4x2");
            }
            mc = roundUp(Math.max(1, mc), mr);
            nc = roundUp(Math.max(1, nc), nv * VL);
            kc = Math.max(1, kc);
        }

        int nr() {
            return nv * VL;
        }

        /** Floats per depth step of a packed A sliver: {@link #aStride}. */
        int as() {
            return aStride(mr, nv);
        }
    }

    /**
     * Floats per depth step of a packed A sliver of mr rows: the smallest divisor of the tile's
     * width nv*VL that holds mr rows (6 rows -> 8, unused lanes never read), so that the B index
     * is a constant multiple of the A index and the micro-kernel loop needs one counter.
     */
    static int aStride(int mr, int nv) {
        int nr = nv * VL, as = mr;
        while (nr % as != 0) as++;
        return as;
    }

    /**
     * The configuration in use (tests and tuning swap it). Default 6 rows x 2 vectors (6x16 on
     * AVX2), kc 1024, mc 24. 6x2 keeps 12 accumulators and reuses each B vector six times (4x2:
     * four), so it streams a third less B per FMA and runs fewer instructions per FMA (one depth
     * step: 25 per 12 FMAs; 4x2: 19 per 8, i.e. 28.5 per 12). It needs the fences in {@link
     * #kernel6x2}: without them C2 hoists the six broadcasts of a step above the FMAs and spills
     * an accumulator (41 GFLOP/s). Interleaved
     * GemmTune runs, 6x2 mc 24 vs 4x2 mc 48 (best of 6-8 rounds): one thread 256^3-2048^3 and
     * 1152x1024x256 +2 to +43 % (e.g. 2048^3 90.0 vs 62.9, 90.7 vs 84.3; 1024^3 81.8 vs 67.7,
     * 91.7 vs 87.1), two threads 0 to +23 % (2048^3 175.7 vs 164.8, 149.2 vs 128.0; 1152x1024x256
     * 169.6 vs 158.5, 135.9 vs 122.1); mc 24, 30 and 48 within noise of each other (mc 24: the
     * A block, 4 slivers x 1024 x 8 floats = 128 KB, plus a 64 KB B sliver is the footprint 4x2
     * had in L2). A 6x2 tile reading A pre-broadcast (FMA operands loaded from memory, no
     * spill; 95 vs 85 GFLOP/s for 4x2 with all data in L1) was slower inside the blocked product
     * (55-63 vs 78-81 GFLOP/s, kc 48-192): eight times the A traffic. 3x3 (removed) was faster
     * in L1 but not in the product.
     *
     * <p>Depth: kc 1024 (one depth block up to k = 1024) beat the former kc 384 / mc 160 (B
     * sliver 24 KB in L1) in every interleaved GemmTune comparison (per-thread CPU time): one
     * thread +2-20% (e.g. 1000^3 83 vs 70, 1024^3 90 vs 85, 1024x256x768 67-74 vs 60 GFLOP/s),
     * two threads 0-50% (512^3 155 vs 113, 768x256x1024 144 vs 94, 1024^3 159 vs 131; 2048^3 and
     * k = 256 shapes level). Fewer depth blocks mean C tiles are read back and rewritten less
     * often (those reads miss the cache, and Java has no prefetch) and fewer kernel calls; the
     * B sliver (kc x 16 floats = 64 KB) and the A block (then 4x2, 48 x 1024 floats = 192 KB) both
     * stay in the 512 KB L2, which streams 80 bytes per 8 FMAs without stalling.
     *
     * <p>Columns: panels of at most nc 1024 (n split into equal panels, {@link #panelWidth}), so
     * the shared packed B panel is at most 4 MB of the L3 that other tenants share (was 4080
     * columns, 16 MB): two-thread 2048^3 per-call medians 119-128 vs 103-104 GFLOP/s and best
     * calls 161-169 vs 125-130 in alternated runs; one thread and n = 1100 (two panels of 560)
     * level within noise.
     */
    static Config config = new Config(Integer.getInteger("bgtai.gemm.mr", 6), Integer.getInteger("bgtai.gemm.nv", 2),
        Integer.getInteger("bgtai.gemm.kc", 1024), Integer.getInteger("bgtai.gemm.mc", 24),
        Integer.getInteger("bgtai.gemm.nc", 1024));
    /** Largest tile (12 vectors), for the edge buffer. */
    static final int MAX_TILE = 12 * VL;
    /** Below this many multiply-adds (m*n*k) the product runs unpacked on the calling thread. */
    static final long SMALL = Long.getLong("bgtai.gemm.small", 1L << 16);
    /** Below this many multiply-adds a batch chunk is not split across threads. */
    static final long PARALLEL_MIN = Long.getLong("bgtai.gemm.parallelMin", 1L << 18);
    /**
     * Below this many multiply-adds a single product runs on the calling thread: waking the pool
     * costs ~50-150 us on the 2-core VM (GemmTune, 2 vs 1 thread: 2 threads slower up to 192^3,
     * 7M multiply-adds; faster from 256^3, 16.8M).
     */
    static final long PARALLEL_MIN_PRODUCT = Long.getLong("bgtai.gemm.parallelMinProduct", 1L << 23);

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private GemmKernels() {}

    /** {@link Gemm#sgemm} after its argument checks. */
    static void sgemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                      float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, Parallel.threads() > 1);
    }

    /** {@link Gemm#sgemmBatched} after its argument checks. */
    static void sgemmBatched(int batch, int m, int n, int k, float[] a, int aOff, int aBs, int aRs, int aCs,
                             float[] b, int bOff, int bBs, int bRs, int bCs, float[] c, int cOff, int cBs, int ldc,
                             boolean accumulate) {
        if (batch == 0 || m == 0 || n == 0) return;
        long work = (long) m * n * k;
        long cSpan = (long) (m - 1) * ldc + n;
        boolean disjoint = Math.abs((long) cBs) >= cSpan;
        boolean threaded = Parallel.threads() > 1;
        if (batch > 1 && disjoint && threaded && work < PARALLEL_MIN_PRODUCT) {
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
        } else if (!threaded || work < PARALLEL_MIN_PRODUCT) {
            blocked(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, WORKSPACE.get(), config);
        } else {
            parallel(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, config);
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
        Config cf = new Config(config.mr(), config.nv(), kcB, mcB, ncB);
        if (threaded) parallel(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, cf);
        else blocked(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, WORKSPACE.get(), cf);
    }

    // ---------------------------------------------------------------------------------------------
    // Blocked (packed) product

    /** Per-thread packing buffers, grown on demand and reused. */
    static final class Workspace {
        float[] aPack = new float[0];
        float[] bPack = new float[0];
        final float[] tile = new float[MAX_TILE];

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

    /** Width of each column panel: n split into equal panels of at most ncB columns, whole slivers of nr. */
    private static int panelWidth(int n, int ncB, int nr) {
        int panels = (n + ncB - 1) / ncB;
        return roundUp((n + panels - 1) / panels, nr);
    }

    /** One thread, all loops: jc (nc) / pc (kc) / ic (mc) / macro-kernel. */
    static void blocked(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                        float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate,
                        Workspace ws, Config cf) {
        int mr = cf.mr(), nv = cf.nv(), nr = cf.nr(), mcB = cf.mc(), ncB = cf.nc(), as = cf.as();
        int kcMax = depth(k, cf.kc());
        int ncMax = panelWidth(n, ncB, nr);
        int mcMax = Math.min(mcB, roundUp(m, mr));
        float[] bp = ws.bPack(kcMax * ncMax);
        float[] ap = ws.aPack(kcMax * (mcMax / mr * as));
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                packB(nv, kc, nc, 0, (nc + nr - 1) / nr, b, bOff + pc * bRs + jc * bCs, bRs, bCs, bp);
                boolean add = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += mcB) {
                    int mc = Math.min(mcB, m - ic);
                    packA(mr, as, mc, kc, a, aOff + ic * aRs + pc * aCs, aRs, aCs, ap);
                    macro(mr, nv, as, mc, nc, kc, ap, bp, c, cOff + ic * ldc + jc, ldc, add, ws.tile);
                }
            }
        }
    }

    /**
     * Threads share each packed B panel (packed in parallel) and split C's rows in mr-row units;
     * each thread packs its own A blocks. Products with too few rows split C's columns instead.
     */
    static void parallel(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                         float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate,
                         Config cf) {
        int mr = cf.mr(), nv = cf.nv(), nr = cf.nr(), mcB = cf.mc(), ncB = cf.nc();
        int threads = Parallel.threads();
        int rowSlivers = (m + mr - 1) / mr;
        int colSlivers = (n + nr - 1) / nr;
        if (!SHARED_B) {
            // One independent part per thread (no barrier, one fork/join per call). Split the
            // dimension whose duplicate packing is cheaper: columns re-pack all of A (m*k per part),
            // rows re-pack all of B (k*n per part); a gather (non-unit stride) costs about twice a
            // contiguous copy. Boundaries fall on whole mr rows / nr columns.
            long dupA = (long) m * k * (aRs == 1 ? 1 : 2), dupB = (long) k * n * (bCs == 1 ? 1 : 2);
            boolean byColumns = colSlivers >= threads
                && (SPLIT == 'c' || SPLIT != 'r' && dupA < dupB || rowSlivers < threads);
            int slivers = byColumns ? colSlivers : rowSlivers;
            int parts = Math.min(threads, slivers);
            if (parts <= 1) {
                blocked(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, WORKSPACE.get(), cf);
                return;
            }
            Parallel.forRange(parts, 1, (lo, hi) -> {
                for (int t = lo; t < hi; t++) {
                    int s0 = (int) ((long) slivers * t / parts), s1 = (int) ((long) slivers * (t + 1) / parts);
                    if (byColumns) {
                        int j0 = s0 * nr, j1 = Math.min(n, s1 * nr);
                        blocked(m, j1 - j0, k, a, aOff, aRs, aCs, b, bOff + j0 * bCs, bRs, bCs, c, cOff + j0, ldc,
                            accumulate, WORKSPACE.get(), cf);
                    } else {
                        int i0 = s0 * mr, i1 = Math.min(m, s1 * mr);
                        blocked(i1 - i0, n, k, a, aOff + i0 * aRs, aRs, aCs, b, bOff, bRs, bCs, c, cOff + i0 * ldc, ldc,
                            accumulate, WORKSPACE.get(), cf);
                    }
                }
            });
            return;
        }
        if (COLUMN_SPLIT && colSlivers >= 2 * threads) {
            // Independent column chunks: no barrier at all; each chunk packs its own B columns and
            // (re)packs A, which costs only m*k per chunk against 2*m*k*chunkColumns flops.
            int chunks = CHUNKS_PER_THREAD * threads;
            int grain = Math.max(1, (colSlivers + chunks - 1) / chunks);
            Parallel.forRange(colSlivers, grain, (lo, hi) -> {
                int j0 = lo * nr, j1 = Math.min(n, hi * nr);
                blocked(m, j1 - j0, k, a, aOff, aRs, aCs, b, bOff + j0 * bCs, bRs, bCs, c, cOff + j0, ldc, accumulate,
                    WORKSPACE.get(), cf);
            });
            return;
        }
        if (rowSlivers < 2 * threads) {
            Parallel.forRange(colSlivers, 1, (lo, hi) -> {
                int j0 = lo * nr, j1 = Math.min(n, hi * nr);
                blocked(m, j1 - j0, k, a, aOff, aRs, aCs, b, bOff + j0 * bCs, bRs, bCs, c, cOff + j0, ldc, accumulate,
                    WORKSPACE.get(), cf);
            });
            return;
        }
        int kcMax = depth(k, cf.kc());
        int ncMax = panelWidth(n, ncB, nr);
        float[] bp = WORKSPACE.get().bPack(kcMax * ncMax);
        // Row chunks (in slivers) claimed dynamically by the threads: shrinking ones by default
        // (GUIDED), so the thread that finishes first takes the small last chunks.
        int as = cf.as();
        int[] bounds = chunkBounds(rowSlivers, CHUNKS_PER_THREAD * threads, GUIDED ? 1 - 0.5 / threads : 1);
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            int ncSlivers = (nc + nr - 1) / nr;
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                int bBase = bOff + pc * bRs + jc * bCs;
                Parallel.forRange(ncSlivers, Math.max(4, (ncSlivers + 4 * threads - 1) / (4 * threads)),
                    (lo, hi) -> packB(nv, kc, nc, lo, hi, b, bBase, bRs, bCs, bp));
                boolean add = accumulate || pc > 0;
                int aBase = aOff + pc * aCs, cBase = cOff + jc;
                Parallel.RangeBody rows = (lo, hi) -> {
                    Workspace ws = WORKSPACE.get();
                    int i0 = lo * mr, i1 = Math.min(m, hi * mr);
                    int blocks = (i1 - i0 + mcB - 1) / mcB;
                    // equal A blocks of at most mcB rows (no thin leftover block)
                    int mcEq = roundUp((i1 - i0 + blocks - 1) / blocks, mr);
                    float[] ap = ws.aPack(kc * (mcEq / mr * as));
                    for (int ic = i0; ic < i1; ic += mcEq) {
                        int mc = Math.min(mcEq, i1 - ic);
                        packA(mr, as, mc, kc, a, aBase + ic * aRs, aRs, aCs, ap);
                        macro(mr, nv, as, mc, nc, kc, ap, bp, c, cBase + ic * ldc, ldc, add, ws.tile);
                    }
                };
                Parallel.forEach(bounds.length - 1, (t0, t1) -> {
                    for (int t = t0; t < t1; t++) rows.run(bounds[t], bounds[t + 1]);
                });
            }
        }
    }

    /**
     * Whether {@link #parallel}'s row chunks shrink geometrically by (1 - 1/(2 threads)) each
     * ({@link #chunkBounds}, the default) instead of being equal: the thread that finishes first takes the small last chunks,
     * so the wait at the join is a small chunk rather than up to a whole one. Per-call medians, two
     * threads, alternated runs (GFLOP/s): 512^3 160.6, 151.6, 160.6, 151.7 vs 129.3, 137.5, 136.9,
     * 141.4; 1152x1024x256 136.3, 134.4 vs 127.9, 134.4; 256^3 and 1024^3 2 of 4 and 1 of 2 ahead;
     * 2048^3 136.5, 143.8 vs 141.3, 148.2. Bench right after: 0.97-1.14 of NumPy at every size but
     * one 0.91 (2048^3), in two runs.
     */
    static boolean GUIDED = Boolean.parseBoolean(System.getProperty("bgtai.gemm.guided", "true"));

    /**
     * Bounds of at most {@code chunks} chunks over [0,n) whose sizes fall geometrically by the
     * factor q in (0, 1] (q = 1: equal chunks; q &lt; 1: guided scheduling), rounded on
     * cumulative sums; no chunk is empty.
     */
    static int[] chunkBounds(int n, int chunks, double q) {
        double total = 0;
        double[] w = new double[chunks];
        for (int i = 0; i < chunks; i++) total += (w[i] = Math.pow(q, i));
        int[] b = new int[chunks + 1];
        int count = 0;
        double cum = 0;
        for (int i = 0; i < chunks; i++) {
            cum += w[i];
            int e = (int) Math.round(n * cum / total);
            if (e > b[count]) b[++count] = e;
        }
        b[count] = n;
        return java.util.Arrays.copyOf(b, count + 1);
    }

    /**
     * Whether {@link #parallel} uses the shared-B scheme (B panel packed once by all threads, rows
     * split in {@link #CHUNKS_PER_THREAD} chunks per thread, a join per depth block; the default)
     * instead of one independent part per thread (each thread packs all of B). With kc 1024 a
     * thread's B panel is up to 1024 x n floats, and two private copies crowd the shared L3:
     * shared B won 18 of 25 interleaved two-thread GemmTune comparisons (256^3 to 2048^3,
     * 1152x1024x256, 768x256x1024), by ~10 % on average. (With kc 384 and the old fork/join pool
     * the independent parts had measured faster.)
     */
    static boolean SHARED_B = Boolean.parseBoolean(System.getProperty("bgtai.gemm.sharedB", "true"));

    /** Split of the independent scheme: 'a' auto (duplicate the smaller packing), 'c' columns, 'r' rows. */
    static char SPLIT = System.getProperty("bgtai.gemm.split", "a").charAt(0);

    /** With {@link #SHARED_B}: whether {@link #parallel} splits C by columns (independent chunks) rather than rows. */
    static boolean COLUMN_SPLIT = Boolean.parseBoolean(System.getProperty("bgtai.gemm.columnSplit", "false"));

    /**
     * Row chunks per thread in {@link #parallel} (at most 4: {@link Parallel#forRange} makes at most
     * 4 per thread). 4 rather than 2: when the VM preempts a thread, the other takes over more of
     * the work; per-call medians of two-thread products were higher in 6 of 9 alternated runs
     * (1152x1024x256 3 of 3, e.g. 115 vs 88 GFLOP/s; 256^3 2 of 2; 512^3 and 1024^3 1 of 2), best
     * cases level.
     */
    static int CHUNKS_PER_THREAD = Integer.getInteger("bgtai.gemm.chunks", 4);

    /**
     * Packs B(p, j) for p in [0,kc), j in slivers [s0,s1) of the nc-column panel into nr = nv*VL
     * column slivers: {@code bp[s*kc*nr + p*nr + jj] = B(p, s*nr + jj)}, zero beyond nc.
     */
    static void packB(int nv, int kc, int nc, int s0, int s1, float[] b, int base, int bRs, int bCs, float[] bp) {
        int nrB = nv * VL;
        int s = s0;
        if (bCs == 1 && nv == 2) {   // full slivers of row-major B; below: a partial sliver, strided B
            int full = Math.min(s1, nc / nrB);
            if (full > s0) {
                packRowMajorB(kc, s0, full, b, base, bRs, bp);
                s = full;
            }
        }
        for (; s < s1; s++) {
            int j0 = s * nrB;
            int nr = Math.min(nrB, nc - j0);
            int dst = s * kc * nrB;
            if (bCs == 1) {
                int src = base + j0;
                for (int p = 0; p < kc; p++, src += bRs, dst += nrB) {
                    for (int jj = 0; jj < nr; jj++) bp[dst + jj] = b[src + jj];
                    for (int jj = nr; jj < nrB; jj++) bp[dst + jj] = 0f;
                }
            } else {
                for (int jj = 0; jj < nr; jj++) {
                    int src = base + (j0 + jj) * bCs;
                    for (int p = 0, d = dst + jj; p < kc; p++, src += bRs, d += nrB) bp[d] = b[src];
                }
                if (nr < nrB) {
                    for (int p = 0, d = dst; p < kc; p++, d += nrB) {
                        for (int jj = nr; jj < nrB; jj++) bp[d + jj] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Full 2-vector slivers [s0,s1) of row-major B, 16 rows at a time across the slivers: a
     * sliver at a time read 16 floats per row of B, one row (often one 4 KB page) per step.
     * Probe, packB of a whole panel, alternated runs: 256 x 256 0.18-0.19 vs 0.30 ns per element,
     * 1024 x 1024 0.27-0.37 vs 0.26-1.05.
     */
    private static void packRowMajorB(int kc, int s0, int s1, float[] b, int base, int bRs, float[] bp) {
        int nr = 2 * VL, sliverSize = kc * nr;
        for (int p0 = 0; p0 < kc; p0 += 16) {
            int p1 = Math.min(kc, p0 + 16);
            for (int s = s0; s < s1; s++) {
                int src = base + p0 * bRs + s * nr, d = s * sliverSize + p0 * nr;
                for (int p = p0; p < p1; p++, src += bRs, d += nr) {
                    FloatVector.fromArray(S, b, src).intoArray(bp, d);
                    FloatVector.fromArray(S, b, src + VL).intoArray(bp, d + VL);
                }
            }
        }
    }

    /**
     * Packs A(i, p) for i in [0,mc), p in [0,kc) into mrB-row slivers of {@code as} floats per
     * depth step ({@link #aStride}): {@code ap[s*kc*as + p*as + r] = A(s*mrB + r, p)}, zero
     * beyond mc; lanes mrB..as-1 are not written (the micro-kernel never reads them).
     */
    static void packA(int mrB, int as, int mc, int kc, float[] a, int base, int aRs, int aCs, float[] ap) {
        // full slivers: each layout in a method of its own (see packRows4)
        int full = mc / mrB;
        if (aRs == 1) {
            packColumns(mrB, as, full, kc, a, base, aCs, ap);    // column-major A (X^T W)
        } else if (aCs == 1 && mrB == 4) {
            for (int s = 0; s < full; s++) packRows4(kc, a, base + s * 4 * aRs, aRs, ap, s * kc * as);
        } else if (aCs == 1 && mrB == 6) {
            for (int s = 0; s < full; s++) packRows6(kc, a, base + s * 6 * aRs, aRs, ap, s * kc * as);
        } else {
            full = 0;
        }
        // the rest (a partial sliver, other strides): row by row, zero rows beyond mc
        for (int i0 = full * mrB; i0 < mc; i0 += mrB) {
            int mr = Math.min(mrB, mc - i0);
            int dst = i0 / mrB * kc * as;
            for (int r = 0; r < mrB; r++) {
                if (r < mr) {
                    int src = base + (i0 + r) * aRs;
                    for (int p = 0, d = dst + r; p < kc; p++, src += aCs, d += as) ap[d] = a[src];
                } else {
                    for (int p = 0, d = dst + r; p < kc; p++, d += as) ap[d] = 0f;
                }
            }
        }
    }

    /**
     * Four rows of row-major A (x W^T, x W) into a 4-float-per-step sliver ({@link #aStride}(4, 2)
     * = 4). Every index is linear in p, so C2 hoists the range checks. Written inside {@link
     * #packA}'s loop nest (more live values, the stride a variable), the six-row loop was compiled
     * with range checks, a multiply per step and stack spills in a probe that called packA
     * directly (5-6 ns per element vs 0.5-0.7 ns here); the product's own compile happened to be
     * fast (per-call medians unchanged by this split), but no longer depends on C2's profile.
     */
    private static void packRows4(int kc, float[] a, int s0, int aRs, float[] ap, int dst) {
        int s1 = s0 + aRs, s2 = s1 + aRs, s3 = s2 + aRs;
        for (int p = 0; p < kc; p++) {
            int d = dst + 4 * p;
            ap[d] = a[s0 + p];
            ap[d + 1] = a[s1 + p];
            ap[d + 2] = a[s2 + p];
            ap[d + 3] = a[s3 + p];
        }
    }

    /**
     * Six rows of row-major A into an {@link #A6}-float-per-step sliver (see {@link #packRows4}),
     * as two passes of three rows: six streams in one loop left C2 short of registers (27
     * instructions per step with spills); three per pass ran 15-40 % faster in a probe.
     */
    private static void packRows6(int kc, float[] a, int s0, int aRs, float[] ap, int dst) {
        for (int h = 0; h < 6; h += 3) {
            int r0 = s0 + h * aRs, r1 = r0 + aRs, r2 = r1 + aRs, d0 = dst + h;
            for (int p = 0; p < kc; p++) {
                int d = d0 + A6 * p;
                ap[d] = a[r0 + p];
                ap[d + 1] = a[r1 + p];
                ap[d + 2] = a[r2 + p];
            }
        }
    }

    /**
     * The first {@code slivers} full slivers of column-major A: per depth step one contiguous run
     * of slivers x mrB floats, spread over the slivers (see {@link #packRows4}; copying sliver by
     * sliver read one short run per 4 KB row and took 2.5-3.3 ns per element).
     */
    private static void packColumns(int mrB, int as, int slivers, int kc, float[] a, int base, int aCs, float[] ap) {
        int sliverSize = kc * as;
        for (int p = 0, src = base; p < kc; p++, src += aCs) {
            if (mrB == 6) {
                for (int s = 0, d = p * as, o = src; s < slivers; s++, d += sliverSize, o += 6) {
                    ap[d] = a[o];
                    ap[d + 1] = a[o + 1];
                    ap[d + 2] = a[o + 2];
                    ap[d + 3] = a[o + 3];
                    ap[d + 4] = a[o + 4];
                    ap[d + 5] = a[o + 5];
                }
            } else {
                for (int s = 0, d = p * as, o = src; s < slivers; s++, d += sliverSize, o += mrB) {
                    for (int r = 0; r < mrB; r++) ap[d + r] = a[o + r];
                }
            }
        }
    }

    /** Multiplies a packed mc x kc A block by a packed kc x nc B panel into C. */
    static void macro(int mrB, int nv, int as, int mc, int nc, int kc, float[] ap, float[] bp, float[] c, int cOff,
                      int ldc, boolean add, float[] tile) {
        int nrB = nv * VL;
        for (int jr = 0; jr < nc; jr += nrB) {
            int nr = Math.min(nrB, nc - jr);
            int bIdx = jr * kc;
            for (int ir = 0; ir < mc; ir += mrB) {
                int mr = Math.min(mrB, mc - ir);
                int aIdx = ir / mrB * kc * as;
                int cIdx = cOff + ir * ldc + jr;
                if (mr == mrB && nr == nrB) {
                    kernel(mrB, nv, kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, add);
                } else {
                    kernel(mrB, nv, kc, ap, aIdx, bp, bIdx, tile, 0, nrB, false);
                    for (int r = 0; r < mr; r++) {
                        int row = cIdx + r * ldc;
                        for (int jj = 0; jj < nr; jj++) {
                            c[row + jj] = add ? c[row + jj] + tile[r * nrB + jj] : tile[r * nrB + jj];
                        }
                    }
                }
            }
        }
    }

    /** Dispatches to the micro-kernel of an mr x nv tile. */
    static void kernel(int mr, int nv, int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc,
                       boolean add) {
        switch (mr * 8 + nv) {
            case 4 * 8 + 2 -> kernel4x2(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, add);
            case 6 * 8 + 2 -> kernel6x2(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, add);
            default -> throw new IllegalStateException("no " + mr + "x" + nv + " micro-kernel");
        }
    }

    /** Micro-kernel C[4 x 2*VL] (+)= Ap[4 x kc] * Bp[kc x 2*VL]; 8 accumulators stay in registers. */
    static void kernel4x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        // The A index is the loop's only induction variable and the B index a multiple of it: C2
        // then keeps one counter and no index arithmetic beyond one lea in the loop (19 instructions
        // per 8 FMAs instead of 21 with a separate step counter), which measured 10-25 % faster
        // whenever the core was shared (the slow phases of this VM).
        int d = bIdx - VL / 2 * aIdx;   // B index = d + VL/2 * A index (2 vectors of B per 4 floats of A)
        for (int ai = aIdx, end = aIdx + 4 * kc; ai < end; ai += 4) {
            FloatVector b0 = FloatVector.fromArray(S, bp, d + VL / 2 * ai);
            FloatVector b1 = FloatVector.fromArray(S, bp, d + VL / 2 * ai + VL);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
        }
        // Stores written out by hand: a helper taking vectors that C2 fails to inline would box them.
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(S, c, cIdx + 0 * ldc + 1 * VL));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, cIdx + 1 * ldc + 1 * VL));
            c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc + 1 * VL));
            c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc + 1 * VL));
        }
        c00.intoArray(c, cIdx + 0 * ldc);
        c01.intoArray(c, cIdx + 0 * ldc + 1 * VL);
        c10.intoArray(c, cIdx + 1 * ldc);
        c11.intoArray(c, cIdx + 1 * ldc + 1 * VL);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + 1 * VL);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + 1 * VL);
    }

    /**
     * Micro-kernel C[6 x 2*VL] (+)= Ap[6 x kc] * Bp[kc x 2*VL], A packed 8 floats per depth step
     * ({@link #aStride}); 12 accumulators, 2 B vectors and 1-2 broadcasts fill the 16 ymm
     * registers. Written plainly, C2 issues all six broadcasts of a step before the FMAs (20 live
     * vectors) and keeps an accumulator on the stack: 41 vs 100 GFLOP/s in L1. The load-load
     * fences between the rows forbid moving a broadcast above the previous one; on x86 they emit
     * no instruction (TSO). With them the depth loop can also run two steps per iteration without
     * a spill: 47 instructions per 24 FMAs (one step: 25 per 12; 4x2: 19 per 8). Two steps vs
     * one, interleaved GemmTune (best of 8): two threads ahead in 10 of 13 shapes (up to +20 %,
     * e.g. 1152x1024x256 163.5 vs 136.0, 1024^3 161.0 vs 146.0), one thread 5 of 9 (within 8 %).
     */
    static void kernel6x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        final int as = A6;
        int d = bIdx - 2 * VL / as * aIdx;   // B index = d + (2 VL / as) * A index (see kernel4x2)
        int ai = aIdx, end = aIdx + as * kc;
        for (; ai < end - as; ai += 2 * as) {
            FloatVector b0 = FloatVector.fromArray(S, bp, d + 2 * VL / as * ai);
            FloatVector b1 = FloatVector.fromArray(S, bp, d + 2 * VL / as * ai + VL);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = b0.fma(av, c40);
            c41 = b1.fma(av, c41);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = b0.fma(av, c50);
            c51 = b1.fma(av, c51);
            VarHandle.loadLoadFence();
            b0 = FloatVector.fromArray(S, bp, d + 2 * VL / as * (ai + as));
            b1 = FloatVector.fromArray(S, bp, d + 2 * VL / as * (ai + as) + VL);
            av = FloatVector.broadcast(S, ap[ai + as]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + as + 1]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + as + 2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + as + 3]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + as + 4]);
            c40 = b0.fma(av, c40);
            c41 = b1.fma(av, c41);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + as + 5]);
            c50 = b0.fma(av, c50);
            c51 = b1.fma(av, c51);
        }
        if (ai < end) {   // odd kc: the step written out once more (a helper taking vectors would box them)
            FloatVector b0 = FloatVector.fromArray(S, bp, d + 2 * VL / as * ai);
            FloatVector b1 = FloatVector.fromArray(S, bp, d + 2 * VL / as * ai + VL);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = b0.fma(av, c40);
            c41 = b1.fma(av, c41);
            VarHandle.loadLoadFence();
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = b0.fma(av, c50);
            c51 = b1.fma(av, c51);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(S, c, cIdx + 0 * ldc + 1 * VL));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, cIdx + 1 * ldc + 1 * VL));
            c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc + 1 * VL));
            c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc + 1 * VL));
            c40 = c40.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc + 1 * VL));
            c50 = c50.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc + 1 * VL));
        }
        c00.intoArray(c, cIdx + 0 * ldc);
        c01.intoArray(c, cIdx + 0 * ldc + 1 * VL);
        c10.intoArray(c, cIdx + 1 * ldc);
        c11.intoArray(c, cIdx + 1 * ldc + 1 * VL);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + 1 * VL);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + 1 * VL);
        c40.intoArray(c, cIdx + 4 * ldc);
        c41.intoArray(c, cIdx + 4 * ldc + 1 * VL);
        c50.intoArray(c, cIdx + 5 * ldc);
        c51.intoArray(c, cIdx + 5 * ldc + 1 * VL);
    }

    static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
