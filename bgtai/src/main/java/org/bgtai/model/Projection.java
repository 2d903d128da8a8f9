package org.bgtai.model;

import org.bgtai.autograd.Var;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.tensor.Rng;

/** Projection head into the shared space: {@code y = W2 gelu(W1 x + b1) + b2}. Shapes {@code [B, in] -> [B, out]}. */
public final class Projection extends Module {
    private final Linear fc1, fc2;

    public Projection(int in, int out, Rng rng) {
        fc1 = registerModule("fc1", new Linear(in, out, true, rng));
        fc2 = registerModule("fc2", new Linear(out, out, true, rng));
    }

    public Var forward(Var x) {
        return fc2.forward(fc1.forward(x).gelu());
    }
}
