package org.bgtai.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.cpu.Gemm;
import org.bgtai.tensor.cpu.GemmReference;
import org.bgtai.tensor.io.Json;

/**
 * GFLOP/s of {@link Gemm} against NumPy (OpenBLAS) measured in the same run, on the same thread count.
 *
 * <p>Shapes: square 256, 512, 1024, 2048, the transformer projection [1152 x 256] x [256 x 1024]
 * and the attention batch 128 x [24 x 64] x [64 x 24]. NumPy runs in a {@code python3
 * bench/gemm_numpy.py --serve} subprocess (found under {@code -Dbgtai.home} or from the working
 * directory up); Java and NumPy measurements alternate for a few rounds and the best of each is
 * kept, so background load hits both alike. Also prints the speed-up over {@link GemmReference}
 * at 256 and checks that repeated calls allocate (almost) nothing.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... org.bgtai.tensor.bench.GemmBench [--threads N] [--json FILE]
 *      [--sizes 256,512,1152x1024x256,128:24x24x64] [--rounds R]
 * </pre>
 * JSON: {@code {"gemm": [{"m", "n", "k", "batch", "gflops", "numpy_gflops", "ratio"}, ...], ...}}.
 */
public final class GemmBench {
    private GemmBench() {}

    record Shape(int batch, int m, int n, int k) {
        static Shape parse(String s) {
            Matcher mt = Pattern.compile("(?:(\\d+):)?(\\d+)(?:x(\\d+)x(\\d+))?").matcher(s.trim().toLowerCase(Locale.ROOT));
            if (!mt.matches()) {
                throw new IllegalArgumentException("bad size '" + s + "': use N (square), MxNxK or BATCH:MxNxK");
            }
            int batch = mt.group(1) == null ? 1 : Integer.parseInt(mt.group(1));
            int m = Integer.parseInt(mt.group(2));
            if (mt.group(3) == null) return new Shape(batch, m, m, m);
            return new Shape(batch, m, Integer.parseInt(mt.group(3)), Integer.parseInt(mt.group(4)));
        }

        String spec() {
            return batch + ":" + m + "x" + n + "x" + k;
        }

        double flops() {
            return 2.0 * batch * m * n * k;
        }

        @Override
        public String toString() {
            return (batch > 1 ? batch + " x " : "") + "[" + m + " x " + k + "] x [" + k + " x " + n + "]";
        }
    }

    /** Operands for one shape, row-major, batch items contiguous. */
    static final class Problem {
        final Shape s;
        final float[] a, b, c;

        Problem(Shape s) {
            this.s = s;
            Random r = new Random(1);
            a = new float[s.batch * s.m * s.k];
            b = new float[s.batch * s.k * s.n];
            c = new float[s.batch * s.m * s.n];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        }

        void run() {
            if (s.batch == 1) {
                Gemm.sgemm(s.m, s.n, s.k, a, 0, s.k, 1, b, 0, s.n, 1, c, 0, s.n, false);
            } else {
                Gemm.sgemmBatched(s.batch, s.m, s.n, s.k, a, 0, s.m * s.k, s.k, 1, b, 0, s.k * s.n, s.n, 1,
                    c, 0, s.m * s.n, s.n, false);
            }
        }

        void runReference() {
            GemmReference.sgemmBatched(s.batch, s.m, s.n, s.k, a, 0, s.m * s.k, s.k, 1, b, 0, s.k * s.n, s.n, 1,
                c, 0, s.m * s.n, s.n, false);
        }
    }

