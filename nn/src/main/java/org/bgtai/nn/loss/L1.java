package org.bgtai.nn.loss;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Shape;

/**
 * Mean absolute error {@code mean(|x - y|)} (PyTorch {@code F.l1_loss}); the gradient at
 * {@code x == y} is 0. Same-shaped inputs, scalar result.
 *
 * <pre>{@code Var loss = L1.loss(prediction, target); }</pre>
 */
public final class L1 {
    private L1() {}

    /** @param x [...] @param y [...] (same shape) @return scalar */
    public static Var loss(Var x, Var y) {
        if (!java.util.Arrays.equals(x.shape(), y.shape()))
            throw new IllegalArgumentException("L1: prediction " + Shape.str(x.shape()) + " and target " + Shape.str(y.shape()) + " must have the same shape");
        return LossCheck.finite("L1", x.sub(y).abs().mean());
    }
}
