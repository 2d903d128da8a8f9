package org.bgtai.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The flow-matching generator learns a conditional distribution; the classifier judge learns classes. */
class FlowGeneratorTest {
    /** Two classes of 1x4x4 "images": class k is +-0.6 in a class-specific checkerboard plus small noise. */
    static float[][][] toy(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[][] x = new float[n][16], c = new float[n][4];
        for (int i = 0; i < n; i++) {
            int k = i % 2;
            for (int j = 0; j < 16; j++) x[i][j] = (float) (sign(j, k) * 0.6 + 0.05 * r.nextGaussian());
            c[i][k] = 1;
        }
        return new float[][][] {x, c};
    }

    /** +1 or -1: pixel j (row j / 4, column j % 4) of class k's checkerboard. */
    static int sign(int j, int k) {
        return ((j / 4 + j % 4 + k) % 2 == 0) ? 1 : -1;
    }

    static final FlowGenerator.Config TOY = new FlowGenerator.Config(1, 4, 4, 4, 8, 0.1f);

    @Test
    void samplesFollowTheirCondition() {
        float[][][] d = toy(512, 1);
        FlowGenerator g = new FlowGenerator(TOY, new Rng(5));
        // the velocity x1 - x0 has variance ~1.4 per value (noise 1 + image 0.36); a model of it must explain most
        double loss = g.fit(d[0], d[1], 30, 64, 3e-3, 9, true, null, false);
        assertTrue(loss < 0.6, "flow-matching loss stays at " + loss);
        float[] cond = new float[40 * 4];
        for (int i = 0; i < 40; i++) cond[i * 4 + (i % 2)] = 1;
        for (FlowGenerator.Solver solver : FlowGenerator.Solver.values()) {
            float[] s = g.sample(Tensor.of(cond, 40, 4), 10, 1f, solver, new Rng(11)).toArray();
            int right = 0;
            for (int i = 0; i < 40; i++) {
                double agree = 0;
                for (int j = 0; j < 16; j++) agree += s[i * 16 + j] * sign(j, i % 2);
                if (agree > 16 * 0.3) right++;
            }
            assertTrue(right >= 36, solver + ": " + right + " of 40 samples show their class pattern");
        }
    }

    @Test
    void samplingIsDeterministicForASeedAndGuidanceMixesTheBranches() {
        FlowGenerator fresh = new FlowGenerator(new FlowGenerator.Config(2, 4, 6, 3, 4, 0f), new Rng(2));
        Tensor c = new Rng(4).normal(0, 1, 5, 3);
        // the freshly built network predicts velocity 0 (zero output layer): the noise stays where it is
        assertArrayEquals(new Rng(8).normal(0f, 1f, 5, 48).clamp(-1f, 1f).toArray(), fresh.sample(c, 4, 2f, FlowGenerator.Solver.HEUN, new Rng(8)).toArray());
        float[][][] d = toy(64, 3);
        FlowGenerator g = new FlowGenerator(TOY, new Rng(2));
        g.fit(d[0], d[1], 2, 32, 3e-3, 1, true, null, false);
        Tensor c2 = Tensor.of(new float[] {1, 0, 0, 0, 0, 1, 0, 0}, 2, 4);
        float[] a = g.sample(c2, 4, 2f, FlowGenerator.Solver.EULER, new Rng(8)).toArray();
        assertArrayEquals(a, g.sample(c2, 4, 2f, FlowGenerator.Solver.EULER, new Rng(8)).toArray());
        // w = 0 is the unconditional branch: the same as sampling with zero conditions; w = 1 the conditional one
        assertArrayEquals(g.sample(Tensor.zeros(2, 4), 4, 1f, FlowGenerator.Solver.EULER, new Rng(8)).toArray(),
            g.sample(c2, 4, 0f, FlowGenerator.Solver.EULER, new Rng(8)).toArray(), 1e-5f);
        float[] w1 = g.sample(c2, 4, 1f, FlowGenerator.Solver.EULER, new Rng(8)).toArray();
        double diff = 0;
        for (int i = 0; i < a.length; i++) diff += Math.abs(a[i] - w1[i]);
        assertTrue(diff > 1e-3, "guidance 2 draws the same images as guidance 1");
    }

