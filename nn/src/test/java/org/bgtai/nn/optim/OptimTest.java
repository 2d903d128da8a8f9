package org.bgtai.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Parameter;
import org.bgtai.nn.loss.Mse;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

class OptimTest {
    @Test
    void sgdMomentumAndNesterovByHand() {
        Parameter p = new Parameter(Tensor.vector(1f));
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, false, 0);
        p.setGrad(Tensor.vector(1f));
        sgd.step();                   // b = 1, p = 1 - 0.1 = 0.9
        assertEquals(0.9f, p.value().get(0), 1e-6f);
        p.setGrad(Tensor.vector(1f));
        sgd.step();                   // b = 0.9 + 1 = 1.9, p = 0.9 - 0.19 = 0.71
        assertEquals(0.71f, p.value().get(0), 1e-6f);

        Parameter q = new Parameter(Tensor.vector(1f));
        Sgd nes = new Sgd(List.of(q), 0.1, 0.9, true, 0.5);
        q.setGrad(Tensor.vector(1f));
        nes.step();                   // g = 1 + 0.5 = 1.5, b = 1.5, g' = 1.5 + 1.35 = 2.85, q = 1 - 0.285
        assertEquals(0.715f, q.value().get(0), 1e-6f);
    }

    @Test
    void updatesInPlaceWithoutReallocatingParameterOrState() {
        Parameter p = new Parameter(Tensor.vector(1f, 2f));
        org.bgtai.tensor.Storage data = p.value().storage();   // the same storage object is the same heap array
        AdamW opt = new AdamW(List.of(p), 0.1, 0.9, 0.99, 1e-8, 0.0);
        p.setGrad(Tensor.vector(1f, -1f));
        opt.step();
        assertSame(data, p.value().storage());
        assertTrue(p.value().get(0) < 1f && p.value().get(1) > 2f);
    }

    @Test
    void stateRoundTripContinuesTheSameTrajectory() {
        Rng rng = new Rng(3);
        Tensor init = rng.normal(0, 1, 4);
        Tensor[] grads = {rng.normal(0, 1, 4), rng.normal(0, 1, 4), rng.normal(0, 1, 4), rng.normal(0, 1, 4)};
        Parameter a = new Parameter(init.copy());
        AdamW oa = new AdamW(Map.of("w", a), 0.01, 0.9, 0.98, 1e-8, 0.1);
        for (Tensor g : grads) {
            a.setGrad(g.copy());
            oa.step();
        }
        Parameter b = new Parameter(init.copy());
        AdamW ob = new AdamW(Map.of("w", b), 0.01, 0.9, 0.98, 1e-8, 0.1);
        for (int i = 0; i < 2; i++) {
            b.setGrad(grads[i].copy());
            ob.step();
        }
        OptimizerState saved = ob.state();
        assertEquals(List.of("w.exp_avg", "w.exp_avg_sq"), List.copyOf(saved.tensors().keySet()));
        Parameter c = new Parameter(b.value().copy());
        AdamW oc = new AdamW(Map.of("w", c), 0.01, 0.9, 0.98, 1e-8, 0.1);
        oc.loadState(saved);
        assertEquals(2, oc.stepCount());
        for (int i = 2; i < 4; i++) {
            c.setGrad(grads[i].copy());
            oc.step();
        }
        assertArrayEquals(a.value().toArray(), c.value().toArray());
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Map.of("w", c), 0.1, 0.9, false, 0).loadState(saved));
    }

    @Test
    void gradientAccumulationEqualsFullBatch() {
        Rng rng = new Rng(9);
        Tensor x = rng.normal(0, 1, 4, 3), y = rng.normal(0, 1, 4, 2);
        Linear full = new Linear(3, 2, true, new Rng(1)), acc = new Linear(3, 2, true, new Rng(1));
        Mse.loss(full.forward(Var.of(x)), Var.of(y)).backward();
        for (int half = 0; half < 2; half++)
            Mse.loss(acc.forward(Var.of(x.narrow(0, 2 * half, 2))), Var.of(y.narrow(0, 2 * half, 2))).mul(0.5f).backward();
        assertTrue(full.weight().grad().allClose(acc.weight().grad(), 1e-5f, 1e-6f));
        assertTrue(full.bias().grad().allClose(acc.bias().grad(), 1e-5f, 1e-6f));
    }

    @Test
    void clipByGlobalNorm() {
        Parameter a = new Parameter(Tensor.zeros(2)), b = new Parameter(Tensor.zeros(1));
        a.setGrad(Tensor.vector(3f, 0f));
        b.setGrad(Tensor.vector(4f));
        double norm = Grads.clipGlobalNorm(List.of(a, b), 1.0);
        assertEquals(5.0, norm, 1e-9);
        assertEquals(1.0, Grads.globalNorm(List.of(a, b)), 1e-5);
        assertEquals(0.6f, a.grad().get(0), 1e-5f);
        double again = Grads.clipGlobalNorm(List.of(a, b), 10.0);   // below the limit: untouched
        assertEquals(1.0, again, 1e-5);
        assertEquals(0.8f, b.grad().get(0), 1e-5f);
    }

    @Test
    void schedulesByHand() {
        LrSchedule s = Schedules.warmupCosine(1.0, 10, 110, 0.0);
        assertEquals(0.1, s.lr(0), 1e-12);
        assertEquals(1.0, s.lr(9), 1e-12);
        assertEquals(1.0, s.lr(10), 1e-12);
        assertEquals(0.5, s.lr(60), 1e-12);
        assertEquals(0.0, s.lr(110), 1e-12);
        assertEquals(0.0, s.lr(500), 1e-12);
        LrSchedule n = Schedules.noam(256, 4000, 1.0);
        assertEquals(Math.pow(256, -0.5) * Math.pow(4000, -0.5), n.lr(3999), 1e-12);
        assertEquals(Math.pow(256, -0.5) * 1 * Math.pow(4000, -1.5), n.lr(0), 1e-15);
        assertTrue(n.lr(8000) < n.lr(3999));
    }
}
