package org.bgtai.nn.optim;

/**
 * Learning-rate schedules.
 * <ul>
 * <li>{@link #warmupCosine}: linear warm-up {@code peak (s+1)/warmup} for {@code s < warmup}, then
 * {@code min + (peak - min)(1 + cos(pi * progress))/2} down to {@code min} at {@code total}.
 * <li>{@link #noam}: the inverse-square-root schedule of "Attention is all you need",
 * {@code factor * d^-0.5 * min((s+1)^-0.5, (s+1) warmup^-1.5)}.
 * <li>{@link #constant}.
 * </ul>
 */
public final class Schedules {
    private Schedules() {}

    public static LrSchedule constant(double lr) {
        return s -> lr;
    }

    /** Linear warm-up to {@code peak} over {@code warmup} steps, then cosine decay to {@code min} at step {@code total}. */
    public static LrSchedule warmupCosine(double peak, long warmup, long total, double min) {
        if (warmup < 0 || total <= warmup)
            throw new IllegalArgumentException("warmupCosine: need 0 <= warmup < total, got warmup " + warmup + ", total " + total);
        return s -> {
            if (s < warmup) return peak * (s + 1) / warmup;
            double progress = Math.min(1.0, (double) (s - warmup) / (total - warmup));
            return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }

    /** Noam / inverse-square-root schedule with peak at step {@code warmup}. */
    public static LrSchedule noam(int dModel, long warmup, double factor) {
        if (warmup <= 0 || dModel <= 0) throw new IllegalArgumentException("noam: dModel and warmup must be positive");
        return s -> {
            double n = s + 1;
            return factor / Math.sqrt(dModel) * Math.min(1 / Math.sqrt(n), n * Math.pow(warmup, -1.5));
        };
    }
}
