package org.bgtai.bench;

/**
 * {@code bin/bgtai bench jmh [JMH options]}: runs the JMH microbenchmarks of
 * {@link org.bgtai.bench.jmh} (each a fast side and an in-JVM reference) with JMH's own command
 * line, in this process (JMH forks its measurement JVMs with this JVM's flags). Without a
 * pattern every benchmark runs (about a minute a benchmark and size: one fork, 3 warm-up and 5
 * measured 1 s iterations); e.g. {@code bench jmh Gemm -p n=256}, {@code bench jmh -l} to list,
 * {@code bench jmh -h} for JMH's options, {@code -rf json -rff FILE} for a JSON report.
 */
public final class JmhBench {
    private JmhBench() {}

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
