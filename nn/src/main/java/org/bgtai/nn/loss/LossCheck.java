package org.bgtai.nn.loss;

import org.bgtai.autograd.Var;

/** The finiteness check every loss runs on its result. */
final class LossCheck {
    private LossCheck() {}

    /** Returns {@code loss} or throws an {@link ArithmeticException} naming the loss and likely causes. */
    static Var finite(String name, Var loss) {
        float v = loss.value().numel() == 1 ? loss.item() : loss.value().sum().item();
        if (!Float.isFinite(v))
            throw new ArithmeticException(name + " loss is " + v + ": the inputs contain NaN/Inf or overflowed."
                + " Likely causes: learning rate too high (diverged weights), missing gradient clipping,"
                + " log/division of zero upstream, or an all-masked attention row; check the inputs with Tensor.checkFinite");
        return loss;
    }
}
