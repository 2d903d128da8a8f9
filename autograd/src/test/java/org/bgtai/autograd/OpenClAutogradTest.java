package org.bgtai.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.testing.OpenClTesting;
import org.junit.jupiter.api.Test;

/**
 * Autograd is device-agnostic: a small model (embedding, self-attention scores, MLP with GELU,
 * log-softmax + gathered NLL) gives the same loss and parameter gradients on an OpenCL device as
 * on the CPU. Skipped without an OpenCL device (fails under BGTAI_REQUIRE_OPENCL=1).
 */
class OpenClAutogradTest {
    private static Tensor rand(Random r, float scale, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (r.nextFloat() * 2 - 1) * scale;
        return Tensor.of(v, shape);
    }

    /** Loss of the model; {@code p} = [embedding, w1, b1, w2]. */
    private static Var loss(List<Var> p, IntTensor ids, IntTensor labels) {
        Var x = Var.embedding(p.get(0), ids);                                // [2, 4, 5]
        Var att = x.matmul(x.mT()).div(2f).softmax(-1);                     // [2, 4, 4]
        Var h = att.matmul(x).add(x);                                       // [2, 4, 5]
        Var hidden = h.matmul(p.get(1)).add(p.get(2)).gelu();               // [2, 4, 8]
        Var logits = hidden.matmul(p.get(3));                               // [2, 4, 6]
        Var logp = logits.logSoftmax(-1);
        return logp.gather(2, labels).neg().mean();
    }

    @Test
    void mlpForwardAndBackwardMatchCpu() {
        Device dev = OpenClTesting.device();
        Random r = new Random(7);
        Tensor[] init = {rand(r, 1f, 7, 5), rand(r, 0.5f, 5, 8), rand(r, 0.1f, 8), rand(r, 0.5f, 8, 6)};
        IntTensor ids = IntTensor.of(new int[] {0, 3, 3, 6, 1, 2, 0, 5}, 2, 4);
        IntTensor labels = IntTensor.of(new int[] {1, 0, 5, 2, 4, 4, 3, 0}, 2, 4, 1);

        Function<Device, List<Var>> params = d -> List.of(
            Var.param(init[0].to(d)), Var.param(init[1].to(d)), Var.param(init[2].to(d)), Var.param(init[3].to(d)));
        List<Var> cpu = params.apply(Device.CPU), gpu = params.apply(dev);
        Var lc = loss(cpu, ids, labels), lg = loss(gpu, ids, labels);
        lc.backward();
        lg.backward();

        assertEquals(dev, lg.value().device());
        assertEquals(lc.item(), lg.item(), 1e-5f * Math.abs(lc.item()) + 1e-6f, "loss");
        for (int i = 0; i < cpu.size(); i++) {
            Tensor gc = cpu.get(i).grad(), gg = gpu.get(i).grad();
            assertEquals(dev, gg.device(), "gradient " + i + " stays on the device");
            assertNotSame(gc, gg);
            float[] a = gc.toArray(), b = gg.toArray();
            float scale = 0;
            for (float v : a) scale = Math.max(scale, Math.abs(v));
            assertArrayEquals(a, b, 1e-4f * scale + 1e-7f, "gradient of parameter " + i);
        }
    }
}
