package org.bgtai.cli;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./bgtai bench NAME [options]}: runs one benchmark. Each benchmark is a class with a
 * {@code main(String[])} that measures a reference in the same run and prints the ratio; the
 * options ({@code --json FILE}, {@code --threads N}, ...) are passed through.
 */
@Command(name = "bench", description = "Run a benchmark: gemm, train-step, logmel, dtw. Options such as --json FILE and --threads N are passed to it.")
final class BenchCommand implements Callable<Integer> {
    static final Map<String, String> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("gemm", "org.bgtai.tensor.bench.GemmBench");
        BENCHMARKS.put("train-step", "org.bgtai.nn.bench.TrainStepBench");
        BENCHMARKS.put("logmel", "org.bgtai.audio.bench.LogMelBench");
        BENCHMARKS.put("dtw", "org.bgtai.nn.bench.DtwBench");
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
        String cls = BENCHMARKS.get(name);
        if (cls == null)
            throw new IllegalArgumentException("unknown benchmark '" + name + "'; available: " + String.join(", ", BENCHMARKS.keySet()));
        Class<?> c;
        try {
            c = Class.forName(cls);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("benchmark '" + name + "' (" + cls + ") is not in this build", e);
        }
        Method m = c.getMethod("main", String[].class);
        m.invoke(null, (Object) rest.toArray(new String[0]));
        return 0;
    }
}
