package org.bgtai.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bgtai.bench.DtwBench;
import org.bgtai.bench.GemmBench;
import org.bgtai.bench.JmhBench;
import org.bgtai.bench.LogMelBench;
import org.bgtai.bench.TrainStepBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/bgtai bench NAME [options]}: runs one benchmark of the {@code bench/} module. Each
 * benchmark's {@code main(String[])} measures a reference in the same run and prints the ratio;
 * the options ({@code --json FILE}, {@code --threads N}, ...) are passed through. {@code jmh}
 * runs the JMH microbenchmarks with JMH's own options ({@code bench jmh -h}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Run a benchmark: gemm, train-step, logmel, dtw, or jmh (the JMH microbenchmarks; bench jmh -h for JMH's options). "
    + "Options such as --json FILE and --threads N are passed to it.")
final class BenchCommand implements Callable<Integer> {
    /** A benchmark's entry point; it may throw what its {@code main} throws. */
    interface Entry {
        void run(String[] args) throws Exception;
    }

    static final Map<String, Entry> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("gemm", GemmBench::main);
        BENCHMARKS.put("train-step", TrainStepBench::main);
        BENCHMARKS.put("logmel", LogMelBench::main);
        BENCHMARKS.put("dtw", DtwBench::main);
        BENCHMARKS.put("jmh", JmhBench::main);
    }

    @Parameters(index = "0", description = "benchmark name: ${COMPLETION-CANDIDATES}", completionCandidates = Names.class)
    String name;

    @Parameters(index = "1..*", arity = "0..*", description = "options passed to the benchmark (--json FILE, --threads N, ...)")
    List<String> rest = new ArrayList<>();

    static final class Names extends ArrayList<String> {
        Names() {
            super(BENCHMARKS.keySet());
        }
    }

    @Override
    public Integer call() throws Exception {
        Entry e = BENCHMARKS.get(name);
        if (e == null)
            throw new IllegalArgumentException("unknown benchmark '" + name + "'; available: " + String.join(", ", BENCHMARKS.keySet()));
        e.run(rest.toArray(new String[0]));
        return 0;
    }
}
