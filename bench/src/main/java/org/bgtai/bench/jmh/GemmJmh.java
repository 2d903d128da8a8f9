package org.bgtai.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.cpu.Gemm;
import org.bgtai.tensor.cpu.GemmReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square single-precision GEMM {@code C = A B} of size {@code n}: {@link Gemm#sgemm} (Vector API
 * kernels on {@link Parallel}'s threads, {@code BGTAI_THREADS}) against {@link GemmReference}
 * (scalar triple loop, one thread, double accumulation). Time per product; GFLOP/s is
 * {@code 2 n^3 / time}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmJmh {
    @Param({"64", "256"})
    public int n;

    float[] a, b, c;

    @Setup
    public void setup() {
        Random r = new Random(1);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        // both sides compute the same product
        float[] ref = new float[n * n];
        GemmReference.sgemm(n, n, n, a, 0, n, 1, b, 0, n, 1, ref, 0, n, false);
        fast();
        for (int i = 0; i < ref.length; i++)
            if (Math.abs(ref[i] - c[i]) > 1e-3f * (1 + Math.abs(ref[i])))
                throw new IllegalStateException("Gemm and GemmReference differ at " + i + ": " + c[i] + " vs " + ref[i]);
    }

    @Benchmark
    public float[] fast() {
        Gemm.sgemm(n, n, n, a, 0, n, 1, b, 0, n, 1, c, 0, n, false);
        return c;
    }

    @Benchmark
    public float[] reference() {
        GemmReference.sgemm(n, n, n, a, 0, n, 1, b, 0, n, 1, c, 0, n, false);
        return c;
    }
}
