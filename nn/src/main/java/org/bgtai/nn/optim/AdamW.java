package org.bgtai.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.nn.Parameter;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Tensor;

/**
 * Adam with decoupled weight decay, exactly PyTorch's {@code torch.optim.AdamW}:
 * <pre>
 * p = p (1 - lr wd)
 * m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
 * p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * One fused, parallel loop per parameter, in place on the parameter and the state arrays (no
 * allocation per step); off the CPU the same update runs as elementwise tensor ops on the
 * device, and state tensors follow their parameter's device. State keys: {@code <param>.exp_avg}, {@code <param>.exp_avg_sq}.
 *
 * <pre>{@code
 * AdamW opt = new AdamW(model.trainableParameters(), 1e-3, 0.9, 0.98, 1e-8, 0.01);
 * }</pre>
 */
public final class AdamW extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final Map<String, Tensor> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();

    public AdamW(Map<String, Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (var e : this.params.entrySet()) {
            m.put(e.getKey(), e.getValue().value().zerosLike());
            v.put(e.getKey(), e.getValue().value().zerosLike());
        }
    }

    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(indexed(params), lr, beta1, beta2, eps, weightDecay);
    }

    @Override
    protected void update(String name, Parameter p, long t) {
        Tensor mt = follow(m, name, p), vt = follow(v, name, p);
        double lr = lr();
        float decay = (float) (1 - lr * weightDecay);
        float b1 = (float) beta1, b2 = (float) beta2;
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        float e = (float) eps;
        if (p.device() != Device.CPU) {
            updateComposed(p.value(), p.grad(), mt, vt, decay, b1, b2, stepSize, invSqrtBc2, e);
            return;
        }
        float[] pd = p.value().cpuData();
        Tensor gt = p.grad().contiguous();
        float[] gd = gt.cpuData();
        int go = gt.offset();
        float[] md = mt.cpuData(), vd = vt.cpuData();
        Parallel.forRange(pd.length, 1 << 14, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                float g = gd[go + i];
                float mi = b1 * md[i] + (1 - b1) * g;
                float vi = b2 * vd[i] + (1 - b2) * g * g;
                md[i] = mi;
                vd[i] = vi;
                float denom = (float) Math.sqrt(vi) * invSqrtBc2 + e;
                pd[i] = pd[i] * decay - stepSize * mi / denom;
            }
        });
    }

    /**
     * The same update from elementwise tensor ops, in place on {@code p}, {@code m}, {@code v}
     * (for parameters off the CPU; every op runs on their device).
     */
    static void updateComposed(Tensor p, Tensor g, Tensor m, Tensor v, float decay, float b1, float b2, float stepSize,
                               float invSqrtBc2, float eps) {
        m.copyFrom(m.mul(b1));
        m.addInPlace(g, 1 - b1);
        v.copyFrom(v.mul(b2));
        v.addInPlace(g.square(), 1 - b2);
        Tensor denom = v.sqrt().mul(invSqrtBc2).add(eps);
        if (decay != 1f) p.copyFrom(p.mul(decay));
        p.addInPlace(m.div(denom), -stepSize);
    }

    @Override
    protected Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : params.keySet()) {
            out.put(k + ".exp_avg", m.get(k));
            out.put(k + ".exp_avg_sq", v.get(k));
        }
        return out;
    }
}
