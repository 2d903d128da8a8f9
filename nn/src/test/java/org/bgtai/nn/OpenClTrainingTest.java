package org.bgtai.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.bgtai.autograd.Var;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.optim.Grads;
import org.bgtai.nn.optim.Sgd;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.testing.OpenClTesting;
import org.junit.jupiter.api.Test;

/**
 * Training on an OpenCL device equals training on the CPU: the layers run the device's fused-op
 * kernels (attention, dropout, layer norm, cross-entropy, AdamW, SGD, clipping, convolution,
 * pooling; {@code fused.cl}), written independently of the CPU kernels, which are the reference.
 * Dropout masks are drawn on the device with the CPU's bits. Skipped without an OpenCL device
 * (fails under BGTAI_REQUIRE_OPENCL=1).
 */
class OpenClTrainingTest {
    private static final int SRC_VOCAB = 13, TGT_VOCAB = 11, B = 2, S = 5, T = 4;

    /** Token embeddings, {@link Transformer} (one encoder and one decoder layer) and an output projection. */
    private static final class Seq2Seq extends Module {
        final Embedding src, tgt;
        final Transformer transformer;
        final Linear generator;

        Seq2Seq(TransformerConfig cfg, Rng rng) {
            src = registerModule("src_embed", new Embedding(SRC_VOCAB, cfg.dModel(), -1, rng));
            tgt = registerModule("tgt_embed", new Embedding(TGT_VOCAB, cfg.dModel(), -1, rng));
            transformer = registerModule("transformer", new Transformer(cfg, 1, 1, rng));
            generator = registerModule("generator", new Linear(cfg.dModel(), TGT_VOCAB, true, rng));
        }

        Var forward(IntTensor s, IntTensor t) {
            return generator.forward(transformer.forward(src.forward(s), tgt.forward(t), null, null, true));
        }
    }

    private static Seq2Seq tinyModel() {
        // Dropout on: both models draw the same masks from identically seeded generators.
        var cfg = new TransformerConfig(8, 2, 16, 0.1f, Activation.RELU, false, 1e-5f);
        return new Seq2Seq(cfg, new Rng(3));
    }

    private static void assertClose(Tensor expected, Tensor actual, float rel, String what) {
        float[] a = expected.toArray(), b = actual.toArray();
        float scale = 0;
        for (float v : a) scale = Math.max(scale, Math.abs(v));
        assertArrayEquals(a, b, rel * scale + 1e-6f, what);
    }

    @Test
    void seq2seqAdamWStepsMatchCpu() {
        Device dev = OpenClTesting.device();
        Seq2Seq cpu = tinyModel(), gpu = tinyModel();
        gpu.to(dev);
        Map<String, Parameter> pc = cpu.trainableParameters(), pg = gpu.trainableParameters();
        for (Parameter p : pg.values()) assertEquals(dev, p.value().device(), "parameters moved");
        // eps 1e-3: the key bias has an exactly zero gradient in exact arithmetic (softmax ignores a
        // per-row constant), so its float gradient is rounding noise that a tiny eps would blow up
        // to +-lr updates differing between devices.
        AdamW oc = new AdamW(pc, 1e-2, 0.9, 0.98, 1e-3, 0.01), og = new AdamW(pg, 1e-2, 0.9, 0.98, 1e-3, 0.01);
        IntTensor src = IntTensor.of(new int[] {1, 4, 7, 12, 2, 3, 3, 9, 0, 5}, B, S);
        IntTensor in = IntTensor.of(new int[] {1, 2, 10, 4, 6, 0, 7, 3}, B, T);
        IntTensor out = IntTensor.of(new int[] {2, 10, 4, -100, 0, 7, 3, 9}, B, T);   // one ignored target
        for (int step = 1; step <= 3; step++) {
            float lc = step(cpu, oc, src, in, out), lg = step(gpu, og, src, in, out);
            assertEquals(lc, lg, 1e-4f * Math.abs(lc), "loss at step " + step);
            for (var e : pc.entrySet()) {
                Tensor g = pg.get(e.getKey()).value();
                assertEquals(dev, g.device(), e.getKey() + " stays on the device");
                assertClose(e.getValue().value(), g, 1e-4f, e.getKey() + " after step " + step);
            }
        }
        // Parameters really changed (not a vacuous comparison of the initial values).
        assertFalse(tinyModel().stateDict().get("generator.weight").allClose(cpu.stateDict().get("generator.weight"), 0f, 1e-4f));
    }

