package org.bgtai.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bgtai.nn.align.Dtw;
import org.bgtai.nn.align.DtwAlignment;
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
 * DTW cost and path of an {@code n x n} cost matrix, one thread: {@link Dtw#align(float[], int, int)}
 * against {@link #scalar}, the recursion of {@code bench/dtw.c} written in plain Java (double
 * rolling rows, a byte direction per cell, ties diagonal, then up, then left, backtracking).
 * Time per alignment; cells/s is {@code n^2 / time}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DtwJmh {
    @Param({"200", "1000"})
    public int n;

    float[] cost;
    double[] prev, cur;
    byte[] dir;
    int[] pathQ, pathT;

    @Setup
    public void setup() {
        Random r = new Random(42);
        cost = new float[n * n];
        for (int i = 0; i < cost.length; i++) cost[i] = r.nextFloat();
        prev = new double[n + 1];
        cur = new double[n + 1];
        dir = new byte[n * n];
        pathQ = new int[2 * n];
        pathT = new int[2 * n];
        DtwAlignment a = Dtw.align(cost, n, n);
        double c = scalar();
        if (Math.abs(a.cost() - c) > 1e-9 * Math.abs(c))
            throw new IllegalStateException("Dtw.align cost " + a.cost() + " differs from the scalar recursion's " + c);
    }

    @Benchmark
    public DtwAlignment fast() {
        return Dtw.align(cost, n, n);
    }

    @Benchmark
    public double reference() {
        return scalar() + pathQ[0];
    }

    /** bench/dtw.c's {@code dtw()}: accumulated cost; the path goes to pathQ/pathT (end first). */
    double scalar() {
        int q = n, t = n;
        double[] p = prev, c = cur;
        double left = 0;
        p[0] = Double.POSITIVE_INFINITY;
        c[0] = Double.POSITIVE_INFINITY;
        for (int j = 0; j < t; j++) {
            left += cost[j];
            p[j + 1] = left;
            dir[j] = (byte) (j == 0 ? 3 : 2);
        }
        for (int i = 1; i < q; i++) {
            int row = i * t;
            left = Double.POSITIVE_INFINITY;
            for (int j = 0; j < t; j++) {
                double diag = p[j], up = p[j + 1];
                byte d;
                double m;
                if (up < diag) {
                    m = up;
                    d = 1;
                } else {
                    m = diag;
                    d = 0;
                }
                if (left < m) {
                    m = left;
                    d = 2;
                }
                left = m + cost[row + j];
                c[j + 1] = left;
                dir[row + j] = d;
            }
            double[] tmp = p;
            p = c;
            c = tmp;
        }
        double total = p[t];
        int len = 0, i = q - 1, j = t - 1;
        while (true) {
            pathQ[len] = i;
            pathT[len] = j;
            len++;
            byte d = dir[i * t + j];
            if (d == 3) break;
            if (d == 0) {
                i--;
                j--;
            } else if (d == 1) {
                i--;
            } else {
                j--;
            }
        }
        return total;
    }
}
