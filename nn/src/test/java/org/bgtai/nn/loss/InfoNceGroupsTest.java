package org.bgtai.nn.loss;

import static org.junit.jupiter.api.Assertions.*;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.autograd.GradCheck;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The multi-positive InfoNCE: distinct groups are the plain loss; shared groups spread the target; gradients. */
class InfoNceGroupsTest {
    @Property(tries = 30)
    void distinctGroupsAreThePlainLoss(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll long seed) {
        Rng r = new Rng(seed);
        Var a = Var.of(r.normal(0, 1, n, 5)), b = Var.of(r.normal(0, 1, n, 5)), s = Var.scalar(2.3f);
        int[] g = new int[n];
        for (int i = 0; i < n; i++) g[i] = 10 * i + 3;
        assertEquals(InfoNce.loss(a, b, s).item(), InfoNce.loss(a, b, s, g).item(), 1e-5f);
    }

    @Test
    void aSharedGroupHasBothRowsAsTargets() {
        // two identical rows of a, one group: each row's target is half on each of b's two rows
        Tensor x = Tensor.of(new float[] {1, 0, 1, 0, 0, 1}, 3, 2), y = Tensor.of(new float[] {1, 0, 0.9f, 0.1f, 0, 1}, 3, 2);
        Var s = Var.scalar(0f);   // scale 1
        double grouped = InfoNce.loss(Var.of(x), Var.of(y), s, new int[] {0, 0, 1}).item();
        // hand computation: logits = cos(x_i, y_j); row i loss = -sum_j q_ij log softmax_j
        double[][] c = new double[3][3];
        float[] xd = x.toArray(), yd = y.toArray();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double nx = Math.hypot(xd[2 * i], xd[2 * i + 1]), ny = Math.hypot(yd[2 * j], yd[2 * j + 1]);
                c[i][j] = (xd[2 * i] * yd[2 * j] + xd[2 * i + 1] * yd[2 * j + 1]) / (nx * ny);
            }
        double[][] q = {{0.5, 0.5, 0}, {0.5, 0.5, 0}, {0, 0, 1}};
        double total = 0;
        for (int dir = 0; dir < 2; dir++)
            for (int i = 0; i < 3; i++) {
                double z = 0;
                for (int j = 0; j < 3; j++) z += Math.exp(dir == 0 ? c[i][j] : c[j][i]);
                for (int j = 0; j < 3; j++) total -= q[i][j] * ((dir == 0 ? c[i][j] : c[j][i]) - Math.log(z));
            }
        assertEquals(total / 6, grouped, 1e-5);
        assertThrows(IllegalArgumentException.class, () -> InfoNce.loss(Var.of(x), Var.of(y), s, new int[] {0, 1}));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng r = new Rng(4);
        int[] g = {0, 1, 0, 2, 1};
        GradCheck.assertGradients("grouped InfoNCE", v -> InfoNce.loss(v[0], v[1], v[2], g), 1e-2, 2e-2, 1e-3,
            r.normal(0, 1, 5, 4), r.normal(0, 1, 5, 4), Tensor.scalar(1.5f));
    }

    @Test
    void supervisedContrastiveByHand() {
        // 3 rows: 0 and 1 share a group, 2 is alone (it contributes nothing)
        Tensor z = Tensor.of(new float[] {1, 0, 0.8f, 0.6f, 0, 1}, 3, 2);
        double got = InfoNce.supervisedContrastive(Var.of(z), Var.scalar(0f), new int[] {5, 5, 9}).item();
        float[] d = z.toArray();
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                c[i][j] = (d[2 * i] * d[2 * j] + d[2 * i + 1] * d[2 * j + 1]) / (Math.hypot(d[2 * i], d[2 * i + 1]) * Math.hypot(d[2 * j], d[2 * j + 1]));
        double l0 = -(c[0][1] - Math.log(Math.exp(c[0][1]) + Math.exp(c[0][2]))), l1 = -(c[1][0] - Math.log(Math.exp(c[1][0]) + Math.exp(c[1][2])));
        assertEquals((l0 + l1) / 2, got, 1e-5);
        assertEquals(0.0, InfoNce.supervisedContrastive(Var.of(z), Var.scalar(0f), new int[] {1, 2, 3}).item(), 0.0, "no positives: no loss");
    }

    @Test
    void supervisedContrastiveGradients() {
        Rng r = new Rng(6);
        int[] g = {0, 1, 0, 1, 2, 0};
        GradCheck.assertGradients("supervised contrastive", v -> InfoNce.supervisedContrastive(v[0], v[1], g), 1e-2, 2e-2, 1e-3,
            r.normal(0, 1, 6, 4), Tensor.scalar(1.2f));
    }
}
