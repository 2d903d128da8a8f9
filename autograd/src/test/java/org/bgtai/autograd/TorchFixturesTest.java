package org.bgtai.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.Safetensors;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * PyTorch parity (fixtures computed in float64 by PyTorch 1.13, stored as float32) for ops
 * composed from our primitives: outputs and every gradient within rel 1e-5 + abs 1e-6.
 */
class TorchFixturesTest {
    static final float RTOL = 1e-5f, ATOL = 1e-6f;

    static Map<String, Tensor> fixture(String name) throws IOException {
        return Safetensors.load(Shared.torchFixture(name));
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
    static void unaryFixture(String name, Function<Var, Var> f) throws IOException {
        Map<String, Tensor> fx = fixture(name);
        Var x = Var.param(fx.get("input"));
        Var y = f.apply(x);
        assertClose(name + " output", fx.get("output"), y.value());
        y.backward(fx.get("grad_output"));
        assertClose(name + " grad_input", fx.get("grad_input"), x.grad());
    }

    @Test
    void linear() throws IOException {
        Map<String, Tensor> fx = fixture("linear");
        Var x = Var.param(fx.get("input")), w = Var.param(fx.get("weight")), b = Var.param(fx.get("bias"));
        Var y = x.matmul(w.mT()).add(b);  // y = x W^T + b
        assertClose("linear output", fx.get("output"), y.value());
        y.backward(fx.get("grad_output"));
        assertClose("linear grad_input", fx.get("grad_input"), x.grad());
        assertClose("linear grad_weight", fx.get("grad_weight"), w.grad());
        assertClose("linear grad_bias", fx.get("grad_bias"), b.grad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"log_softmax", "gelu_none", "gelu_tanh"})
    void elementwiseAndSoftmax(String name) throws IOException {
        switch (name) {
            case "log_softmax" -> unaryFixture(name, x -> x.logSoftmax(-1));
            case "gelu_none" -> unaryFixture(name, Var::gelu);
            case "gelu_tanh" -> unaryFixture(name, Var::geluTanh);
            default -> throw new AssertionError(name);
        }
    }

    @Test
    void logSoftmaxComposedFromPrimitivesAgrees() throws IOException {
        // the same fixture through x - logsumexp(x): exercises reduce + broadcast backward
        unaryFixture("log_softmax", x -> x.sub(x.logsumexp(-1, true)));
    }
}
