package org.bgtai.joint;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.bgtai.align.AlignConfig;
import org.bgtai.align.AlignTeacher;
import org.bgtai.align.JointAlignment;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;
import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.Test;

/** Data-pair selection on data with known mismatched pairs: corrupted pairs are skipped far more often than clean ones. */
class CorruptedPairsTest {
    @Test
    void corruptedPairsAreSkippedMoreOftenThanCleanOnes() {
        ModelConfig mc = ModelConfig.world(ModelConfig.Variant.BGTAI).withSizes(32, 2, 64, 1, 32);
        DataSource.Loaded d = new DataSource.World(new WorldConfig(16, 8000, 0.5, 4, 1), 0).load(mc, 2);
        Corruption.Result c = Corruption.apply(d.train(), 0.3, Corruption.Kind.AUDIO, new Rng(5));
        assertEquals(Math.round(0.3 * d.train().length), c.count());
        JointModel model = new JointModel(mc, d.textTokenizer(), d.glossTokenizer(), new Rng(1));
        Run.normalise(model, c.pairs());
        AlignTeacher teacher = AlignTeacher.fit(List.of(d.dictionary()), mc.nMels());
        float[][] paths = new float[c.pairs().length][];
        for (int i = 0; i < paths.length; i++) paths[i] = teacher.path(c.pairs()[i]);
        AlignConfig ac = AlignConfig.FULL.withSelection(true);
        JointAlignment ja = new JointAlignment(ac, paths, d.glossTokenizer().size(), mc.dModel(), new Rng(3));
        JointRecipe r = new JointRecipe(model, ja, c.pairs(), 16, 16).corrupted(c.mask());
        List<Epoch> h = new Trainer(TrainOptions.of(6, 32, 3e-3).withSchedule(Schedule.warmupCosine(10)).withSeed(4)).fit(r).history();
        // selection runs from epoch 2 on; the skipped share of corrupted pairs (recall) against that of clean pairs, epochs 2-4.
        // DS-Net's confidence is the in-span mass of its alignment: it sees mismatched audio only through a less
        // peaked alignment, so the margin is modest (measured: 1.5-1.7x in each epoch for this seed).
        double base = 0.3, corrupted = 0, clean = 0;
        for (int e = 1; e < 4; e++) {
            Epoch ep = h.get(e);
            double skipped = ep.stat(JointRecipe.SKIPPED), precision = ep.stat("selection_precision"), recall = ep.stat("selection_recall");
            assertTrue(skipped > 0, "epoch " + (e + 1) + " skips pairs");
            corrupted += recall;
            clean += skipped * (1 - precision) / (1 - base);   // clean pairs skipped, out of the clean ones
        }
        assertTrue(corrupted > 1.3 * clean, "corrupted pairs skipped at " + corrupted / 3 + ", clean ones at " + clean / 3 + " (" + h + ")");
    }

    @Test
    void theTeachersCostRanksCorruptedPairsLast() {
        ModelConfig mc = ModelConfig.world(ModelConfig.Variant.BGTAI).withSizes(32, 2, 64, 1, 32);
        DataSource.Loaded d = new DataSource.World(new WorldConfig(16, 8000, 0.5, 4, 1), 0).load(mc, 2);
        Corruption.Result c = Corruption.apply(d.train(), 0.3, Corruption.Kind.AUDIO, new Rng(5));
        AlignTeacher teacher = AlignTeacher.fit(List.of(d.dictionary()), mc.nMels());
        double[] scores = new double[c.pairs().length];
        for (int i = 0; i < scores.length; i++) scores[i] = -teacher.cost(c.pairs()[i]);
        // skipping the 30 % worst-scored pairs: most of them are the corrupted ones (chance: 30 %)
        int[] kept = org.bgtai.align.Selection.kept(scores, 0.3);
        boolean[] keep = new boolean[scores.length];
        for (int k : kept) keep[k] = true;
        int skipped = 0, hit = 0;
        for (int i = 0; i < keep.length; i++)
            if (!keep[i]) {
                skipped++;
                if (c.mask()[i]) hit++;
            }
        assertTrue(hit > 0.6 * skipped, hit + " of " + skipped + " skipped pairs are corrupted");

        // the same scores drive selection in training when the config says TEACHER
        JointAlignment ja = new JointAlignment(AlignConfig.FULL.withSelectBy(AlignConfig.SelectBy.TEACHER), new float[scores.length][], d.glossTokenizer().size(),
            mc.dModel(), new Rng(3));
        assertThrows(IllegalStateException.class, ja::selectionScores, "no scores set yet");
        assertArrayEquals(scores, ja.teacherScores(scores).selectionScores());
        assertThrows(IllegalArgumentException.class, () -> ja.teacherScores(new double[3]));
    }
}
