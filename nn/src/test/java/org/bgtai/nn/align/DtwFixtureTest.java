package org.bgtai.nn.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reproduces the PyTorch fixture dtw.safetensors (squared Euclidean, soft-DTW gamma 0.1). */
class DtwFixtureTest {
    static Map<String, MiniSafetensors.Entry> f;
    static float[] x, y;
    static final int D = 3;

    @BeforeAll
    static void load() throws Exception {
        f = MiniSafetensors.read(Shared.torchFixture("dtw"));
        x = f.get("x").data();
        y = f.get("y").data();
    }

    @Test
    void costMatrix() {
        assertArrayEquals(new int[] {7, 3}, f.get("x").shape());
        assertArrayEquals(f.get("cost_matrix").data(), StandardCost.SQUARED_EUCLIDEAN.matrix(x, y, D), 1e-4f);
    }

    @Test
    void dtwCostAndPath() {
        DtwAlignment a = Dtw.align(x, y, D, Dtw.Options.DEFAULT);
        assertEquals(f.get("dtw_cost").data()[0], a.cost(), 1e-4);
        assertArrayEquals(f.get("dtw_path_matrix").data(), a.matrix());
        assertEquals(f.get("dtw_cost").data()[0], Dtw.distance(x, y, D, Dtw.Options.DEFAULT), 1e-4);
        // Same through the given fixture cost matrix.
        assertArrayEquals(f.get("dtw_path_matrix").data(), Dtw.align(f.get("cost_matrix").data(), 7, 11).matrix());
    }

    @Test
    void softDtwValueAndGradients() {
        SoftDtw.Result r = SoftDtw.valueAndGradient(x, y, D, 0.1, StandardCost.SQUARED_EUCLIDEAN);
        assertEquals(f.get("soft_dtw").data()[0], r.value(), 1e-4);
        assertArrayEquals(f.get("grad_x").data(), r.gradX(), 1e-4f);
        assertArrayEquals(f.get("grad_y").data(), r.gradY(), 1e-4f);
    }
}
