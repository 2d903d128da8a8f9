package org.bgtai.nn;

import java.util.List;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.IntTensor;

/**
 * Keys and values of one attention layer kept between decoding steps: for self-attention they
 * grow by the new positions each step; for cross-attention they are computed from the encoder
 * memory once and reused. Shapes {@code [B, H, T, d]}.
 */
public final class KvCache {
    private Var keys, values;

    /** Cached keys {@code [B, H, T, d]}, or null when empty. */
    public Var keys() {
        return keys;
    }

    public Var values() {
        return values;
    }

    public boolean isEmpty() {
        return keys == null;
    }

    /** Number of cached positions. */
    public int length() {
        return keys == null ? 0 : keys.size(2);
    }

    void append(Var k, Var v) {
        keys = keys == null ? k : Var.cat(List.of(keys, k), 2);
        values = values == null ? v : Var.cat(List.of(values, v), 2);
    }

    void set(Var k, Var v) {
        keys = k;
        values = v;
    }

    /**
     * Keeps the batch rows {@code rows} in that order (beam search: each hypothesis continues its
     * parent's cache): {@code [B, H, T, d] -> [rows.numel(), H, T, d]}.
     */
    public void reorder(IntTensor rows) {
        if (keys == null) return;
        keys = keys.indexSelect(0, rows);
        values = values.indexSelect(0, rows);
    }

    /** Forgets everything (start of a new sequence). */
    public void clear() {
        keys = null;
        values = null;
    }
}
