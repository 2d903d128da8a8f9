package org.bgtai.nn.train;

import static org.junit.jupiter.api.Assertions.*;

import org.bgtai.autograd.Var;
import org.bgtai.nn.Linear;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

class FlatTest {
    /** One AdamW step on a fixed input, so that the moments are not zero. */
    private static void stepOnce(Linear net, AdamW opt) {
        Var loss = net.forward(Var.of(Tensor.of(new float[] {1, -2, 3}, 1, 3))).square().mean();
        opt.zeroGrad();
        loss.backward();
        opt.step();
    }

    @Test
    void roundTripsWeightsAndOptimizerStateAndAverages() {
        Linear a = new Linear(3, 2, true, new Rng(1)), b = new Linear(3, 2, true, new Rng(2));
        AdamW oa = OptimizerConfig.adamW(1e-2).build(a.trainableParameters()), ob = OptimizerConfig.adamW(1e-2).build(b.trainableParameters());
        stepOnce(a, oa);
        float[] fa = Flat.of(a, oa);
        assertEquals(Flat.size(a, oa), fa.length);
        assertEquals(3 * (3 * 2 + 2), fa.length, "weights, first and second moments");
        assertNotEquals(0f, fa[fa.length - 1], "the second moment of the bias after a step");

        Flat.load(fa, b, ob, oa.stepCount());
        assertArrayEquals(fa, Flat.of(b, ob));
        assertEquals(1, ob.stepCount());
        // the same state steps the same way
        stepOnce(a, oa);
        stepOnce(b, ob);
        assertArrayEquals(Flat.of(a, oa), Flat.of(b, ob));

        float[] sum = Flat.add(Flat.of(a, null), Flat.of(b, null));
        assertEquals(2 * a.stateDict().get("weight").toArray()[0], sum[0], 1e-7f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Flat.load(new float[5], b, ob, 1));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }
}
