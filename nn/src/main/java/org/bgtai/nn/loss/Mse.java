package org.bgtai.nn.loss;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Shape;

/**
 * Mean squared error {@code mean((x - y)^2)} (PyTorch {@code F.mse_loss}); shapes must match
 * (or broadcast), the result is a scalar.
 *
 * <pre>{@code Var loss = Mse.loss(prediction, target); }</pre>
 */
public final class Mse {
    private Mse() {}

    /** @param x [...] @param y [...] (same shape) @return scalar */
    public static Var loss(Var x, Var y) {
        if (!java.util.Arrays.equals(x.shape(), y.shape()))
            throw new IllegalArgumentException("MSE: prediction " + Shape.str(x.shape()) + " and target " + Shape.str(y.shape()) + " must have the same shape");
        return LossCheck.finite("MSE", x.sub(y).square().mean());
    }
}
