package org.bgtai.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.autograd.Var;
import org.bgtai.nn.testing.Fixture;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModuleTest {
    private static final TransformerConfig CFG = new TransformerConfig(16, 4, 32, 0.1f, Activation.GELU, false, 1e-5f);

    @Test
    void encoderLayerKeysAreTorchStateDictKeys() {
        var layer = new TransformerEncoderLayer(CFG, new Rng(0));
        // key order and names as written by torch (fixture header), prefix "param." removed
        assertEquals(List.copyOf(Fixture.load("encoder_layer_prenorm").withPrefix("param.").keySet()), List.copyOf(layer.stateDict().keySet()));
    }

    @Test
    void transformerKeysFollowTorchNaming() {
        var tr = new Transformer(CFG, 2, 1, new Rng(0));
        var keys = tr.stateDict().keySet();
        assertTrue(keys.contains("encoder.layers.1.self_attn.in_proj_weight"));
        assertTrue(keys.contains("encoder.norm.weight"));
        assertTrue(keys.contains("decoder.layers.0.multihead_attn.out_proj.bias"));
        assertTrue(keys.contains("decoder.layers.0.norm3.bias"));
        assertTrue(keys.contains("decoder.norm.bias"));
        // torch: encoder layer 12 tensors, decoder layer 18, two final norms 2 each
        assertEquals(2 * 12 + 18 + 4, keys.size());
    }

    @Test
    void strictLoadListsEveryProblemAndLoadsNothing() {
        Linear fc = new Linear(3, 2, true, new Rng(0));
        Tensor before = fc.weight().value().copy();
        Map<String, Tensor> sd = new HashMap<>();
        sd.put("weight", Tensor.zeros(2, 4));
        sd.put("extra", Tensor.zeros(1));
        var e = assertThrows(IllegalArgumentException.class, () -> fc.loadStateDict(sd, true));
        assertTrue(e.getMessage().contains("bias") && e.getMessage().contains("extra") && e.getMessage().contains("weight: checkpoint [2, 4] vs model [2, 3]"),
            e.getMessage());
        assertTrue(before.allClose(fc.weight().value(), 0, 0));
    }

    @Test
    void nonStrictLoadLoadsWhatFitsAndReports() {
        Linear fc = new Linear(3, 2, true, new Rng(0));
        var r = fc.loadStateDict(Map.of("bias", Tensor.vector(5, 6), "other", Tensor.zeros(1)), false);
        assertEquals(List.of("weight"), r.missing());
        assertEquals(List.of("other"), r.unexpected());
        assertFalse(r.clean());
        assertEquals(6f, fc.bias().value().get(1));
    }

    @Test
    void stateDictRoundTripReproducesOutputs() {
        var a = new TransformerEncoderLayer(CFG, new Rng(1));
        var b = new TransformerEncoderLayer(CFG, new Rng(2));
        a.eval();
        b.eval();
        Map<String, Tensor> copy = new HashMap<>();
        a.stateDict().forEach((k, v) -> copy.put(k, v.copy()));
        assertTrue(b.loadStateDict(copy, true).clean());
        Var x = Var.of(new Rng(3).normal(0, 1, 2, 3, 16));
        assertTrue(a.forward(x, null, false).value().allClose(b.forward(x, null, false).value(), 0, 0));
    }

    @Test
    void frozenParametersGetNoGradientAndAreNotTrainable() {
        var layer = new TransformerEncoderLayer(CFG, new Rng(0));
        int all = layer.namedParameters().size();
        layer.children().get("norm1").setFrozen(true);
        assertEquals(all - 2, layer.trainableParameters().size());
        layer.forward(Var.of(new Rng(1).normal(0, 1, 1, 3, 16)), null, false).sum().backward();
        assertNull(layer.namedParameters().get("norm1.weight").grad());
        assertTrue(layer.namedParameters().get("linear1.weight").grad() != null);
    }

    @Test
    void evalPropagatesAndDisablesDropout() {
        var layer = new TransformerEncoderLayer(CFG, new Rng(0));
        Var x = Var.of(new Rng(1).normal(0, 1, 1, 3, 16));
        assertFalse(layer.forward(x, null, false).value().allClose(layer.forward(x, null, false).value(), 0, 0), "training: dropout differs per call");
        layer.eval();
        assertFalse(layer.children().get("dropout").isTraining());
        assertTrue(layer.forward(x, null, false).value().allClose(layer.forward(x, null, false).value(), 0, 0));
    }

    @Test
    void dropoutScalesSurvivorsAndRoutesGradientThroughMask() {
        Dropout d = new Dropout(0.25f, new Rng(4));
        Tensor x = Tensor.full(2f, 1000), r = Tensor.full(1f, 1000);
        Var xv = Var.param(x), rv = Var.param(r);
        Var y = d.addTo(rv, xv);
        y.backward(Tensor.ones(1000));
        float[] yv = y.value().toArray(), gx = xv.grad().toArray(), gr = rv.grad().toArray();
        int zeros = 0;
        for (int i = 0; i < 1000; i++) {
            boolean kept = yv[i] != 1f;
            if (!kept) zeros++;
            assertEquals(kept ? 1f + 2f / 0.75f : 1f, yv[i], 1e-5f);
            assertEquals(kept ? 1f / 0.75f : 0f, gx[i], 1e-6f);
            assertEquals(1f, gr[i]);
        }
        assertTrue(zeros > 180 && zeros < 320, "about 25% dropped, got " + zeros);
    }
}
