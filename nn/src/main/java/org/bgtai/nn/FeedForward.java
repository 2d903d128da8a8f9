package org.bgtai.nn;

import org.bgtai.autograd.Var;

/**
 * The position-wise feed-forward block of a transformer layer:
 * {@code linear2(dropout(act(linear1(x))))}. Not a registered module of its own: it uses the
 * layer's {@code linear1}, {@code dropout}, {@code linear2} so the names stay PyTorch's.
 */
final class FeedForward {
    private FeedForward() {}

    /** @param x [..., D] @return [..., D] */
    static Var apply(Var x, Linear linear1, Activation act, Dropout dropout, Linear linear2) {
        return linear2.forward(dropout.forwardActivated(linear1.forward(x), act));
    }
}
