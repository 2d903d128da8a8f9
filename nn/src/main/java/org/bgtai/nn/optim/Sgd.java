package org.bgtai.nn.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.nn.Parameter;
import org.bgtai.tensor.FusedOps;
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
 * In place, one {@link FusedOps#sgd} call per device; state key {@code <param>.momentum_buffer}.
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
    protected void update(List<String> names, List<Parameter> ps, long t) {
        FusedOps.SgdStep step = new FusedOps.SgdStep((float) lr(), (float) momentum, (float) weightDecay, nesterov, t == 1);
        for (var group : byDevice(ps).entrySet()) {
            int n = group.getValue().size();
            List<Tensor> values = new ArrayList<>(n), grads = new ArrayList<>(n);
            List<Tensor> bufs = momentum == 0 ? null : new ArrayList<>(n);
            for (int i : group.getValue()) {
                Parameter p = ps.get(i);
                values.add(p.value());
                grads.add(p.grad());
                if (bufs != null) bufs.add(follow(buf, names.get(i), p));
            }
            group.getKey().backend().fused().sgd(values, grads, bufs, step);
        }
    }

    @Override
    protected Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : buf.entrySet()) out.put(e.getKey() + ".momentum_buffer", e.getValue());
        return out;
    }
}
