package org.bgtai.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared pool: every index exactly once, failures propagate, nesting and concurrent callers, no lost wake-ups. */
class ParallelTest {
    private final int threads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(threads);
    }

    @Property(tries = 100)
    void everyIndexExactlyOnce(@ForAll @IntRange(min = 0, max = 5000) int n, @ForAll @IntRange(min = 1, max = 700) int grain,
                               @ForAll @IntRange(min = 1, max = 4) int t) {
        Parallel.setThreads(t);
        AtomicInteger[] hits = new AtomicInteger[n];
        for (int i = 0; i < n; i++) hits[i] = new AtomicInteger();
        Parallel.forRange(n, grain, (lo, hi) -> {
            assertTrue(0 <= lo && lo < hi && hi <= n, lo + ".." + hi);
            for (int i = lo; i < hi; i++) hits[i].incrementAndGet();
        });
        for (int i = 0; i < n; i++) assertEquals(1, hits[i].get(), "index " + i);
    }

    @Test
    void usesSeveralThreadsAndChunksRespectTheGrain() {
        Parallel.setThreads(2);
        var names = ConcurrentHashMap.<String>newKeySet();
        List<int[]> ranges = java.util.Collections.synchronizedList(new ArrayList<>());
        // Chunks long enough that the worker wakes up before the caller has taken them all.
        Parallel.forRange(8, 1, (lo, hi) -> {
            names.add(Thread.currentThread().getName());
            ranges.add(new int[] {lo, hi});
            long until = System.nanoTime() + 20_000_000L;
            while (System.nanoTime() < until) Thread.onSpinWait();
        });
        assertEquals(2, names.size(), names.toString());
        assertEquals(8, ranges.size());
        for (int[] r : ranges) assertEquals(1, r[1] - r[0]);
    }

    @Test
    void failuresPropagateAfterAllChunksFinished() {
        Parallel.setThreads(2);
        AtomicInteger finished = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(8, 1, (lo, hi) -> {
            if (lo % 2 == 1) throw new IllegalStateException("chunk " + lo);
            finished.incrementAndGet();
        }));
        assertTrue(e.getMessage().startsWith("chunk "), e.getMessage());
        assertEquals(3, e.getSuppressed().length);
        assertEquals(4, finished.get());
        AssertionError err = assertThrows(AssertionError.class, () -> Parallel.forRange(4, 1, (lo, hi) -> {
            throw new AssertionError("boom");
        }));
        assertEquals("boom", err.getMessage());
        // the pool still works afterwards
        AtomicLong sum = new AtomicLong();
        Parallel.forRange(1000, 10, (lo, hi) -> {
            for (int i = lo; i < hi; i++) sum.addAndGet(i);
        });
        assertEquals(499500, sum.get());
    }

    @Test
    void nestedRegionsRunInline() {
        Parallel.setThreads(2);
        long[] out = new long[64 * 64];
        Parallel.forRange(64, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int row = i;
                Thread outer = Thread.currentThread();
                Parallel.forRange(64, 1, (a, b) -> {
                    assertSame(outer, Thread.currentThread());
                    for (int j = a; j < b; j++) out[row * 64 + j] = (long) row * j;
                });
            }
        });
        for (int i = 0; i < 64; i++) for (int j = 0; j < 64; j++) assertEquals((long) i * j, out[i * 64 + j]);
    }

    @Test
    void concurrentCallersAllComplete() throws Exception {
        Parallel.setThreads(2);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int callers = 4, regions = 300;
            long[] sums = new long[callers];
            List<Thread> ts = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int c = 0; c < callers; c++) {
                int id = c;
                Thread th = new Thread(() -> {
                    for (int r = 0; r < regions; r++) {
                        AtomicLong s = new AtomicLong();
                        Parallel.forRange(100, 1, (lo, hi) -> {
                            for (int i = lo; i < hi; i++) s.addAndGet(i);
                        });
                        sums[id] += s.get();
                    }
                });
                th.setUncaughtExceptionHandler((t, e) -> errors.add(e));
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) th.join();
            assertTrue(errors.isEmpty(), errors.toString());
            long[] want = new long[callers];
            java.util.Arrays.fill(want, 4950L * regions);
            assertArrayEquals(want, sums);
        });
    }

    @Test
    void noLostWakeUpsOverManyShortRegions() {
        Parallel.setThreads(2);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int[] data = new int[16];
            for (int r = 0; r < 20_000; r++) {
                int v = r;
                Parallel.forRange(16, 1, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) data[i] = v;
                });
                // an idle gap now and then so that the worker parks between regions
                if (r % 2000 == 0) {
                    long until = System.nanoTime() + 2_000_000L;
                    while (System.nanoTime() < until) Thread.onSpinWait();
                }
                for (int i = 0; i < 16; i++) assertEquals(v, data[i]);
            }
        });
    }

    @Test
    void badThreadCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(e.getMessage().contains(">= 1"), e.getMessage());
    }
}