    @Test
    void classifierJudgesBarsByOrientationWherever() {
        // 1x8x8 images: a horizontal (class 0) or vertical (class 1) bar at a random place
        java.util.Random r = new java.util.Random(3);
        int n = 160;
        float[][] x = new float[n][64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            int at = r.nextInt(8), from = r.nextInt(4);
            for (int k = from; k < from + 4; k++) x[i][y[i] == 0 ? at * 8 + k : k * 8 + at] = 1f;
        }
        ImageClassifier c = new ImageClassifier(1, 8, 8, 2, new Rng(1));
        c.fit(x, y, 30, 5, true, null, false);
        int[] p = c.predict(x);
        int right = 0;
        for (int i = 0; i < n; i++) if (p[i] == y[i]) right++;
        assertTrue(right >= n * 0.95, right + " of " + n);
        assertEquals(ImageClassifier.FEATURES, c.features(x)[0].length);
    }

    @Test
    void interruptedTrainingResumesFromItsCheckpoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        float[][][] d = toy(96, 2);
        FlowGenerator.Config cfg = TOY;
        FlowGenerator full = new FlowGenerator(cfg, new Rng(5));
        Fit.run("full", full, 96, 4, 32, 3e-3, 9, true, null, false, (rows, rng) -> full.loss(Fit.rows(d[0], rows), Fit.rows(d[1], rows), rng));

        java.nio.file.Path ck = tmp.resolve("gen.safetensors");
        FlowGenerator a = new FlowGenerator(cfg, new Rng(5));
        int[] calls = {0};
        // the "process" dies in the 2nd step of epoch 3: the checkpoint holds epochs 1-2
        assertThrows(IllegalStateException.class, () -> Fit.run("a", a, 96, 4, 32, 3e-3, 9, true, ck, false, (rows, rng) -> {
            if (++calls[0] == 3 * 2 + 2) throw new IllegalStateException("killed");
            return a.loss(Fit.rows(d[0], rows), Fit.rows(d[1], rows), rng);
        }));
        FlowGenerator b = new FlowGenerator(cfg, new Rng(77));   // different init: everything must come from the file
        Fit.run("b", b, 96, 4, 32, 3e-3, 9, true, ck, true, (rows, rng) -> b.loss(Fit.rows(d[0], rows), Fit.rows(d[1], rows), rng));
        // as a whole: see StateDicts
        double dist = org.bgtai.testing.StateDicts.relativeDistance(full.stateDict(), b.stateDict());
        assertTrue(dist < 1e-3, "resumed weights differ by " + dist + " (relative L2)");
        // and a resume that ignored the checkpoint would be far off
        FlowGenerator fresh = new FlowGenerator(cfg, new Rng(77));
        assertTrue(org.bgtai.testing.StateDicts.relativeDistance(full.stateDict(), fresh.stateDict()) > 0.1);
    }

    @Test
    void badShapesAreNamed() {
        FlowGenerator g = new FlowGenerator(new FlowGenerator.Config(1, 2, 4, 3, 4, 0f), new Rng(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.sample(Tensor.zeros(2, 5), 3, 1f, FlowGenerator.Solver.EULER, new Rng(1)));
        assertTrue(e.getMessage().contains("[2, 3] condition"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FlowGenerator.Config(0, 2, 4, 3, 4, 0f));
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> new FlowGenerator.Config(1, 3, 4, 3, 4, 0f));
        assertTrue(odd.getMessage().contains("even"), odd.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.fit(new float[3][8], new float[2][3], 1, 2, 1e-3, 1, true, null, false));
    }
}
