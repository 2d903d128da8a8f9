package org.bgtai.testing;

import java.util.Map;
import org.bgtai.tensor.Tensor;

/** Comparing trained weights in tests. */
public final class StateDicts {
    private StateDicts() {}

    /**
     * {@code ||a - b|| / ||a||} over all tensors of two state dicts with the same keys. Resume tests
     * compare weights this way: Adam turns an ulp-level sign flip of a near-zero gradient (the JIT
     * may swap a Vector API intrinsic for its fallback at different moments in two runs) into a
     * full learning-rate step on that one element, so single elements may differ by about lr.
     */
    public static double relativeDistance(Map<String, Tensor> a, Map<String, Tensor> b) {
        if (!a.keySet().equals(b.keySet())) throw new IllegalArgumentException("different keys: " + a.keySet() + " vs " + b.keySet());
        double d = 0, n = 0;
        for (var k : a.keySet()) {
            float[] x = a.get(k).toArray(), y = b.get(k).toArray();
            for (int i = 0; i < x.length; i++) {
                d += (double) (x[i] - y[i]) * (x[i] - y[i]);
                n += (double) x[i] * x[i];
            }
        }
        return Math.sqrt(d / n);
    }
}
