package org.bgtai.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.nn.Parameter;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Tensor;

/**
 * Stochastic gradient descent with momentum, Nesterov and (coupled) weight decay, PyTorch's
 * {@code torch.optim.SGD} (dampening 0):
 * <pre>
 * g = g + wd p
 * b = mu b + g            (b = g at the first step)
 * g = nesterov ? g + mu b : b
 * p = p - lr g
 * </pre>
 * In place; state key {@code <param>.momentum_buffer}.
 *
 * <pre>{@code
 * Sgd opt = new Sgd(model.trainableParameters(), 0.1, 0.9, true, 0);
 * }</pre>
 */
public final class Sgd extends Optimizer {
    private final double momentum, weightDecay;
    private final boolean nesterov;
    private final Map<String, Tensor> buf = new LinkedHashMap<>();

    public Sgd(Map<String, Parameter> params, double lr, double momentum, boolean nesterov, double weightDecay) {
        super(params, lr);
        if (nesterov && momentum <= 0) throw new IllegalArgumentException("Nesterov momentum needs momentum > 0, got " + momentum);
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        if (momentum != 0) for (var e : this.params.entrySet()) buf.put(e.getKey(), e.getValue().value().zerosLike());
    }

    public Sgd(List<Parameter> params, double lr, double momentum, boolean nesterov, double weightDecay) {
        this(indexed(params), lr, momentum, nesterov, weightDecay);
    }

    @Override
    protected void update(String name, Parameter p, long t) {
        Tensor bt = momentum == 0 ? null : follow(buf, name, p);
        if (p.device() != Device.CPU) {
            updateComposed(p.value(), p.grad(), bt, (float) lr(), (float) momentum, (float) weightDecay, nesterov, t == 1);
            return;
        }
        float[] pd = p.value().cpuData();
        Tensor gt = p.grad().contiguous();
        float[] gd = gt.cpuData();
        int go = gt.offset();
        float[] bd = bt == null ? null : bt.cpuData();
        float lr = (float) lr(), mu = (float) momentum, wd = (float) weightDecay;
        boolean first = t == 1;
        Parallel.forRange(pd.length, 1 << 14, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                float g = gd[go + i] + wd * pd[i];
                if (bd != null) {
                    float b = first ? g : mu * bd[i] + g;
                    bd[i] = b;
                    g = nesterov ? g + mu * b : b;
                }
                pd[i] -= lr * g;
            }
        });
    }

    /** The same update from elementwise tensor ops, in place on {@code p} and {@code b} (null without momentum). */
    static void updateComposed(Tensor p, Tensor grad, Tensor b, float lr, float mu, float wd, boolean nesterov, boolean first) {
        Tensor g = wd == 0f ? grad : grad.add(p.mul(wd));
        if (b != null) {
            if (first) b.copyFrom(g);
            else {
                b.copyFrom(b.mul(mu));
                b.addInPlace(g, 1f);
            }
            g = nesterov ? g.add(b.mul(mu)) : b;
        }
        p.addInPlace(g, -lr);
    }

    @Override
    protected Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : buf.entrySet()) out.put(e.getKey() + ".momentum_buffer", e.getValue());
        return out;
    }
}
