package org.bgtai.nn.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.autograd.Var;

/**
 * The loss of one batch: what {@link Trainer} differentiates and the named terms it records.
 * Usually one scalar {@link #of(Var)}; {@link #accumulated} holds several scalars whose gradients
 * add up (one backward pass each, e.g. per-example graphs of different shapes), as PyTorch's
 * gradient accumulation does.
 *
 * @param parts scalars to differentiate (their sum is the loss)
 * @param value the value recorded as the batch's loss
 * @param terms named parts of the loss for the history (e.g. {@code info_nce}, {@code gloss_ce})
 */
public record Loss(List<Var> parts, double value, Map<String, Double> terms) {
    public Loss {
        if (parts.isEmpty()) throw new IllegalArgumentException("a loss needs at least one scalar to differentiate");
        for (Var p : parts)
            if (p.value().numel() != 1)
                throw new IllegalArgumentException("a loss must be a scalar, got shape " + java.util.Arrays.toString(p.shape()) + "; reduce it (mean or sum)");
        parts = List.copyOf(parts);
        terms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }

    /** One scalar loss, recorded as its value. */
    public static Loss of(Var total) {
        return new Loss(List.of(total), total.item(), Map.of());
    }

    /** One scalar loss with named terms. */
    public static Loss of(Var total, Map<String, Double> terms) {
        return new Loss(List.of(total), total.item(), terms);
    }

    /** Several scalars differentiated one after another (gradients add up); {@code value} is what the history records. */
    public static Loss accumulated(List<Var> parts, double value, Map<String, Double> terms) {
        return new Loss(parts, value, terms);
    }

    /** The first non-finite figure (the value, a term or a part), or null when all are finite. */
    String nonFinite() {
        if (!Double.isFinite(value)) return "loss " + value;
        for (var e : terms.entrySet()) if (!Double.isFinite(e.getValue())) return e.getKey() + " " + e.getValue();
        for (int i = 0; i < parts.size(); i++) {
            float v = parts.get(i).item();
            if (!Float.isFinite(v)) return "part " + i + " of the loss " + v;
        }
        return null;
    }

    void backward() {
        for (Var p : parts) p.backward();
    }
}
