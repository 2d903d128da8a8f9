package org.bgtai.nn.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.Safetensors;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reproduces the PyTorch fixture dtw.safetensors (squared Euclidean, soft-DTW gamma 0.1). */
class DtwFixtureTest {
    static Map<String, Tensor> f;
    static float[] x, y;
    static final int D = 3;

    @BeforeAll
    static void load() throws Exception {
        f = Safetensors.load(Shared.torchFixture("dtw"));
        x = data("x");
        y = data("y");
    }

    static float[] data(String name) {
        Tensor t = f.get(name);
        if (t == null) throw new AssertionError("dtw.safetensors has no entry '" + name + "'; entries: " + f.keySet());
        return t.toArray();
    }

    @Test
    void costMatrix() {
        assertArrayEquals(new int[] {7, 3}, f.get("x").shape());
        assertArrayEquals(new int[] {11, 3}, f.get("y").shape());
        assertArrayEquals(data("cost_matrix"), StandardCost.SQUARED_EUCLIDEAN.matrix(x, y, D), 1e-4f);
    }

    @Test
    void dtwCostAndPath() {
        DtwAlignment a = Dtw.align(x, y, D, Dtw.Options.DEFAULT);
        assertEquals(data("dtw_cost")[0], a.cost(), 1e-4);
        assertArrayEquals(data("dtw_path_matrix"), a.matrix());
        assertEquals(data("dtw_cost")[0], Dtw.distance(x, y, D, Dtw.Options.DEFAULT), 1e-4);
        // Same through the given fixture cost matrix.
        assertArrayEquals(data("dtw_path_matrix"), Dtw.align(data("cost_matrix"), 7, 11).matrix());
    }

    @Test
    void softDtwValueAndGradients() {
        SoftDtw.Result r = SoftDtw.valueAndGradient(x, y, D, 0.1, StandardCost.SQUARED_EUCLIDEAN);
        assertEquals(data("soft_dtw")[0], r.value(), 1e-4);
        assertArrayEquals(data("grad_x"), r.gradX(), 1e-4f);
        assertArrayEquals(data("grad_y"), r.gradY(), 1e-4f);
    }

    @Test
    void softDtwVarBackwardReproducesTorchGradients() {
        Var xv = Var.param(f.get("x").copy()), yv = Var.param(f.get("y").copy());
        Var loss = AlignOps.softDtw(xv, yv, 0.1f, StandardCost.SQUARED_EUCLIDEAN);
        assertEquals(0, loss.dim());
        assertEquals(data("soft_dtw")[0], loss.item(), 1e-4);
        loss.backward();
        assertArrayEquals(new int[] {7, 3}, xv.grad().shape());
        assertArrayEquals(data("grad_x"), xv.grad().toArray(), 1e-4f);
        assertArrayEquals(data("grad_y"), yv.grad().toArray(), 1e-4f);
        // The same through the cost matrix: d/dC is the expected alignment, chained by hand to x.
        Var c = Var.param(f.get("cost_matrix").copy());
        Var viaCost = AlignOps.softDtw(c, 0.1f);
        assertEquals(data("soft_dtw")[0], viaCost.item(), 1e-4);
        viaCost.backward();
        float[] e = c.grad().toArray(), gx = new float[7 * D];
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 11; j++) {
                for (int k = 0; k < D; k++) gx[i * D + k] += 2 * e[i * 11 + j] * (x[i * D + k] - y[j * D + k]);
            }
        }
        assertArrayEquals(data("grad_x"), gx, 1e-4f);
    }
}
