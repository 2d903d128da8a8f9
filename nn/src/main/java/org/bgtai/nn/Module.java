package org.bgtai.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Base class of layers and models: a tree of named {@link Parameter}s and sub-modules, with
 * PyTorch's naming so that {@link #stateDict()} keys equal {@code torch.nn.Module.state_dict()}
 * keys ({@code layers.0.self_attn.in_proj_weight}, {@code layers.0.linear1.bias}, ...).
 *
 * <p>Subclasses register their parts in the constructor, in PyTorch's order:
 * <pre>{@code
 * final class Mlp extends Module {
 *     final Linear fc1, fc2;
 *     Mlp(Rng rng) {
 *         fc1 = registerModule("fc1", new Linear(8, 32, true, rng));
 *         fc2 = registerModule("fc2", new Linear(32, 8, true, rng));
 *     }
 * }
 * new Mlp(rng).stateDict().keySet();   // [fc1.weight, fc1.bias, fc2.weight, fc2.bias]
 * }</pre>
 *
 * <p>A module is in training mode after construction; {@link #eval()} switches dropout off in the
 * whole tree.
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Outcome of {@link #loadStateDict}: keys the module wanted but did not get, and so on. */
    public record LoadResult(List<String> missing, List<String> unexpected, List<String> mismatched) {
        /** True when every key matched by name and shape. */
        public boolean clean() {
            return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
        }

        @Override
        public String toString() {
            return "missing keys " + missing + ", unexpected keys " + unexpected + ", shape mismatches " + mismatched;
        }
    }

    /** Registers a parameter under {@code name} (a name without dots, unique in this module). */
    protected final Parameter registerParameter(String name, Parameter p) {
        checkName(name);
        params.put(name, p);
        return p;
    }

    /** Registers a sub-module under {@code name}; its parameters get the prefix {@code name.}. */
    protected final <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        children.put(name, m);
        return m;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException("module/parameter name '" + name + "' must be non-empty and contain no '.'");
        if (params.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException("name '" + name + "' is already registered in " + getClass().getSimpleName());
    }

    /** Direct sub-modules in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter of the tree by its dotted name, in PyTorch's {@code state_dict} order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (var e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out);
    }

    /** Every parameter of the tree (frozen ones included). */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters that are not frozen (what an optimizer should update). */
    public final Map<String, Parameter> trainableParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (var e : namedParameters().entrySet()) if (!e.getValue().isFrozen()) out.put(e.getKey(), e.getValue());
        return out;
    }

    /** Total number of parameter elements (PyTorch's {@code sum(p.numel() for p in m.parameters())}). */
    public final long numParameters() {
        long n = 0;
        for (Parameter p : namedParameters().values()) n += p.numel();
        return n;
    }

    /** Sets training mode in the whole tree (dropout active when true). */
    public Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    /** Evaluation mode: {@code train(false)}. */
    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /**
     * Moves every parameter of the tree to {@code device} (PyTorch {@code module.to(device)}) and
     * lets modules move their constant buffers ({@link #moveBuffers}); returns this module. Build
     * the optimizer after the move (an optimizer's state follows its parameters at the next step).
     * Gradients are dropped.
     */
    public final Module to(Device device) {
        for (Parameter p : params.values()) p.to(device);
        moveBuffers(device);
        for (Module c : children.values()) c.to(device);
        return this;
    }

    /** Hook for modules with non-parameter tensors (e.g. a positional table): move them to {@code device}. */
    protected void moveBuffers(Device device) {}

    /** Zeroes every parameter's gradient in place. */
    public final void zeroGrad() {
        for (Parameter p : namedParameters().values()) p.zeroGrad();
    }

    /** Freezes (or unfreezes) every parameter of the tree. */
    public final void setFrozen(boolean frozen) {
        for (Parameter p : namedParameters().values()) p.setFrozen(frozen);
    }

    /**
     * The parameter values by dotted name. Like PyTorch, the tensors are the live parameter
     * values (not copies): copy them for a snapshot that later training must not change.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : namedParameters().entrySet()) out.put(e.getKey(), e.getValue().value());
        return out;
    }

    /**
     * Copies values from {@code state} into the parameters in place. With {@code strict} any
     * missing, unexpected or mis-shaped key throws an {@link IllegalArgumentException} listing all
     * of them and nothing is loaded; otherwise the keys that match by name and shape are loaded and
     * the rest are reported in the result.
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Parameter> mine = namedParameters();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        for (var e : mine.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) missing.add(e.getKey());
            else if (!Arrays.equals(t.shape(), e.getValue().shape()))
                mismatched.add(e.getKey() + ": checkpoint " + Shape.str(t.shape()) + " vs model " + Shape.str(e.getValue().shape()));
        }
        for (String k : state.keySet()) if (!mine.containsKey(k)) unexpected.add(k);
        LoadResult result = new LoadResult(List.copyOf(missing), List.copyOf(unexpected), List.copyOf(mismatched));
        if (strict && !result.clean())
            throw new IllegalArgumentException("loadStateDict (strict) into " + getClass().getSimpleName() + " failed: " + result
                + "; check that the checkpoint was saved from the same architecture, or load with strict=false");
        for (var e : mine.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t != null && Arrays.equals(t.shape(), e.getValue().shape())) e.getValue().copyFrom(t);
        }
        return result;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + numParameters() + " parameters)";
    }
}
