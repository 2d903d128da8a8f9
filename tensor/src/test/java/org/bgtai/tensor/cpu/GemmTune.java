package org.bgtai.tensor.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bgtai.tensor.Parallel;

/**
 * Tuning aid (not a benchmark): GFLOP/s of several {@link GemmKernels.Config}s on the same
 * shapes, measured interleaved in one process, best of all rounds kept.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... org.bgtai.tensor.cpu.GemmTune THREADS ROUNDS
 *      SIZES(1024,1152x1024x256) CONFIGS(6x2:1024:24:1024,4x2:1024:48:1024[:chunks])
 * </pre>
 *
 * <p>{@code chunks} a (default), c, r: one independent part per thread, split auto / by columns /
 * by rows; N &gt; 0: shared B panel with N
 * row chunks per thread; -N: shared-B mode's column split with N chunks per thread.
 */
public final class GemmTune {
    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    private GemmTune() {}

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Parallel.setThreads(threads);
        List<int[]> sizes = new ArrayList<>();
        for (String s : args[2].split(",")) {
            String[] d = s.split("x");
            sizes.add(d.length == 1 ? new int[] {Integer.parseInt(d[0]), Integer.parseInt(d[0]), Integer.parseInt(d[0])}
                : new int[] {Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2])});
        }
        String[] specs = args[3].split(",");
        GemmKernels.Config[] cfs = new GemmKernels.Config[specs.length];
        int[] chunks = new int[specs.length];
        char[] split = new char[specs.length];
        for (int i = 0; i < specs.length; i++) {
            String[] f = specs[i].split(":");
            String[] t = f[0].split("x");
            cfs[i] = new GemmKernels.Config(Integer.parseInt(t[0]), Integer.parseInt(t[1]), Integer.parseInt(f[1]),
                Integer.parseInt(f[2]), Integer.parseInt(f[3]));
            String ch = f.length > 4 ? f[4] : "a";
            split[i] = Character.isLetter(ch.charAt(0)) ? ch.charAt(0) : 'a';
            chunks[i] = Character.isLetter(ch.charAt(0)) ? 0 : Integer.parseInt(ch);
        }
        double[][] best = new double[sizes.size()][specs.length];
        for (int r = 0; r < rounds; r++) {
            for (int si = 0; si < sizes.size(); si++) {
                int m = sizes.get(si)[0], n = sizes.get(si)[1], k = sizes.get(si)[2];
                Random rnd = new Random(1);
                float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
                for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
                for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
                double flops = 2.0 * m * n * k;
                for (int ci = 0; ci < specs.length; ci++) {
                    GemmKernels.config = cfs[ci];
                    GemmKernels.SHARED_B = chunks[ci] != 0;
                    GemmKernels.SPLIT = split[ci];
                    GemmKernels.CHUNKS_PER_THREAD = Math.max(1, Math.abs(chunks[ci]));
                    GemmKernels.COLUMN_SPLIT = chunks[ci] < 0;
                    int reps = Math.max(1, (int) (3e9 / flops));
                    if (r == 0) for (int i = 0; i < reps * 3; i++) Gemm.sgemm(m, n, k, a, 0, k, 1, b, 0, n, 1, c, 0, n, false);
                    for (int t = 0; t < 3; t++) {
                        // one thread: this thread's CPU time (ignores time the scheduler gave to other jobs)
                        long t0 = threads == 1 ? MX.getCurrentThreadCpuTime() : System.nanoTime();
                        for (int i = 0; i < reps; i++) Gemm.sgemm(m, n, k, a, 0, k, 1, b, 0, n, 1, c, 0, n, false);
                        long t1 = threads == 1 ? MX.getCurrentThreadCpuTime() : System.nanoTime();
                        double g = flops * reps / (t1 - t0);
                        best[si][ci] = Math.max(best[si][ci], g);
                    }
                }
            }
        }
        for (int si = 0; si < sizes.size(); si++) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s", sizes.get(si)[0] + "x" + sizes.get(si)[1] + "x" + sizes.get(si)[2]));
            for (int ci = 0; ci < specs.length; ci++) sb.append(String.format(Locale.ROOT, "  %s=%.1f", specs[ci], best[si][ci]));
            System.out.println(sb);
        }
    }
}
