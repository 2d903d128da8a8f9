package org.bgtai.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.opencl.ClBuffer;
import org.bgtai.tensor.opencl.OpenClDevice;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.Json;

/**
 * GFLOP/s ({@code 2 m n k / seconds}) of the OpenCL GEMM kernel against the CPU
 * {@link Tensor#matmul} measured in the same run, for square sizes 256, 512, 1024 (2048 with
 * {@code --large}) and the transformer shape {@code [1152 x 256] x [256 x 1024]}. Device inputs
 * are uploaded once; a device run is the kernel launch plus a queue drain, without transfers.
 *
 * <p>Usage: {@code OpenClGemmBench [--device opencl:0] [--json FILE] [--large] [--min-seconds S]}.
 * JSON: {@code {"gemm": [{"m", "n", "k", "gflops", "cpu_gflops", "ratio"}], "device": "..."}} with
 * {@code ratio = gflops / cpu_gflops} (above 1: the device is faster).
 */
public final class OpenClGemmBench {
    private OpenClGemmBench() {}

    /**
     * The {@code --device NAME} option of {@link org.bgtai.tensor.bench.GemmBench}: when it names
     * a device other than the CPU this benchmark runs with {@code --device} and {@code --json}
     * (other CPU-only options are ignored) and null is returned; otherwise the arguments without
     * {@code --device cpu} are returned for the CPU benchmark.
     */
    public static String[] runIfDevice(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(), mine = new ArrayList<>();
        String device = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--device") && i + 1 < args.length) device = args[++i];
            else {
                if (args[i].equals("--json") && i + 1 < args.length) mine.addAll(List.of(args[i], args[i + 1]));
                rest.add(args[i]);
            }
        }
        if (device == null || Device.parse(device) == Device.CPU) return rest.toArray(String[]::new);
        mine.addAll(List.of("--device", device));
        main(mine.toArray(String[]::new));
        return null;
    }

    public static void main(String[] args) throws Exception {
        String deviceName = "opencl:0";
        Path json = null;
        boolean large = false;
        double minSeconds = 0.5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--device" -> deviceName = args[++i];
                case "--json" -> json = Path.of(args[++i]);
                case "--large" -> large = true;
                case "--min-seconds" -> minSeconds = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                    + "'; usage: OpenClGemmBench [--device opencl:0] [--json FILE] [--large] [--min-seconds S]");
            }
        }
        Device dev = Device.parse(deviceName);
        if (!(dev instanceof OpenClDevice cl))
            throw new IllegalArgumentException("--device must name an OpenCL device (opencl:N), got " + deviceName);

        List<int[]> shapes = new ArrayList<>(List.of(new int[] {256, 256, 256}, new int[] {512, 512, 512}, new int[] {1024, 1024, 1024}));
        if (large) shapes.add(new int[] {2048, 2048, 2048});
        shapes.add(new int[] {1152, 1024, 256});  // m, n, k: [1152 x 256] x [256 x 1024]

        String desc = cl.name() + " (" + cl.description() + ")";
        System.out.println("OpenCL GEMM on " + desc + " vs CPU Tensor.matmul");
        Random r = new Random(1);
        List<Object> rows = new ArrayList<>();
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            Tensor a = Tensor.of(random(r, m * k), m, k), b = Tensor.of(random(r, k * n), k, n);
            Tensor da = a.to(dev), db = b.to(dev);
            double flop = 2.0 * m * n * k;
            double cpu = flop / seconds(minSeconds, () -> a.matmul(b)) * 1e-9;
            double gpu = flop / seconds(minSeconds, () -> {
                Tensor c = da.matmul(db);
                cl.synchronize();
                ((ClBuffer) c.storage()).close();
                return c;
            }) * 1e-9;
            checkAgreement(a.matmul(b), da.matmul(db), m, n, k);
            System.out.printf(Locale.ROOT, "[%d x %d] x [%d x %d]: device %.2f GFLOP/s, cpu %.2f GFLOP/s, device/cpu = %.3f%n",
                m, k, k, n, gpu, cpu, gpu / cpu);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("m", m);
            row.put("n", n);
            row.put("k", k);
            row.put("gflops", round(gpu));
            row.put("cpu_gflops", round(cpu));
            row.put("ratio", round(gpu / cpu));
            rows.add(row);
            ((ClBuffer) da.storage()).close();
            ((ClBuffer) db.storage()).close();
        }
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("gemm", rows);
            out.put("device", desc);
            Json.writeFile(json, out);
            System.out.println("wrote " + json);
        }
    }

    private interface Run {
        Object run();
    }

    private static volatile Object sink;

    /** Fastest of the timed runs after one warm-up (kernel compile, JIT); at least 3 runs and {@code minSeconds}. */
    private static double seconds(double minSeconds, Run w) {
        sink = w.run();
        List<Double> t = new ArrayList<>();
        long start = System.nanoTime();
        while (t.size() < 3 || (System.nanoTime() - start) * 1e-9 < minSeconds) {
            long t0 = System.nanoTime();
            sink = w.run();
            t.add((System.nanoTime() - t0) * 1e-9);
        }
        double[] s = t.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s[0];
    }

    /** Guards against timing a wrong kernel: the device result must match the CPU one. */
    private static void checkAgreement(Tensor cpu, Tensor dev, int m, int n, int k) {
        float[] e = cpu.toArray(), a = dev.toArray();
        for (int i = 0; i < e.length; i++)
            if (Math.abs(e[i] - a[i]) > 1e-3f * (1 + Math.abs(e[i])))
                throw new IllegalStateException("device GEMM [" + m + "x" + k + "]x[" + k + "x" + n + "] differs from the CPU at " + i + ": " + a[i] + " vs " + e[i]);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 2 - 1;
        return v;
    }
}
