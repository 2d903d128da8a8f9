package org.bgtai.nn.loss;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Shape;

/**
 * Binary cross-entropy on logits (PyTorch {@code F.binary_cross_entropy_with_logits}), in the
 * overflow-free form {@code l = max(x, 0) - x y + log(1 + exp(-|x|))}, averaged.
 *
 * <p>Shapes: logits {@code x [...]}, targets {@code y [...]} in [0, 1] -> scalar.
 * <pre>{@code Var loss = BceWithLogits.loss(logits, labels); }</pre>
 */
public final class BceWithLogits {
    private BceWithLogits() {}

    /** @param x [...] logits @param y [...] targets in [0, 1] @return scalar */
    public static Var loss(Var x, Var y) {
        if (!java.util.Arrays.equals(x.shape(), y.shape()))
            throw new IllegalArgumentException("BCE with logits: logits " + Shape.str(x.shape()) + " and targets " + Shape.str(y.shape()) + " must have the same shape");
        Var l = x.relu().sub(x.mul(y)).add(x.abs().neg().exp().add(1f).log());
        return LossCheck.finite("BCE-with-logits", l.mean());
    }
}
