package org.bgtai.nn.optim;

import org.bgtai.nn.Parameter;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Tensor;

/**
 * Whole-model gradient utilities: the global L2 norm, clipping by it (PyTorch
 * {@code clip_grad_norm_}: every gradient is scaled by {@code max_norm / (norm + 1e-6)} when the
 * norm exceeds {@code max_norm}), and scaling (for averaging accumulated micro-batches).
 * Gradients on a device are reduced and scaled there; the norm is read back to the host once
 * (one scalar per device) since it is returned as a {@code double}.
 *
 * <pre>{@code
 * double norm = Grads.clipGlobalNorm(model.parameters(), 1.0);
 * }</pre>
 */
public final class Grads {
    private Grads() {}

    /** {@code sqrt(sum of squared gradient elements)} over parameters that have a gradient. */
    public static double globalNorm(Iterable<Parameter> params) {
        double s = 0;
        java.util.Map<Device, Tensor> onDevice = new java.util.HashMap<>();   // per-device sums of squares, read back once each
        for (Parameter p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (g.device() != Device.CPU) {
                onDevice.merge(g.device(), g.square().sum(), Tensor::add);
                continue;
            }
            float[] d = g.isDense() ? g.cpuData() : g.toArray();
            double part = 0;
            for (float v : d) part += (double) v * v;
            s += part;
        }
        for (Tensor part : onDevice.values()) s += part.item();
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

    /** Multiplies every gradient by {@code factor} in place. */
    public static void scale(Iterable<Parameter> params, float factor) {
        for (Parameter p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (g.device() != Device.CPU) {
                g.copyFrom(g.mul(factor));
            } else if (g.isDense()) {
                float[] d = g.cpuData();
                for (int i = 0; i < d.length; i++) d[i] *= factor;
            } else {
                p.setGrad(g.mul(factor));
            }
        }
    }
}
