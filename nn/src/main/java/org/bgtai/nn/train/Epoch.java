package org.bgtai.nn.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished epoch of {@link Trainer}: mean losses, the recipe's statistics, validation figures
 * and times. Checkpoints store the history as {@link #toJson()}; {@link #flat()} is the one-level
 * form reports print.
 *
 * @param epoch        1-based
 * @param step         optimizer steps taken by the end of the epoch
 * @param examples     examples seen in the epoch
 * @param loss         mean batch loss
 * @param terms        mean named loss terms ({@link Loss#terms()})
 * @param stats        the recipe's figures for the epoch ({@link Recipe#epochStats()})
 * @param metrics      validation figures ({@link Recipe#validate}); empty without validation
 * @param trainSeconds wall-clock seconds of the training part
 * @param cpuSeconds   process CPU seconds of the training part (all threads)
 * @param evalSeconds  wall-clock seconds of validation
 */
public record Epoch(int epoch, long step, int examples, double loss, Map<String, Double> terms, Map<String, Double> stats,
                    Map<String, Double> metrics, double trainSeconds, double cpuSeconds, double evalSeconds) {
    public Epoch {
        terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
        stats = Collections.unmodifiableMap(new LinkedHashMap<>(stats));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** Training plus validation seconds. */
    public double seconds() {
        return trainSeconds + evalSeconds;
    }

    /** A validation figure, NaN when the epoch has none of that name. */
    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }

    /** A loss term, NaN when absent. */
    public double term(String name) {
        Double v = terms.get(name);
        return v == null ? Double.NaN : v;
    }

    /** A statistic, NaN when absent. */
    public double stat(String name) {
        Double v = stats.get(name);
        return v == null ? Double.NaN : v;
    }

    /** Nested JSON-ready form (NaN as null), read back by {@link #fromJson}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("step", step);
        m.put("examples", examples);
        m.put("loss", orNull(loss));
        m.put("terms", nulls(terms));
        m.put("stats", nulls(stats));
        m.put("metrics", nulls(metrics));
        m.put("train_seconds", trainSeconds);
        m.put("cpu_seconds", cpuSeconds);
        m.put("eval_seconds", evalSeconds);
        return m;
    }

    /** One level: epoch, step, loss, the terms, statistics and figures by name, then the times ({@code seconds} = training + validation). */
    public Map<String, Object> flat() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("step", step);
        m.put("loss", orNull(loss));
        m.putAll(nulls(terms));
        m.putAll(nulls(stats));
        m.putAll(nulls(metrics));
        m.put("train_seconds", trainSeconds);
        m.put("cpu_seconds", cpuSeconds);
        m.put("eval_seconds", evalSeconds);
        m.put("seconds", seconds());
        return m;
    }

    /** The inverse of {@link #toJson()}. */
    public static Epoch fromJson(Map<?, ?> m) {
        try {
            return new Epoch(((Number) m.get("epoch")).intValue(), ((Number) m.get("step")).longValue(), ((Number) m.get("examples")).intValue(),
                num(m.get("loss")), doubles(m.get("terms")), doubles(m.get("stats")), doubles(m.get("metrics")), num(m.get("train_seconds")),
                num(m.get("cpu_seconds")), num(m.get("eval_seconds")));
        } catch (NullPointerException | ClassCastException e) {
            throw new IllegalArgumentException("not a training history entry: " + m, e);
        }
    }

    private static Object orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Map<String, Object> nulls(Map<String, Double> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, orNull(v)));
        return out;
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static Map<String, Double> doubles(Object o) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) m.forEach((k, v) -> out.put((String) k, num(v)));
        return out;
    }
}
