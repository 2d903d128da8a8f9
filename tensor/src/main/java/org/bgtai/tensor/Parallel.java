package org.bgtai.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The one thread pool every CPU kernel shares.
 *
 * <p>The number of threads defaults to the number of available processors and can be set with
 * the {@code BGTAI_THREADS} environment variable, the {@code bgtai.threads} system property or
 * {@link #setThreads(int)}. Work is split into contiguous index ranges, so a kernel that writes
 * disjoint outputs per index is deterministic whatever the thread count.
 *
 * <pre>{@code
 * Parallel.forRange(rows, 64, (lo, hi) -> { for (int r = lo; r < hi; r++) ... });
 * }</pre>
 */
public final class Parallel {
    /** A half-open range body {@code [lo, hi)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    private static volatile ForkJoinPool pool = newPool(defaultThreads());

    private Parallel() {}

    private static int defaultThreads() {
        String s = System.getProperty("bgtai.threads", System.getenv("BGTAI_THREADS"));
        if (s != null && !s.isBlank()) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the processor count
            }
            throw new IllegalArgumentException("BGTAI_THREADS / bgtai.threads must be a positive integer, got '" + s + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static ForkJoinPool newPool(int n) {
        return new ForkJoinPool(n, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("bgtai-cpu-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    /** Number of worker threads CPU kernels use. */
    public static int threads() {
        return pool.getParallelism();
    }

    /** Sets the number of worker threads (1 = single-threaded). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        if (n == threads()) return;
        ForkJoinPool old = pool;
        pool = newPool(n);
        old.shutdown();
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} x 4 chunks of at
     * least {@code grain} indices. Runs inline when the work is small or only one thread is set.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int g = Math.max(1, grain);
        int t = threads();
        if (t == 1 || n <= g || ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
            // Nested parallel regions run inline: the outer region already uses every core.
            body.run(0, n);
            return;
        }
        int chunks = Math.min((n + g - 1) / g, t * 4);
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        // The calling thread runs chunk 0 itself while the pool takes the rest: one wake-up fewer
        // per parallel region than handing everything to the pool and blocking.
        ForkJoinTask<?>[] rest = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int lo = (int) ((long) n * c / chunks), hi = (int) ((long) n * (c + 1) / chunks);
            rest[c - 1] = pool.submit(() -> body.run(lo, hi));
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (ForkJoinTask<?> task : rest) {
            try {
                task.join();
            } catch (RuntimeException | Error e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
    }

    /** Runs {@code body} once per chunk index {@code [0, tasks)}, in parallel. */
    public static void forEach(int tasks, RangeBody body) {
        forRange(tasks, 1, body);
    }
}