    private static float step(Seq2Seq model, AdamW opt, IntTensor src, IntTensor in, IntTensor out) {
        opt.zeroGrad();
        Var loss = CrossEntropy.loss(model.forward(src, in), out, 0.1f, -100);
        loss.backward();
        Grads.clipGlobalNorm(model.parameters(), 0.5);
        opt.step();
        return loss.item();
    }

    @Test
    void attentionWithPaddingAndEmptyRowsMatchesCpu() {
        Device dev = OpenClTesting.device();
        Rng r = new Rng(5);
        Tensor q = r.normal(0f, 1f, 2, 2, 3, 4), k = r.normal(0f, 1f, 2, 2, 5, 4), v = r.normal(0f, 1f, 2, 2, 5, 4);
        Tensor pad = Tensor.of(new float[] {0, 0, 1, 0, 1, 1, 1, 1, 1, 1}, 2, 5);   // batch 1: every key masked
        Tensor up = r.normal(0f, 1f, 2, 2, 3, 4);
        List<Var> c = List.of(Var.param(q), Var.param(k), Var.param(v));
        List<Var> g = List.of(Var.param(q.to(dev)), Var.param(k.to(dev)), Var.param(v.to(dev)));
        Var oc = Attention.scaledDotProduct(c.get(0), c.get(1), c.get(2), pad, true, null);
        Var og = Attention.scaledDotProduct(g.get(0), g.get(1), g.get(2), pad.to(dev), true, null);
        assertClose(oc.value(), og.value(), 1e-5f, "attention output");
        oc.mul(Var.of(up)).sum().backward();
        og.mul(Var.of(up.to(dev))).sum().backward();
        for (int i = 0; i < 3; i++) assertClose(c.get(i).grad(), g.get(i).grad(), 1e-4f, "gradient " + "qkv".charAt(i));
    }

    @Test
    void sgdNesterovWithWeightDecayMatchesCpu() {
        Device dev = OpenClTesting.device();
        Linear cpu = new Linear(5, 3, true, new Rng(1)), gpu = new Linear(5, 3, true, new Rng(1));
        gpu.to(dev);
        Sgd oc = new Sgd(cpu.trainableParameters(), 0.1, 0.9, true, 0.01), og = new Sgd(gpu.trainableParameters(), 0.1, 0.9, true, 0.01);
        Tensor x = new Rng(2).normal(0f, 1f, 4, 5);
        for (int step = 0; step < 2; step++) {
            oc.zeroGrad();
            og.zeroGrad();
            cpu.forward(Var.of(x)).square().mean().backward();
            gpu.forward(Var.of(x.to(dev))).square().mean().backward();
            Grads.scale(cpu.parameters(), 0.5f);
            Grads.scale(gpu.parameters(), 0.5f);
            assertEquals(Grads.globalNorm(cpu.parameters()), Grads.globalNorm(gpu.parameters()), 1e-5);
            oc.step();
            og.step();
        }
        assertClose(cpu.weight().value(), gpu.weight().value(), 1e-5f, "weight");
        assertClose(cpu.bias().value(), gpu.bias().value(), 1e-5f, "bias");
    }

    @Test
    void convAndPoolOnDeviceInputsMatchCpu() {
        Device dev = OpenClTesting.device();
        Conv2d cpu = new Conv2d(2, 3, 3, 3, 1, 1, 1, 1, true, new Rng(4)), gpu = new Conv2d(2, 3, 3, 3, 1, 1, 1, 1, true, new Rng(4));
        gpu.to(dev);
        Tensor x = new Rng(6).normal(0f, 1f, 1, 2, 5, 4);
        Var xc = Var.param(x), xg = Var.param(x.to(dev));
        Var yc = Pool2d.max(2, 2, 0).forward(cpu.forward(xc)), yg = Pool2d.max(2, 2, 0).forward(gpu.forward(xg));
        assertEquals(dev, yg.value().device());
        assertClose(yc.value(), yg.value(), 1e-5f, "conv + pool output");
        yc.square().sum().backward();
        yg.square().sum().backward();
        assertEquals(dev, xg.grad().device());
        assertClose(xc.grad(), xg.grad(), 1e-4f, "input gradient");
        assertClose(cpu.weight().grad(), gpu.weight().grad(), 1e-4f, "weight gradient");
        assertEquals(dev, gpu.weight().grad().device());
    }
}
