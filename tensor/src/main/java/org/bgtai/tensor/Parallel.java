package org.bgtai.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

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
 *
 * <p>How a parallel region runs: with {@code threads()} = t, the pool holds t - 1 worker threads
 * and the calling thread is the t-th. The caller publishes the region, wakes only the workers
 * that are parked, and then claims chunks like any worker (an atomic counter hands out chunk
 * indices, so a descheduled thread does not hold up the others). Between regions a worker
 * busy-waits for {@code bgtai.spin.us} microseconds (default 200) before it parks: kernels such
 * as GEMM or a training step issue regions back to back, and waking a parked thread costs tens
 * to hundreds of microseconds in a virtual machine, which is what a region itself may take.
 * Regions do not nest: a region started from inside a region, or while another thread's region
 * holds the pool, runs on the calling thread alone.
 */
public final class Parallel {
    /** A half-open range body {@code [lo, hi)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    private static final long SPIN_NS = Long.getLong("bgtai.spin.us", 200L) * 1000L;

    private static volatile Pool pool = new Pool(defaultThreads());

    private Parallel() {}

    private static int defaultThreads() {
        String s = System.getProperty("bgtai.threads", System.getenv("BGTAI_THREADS"));
        if (s != null && !s.isBlank()) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("BGTAI_THREADS / bgtai.threads must be a positive integer, got '" + s + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Number of threads CPU kernels use (the calling thread included). */
    public static int threads() {
        return pool.threads;
    }

    /** Sets the number of threads (1 = single-threaded); waits for a running region to finish. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        if (n == threads()) return;
        Pool old = pool;
        while (!old.busy.compareAndSet(false, true)) Thread.onSpinWait();
        pool = new Pool(n);
        old.shutdown();   // keeps busy set: late callers of the old pool run inline
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} x 4 chunks of at
     * least {@code grain} indices. Runs inline when the work is small or only one thread is set.
     * An exception thrown by any chunk is rethrown here once every chunk has finished (further
     * ones are attached as suppressed).
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int g = Math.max(1, grain);
        Pool p = pool;
        int chunks = Math.min((n + g - 1) / g, p.threads * 4);
        if (chunks <= 1 || p.threads == 1 || !p.busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            p.run(new Region(body, n, chunks));
        } finally {
            p.busy.set(false);
        }
    }

    /** Runs {@code body} once per chunk index {@code [0, tasks)}, in parallel. */
    public static void forEach(int tasks, RangeBody body) {
        forRange(tasks, 1, body);
    }

    /** One parallel region: chunk {@code c} covers {@code [n*c/chunks, n*(c+1)/chunks)}. */
    private static final class Region {
        final RangeBody body;
        final int n, chunks;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        final Thread owner = Thread.currentThread();
        volatile boolean ownerParked;
        private Throwable failure;

        Region(RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
        }

        /** Claims and runs chunks until none is left. */
        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable e) {
                    fail(e);
                }
                if (done.incrementAndGet() == chunks && ownerParked) LockSupport.unpark(owner);
            }
        }

        private synchronized void fail(Throwable e) {
            if (failure == null) failure = e;
            else failure.addSuppressed(e);
        }

        /** Owner: waits (spin, then park) until every chunk has finished, then rethrows a failure. */
        void await() {
            long spinUntil = System.nanoTime() + SPIN_NS;
            while (done.get() < chunks) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                ownerParked = true;
                if (done.get() < chunks) LockSupport.park(this);
                ownerParked = false;
            }
            Throwable f;
            synchronized (this) {
                f = failure;
            }
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error er) throw er;
            if (f != null) throw new IllegalStateException(f);
        }
    }

    /** {@code threads - 1} workers that spin, then park, waiting for the next region. */
    private static final class Pool {
        final int threads;
        /** Held by the thread whose region runs (or by {@link #setThreads} while it swaps pools). */
        final AtomicBoolean busy = new AtomicBoolean();
        private final Worker[] workers;
        private volatile Region region;
        private volatile long generation;
        private volatile boolean shutdown;

        Pool(int threads) {
            this.threads = threads;
            workers = new Worker[threads - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(i + 1);
                workers[i].start();
            }
        }

        /** Called with {@link #busy} held. */
        void run(Region r) {
            region = r;
            generation = generation + 1;   // publishes r (volatile write after the region)
            for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
            r.work();
            r.await();
            region = null;
        }

        void shutdown() {
            shutdown = true;
            generation = generation + 1;
            for (Worker w : workers) LockSupport.unpark(w);
        }

        private final class Worker extends Thread {
            volatile boolean parked;

            Worker(int index) {
                super("bgtai-cpu-" + index);
                setDaemon(true);
            }

            @Override
            public void run() {
                long seen = generation;
                while (true) {
                    long spinUntil = System.nanoTime() + SPIN_NS;
                    long g;
                    while ((g = generation) == seen) {
                        if (System.nanoTime() < spinUntil) {
                            Thread.onSpinWait();
                            continue;
                        }
                        parked = true;   // Dekker with run(): either it sees parked, or we see the new generation
                        if (generation == seen) LockSupport.park(this);
                        parked = false;
                    }
                    seen = g;
                    if (shutdown) return;
                    Region r = region;
                    if (r != null) r.work();
                }
            }
        }
    }
}
