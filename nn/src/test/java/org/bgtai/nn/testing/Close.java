package org.bgtai.nn.testing;

import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Assertions;

/**
 * Float32 comparison used by the PyTorch parity tests: element-wise
 * {@code |a - b| <= ATOL + RTOL * |b|} with {@code RTOL = 1e-4}, {@code ATOL = 1e-5}.
 */
public final class Close {
    public static final float RTOL = 1e-4f, ATOL = 1e-5f;

    private Close() {}

    public static void assertClose(String what, Tensor expected, Tensor actual) {
        assertClose(what, expected, actual, RTOL, ATOL);
    }

    public static void assertClose(String what, Tensor expected, Tensor actual, float rtol, float atol) {
        Assertions.assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Shape.str(actual.shape()) + " vs expected " + Shape.str(expected.shape()));
        float[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i])))
                Assertions.fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }
}
