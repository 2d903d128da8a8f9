package org.bgtai.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.nn.Parameter;
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
 * allocation per step). State keys: {@code <param>.exp_avg}, {@code <param>.exp_avg_sq}.
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
            m.put(e.getKey(), Tensor.zeros(e.getValue().shape()));
            v.put(e.getKey(), Tensor.zeros(e.getValue().shape()));
        }
    }

    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(indexed(params), lr, beta1, beta2, eps, weightDecay);
    }

    @Override
    protected void update(String name, Parameter p, long t) {
        float[] pd = p.value().cpuData();
        Tensor gt = p.grad().contiguous();
        float[] gd = gt.cpuData();
        int go = gt.offset();
        float[] md = m.get(name).cpuData(), vd = v.get(name).cpuData();
        double lr = lr();
        float decay = (float) (1 - lr * weightDecay);
        float b1 = (float) beta1, b2 = (float) beta2;
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        float e = (float) eps;
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
