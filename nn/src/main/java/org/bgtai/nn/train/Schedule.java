package org.bgtai.nn.train;

import org.bgtai.nn.optim.LrSchedule;
import org.bgtai.nn.optim.Schedules;

/**
 * A learning-rate schedule of a run, made once the run's peak rate and total optimizer steps are
 * known ({@link Trainer} asks for it at the start of {@link Trainer#fit}).
 *
 * <pre>{@code
 * Schedule s = Schedule.warmupCosine(100);                                   // the default
 * Schedule t = (peak, total) -> Schedules.warmupCosine(peak, 500, total, peak * 0.02);
 * }</pre>
 */
@FunctionalInterface
public interface Schedule {
    LrSchedule of(double peak, long totalSteps);

    /** Linear warm-up over {@code min(warmup, total/2)} steps, then cosine decay to {@code peak / 20} at the last step. */
    static Schedule warmupCosine(long warmup) {
        return (peak, total) -> Schedules.warmupCosine(peak, Math.min(warmup, total / 2), total, peak / 20);
    }

    /** The peak rate throughout. */
    static Schedule constant() {
        return (peak, total) -> Schedules.constant(peak);
    }
}
