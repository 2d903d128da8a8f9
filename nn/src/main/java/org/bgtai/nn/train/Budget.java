package org.bgtai.nn.train;

/**
 * A time limit for {@link Trainer}, checked before each epoch.
 *
 * <ul>
 * <li>{@link Mode#FINISH_CROSSING}: training stops once the time spent reaches the budget, at
 * the end of the epoch that crossed it (every arm of a comparison gets at least the budget).
 * <li>{@link Mode#START_IF_FITS}: an epoch is not started when the time spent plus the last
 * epoch's time (5% margin) would exceed the budget (the run ends within it).
 * </ul>
 * Wall-clock seconds, or process CPU seconds (all threads), which other jobs on a shared machine
 * do not inflate. What counts is training only, or training and validation ({@code countEval}).
 * The time spent is checkpointed, so a resumed run continues the same budget.
 *
 * @param seconds   the limit; {@code <= 0} means none
 * @param cpu       count process CPU seconds instead of wall-clock seconds
 * @param countEval count validation time too
 */
public record Budget(double seconds, boolean cpu, boolean countEval, Mode mode) {
    /** No limit. */
    public static final Budget NONE = new Budget(0, false, false, Mode.FINISH_CROSSING);

    /** When a limit stops training. */
    public enum Mode { FINISH_CROSSING, START_IF_FITS }

    /** Wall-clock seconds of training, stopping after the epoch that crosses the limit. */
    public static Budget wallSeconds(double s) {
        return new Budget(s, false, false, Mode.FINISH_CROSSING);
    }

    /** Wall-clock minutes of training and validation; no epoch is started that would not fit. */
    public static Budget minutesWithin(double minutes) {
        return new Budget(minutes * 60, false, true, Mode.START_IF_FITS);
    }

    public Budget withCpu(boolean cpu) {
        return new Budget(seconds, cpu, countEval, mode);
    }

    public boolean limited() {
        return seconds > 0;
    }

    /** Whether another epoch may start, given the time spent and the last epoch's time. */
    boolean allows(double spent, double lastEpoch) {
        if (!limited()) return true;
        return mode == Mode.FINISH_CROSSING ? spent < seconds : spent + lastEpoch * 1.05 <= seconds;
    }
}
