package org.bgtai.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH benchmarks are generated and run (in this JVM, no warm-up, one 50 ms iteration, the
 * smallest sizes): each class reports a fast and a reference score. The timings mean nothing
 * here; {@code bin/bgtai bench jmh} measures.
 */
class JmhSmokeTest {
    @Test
    void everyBenchmarkRunsBothSides() throws Exception {
        Set<String> ran = new TreeSet<>();
        run(GemmJmh.class, "n", "64", ran);
        run(DtwJmh.class, "n", "200", ran);
        run(LogMelJmh.class, "seconds", "1", ran);
        assertEquals(Set.of("DtwJmh.fast", "DtwJmh.reference", "GemmJmh.fast", "GemmJmh.reference", "LogMelJmh.fast", "LogMelJmh.reference"), ran);
    }

    static void run(Class<?> benchmark, String param, String value, Set<String> ran) throws Exception {
        ChainedOptionsBuilder o = new OptionsBuilder()
            .include("\\." + benchmark.getSimpleName() + "\\.")
            .param(param, value)
            .forks(0).warmupIterations(0).measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(50))
            .shouldFailOnError(true);
        for (RunResult r : new Runner(o.build()).run()) {
            String name = r.getParams().getBenchmark();                     // org.bgtai.bench.jmh.GemmJmh.fast
            ran.add(benchmark.getSimpleName() + name.substring(name.lastIndexOf('.')));
            assertTrue(r.getPrimaryResult().getScore() > 0, name);
        }
    }
}
