package org.bgtai.joint;

import static org.junit.jupiter.api.Assertions.*;

import org.bgtai.model.MelAugment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bgtai.model.Batch;
import org.bgtai.model.ModelConfig;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.OptimizerConfig;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.model.ModelConfig.Variant;
import org.bgtai.model.Prepared;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run driver on small real-data subsets (skipped without ../shared/data) and its data sources. */
class RealDataRunTest {
    static final ModelConfig TINY = ModelConfig.digits(Variant.UNIBRIVL).withSizes(16, 2, 32, 1, 16);

    static Path root() {
        Shared.require("data/fsdd");
        return Shared.require("data/mnist").getParent();
    }

    @Test
    void tinyAvDigitsRunLearnsAndResumes(@TempDir Path tmp) throws IOException {
        Path root = root();
        DataSource.Loaded d = new DataSource.Digits(root.resolve("fsdd"), root.resolve("mnist"), 80).load(TINY, 1);
        assertEquals(80, d.train().length);
        assertEquals(80, d.test().length);
        assertEquals(List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), d.classTexts());
        TrainOptions tc = TrainOptions.of(6, 16, 3e-3).withOptimizer(OptimizerConfig.adamW(3e-3).withWeightDecay(0)).withSchedule(Schedule.warmupCosine(5))
            .withSeed(2);
        Run.Result r = Run.run(d, TINY, tc.withCheckpoints(tmp.resolve("full"), false), 3, MelAugment.DEFAULT);
        List<Epoch> h = r.history();
        assertEquals(6, h.size());
        assertTrue(h.get(5).loss() < h.get(0).loss() - 0.1, "loss did not fall: " + h.get(0).loss() + " -> " + h.get(5).loss());
        for (String k : List.of("audio_to_image", "image_to_audio", "audio_to_text", "text_to_audio")) {
            var s = (java.util.Map<?, ?>) r.metrics().get(k);
            double r1 = ((Number) s.get("R@1")).doubleValue(), r10 = ((Number) s.get("R@10")).doubleValue();
            assertTrue(0 <= r1 && r1 <= r10 && r10 <= 1, k + " " + s);
        }

        // interrupted after 2 epochs, then resumed: the history continues from the checkpoint
        Path part = tmp.resolve("part");
        Run.Result first = Run.run(d, TINY, tc.withCheckpoints(part, false).withStopAfter(2), 3, MelAugment.DEFAULT);
        assertEquals(2, first.history().size());
        Run.Result rest = Run.run(d, TINY, tc.withCheckpoints(part, true), 3, MelAugment.DEFAULT);
        assertEquals(6, rest.history().size());
        for (int e = 0; e < 6; e++) assertEquals(e + 1, rest.history().get(e).epoch());
        assertEquals(first.history().get(1).loss(), rest.history().get(1).loss(), 0.0);   // restored, not retrained
        assertTrue(rest.history().get(5).loss() < rest.history().get(0).loss() - 0.1, "resumed run did not keep learning: " + rest.history());
        // the checkpoint holds the loop's and every dropout layer's generator and the augmentation draws
        // from the loop's: the continuation is the uninterrupted run (to the ulps of JIT-dependent
        // Vector API intrinsics, see WorldPipelineTest)
        for (int e = 2; e < 6; e++) assertEquals(h.get(e).loss(), rest.history().get(e).loss(), 1e-3 * h.get(e).loss(), "epoch " + (e + 1));
        WorldPipelineTest.assertTensorsEqual(r.model(), rest.model(), 1e-3f);
    }

    @Test
    void digitStringsHaveStripsAndSequenceLabels() throws IOException {
        Path root = root();
        DataSource.Loaded d = new DataSource.Strings(root.resolve("fsdd"), root.resolve("mnist"), 12, 6, 1, 5, false).load(TINY, 4);
        assertTrue(d.variableWidth());
        assertEquals(12, d.train().length);
        assertNull(d.classTexts());
        for (int i = 0; i < d.test().length; i++) {
            Prepared p = d.test()[i];
            String[] words = d.testTexts().get(i).split(" ");
            // honest strips: each digit 16-44 columns cropped to its ink, 0-24 columns apart
            int width = p.image().length / 28;
            assertEquals(28 * width, p.image().length);
            assertTrue(width >= words.length && width <= org.bgtai.data.DigitStrings.Options.HONEST.maxStripWidth(words.length), "strip width " + width);
            StringBuilder code = new StringBuilder("1");
            for (String w : words) code.append(List.of(org.bgtai.data.Words.DIGITS).indexOf(w));
            assertEquals(Integer.parseInt(code.toString()), p.label());
        }
        assertEquals(1307, DataSource.stringLabel(new int[] {3, 0, 7}));
        assertNotEquals(DataSource.stringLabel(new int[] {0, 7}), DataSource.stringLabel(new int[] {7}));
    }

    @Test
    void missingDataFolderNamesTheFolderAndTheFix(@TempDir Path tmp) {
        IOException e = assertThrows(IOException.class, () -> DataSource.dataRoot(tmp.resolve("nowhere")));
        assertTrue(e.getMessage().contains("nowhere") && e.getMessage().contains("fsdd") && e.getMessage().contains("BGTAI_SHARED"), e.getMessage());
        e = assertThrows(IOException.class, () -> new DataSource.Digits(tmp.resolve("f"), tmp.resolve("m"), 0).load(TINY, 1));
        assertTrue(e.getMessage().contains("FSDD folder " + tmp.resolve("f")), e.getMessage());
    }

    @Test
    void melAugmentIsSeededAndLeavesImagesAlone() {
        Rng r = new Rng(1);
        float[] mel = r.uniform(-5f, 0f, 2 * 10 * 4).toArray();
        Batch b = new Batch(org.bgtai.tensor.Tensor.of(mel, 2, 10, 4), new int[] {10, 7}, r.uniform(0f, 1f, 2, 1, 4, 4),
            org.bgtai.tensor.IntTensor.of(new int[] {1, 2}, 2, 1), org.bgtai.tensor.IntTensor.of(new int[] {1, 2}, 2, 1), new int[] {0, 1});
        Batch x = MelAugment.DEFAULT.apply(b, new Rng(5)), y = MelAugment.DEFAULT.apply(b, new Rng(5));
        assertArrayEquals(x.mel().toArray(), y.mel().toArray(), 0f);
        assertSame(b.images(), x.images());
        assertArrayEquals(mel, b.mel().toArray(), 0f);   // input untouched
        // gain only: every valid value moves by the same g ln(10)/10 with |g| <= 6 dB
        Batch g = new MelAugment(6, 0, null).apply(b, new Rng(9));
        float[] a = g.mel().toArray();
        double shift = a[0] - mel[0];
        assertTrue(Math.abs(shift) <= 6 * Math.log(10) / 10 + 1e-6);
        for (int k = 0; k < 10 * 4; k++) assertEquals(shift, a[k] - mel[k], 1e-5);
    }
}
