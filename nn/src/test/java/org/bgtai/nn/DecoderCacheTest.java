package org.bgtai.nn;

import static org.bgtai.nn.testing.Close.assertClose;

import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Incremental decoding with key/value caches equals the full causal forward pass. */
class DecoderCacheTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stepByStepEqualsFullCausalPass(boolean normFirst) {
        Rng rng = new Rng(5);
        var dec = new TransformerDecoder(new TransformerConfig(8, 2, 16, 0.1f, Activation.RELU, normFirst, 1e-5f), 2, true, rng);
        dec.eval();
        Tensor x = rng.normal(0, 1, 2, 5, 8), memory = rng.normal(0, 1, 2, 4, 8);
        Tensor pad = Tensor.of(new float[] {0, 0, 0, 0, 0, 0, 1, 1}, 2, 4);
        try (var ignored = GradMode.noGrad()) {
            Tensor full = dec.forward(Var.of(x), Var.of(memory), null, pad, true).value();
            TransformerDecoder.Cache cache = dec.newCache();
            for (int t = 0; t < 5; t++) {
                Tensor step = dec.forwardStep(Var.of(x.narrow(1, t, 1)), Var.of(memory), pad, cache).value();
                assertClose("position " + t, full.narrow(1, t, 1).copy(), step);
            }
            org.junit.jupiter.api.Assertions.assertEquals(5, cache.length());
        }
    }
}
