package org.bgtai.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bgtai.nn.align.Dtw;
import org.bgtai.nn.align.SoftDtw;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.io.Json;

/**
 * DTW / soft-DTW throughput in cells per second (a cell is one (i, j) of the cost matrix):
 * <ul>
 *   <li>single-thread DTW cost + path on a 1000 x 1000 cost matrix, against the same recursion
 *       in C ({@code bench/dtw.c}, compiled here with {@code gcc -O3 -march=native}, run in the
 *       same session);</li>
 *   <li>batched DTW of 256 pairs of 200 x 200 over all cores, against the same call with the
 *       {@link Parallel} pool set to one thread;</li>
 *   <li>soft-DTW forward + backward on 1000 x 1000 (one pass over the cells).</li>
 * </ul>
 * Usage: {@code DtwBench [--json FILE] [--reps N] [--rounds N]} (single-thread Java and C are measured in
 * {@code rounds} alternating rounds, best of each). It finds {@code bench/dtw.c} under
 * {@code -Dbgtai.home} (set by {@code bin/bgtai}) or from the working directory up.
 */
public final class DtwBench {
    private DtwBench() {}

    public static void main(String[] args) throws Exception {
        Path json = null;
        int reps = 11, rounds = 3;
        for (int k = 0; k < args.length; k++) {
            switch (args[k]) {
                case "-h", "--help" -> {
                    System.out.println("DtwBench [--json FILE] [--reps N] [--rounds N]");
                    return;
                }
                case "--json" -> json = Path.of(args[++k]);
                case "--reps" -> reps = Integer.parseInt(args[++k]);
                case "--rounds" -> rounds = Integer.parseInt(args[++k]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[k] + "'; usage: DtwBench [--json FILE] [--reps N] [--rounds N]");
            }
        }
        Random r = new Random(42);
        int n = 1000;
        float[] big = random(r, n * n);

        // Single-thread DTW cost + path against the C reference, in alternating rounds (C, Java,
        // C, Java, ...), keeping the best of each: this machine's speed drifts by +-25 % over
        // seconds, and alternating lets both sides see the same conditions.
        Double cRate = null;
        String cNote;
        Path exe = null;
        try {
            exe = compileC();
            cNote = "gcc -O3 -march=native bench/dtw.c";
        } catch (IOException | InterruptedException e) {
            cNote = "C reference skipped: " + e.getMessage();
        }
        double single = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                if (exe != null) cRate = Math.max(cRate == null ? 0 : cRate, runC(exe, n, reps));
                single = Math.max(single, cellsPerSecond((long) n * n, reps, () -> Dtw.align(big, n, n).cost()));
            }
        } finally {
            if (exe != null) {
                Files.deleteIfExists(exe);
                Files.deleteIfExists(exe.getParent());
            }
        }

        // Batched: 256 pairs of 200 x 200, all cores vs one thread.
        int batch = 256, m = 200;
        float[] costs = random(r, batch * m * m);
        long batchCells = (long) batch * m * m;
        double batched = cellsPerSecond(batchCells, reps, () -> Dtw.alignBatch(costs, batch, m, m, Dtw.Options.DEFAULT)[0].cost());
        // The same call with the pool set to one thread (same code path, same allocations).
        int threads = Parallel.threads();
        double batchedOneThread;
        Parallel.setThreads(1);
        try {
            batchedOneThread = cellsPerSecond(batchCells, reps, () -> Dtw.alignBatch(costs, batch, m, m, Dtw.Options.DEFAULT)[0].cost());
        } finally {
            Parallel.setThreads(threads);
        }

        // Soft-DTW forward + backward.
        double soft = cellsPerSecond((long) n * n, Math.max(3, reps / 2), () -> {
            SoftDtw.Forward f = SoftDtw.forward(big, n, n, 0.1);
            return f.value() + f.backward()[0];
        });

        System.out.printf(Locale.ROOT, "DTW cost+path %dx%d, 1 thread : %.3e cells/s%n", n, n, single);
        if (cRate != null) {
            System.out.printf(Locale.ROOT, "C reference (%s): %.3e cells/s -> Java/C = %.2f%n", cNote, cRate, single / cRate);
        } else {
            System.out.println(cNote);
        }
        System.out.printf(Locale.ROOT, "DTW batch %d x %dx%d, %d threads: %.3e cells/s (1 thread %.3e) -> speed-up %.2f%n",
            batch, m, m, Parallel.threads(), batched, batchedOneThread, batched / batchedOneThread);
        System.out.printf(Locale.ROOT, "soft-DTW forward+backward %dx%d: %.3e cells/s (%.2f of DTW)%n", n, n, soft, soft / single);

        // Other processes share the cores: the 1-minute load average qualifies every figure.
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(Locale.ROOT, "load average (1 min): %.2f on %d cores%n", load, Runtime.getRuntime().availableProcessors());

        if (json != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("single_cells_per_s", BenchIo.significant(single, 7));
            d.put("batched_cells_per_s", BenchIo.significant(batched, 7));
            d.put("soft_dtw_cells_per_s", BenchIo.significant(soft, 7));
            d.put("c_single_cells_per_s", cRate == null ? null : BenchIo.significant(cRate, 7));
            d.put("ratio_single_vs_c", cRate == null ? null : BenchIo.fixed(single / cRate, 4));
            d.put("batched_speedup", BenchIo.fixed(batched / batchedOneThread, 4));
            d.put("batched_one_thread_cells_per_s", BenchIo.significant(batchedOneThread, 7));
            d.put("threads", Parallel.threads());
            d.put("load_average", BenchIo.fixed(load, 2));
            d.put("c_reference", cNote);
            Json.writeFile(json, Map.of("dtw", d));
            System.out.println("wrote " + json);
        }
    }

    private interface Work {
        double run();
    }

    private static volatile double sink;

    /**
     * Cells/s of the fastest of {@code reps} timed runs after at least a second of warm-up (JIT);
     * the fastest run is the one least disturbed by other processes (the C reference reports the same).
     */
    private static double cellsPerSecond(long cells, int reps, Work w) {
        long warm = System.nanoTime();
        for (int k = 0; k < 5 || System.nanoTime() - warm < 1_500_000_000L; k++) sink += w.run();
        double[] t = new double[reps];
        for (int k = 0; k < reps; k++) {
            long t0 = System.nanoTime();
            sink += w.run();
            t[k] = (System.nanoTime() - t0) * 1e-9;
        }
        Arrays.sort(t);
        return cells / t[0];
    }

    private static float[] random(Random r, int size) {
        float[] a = new float[size];
        for (int k = 0; k < size; k++) a[k] = r.nextFloat();
        return a;
    }

    /** Compiles bench/dtw.c into a temporary folder; returns the executable. */
    private static Path compileC() throws IOException, InterruptedException {
        Path src = BenchIo.script("dtw.c");
        if (src == null) throw new IOException("bench/dtw.c not found from " + Path.of("").toAbsolutePath() + "; run from the repository root");
        Path exe = Files.createTempDirectory("bgtai-dtw-bench").resolve("dtw");
        String out;
        try {
            out = exec(List.of("gcc", "-O3", "-march=native", "-o", exe.toString(), src.toString(), "-lm"));
        } catch (IOException e) {
            throw new IOException("gcc is missing (" + e.getMessage() + ")");
        }
        if (!Files.isExecutable(exe)) throw new IOException("gcc failed: " + out);
        return exe;
    }

    /** One run of the compiled C reference (best of {@code reps}): cells/s. */
    private static double runC(Path exe, int n, int reps) throws IOException, InterruptedException {
        String out = exec(List.of(exe.toString(), Integer.toString(n), Integer.toString(reps)));
        for (String line : out.split("\n")) {
            if (line.startsWith("cells_per_s ")) return Double.parseDouble(line.substring(12).trim());
        }
        throw new IOException("unexpected output from the C reference: " + out);
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

}
