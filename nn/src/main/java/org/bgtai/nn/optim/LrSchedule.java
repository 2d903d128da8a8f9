package org.bgtai.nn.optim;

/**
 * A learning rate as a function of the step (0-based: the rate for the first update is
 * {@code lr(0)}). See {@link Schedules} for the usual shapes.
 *
 * <pre>{@code
 * LrSchedule s = Schedules.warmupCosine(1e-3, 100, 10_000, 1e-5);
 * opt.setLr(s.lr(opt.stepCount()));
 * opt.step();
 * }</pre>
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step);
}
