/**
 * JMH microbenchmarks whose reference also runs in the JVM, so that JMH measures both sides in
 * the same fork: {@link org.bgtai.bench.jmh.GemmJmh} ({@code Gemm.sgemm} vs the scalar
 * {@code GemmReference}), {@link org.bgtai.bench.jmh.LogMelJmh} ({@code LogMel} vs a plain-loop
 * radix-2 STFT and mel product) and {@link org.bgtai.bench.jmh.DtwJmh} ({@code Dtw.align} vs the
 * scalar recursion of {@code bench/dtw.c} in Java). Each class has a {@code fast} and a
 * {@code reference} benchmark per parameter; the ratio of their scores is the speed-up. The
 * benchmarks against NumPy, PyTorch and C ({@code bin/bgtai bench gemm|logmel|dtw|train-step})
 * measure external processes and stay plain harnesses.
 *
 * <p>Run: {@code bin/bgtai bench jmh [JMH options]}, e.g. {@code bin/bgtai bench jmh Gemm -p n=256}
 * ({@code bin/bgtai bench jmh -h} lists JMH's options). Not run by {@code mvn verify}.
 */
package org.bgtai.bench.jmh;
