package org.bgtai.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.Safetensors;
import org.bgtai.tensor.testing.OpenClTesting;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch parity (fixtures computed in float64 by PyTorch 1.13, stored as float32) for ops
 * composed from our primitives: outputs and every gradient within rel 1e-5 + abs 1e-6, on every
 * backend (the CPU, and OpenCL: skipped without a device, failing under BGTAI_REQUIRE_OPENCL=1).
 */
class TorchFixturesTest {
    static final float RTOL = 1e-5f, ATOL = 1e-6f;

    /** The fixture's tensors on the backend {@code cpu} or {@code opencl} (the test device). */
    static Map<String, Tensor> fixture(String name, String backend) throws IOException {
        Device dev = backend.equals("cpu") ? Device.CPU : OpenClTesting.device();
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        for (var e : Safetensors.load(Shared.torchFixture(name)).entrySet()) out.put(e.getKey(), e.getValue().to(dev));
        return out;
    }

    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray(), a = actual.toArray();
        float worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            float err = Math.abs(e[i] - a[i]) - (ATOL + RTOL * Math.abs(e[i]));
            if (err > worst) { worst = err; at = i; }
        }
        final int bad = at;
        assertTrue(bad < 0, () -> what + ": element " + bad + " expected " + e[bad] + " got " + a[bad]);
    }

    /** Runs {@code f} on the fixture's {@code input}, compares output and input gradient. */
    static void unaryFixture(String name, String backend, Function<Var, Var> f) throws IOException {
        Map<String, Tensor> fx = fixture(name, backend);
        Var x = Var.param(fx.get("input"));
        Var y = f.apply(x);
        assertClose(name + " output", fx.get("output"), y.value());
        y.backward(fx.get("grad_output"));
        assertClose(name + " grad_input", fx.get("grad_input"), x.grad());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void linear(String backend) throws IOException {
        Map<String, Tensor> fx = fixture("linear", backend);
        Var x = Var.param(fx.get("input")), w = Var.param(fx.get("weight")), b = Var.param(fx.get("bias"));
        Var y = x.matmul(w.mT()).add(b);  // y = x W^T + b
        assertClose("linear output", fx.get("output"), y.value());
        y.backward(fx.get("grad_output"));
        assertClose("linear grad_input", fx.get("grad_input"), x.grad());
        assertClose("linear grad_weight", fx.get("grad_weight"), w.grad());
        assertClose("linear grad_bias", fx.get("grad_bias"), b.grad());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"log_softmax, cpu", "gelu_none, cpu", "gelu_tanh, cpu", "log_softmax, opencl", "gelu_none, opencl", "gelu_tanh, opencl"})
    void elementwiseAndSoftmax(String name, String backend) throws IOException {
        switch (name) {
            case "log_softmax" -> unaryFixture(name, backend, x -> x.logSoftmax(-1));
            case "gelu_none" -> unaryFixture(name, backend, Var::gelu);
            case "gelu_tanh" -> unaryFixture(name, backend, Var::geluTanh);
            default -> throw new AssertionError(name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void logSoftmaxComposedFromPrimitivesAgrees(String backend) throws IOException {
        // the same fixture through x - logsumexp(x): exercises reduce + broadcast backward
        unaryFixture("log_softmax", backend, x -> x.sub(x.logsumexp(-1, true)));
    }
}
