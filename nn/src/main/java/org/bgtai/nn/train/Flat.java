package org.bgtai.nn.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bgtai.nn.optim.Optimizer;
import org.bgtai.nn.optim.OptimizerState;
import org.bgtai.nn.Module;
import org.bgtai.tensor.Tensor;

/**
 * A model's weights and its optimizer's state as one flat {@code float[]}, in state-dict order
 * and then optimizer-state order: what a data-parallel driver ships to workers, sums and averages
 * ({@link #add}), and loads back ({@link #load}). Both sides must hold the same model and optimizer
 * (same names, same shapes), as a checkpoint must.
 *
 * <pre>{@code
 * float[] w = Flat.of(model, opt);        // [weights..., moments...]
 * Flat.load(w, model, opt, step);          // the same values back, optimizer step count set
 * }</pre>
 */
public final class Flat {
    private Flat() {}

    /** Number of floats {@link #of} gives for this model and optimizer (null = weights only). */
    public static int size(Module model, Optimizer opt) {
        long n = 0;
        for (Tensor t : model.stateDict().values()) n += t.numel();
        if (opt != null) for (Tensor t : opt.state().tensors().values()) n += t.numel();
        if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("model and optimizer state of " + n + " floats do not fit one array");
        return (int) n;
    }

    /** The weights (state dict) and, when {@code opt} is given, the optimizer's state tensors, concatenated. */
    public static float[] of(Module model, Optimizer opt) {
        float[] out = new float[size(model, opt)];
        int at = put(model.stateDict(), out, 0);
        if (opt != null) put(opt.state().tensors(), out, at);
        return out;
    }

    /**
     * Loads what {@link #of} gave (possibly averaged) into {@code model} and {@code opt} (weights
     * only when {@code opt} is null), with the optimizer's step count set to {@code step}.
     */
    public static void load(float[] flat, Module model, Optimizer opt, long step) {
        if (flat.length != size(model, opt))
            throw new IllegalArgumentException("flat state of " + flat.length + " floats does not fit this model and optimizer (" + size(model, opt) + ")");
        Map<String, Tensor> w = new LinkedHashMap<>();
        int at = take(flat, 0, model.stateDict(), w);
        model.loadStateDict(w, true);
        if (opt != null) {
            Map<String, Tensor> st = new LinkedHashMap<>();
            take(flat, at, opt.state().tensors(), st);
            opt.loadState(new OptimizerState(step, st));
        }
    }

    /** {@code acc += x} element-wise (same length), returning {@code acc}: the reduction of a sum over workers. */
    public static float[] add(float[] acc, float[] x) {
        if (acc.length != x.length) throw new IllegalArgumentException("cannot add flat states of " + acc.length + " and " + x.length + " floats");
        for (int i = 0; i < acc.length; i++) acc[i] += x[i];
        return acc;
    }

    private static int put(Map<String, Tensor> ts, float[] out, int at) {
        for (Tensor t : ts.values()) {
            float[] d = t.contiguous().toArray();
            System.arraycopy(d, 0, out, at, d.length);
            at += d.length;
        }
        return at;
    }

    private static int take(float[] flat, int at, Map<String, Tensor> like, Map<String, Tensor> out) {
        for (var e : like.entrySet()) {
            int n = (int) e.getValue().numel();
            out.put(e.getKey(), Tensor.of(java.util.Arrays.copyOfRange(flat, at, at + n), e.getValue().shape()));
            at += n;
        }
        return at;
    }
}
