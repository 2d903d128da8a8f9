package org.bgtai.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Graph mechanics: accumulation, detach, no-grad scopes, freeing, errors. */
class VarTest {

    @Test
    void classJavadocExample() {
        Var w = Var.param(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Var x = Var.of(Tensor.ones(4, 3));
        Var loss = x.matmul(w.mT()).square().mean();
        loss.backward();
        // loss = mean over [4,2] of (row sums of w)^2: rows sum to 6 and 15; d/dw_ij = 2 * s_i / 2
        assertArrayEquals(new float[] {6, 6, 6, 15, 15, 15}, w.grad().toArray(), 1e-5f);
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Var w = Var.param(Tensor.vector(1, 2));
        w.mul(3f).sum().backward();
        Tensor g = w.grad();
        w.mul(3f).sum().backward();
        assertArrayEquals(new float[] {6, 6}, w.grad().toArray());
        assertSame(g, w.grad(), "accumulation reuses the gradient buffer");
        w.zeroGrad();
        assertArrayEquals(new float[] {0, 0}, w.grad().toArray());
    }

    @Test
    void sharedSubexpressionsSumTheirGradients() {
        Var x = Var.param(Tensor.vector(2));
        Var y = x.mul(x).add(x);  // x^2 + x -> 2x + 1 = 5
        y.sum().backward();
        assertEquals(5f, x.grad().item());
    }

    @Test
    void broadcastGradientsAreSummedToShape() {
        Var a = Var.param(Tensor.ones(2, 3));
        Var b = Var.param(Tensor.ones(3));
        a.add(b).sum().backward();
        assertArrayEquals(new float[] {2, 2, 2}, b.grad().toArray());
        assertArrayEquals(new int[] {2, 3}, a.grad().shape());
    }

    @Test
    void detachAndNoGradStopRecording() {
        Var w = Var.param(Tensor.vector(1, 2));
        assertFalse(w.detach().requiresGrad());
        try (var ignored = GradMode.noGrad()) {
            Var y = w.mul(2f);
            assertFalse(y.requiresGrad());
            assertTrue(y.isLeaf());
        }
        assertTrue(w.mul(2f).requiresGrad());
        Var z = w.detach().mul(2f).add(w);
        z.sum().backward();
        assertArrayEquals(new float[] {1, 1}, w.grad().toArray());
    }

    @Test
    void backwardFreesTheGraphUnlessRetained() {
        Var w = Var.param(Tensor.vector(1, 2));
        Var y = w.exp().sum();
        y.backward(Tensor.scalar(1f), true);
        y.backward(Tensor.scalar(1f), true);
        assertEquals(2 * Math.E, w.grad().get(0), 1e-5);
        Var h = w.exp();
        Var y2 = h.sum();
        y2.backward();
        assertTrue(h.isLeaf(), "intermediate nodes drop their parents after backward");
    }

    @Test
    void clearErrors() {
        Var w = Var.param(Tensor.ones(2, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.mul(2f).backward());
        assertTrue(e.getMessage().contains("non-scalar") && e.getMessage().contains("[2, 2]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Var.of(Tensor.scalar(1)).backward());
        assertThrows(IllegalArgumentException.class, () -> w.mul(2f).backward(Tensor.ones(3)));
        assertNull(Var.of(Tensor.ones(1)).grad());
    }

    @Test
    void customOpsPlugIntoTheGraph() {
        Var x = Var.param(Tensor.vector(1, 2, 3));
        // y = 2x with a hand-written backward
        Var y = Var.op("double", x.value().mul(2f), g -> new Tensor[] {g.mul(2f)}, x);
        y.square().sum().backward();  // d/dx (2x)^2 = 8x
        assertArrayEquals(new float[] {8, 16, 24}, x.grad().toArray());
    }
}
