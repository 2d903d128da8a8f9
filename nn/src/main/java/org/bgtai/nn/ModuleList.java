package org.bgtai.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An indexed list of sub-modules named {@code 0, 1, 2, ...}, like {@code torch.nn.ModuleList}
 * (so parameters are named {@code layers.0.linear1.weight}).
 *
 * <pre>{@code
 * ModuleList<Linear> layers = new ModuleList<>();
 * layers.add(new Linear(4, 4, true, rng));
 * layers.get(0);
 * }</pre>
 */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> items = new ArrayList<>();

    /** Appends {@code m} under the name of its index. */
    public M add(M m) {
        registerModule(Integer.toString(items.size()), m);
        items.add(m);
        return m;
    }

    public M get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    @Override
    public Iterator<M> iterator() {
        return items.iterator();
    }
}
