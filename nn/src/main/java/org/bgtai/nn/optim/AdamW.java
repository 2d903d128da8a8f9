package org.bgtai.nn.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.nn.Parameter;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.Tensor;

/**
 * Adam with decoupled weight decay, exactly PyTorch's {@code torch.optim.AdamW}:
 * <pre>
 * p = p (1 - lr wd)
 * m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
 * p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * One {@link FusedOps#adamW} call per device updates every parameter in place, with the state
 * tensors (no allocation per step on the CPU: one fused, parallel loop per parameter); state
 * tensors follow their parameter's device. State keys: {@code <param>.exp_avg}, {@code <param>.exp_avg_sq}.
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
    protected void update(List<String> names, List<Parameter> ps, long t) {
        double lr = lr();
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        FusedOps.AdamWStep step = new FusedOps.AdamWStep((float) (1 - lr * weightDecay), (float) beta1, (float) beta2, (float) (lr / bc1),
            (float) (1 / Math.sqrt(bc2)), (float) eps);
        for (var group : byDevice(ps).entrySet()) {
            int n = group.getValue().size();
            List<Tensor> values = new ArrayList<>(n), grads = new ArrayList<>(n), ms = new ArrayList<>(n), vs = new ArrayList<>(n);
            for (int i : group.getValue()) {
                Parameter p = ps.get(i);
                String name = names.get(i);
                values.add(p.value());
                grads.add(p.grad());
                ms.add(follow(m, name, p));
                vs.add(follow(v, name, p));
            }
            group.getKey().backend().fused().adamW(values, grads, ms, vs, step);
        }
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
