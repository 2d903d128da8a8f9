package org.bgtai.nn.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.nn.Parameter;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Tensor;

/**
 * Whole-model gradient utilities: the global L2 norm, clipping by it (PyTorch
 * {@code clip_grad_norm_}: every gradient is scaled by {@code max_norm / (norm + 1e-6)} when the
 * norm exceeds {@code max_norm}), and scaling (for averaging accumulated micro-batches).
 * Gradients are reduced and scaled on their device, one {@link org.bgtai.tensor.FusedOps} call
 * per device ({@code sumOfSquares}, {@code scaleInPlace}); the norm is read back to the host once
 * per device since it is returned as a {@code double}.
 *
 * <pre>{@code
 * double norm = Grads.clipGlobalNorm(model.parameters(), 1.0);
 * }</pre>
 */
public final class Grads {
    private Grads() {}

    /** {@code sqrt(sum of squared gradient elements)} over parameters that have a gradient. */
    public static double globalNorm(Iterable<Parameter> params) {
        Map<Device, List<Tensor>> byDevice = new LinkedHashMap<>();
        for (Parameter p : params) {
            Tensor g = p.grad();
            if (g != null) byDevice.computeIfAbsent(g.device(), d -> new ArrayList<>()).add(g);
        }
        double s = 0;
        for (var e : byDevice.entrySet()) s += e.getKey().backend().fused().sumOfSquares(e.getValue());
        return Math.sqrt(s);
    }

    /** Scales all gradients in place so the global norm is at most {@code maxNorm}; returns the norm before clipping. */
    public static double clipGlobalNorm(Iterable<Parameter> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clipGlobalNorm: max norm must be positive, got " + maxNorm);
        double norm = globalNorm(params);
        if (!Double.isFinite(norm))
            throw new ArithmeticException("gradient norm is " + norm + ": a NaN/Inf gradient reached the parameters; lower the learning rate or check the loss");
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) scale(params, (float) coef);
        return norm;
    }

    /**
     * Multiplies every gradient by {@code factor}: in place when it owns its memory (dense), else
     * the gradient is replaced by a scaled copy (a view may share memory with other tensors).
     */
    public static void scale(Iterable<Parameter> params, float factor) {
        Map<Device, List<Tensor>> dense = new LinkedHashMap<>();
        for (Parameter p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (g.isDense()) dense.computeIfAbsent(g.device(), d -> new ArrayList<>()).add(g);
            else p.setGrad(g.mul(factor));
        }
        for (var e : dense.entrySet()) e.getKey().backend().fused().scaleInPlace(e.getValue(), factor);
    }
}
