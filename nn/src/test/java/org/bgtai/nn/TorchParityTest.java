package org.bgtai.nn;

import static org.bgtai.nn.testing.Close.assertClose;

import java.util.Map;
import org.bgtai.autograd.Var;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.nn.loss.InfoNce;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.testing.Fixture;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.testing.OpenClTesting;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reproduces the PyTorch fixtures in {@code shared/fixtures/torch/} (outputs and every gradient)
 * within float32 tolerance: rel 1e-4, abs 1e-5 (see {@link org.bgtai.nn.testing.Close}), on every
 * backend: each test runs on the CPU and on OpenCL (layers, inputs and gradients on the device;
 * skipped without an OpenCL device, failing instead under BGTAI_REQUIRE_OPENCL=1).
 */
class TorchParityTest {
    private static final Rng RNG = new Rng(1);

    /** The backend a parameterized test runs on: {@code cpu}, or {@code opencl} (the test device). */
    private static Device device(String backend) {
        return backend.equals("cpu") ? Device.CPU : OpenClTesting.device();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void linear(String backend) {
        Device dev = device(backend);
        Fixture f = Fixture.load("linear").on(dev);
        Linear fc = new Linear(7, 5, true, RNG);
        weightBiasLayer(f, fc, fc::forward, fc.weight(), fc.bias());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void layerNorm(String backend) {
        Device dev = device(backend);
        Fixture f = Fixture.load("layer_norm").on(dev);
        LayerNorm ln = new LayerNorm(8, Float.parseFloat(f.meta("eps")));
        weightBiasLayer(f, ln, ln::forward, ln.weight(), ln.bias());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void geluExact(String backend) {
        Device dev = device(backend);
        activation("gelu_none", Activation.GELU, dev);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void geluTanh(String backend) {
        Device dev = device(backend);
        activation("gelu_tanh", Activation.GELU_TANH, dev);
    }

    private static void activation(String name, Activation act, Device dev) {
        Fixture f = Fixture.load(name).on(dev);
        Var x = Var.param(f.f("input"));
        Var y = act.apply(x);
        assertClose("output", f.f("output"), y.value());
        y.backward(f.f("grad_output"));
        assertClose("grad_input", f.f("grad_input"), x.grad());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void logSoftmax(String backend) {
        Device dev = device(backend);
        Fixture f = Fixture.load("log_softmax").on(dev);
        Var x = Var.param(f.f("input"));
        Var y = x.logSoftmax(-1);
        assertClose("output", f.f("output"), y.value());
        y.backward(f.f("grad_output"));
        assertClose("grad_input", f.f("grad_input"), x.grad());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void crossEntropyWithSmoothingAndIgnoreIndex(String backend) {
        Device dev = device(backend);
        Fixture f = Fixture.load("cross_entropy").on(dev);
        Var logits = Var.param(f.f("logits"));
        Var loss = CrossEntropy.loss(logits, f.i("target"), Float.parseFloat(f.meta("label_smoothing")), Integer.parseInt(f.meta("ignore_index")));
        assertClose("loss", f.f("loss").reshape(), loss.value());
        loss.backward();
        assertClose("grad_logits", f.f("grad_logits"), logits.grad());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void mhaSelfCausal(String backend) {
        Device dev = device(backend);
        Fixture f = Fixture.load("mha_self_causal").on(dev);
        MultiHeadAttention mha = new MultiHeadAttention(16, 4, 0f, RNG);
        mha.to(dev);
        mha.loadStateDict(Map.of("in_proj_weight", f.f("in_proj_weight"), "in_proj_bias", f.f("in_proj_bias"),
            "out_proj.weight", f.f("out_proj_weight"), "out_proj.bias", f.f("out_proj_bias")), true);
        Var x = Var.param(f.f("input"));
        Var y = mha.forward(x, null, true);
        org.junit.jupiter.api.Assertions.assertEquals(dev, y.value().device(), "output stays on the device");
        assertClose("output", f.f("output"), y.value());
        y.backward(f.f("grad_output"));
        assertClose("grad_input", f.f("grad_input"), x.grad());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void mhaCrossWithKeyPadding(String backend) {
        Device dev = device(backend);
        Fixture f = Fixture.load("mha_cross").on(dev);
        MultiHeadAttention mha = new MultiHeadAttention(16, 4, 0f, RNG);
        mha.to(dev);
        mha.loadStateDict(Map.of("in_proj_weight", f.f("in_proj_weight"), "in_proj_bias", f.f("in_proj_bias"),
            "out_proj.weight", f.f("out_proj_weight"), "out_proj.bias", f.f("out_proj_bias")), true);
        Var q = Var.param(f.f("query"));
        Var kv = Var.param(f.f("key_value"));
        Var y = mha.forward(q, kv, kv, f.i("key_padding_mask").toFloat().to(dev), false);
        assertClose("output", f.f("output"), y.value());
        y.backward(f.f("grad_output"));
        assertClose("grad_query", f.f("grad_query"), q.grad());
        assertClose("grad_key_value", f.f("grad_key_value"), kv.grad());
        assertClose("grad_in_proj_weight", f.f("grad_in_proj_weight"), mha.inProjWeight().grad());
        assertClose("grad_in_proj_bias", f.f("grad_in_proj_bias"), mha.inProjBias().grad());
        assertClose("grad_out_proj_weight", f.f("grad_out_proj_weight"), mha.outProj().weight().grad());
        assertClose("grad_out_proj_bias", f.f("grad_out_proj_bias"), mha.outProj().bias().grad());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void encoderLayerPreNorm(String backend) {
        Device dev = device(backend);
        encoderLayer("encoder_layer_prenorm", true, dev);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void encoderLayerPostNorm(String backend) {
        Device dev = device(backend);
        encoderLayer("encoder_layer_postnorm", false, dev);
    }

    private static void encoderLayer(String name, boolean normFirst, Device dev) {
        Fixture f = Fixture.load(name).on(dev);
        var cfg = new TransformerConfig(16, 4, 32, 0.1f, Activation.parse(f.meta("activation")), normFirst, 1e-5f);
        var layer = new TransformerEncoderLayer(cfg, RNG);
        layer.to(dev);
        layer.eval();
        Module.LoadResult r = layer.loadStateDict(f.withPrefix("param."), true);
        org.junit.jupiter.api.Assertions.assertTrue(r.clean(), r.toString());
        Var x = Var.param(f.f("input"));
        Var y = layer.forward(x, null, false);
        assertClose("output", f.f("output"), y.value());
        y.backward(f.f("grad_output"));
        assertClose("grad_input", f.f("grad_input"), x.grad());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void adamwFiveSteps(String backend) {
        Device dev = device(backend);
        Fixture f = Fixture.load("adamw").on(dev);
        String[] betas = f.meta("betas").split(",");
        Parameter p = new Parameter(f.f("param0").copy());
        AdamW opt = new AdamW(java.util.List.of(p), Double.parseDouble(f.meta("lr")), Double.parseDouble(betas[0]), Double.parseDouble(betas[1]),
            Double.parseDouble(f.meta("eps")), Double.parseDouble(f.meta("weight_decay")));
        Tensor grads = f.f("grads"), after = f.f("params_after_each_step");
        for (int s = 0; s < grads.size(0); s++) {
            p.setGrad(grads.select(0, s).copy());
            opt.step();
            assertClose("params after step " + (s + 1), after.select(0, s).copy(), p.value());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void clipInfoNce(String backend) {
        Device dev = device(backend);
        Fixture f = Fixture.load("clip_infonce").on(dev);
        float temperature = Float.parseFloat(f.meta("temperature"));
        Var a = Var.param(f.f("a")), b = Var.param(f.f("b"));
        Var loss = InfoNce.loss(a, b, Var.of(Tensor.scalar((float) Math.log(1.0 / temperature)).to(dev)));
        assertClose("loss", f.f("loss").reshape(), loss.value());
        loss.backward();
        assertClose("grad_a", f.f("grad_a"), a.grad());
        assertClose("grad_b", f.f("grad_b"), b.grad());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void conv1d(String backend) {
        Device dev = device(backend);
        Fixture f = Fixture.load("conv1d");
        int stride = Integer.parseInt(f.meta("stride")), padding = Integer.parseInt(f.meta("padding"));
        Conv1d conv = new Conv1d(3, 4, 5, stride, padding, 1, 1, true, RNG);
        weightBiasLayer(f, conv, conv::forward, conv.weight(), conv.bias());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void conv2d(String backend) {
        Device dev = device(backend);
        Fixture f = Fixture.load("conv2d");
        int stride = Integer.parseInt(f.meta("stride")), padding = Integer.parseInt(f.meta("padding"));
        Conv2d conv = new Conv2d(3, 5, 3, 3, stride, padding, 1, 1, true, RNG);
        weightBiasLayer(f, conv, conv::forward, conv.weight(), conv.bias());
    }

    /**
     * Loads the fixture's {@code weight} and {@code bias} into {@code layer}, runs it on {@code input}
     * and checks the output and the input, weight and bias gradients.
     */
    private static void weightBiasLayer(Fixture f, Module layer, java.util.function.Function<Var, Var> forward, Parameter weight, Parameter bias) {
        layer.to(f.device());
        layer.loadStateDict(Map.of("weight", f.f("weight"), "bias", f.f("bias")), true);
        Var x = Var.param(f.f("input"));
        Var y = forward.apply(x);
        org.junit.jupiter.api.Assertions.assertEquals(f.device(), y.value().device(), "output stays on the device");
        assertClose("output", f.f("output"), y.value());
        y.backward(f.f("grad_output"));
        assertClose("grad_input", f.f("grad_input"), x.grad());
        assertClose("grad_weight", f.f("grad_weight"), weight.grad());
        assertClose("grad_bias", f.f("grad_bias"), bias.grad());
    }
}
