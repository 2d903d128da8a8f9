package org.bgtai.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LossTest {
    @Test
    void crossEntropyByHand() {
        // logits [0, ln 3]: p = [1/4, 3/4]; target 1 -> -ln(3/4)
        Var l = CrossEntropy.loss(Var.of(Tensor.of(new float[] {0f, (float) Math.log(3)}, 1, 2)), IntTensor.of(1));
        assertEquals(-Math.log(0.75), l.item(), 1e-6);
    }

    @Test
    void nonFiniteLossNamesTheLoss() {
        var e = assertThrows(ArithmeticException.class, () -> Mse.loss(Var.of(Tensor.vector(Float.NaN, 1f)), Var.of(Tensor.vector(0f, 0f))));
        assertTrue(e.getMessage().startsWith("MSE loss is NaN") && e.getMessage().contains("learning rate"), e.getMessage());
        var ce = assertThrows(ArithmeticException.class,
            () -> CrossEntropy.loss(Var.of(Tensor.of(new float[] {Float.POSITIVE_INFINITY, 0f}, 1, 2)), IntTensor.of(1)));
        assertTrue(ce.getMessage().startsWith("cross-entropy loss"), ce.getMessage());
    }

    @Test
    void badTargetsAreExplained() {
        var e = assertThrows(IndexOutOfBoundsException.class, () -> CrossEntropy.loss(Var.of(Tensor.zeros(2, 3)), IntTensor.of(0, 3)));
        assertTrue(e.getMessage().contains("target 3 at position 1"), e.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> CrossEntropy.loss(Var.of(Tensor.zeros(2, 3)), IntTensor.of(0, 1, 2)));
        assertTrue(s.getMessage().contains("[2, 3]"), s.getMessage());
    }

    @Test
    void regressionLossesByHand() {
        Var x = Var.of(Tensor.vector(1f, -2f)), y = Var.of(Tensor.vector(0f, 1f));
        assertEquals((1 + 9) / 2f, Mse.loss(x, y).item(), 1e-6f);
        assertEquals((1 + 3) / 2f, L1.loss(x, y).item(), 1e-6f);
        // BCE: -[y log s(x) + (1-y) log(1-s(x))]
        double s1 = 1 / (1 + Math.exp(-1)), s2 = 1 / (1 + Math.exp(2));
        double bce = (-Math.log(1 - s1) - Math.log(s2)) / 2;
        assertEquals(bce, BceWithLogits.loss(x, y).item(), 1e-6);
        // large logits do not overflow
        assertEquals(0.0, BceWithLogits.loss(Var.of(Tensor.vector(200f)), Var.of(Tensor.vector(1f))).item(), 1e-6);
    }

    @Test
    void infoNceIsLowForMatchingPairs() {
        Tensor a = Tensor.eye(3);
        InfoNce clip = new InfoNce(0.07f);
        float matched = clip.forward(Var.of(a), Var.of(a)).item();
        float shuffled = clip.forward(Var.of(a), Var.of(a.indexSelect(0, IntTensor.of(1, 2, 0)))).item();
        assertTrue(matched < 1e-3 && shuffled > 10, matched + " vs " + shuffled);
        assertEquals(java.util.List.of("logit_scale"), java.util.List.copyOf(clip.stateDict().keySet()));
    }
}
