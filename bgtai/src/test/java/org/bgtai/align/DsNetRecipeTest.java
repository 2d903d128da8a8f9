package org.bgtai.align;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.OptimizerConfig;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.testing.StateDicts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DS-Net recipe: its config, and resuming an interrupted run (with selection and SP-Loss) on DsNetTest's tone strings. */
class DsNetRecipeTest {
    @BeforeAll
    static void setUp() {
        DsNetTest.setUp();
    }

    @Test
    void configNeedsALoss() {
        var c = DsNetRecipe.Config.resultFilter(1, 0);
        assertThrows(IllegalArgumentException.class, () -> c.withAlignCe(false));
    }

    /** The loop of {@link DsNetRecipe#train} with checkpoints, stopped after {@code stopAfter} epochs (0 = none). */
    private static Map<String, Tensor> run(DsNetRecipe.Config c, Path dir, boolean resume, int stopAfter, List<Epoch> history) {
        Rng rng = new Rng(c.seed());
        DsNet net = new DsNet(DsNetTest.VOCAB, DsNetTest.train.get(0).dim(), c.width(), rng);
        TrainOptions o = TrainOptions.of(c.epochs(), c.batch(), c.lr()).withBatches(c.batch(), false)
            .withOptimizer(OptimizerConfig.adamW(c.lr()).withBetas(0.9, 0.999).withWeightDecay(0)).withSchedule(Schedule.constant()).withClipNorm(0)
            .withSeed(c.seed()).withCheckpoints(dir, resume).withStopAfter(stopAfter);
        history.addAll(new Trainer(o).generator(rng).fit(new DsNetRecipe(net, DsNetTest.train, DsNetTest.trainPaths, c)).history());
        return net.stateDict();
    }

    @Test
    void interruptedRunResumesToTheSameWeights(@TempDir Path tmp) {
        var c = DsNetRecipe.Config.resultFilter(3, 5).withSpLoss(true).withPairSelection(true);
        // the helper reproduces DsNetRecipe.train exactly
        DsNetRecipe.Trained t = DsNetRecipe.train(DsNetTest.train, DsNetTest.trainPaths, DsNetTest.VOCAB, c);
        List<Epoch> full = new java.util.ArrayList<>(), part = new java.util.ArrayList<>(), rest = new java.util.ArrayList<>();
        Map<String, Tensor> a = run(c, tmp.resolve("full"), false, 0, full);
        // weights compared as a whole (StateDicts): the first run of a JVM executes the Vector API
        // kernels as Java fallbacks, later ones as C2 intrinsics, whose float reductions and exp
        // may round differently by an ulp; Adam then turns the noise-only gradient of DS-Net's key
        // bias (softmax ignores a per-row constant) into lr-sized steps on those few elements
        assertTrue(StateDicts.relativeDistance(t.net().stateDict(), a) < 2e-2, "the helper reproduces DsNetRecipe.train");
        run(c, tmp.resolve("part"), false, 1, part);
        assertEquals(1, part.size());
        Map<String, Tensor> b = run(c, tmp.resolve("part"), true, 0, rest);
        assertEquals(3, rest.size());
        for (int e = 0; e < 3; e++) {
            assertEquals(full.get(e).loss(), rest.get(e).loss(), 1e-3 * Math.abs(full.get(e).loss()), "epoch " + (e + 1));
            assertEquals(full.get(e).stat(DsNetRecipe.SKIPPED), rest.get(e).stat(DsNetRecipe.SKIPPED), 0.0, "epoch " + (e + 1) + " selection");
        }
        double dist = StateDicts.relativeDistance(a, b);
        assertTrue(dist < 2e-2, "resumed weights differ by " + dist + " (relative L2)");
        assertTrue(full.get(1).stat(DsNetRecipe.SKIPPED) > 0, "selection skipped pairs in epoch 2");
    }
}