    /** Best GFLOP/s over {@code runs} measurements, each repeating the call for at least minSeconds. */
    static double gflops(Runnable body, double flops, double minSeconds, int runs) {
        int reps = 1;
        double best = Double.MAX_VALUE;
        while (true) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) body.run();
            double dt = (System.nanoTime() - t0) * 1e-9;
            if (dt >= minSeconds) {
                best = dt / reps;
                break;
            }
            reps = dt <= 0 ? reps * 8 : (int) Math.min(reps * 8L, Math.max(reps * 2L, (long) (reps * minSeconds * 1.2 / dt)));
        }
        for (int r = 1; r < runs; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) body.run();
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9 / reps);
        }
        return flops / best / 1e9;
    }

    /** A {@code gemm_numpy.py --serve} subprocess; {@link #measure} returns NaN once it failed. */
    static final class Numpy implements AutoCloseable {
        private final Process proc;
        private final BufferedReader out;
        private final Writer in;
        final String header;

        private Numpy(Process proc) throws IOException {
            this.proc = proc;
            this.out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
            this.in = new OutputStreamWriter(proc.getOutputStream(), StandardCharsets.UTF_8);
            this.header = out.readLine();
        }

        /** Starts the subprocess, or prints why NumPy is skipped and returns null. */
        static Numpy start(int threads) {
            Path script = BenchIo.script("gemm_numpy.py");
            if (script == null) {
                System.out.println("note: bench/gemm_numpy.py not found (run from the checkout or set -Dbgtai.home);"
                    + " NumPy ratios skipped");
                return null;
            }
            ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), "--serve", "--runs", "3",
                "--threads", Integer.toString(threads));
            // Same thread count as ours; per-processor OpenBLAS overrides would skew the reference.
            pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            try {
                Numpy np = new Numpy(pb.start());
                Map<String, Object> header = BenchIo.lastJsonObject(np.header);
                if (header == null || header.containsKey("error")) {
                    System.out.println("note: NumPy unavailable (" + np.header + "); NumPy ratios skipped");
                    np.close();
                    return null;
                }
                return np;
            } catch (IOException e) {
                System.out.println("note: could not run python3 (" + e.getMessage() + "); NumPy ratios skipped");
                return null;
            }
        }

        double measure(Shape s) {
            try {
                in.write(s.spec() + "\n");
                in.flush();
                return BenchIo.number(BenchIo.lastJsonObject(out.readLine()), "gflops");
            } catch (IOException e) {
                return Double.NaN;
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // the process is going away anyway
            }
            proc.destroy();
        }
    }

    public static void main(String[] args) throws Exception {
        args = OpenClGemmBench.runIfDevice(args);   // --device opencl:N: the device benchmark instead
        if (args == null) return;
        int threads = Parallel.threads();
        String json = null;
        int rounds = 3;
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    System.out.println("GemmBench [--threads N] [--json FILE] [--sizes 256,512,1152x1024x256,128:24x24x64] [--rounds R] [--device opencl:N]");
                    return;
                }
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--json" -> json = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--sizes" -> {
                    for (String s : args[++i].split(",")) shapes.add(Shape.parse(s));
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                    + "'; use --threads N, --json FILE, --sizes 256,512,1152x1024x256,128:24x24x64, --rounds R");
            }
        }
        if (shapes.isEmpty()) {
            for (String s : "256,512,1024,2048,1152x1024x256,128:24x24x64".split(",")) shapes.add(Shape.parse(s));
        }
        Parallel.setThreads(threads);
        System.out.printf(Locale.ROOT, "GemmBench: %d thread(s), vector species %s, %d rounds (best kept)%n",
            threads, jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, rounds);

        // JIT warm-up: a few seconds on mid-sized products before anything is timed.
        Problem warm = new Problem(Shape.parse("512"));
        Problem warmSmall = new Problem(Shape.parse("128:24x24x64"));
        long until = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < until) {
            warm.run();
            warmSmall.run();
        }

        List<Map<String, Object>> rows = new ArrayList<>();
        try (Numpy np = Numpy.start(threads)) {
            if (np != null) System.out.println("reference: " + np.header);
            System.out.printf(Locale.ROOT, "%-34s %10s %10s %8s%n", "shape", "GFLOP/s", "NumPy", "ratio");
            for (Shape s : shapes) {
                Problem p = new Problem(s);
                double ours = 0, theirs = np == null ? Double.NaN : 0;
                for (int r = 0; r < rounds; r++) {
                    ours = Math.max(ours, gflops(p::run, s.flops(), 0.25, 5));
                    if (np != null) theirs = Math.max(theirs, np.measure(s));
                }
                double ratio = ours / theirs;
                System.out.printf(Locale.ROOT, "%-34s %10.1f %10.1f %8s%n", s, ours, theirs,
                    Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2fx", ratio));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("m", s.m);
                row.put("n", s.n);
                row.put("k", s.k);
                row.put("batch", s.batch);
                row.put("gflops", BenchIo.fixed(ours, 3));
                row.put("numpy_gflops", BenchIo.fixed(theirs, 3));
                row.put("ratio", BenchIo.fixed(ratio, 3));
                rows.add(row);
            }
        }

        // Against the scalar reference, 256 only.
        Shape s256 = Shape.parse("256");
        Problem p256 = new Problem(s256);
        double fast = gflops(p256::run, s256.flops(), 0.25, 3);
        double ref = gflops(p256::runReference, s256.flops(), 0.5, 2);
        System.out.printf(Locale.ROOT, "vs GemmReference at 256: %.1f vs %.2f GFLOP/s = %.0fx%n", fast, ref, fast / ref);

        // Steady-state allocation: heap bytes allocated by all threads over repeated 1024 calls.
        Problem p1024 = new Problem(Shape.parse("1024"));
        Problem att = new Problem(Shape.parse("128:24x24x64"));
        for (int i = 0; i < 5; i++) {
            p1024.run();
            att.run();
        }
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long gc0 = gcCount(), bytes0 = mx.getTotalThreadAllocatedBytes();
        int calls = 20;
        for (int i = 0; i < calls; i++) {
            p1024.run();
            att.run();
        }
        long bytes = mx.getTotalThreadAllocatedBytes() - bytes0, gcs = gcCount() - gc0;
        System.out.printf(Locale.ROOT, "allocation after warm-up: %d bytes per (1024^3 + batched attention) call pair,"
            + " %d GCs over %d pairs (packing buffers are reused)%n", bytes / calls, gcs, calls);

        if (json != null) {
            Map<String, Object> reference = new LinkedHashMap<>();
            reference.put("gflops", BenchIo.fixed(fast, 3));
            reference.put("reference_gflops", BenchIo.fixed(ref, 3));
            reference.put("ratio", BenchIo.fixed(fast / ref, 3));
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("gemm", rows);
            report.put("threads", threads);
            report.put("reference_256", reference);
            report.put("alloc_bytes_per_call", bytes / calls);
            Json.writeFile(Path.of(json), report);
            System.out.println("wrote " + json);
        }
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, gc.getCollectionCount());
        return n;
    }
}
