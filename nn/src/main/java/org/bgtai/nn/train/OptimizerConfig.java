package org.bgtai.nn.train;

import java.util.Map;
import org.bgtai.nn.Parameter;
import org.bgtai.nn.optim.AdamW;

/**
 * AdamW settings of a training run. {@link #adamW(double)} is the project's one default
 * (betas 0.9 / 0.98, eps 1e-8, decoupled weight decay 0.01, as in transformer training); a recipe
 * that needs other values says so with the {@code with*} methods and a reason.
 *
 * @param lr          peak learning rate (the schedule's scale)
 * @param beta1       first-moment decay
 * @param beta2       second-moment decay
 * @param eps         denominator floor
 * @param weightDecay decoupled weight decay
 */
public record OptimizerConfig(double lr, double beta1, double beta2, double eps, double weightDecay) {
    public OptimizerConfig {
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        if (!(eps > 0) || weightDecay < 0) throw new IllegalArgumentException("eps must be > 0 and weight decay >= 0, got " + eps + ", " + weightDecay);
    }

    /** The default: AdamW(lr, betas (0.9, 0.98), eps 1e-8, weight decay 0.01). */
    public static OptimizerConfig adamW(double lr) {
        return new OptimizerConfig(lr, 0.9, 0.98, 1e-8, 0.01);
    }

    public OptimizerConfig withLr(double lr) {
        return new OptimizerConfig(lr, beta1, beta2, eps, weightDecay);
    }

    public OptimizerConfig withBetas(double beta1, double beta2) {
        return new OptimizerConfig(lr, beta1, beta2, eps, weightDecay);
    }

    public OptimizerConfig withEps(double eps) {
        return new OptimizerConfig(lr, beta1, beta2, eps, weightDecay);
    }

    public OptimizerConfig withWeightDecay(double weightDecay) {
        return new OptimizerConfig(lr, beta1, beta2, eps, weightDecay);
    }

    /** The optimizer over {@code params}. */
    public AdamW build(Map<String, Parameter> params) {
        return new AdamW(params, lr, beta1, beta2, eps, weightDecay);
    }
}
