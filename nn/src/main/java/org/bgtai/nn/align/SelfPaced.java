package org.bgtai.nn.align;

/**
 * Self-paced weights for per-pair losses (the "SP" of SP-Loss): easy pairs (loss under a
 * threshold lambda) count, hard ones are skipped or down-weighted, and lambda grows each epoch
 * so harder pairs join later:
 * <pre>
 *   lambda(e) = min(lambdaMax, lambda0 * growth^e)
 *   hard: w = 1 if loss < lambda else 0
 *   soft: w = max(0, 1 - loss / lambda)        (linear)
 * </pre>
 *
 * <pre>{@code
 * SelfPaced sp = SelfPaced.hard(0.1, 1.5, 1.0);
 * sp.lambda(2);            // 0.225
 * sp.weight(0.2, 2);       // 1
 * }</pre>
 *
 * @param mode      hard (0/1) or soft (linear) weights
 * @param lambda0   threshold at epoch 0, > 0
 * @param growth    factor per epoch, >= 1
 * @param lambdaMax cap on the threshold, >= lambda0
 */
public record SelfPaced(Mode mode, double lambda0, double growth, double lambdaMax) {

    /** Weighting mode. */
    public enum Mode { HARD, SOFT }

    public SelfPaced {
        if (mode == null) throw new IllegalArgumentException("mode is null");
        if (!(lambda0 > 0)) throw new IllegalArgumentException("lambda0 must be > 0, got " + lambda0);
        if (!(growth >= 1)) throw new IllegalArgumentException("growth must be >= 1 (the threshold grows each epoch), got " + growth);
        if (!(lambdaMax >= lambda0)) throw new IllegalArgumentException("lambdaMax must be >= lambda0, got " + lambdaMax + " < " + lambda0);
    }

    /** Hard 0/1 weights. */
    public static SelfPaced hard(double lambda0, double growth, double lambdaMax) {
        return new SelfPaced(Mode.HARD, lambda0, growth, lambdaMax);
    }

    /** Soft linear weights. */
    public static SelfPaced soft(double lambda0, double growth, double lambdaMax) {
        return new SelfPaced(Mode.SOFT, lambda0, growth, lambdaMax);
    }

    /** The threshold at the given epoch (0-based). */
    public double lambda(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        return Math.min(lambdaMax, lambda0 * Math.pow(growth, epoch));
    }

    /** The weight of a pair with the given loss at the given epoch, in [0, 1]. */
    public double weight(double loss, int epoch) {
        double l = lambda(epoch);
        return switch (mode) {
            case HARD -> loss < l ? 1 : 0;
            case SOFT -> Math.max(0, 1 - loss / l);
        };
    }
}
