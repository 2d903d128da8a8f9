package org.bgtai.nn.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.nn.Parameter;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Base of the optimizers: named parameters, a learning rate, a step counter and per-parameter
 * state tensors updated in place.
 *
 * <p>Gradient accumulation needs nothing special: gradients add up over several
 * {@code backward()} calls until {@link #zeroGrad()}, so scale each micro-batch loss by
 * {@code 1/k} and call {@link #step()} every {@code k} micro-batches. Parameters without a
 * gradient (unused this step) or frozen are skipped.
 *
 * <pre>{@code
 * AdamW opt = new AdamW(model.trainableParameters(), 1e-3, 0.9, 0.999, 1e-8, 0.01);
 * loss.backward();
 * Grads.clipGlobalNorm(model.parameters(), 1.0);
 * opt.step();
 * opt.zeroGrad();
 * }</pre>
 */
public abstract class Optimizer {
    protected final Map<String, Parameter> params;
    private double lr;
    private long step;

    protected Optimizer(Map<String, Parameter> params, double lr) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer got no parameters; pass model.trainableParameters()");
        if (!(lr >= 0)) throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
        this.params = new LinkedHashMap<>(params);
        this.lr = lr;
    }

    /** Names parameters of a plain list {@code "0", "1", ...}. */
    protected static Map<String, Parameter> indexed(List<Parameter> ps) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (int i = 0; i < ps.size(); i++) m.put(Integer.toString(i), ps.get(i));
        return m;
    }

    /** One update from the current gradients (in place on the parameter values). */
    public final void step() {
        step++;
        List<String> names = new ArrayList<>(params.size());
        List<Parameter> ps = new ArrayList<>(params.size());
        for (var e : params.entrySet()) {
            Parameter p = e.getValue();
            if (p.isFrozen() || p.grad() == null) continue;
            names.add(e.getKey());
            ps.add(p);
        }
        if (!ps.isEmpty()) update(names, ps, step);
    }

    /**
     * The state tensor {@code state[name]}, first moved to {@code p}'s device when the parameter
     * was moved after this optimizer was built (a one-time copy).
     */
    protected static Tensor follow(Map<String, Tensor> state, String name, Parameter p) {
        Tensor s = state.get(name);
        if (s.device() != p.device()) {
            s = s.to(p.device());
            state.put(name, s);
        }
        return s;
    }

    /**
     * Updates the parameters {@code ps} (named {@code names}; every one has a gradient and is not
     * frozen) at step {@code t} (1-based), in place. Implementations update each device's
     * parameters with one call of its {@link org.bgtai.tensor.FusedOps} ({@link #byDevice}).
     */
    protected abstract void update(List<String> names, List<Parameter> ps, long t);

    /** Indices of {@code ps} grouped by device, devices in order of first appearance. */
    protected static Map<Device, List<Integer>> byDevice(List<Parameter> ps) {
        Map<Device, List<Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < ps.size(); i++) out.computeIfAbsent(ps.get(i).device(), d -> new ArrayList<>()).add(i);
        return out;
    }

    /** Zeroes every gradient in place. */
    public final void zeroGrad() {
        for (Parameter p : params.values()) p.zeroGrad();
    }

    public final double lr() {
        return lr;
    }

    /** Sets the learning rate (a schedule calls this before each step). */
    public final void setLr(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
        this.lr = lr;
    }

    /** Number of steps taken. */
    public final long stepCount() {
        return step;
    }

    public final List<Parameter> parameters() {
        return new ArrayList<>(params.values());
    }

    /** Per-parameter state tensors by {@code "<param name>.<state name>"} (live, not copies). */
    protected abstract Map<String, Tensor> stateTensors();

    /** A snapshot of the optimizer state for a checkpoint (copied tensors + step). */
    public final OptimizerState state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : stateTensors().entrySet()) out.put(e.getKey(), e.getValue().copy());
        return new OptimizerState(step, out);
    }

    /** Restores a state saved by {@link #state()} from an optimizer over the same parameters. */
    public final void loadState(OptimizerState s) {
        Map<String, Tensor> mine = stateTensors();
        List<String> problems = new ArrayList<>();
        for (var e : mine.entrySet()) {
            Tensor t = s.tensors().get(e.getKey());
            if (t == null) problems.add("missing " + e.getKey());
            else if (!java.util.Arrays.equals(t.shape(), e.getValue().shape()))
                problems.add(e.getKey() + " " + Shape.str(t.shape()) + " vs " + Shape.str(e.getValue().shape()));
        }
        for (String k : s.tensors().keySet()) if (!mine.containsKey(k)) problems.add("unexpected " + k);
        if (!problems.isEmpty())
            throw new IllegalArgumentException("optimizer state does not fit this optimizer: " + problems
                + "; was it saved for the same parameters and optimizer type?");
        for (var e : mine.entrySet()) e.getValue().copyFrom(s.tensors().get(e.getKey()).to(e.getValue().device()));
        step = s.step();
    }
}
