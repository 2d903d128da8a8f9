package org.bgtai.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Image;
import org.bgtai.data.Sample;
import org.bgtai.metrics.Retrieval;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelConfig.Variant;
import org.bgtai.tensor.io.Json;
import org.bgtai.model.Embeddings;
import org.bgtai.model.ModelIO;
import org.bgtai.align.AlignConfig;
import org.bgtai.joint.Report;
import org.bgtai.joint.WorldRun;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/bgtai demo}: generates the built-in world (coloured shapes, the three-note phrases
 * that describe them and captions said many ways; no files needed), trains BGTAI with the full
 * objective (audio/text -> Langue2Gloss -> gloss -> shared space <- image; InfoNCE, gloss
 * cross-entropy, DS-Net alignment cross-entropy and self-paced SP-Loss, data-pair selection) end
 * to end, prints test retrieval (also for captions in held-out phrasings and for size/colour/shape
 * combinations held out of training) and zero-shot figures and writes {@code reports/demo/}:
 * {@code metrics.json}, {@code curves.png}, {@code retrievals.md}, {@code retrievals.png},
 * {@code model.safetensors}. {@code --baseline} also trains UniBriVL on the same data, encoder
 * sizes and budget.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Train BGTAI on the built-in world (no downloads), print retrieval and zero-shot figures, write a report.")
final class DemoCommand implements Callable<Integer> {
    /** Size/colour/shape combinations held out of training (one per colour): the test asks for them. */
    static final int HELD_OUT_COMBINATIONS = 6;

    @Option(names = "--epochs", description = "training epochs (default ${DEFAULT-VALUE})", defaultValue = "14")
    int epochs;

    @Option(names = "--per-class", description = "training samples per class, 48 classes (default ${DEFAULT-VALUE})", defaultValue = "24")
    int perClass;

    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--baseline", description = "also train the UniBriVL baseline for comparison (doubles the time)")
    boolean baseline;

    @Option(names = "--resume", description = "continue from the checkpoint in OUT/checkpoints when there is one")
    boolean resume;

    @Option(names = "--out", description = "report folder (default ${DEFAULT-VALUE})", defaultValue = "reports/demo")
    Path out;

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        WorldConfig world = new WorldConfig(32, 8000, 0.8, perClass, 4, HELD_OUT_COMBINATIONS);
        TrainOptions tc = TrainOptions.of(epochs, 48, 2e-3).withSchedule(Schedule.warmupCosine(40)).withSeed(seed).withLog(System.err);
        Files.createDirectories(out);
        List<Variant> variants = baseline ? List.of(Variant.BGTAI, Variant.UNIBRIVL) : List.of(Variant.BGTAI);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("demo", "builtin-world");
        int trainClasses = BuiltinWorld.numClasses() - HELD_OUT_COMBINATIONS;
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("classes", BuiltinWorld.numClasses());
        w.put("held_out_combinations", HELD_OUT_COMBINATIONS);
        w.put("train", perClass * trainClasses);
        w.put("val", 4 * trainClasses);
        w.put("test", 4 * BuiltinWorld.numClasses());
        w.put("seed", seed);
        all.put("world", w);
        List<Report.Curve> curves = new ArrayList<>();
        WorldRun.Result main = null;
        for (Variant v : variants) {
            System.err.println("== training " + v + " on the built-in world (" + perClass * trainClasses + " pairs, " + epochs + " epochs)");
            WorldRun.Result r = WorldRun.run(world, ModelConfig.world(v), tc.withCheckpoints(out.resolve("checkpoints").resolve(v.name().toLowerCase(Locale.ROOT)), resume), seed,
                AlignConfig.FULL);
            all.put(v.name().toLowerCase(Locale.ROOT), r.metrics());
            curves.add(new Report.Curve(v.name(), r.history()));
            if (main == null) main = r;
            print(r.metrics());
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        all.put("wall_clock_seconds", secs);
        Json.writeFile(out.resolve("metrics.json"), all);
        Report.plotCurves(out.resolve("curves.png"), curves);
        // the data record, so that eval and retrieve on this model default to its world
        DataOptions data = new DataOptions();
        data.data = "world";
        data.heldOutCombinations = HELD_OUT_COMBINATIONS;
        data.dataSeed = seed;
        data.worldPerClass = perClass;
        data.withDefaults(null, seed);
        ModelIO.save(out.resolve("model.safetensors"), main.model(), Map.of("objective", Json.write(main.metrics().get("objective")),
                DataOptions.METADATA_KEY, Json.write(data.record())),
            main.alignment() == null ? Map.of() : Map.of("dsnet", main.alignment().dsNet()));
        examples(main);
        System.out.printf(Locale.ROOT, "report: %s (metrics.json, curves.png, retrievals.md, retrievals.png, model.safetensors); %.0f s in all%n", out, secs);
        return 0;
    }

    private static void print(Map<String, Object> m) {
        Map<?, ?> ai = (Map<?, ?>) m.get("audio_to_image"), ia = (Map<?, ?>) m.get("image_to_audio"), ti = (Map<?, ?>) m.get("text_to_image");
        System.out.printf(Locale.ROOT, "%s test (%s pairs, %s classes; relevant = same class):%n", m.get("variant"), m.get("test_samples"), m.get("classes"));
        System.out.printf(Locale.ROOT, "  audio->image  R@1 %5.1f%%  R@5 %5.1f%%  MRR %.3f%n", 100 * d(ai.get("R@1")), 100 * d(ai.get("R@5")), d(ai.get("MRR")));
        System.out.printf(Locale.ROOT, "  image->audio  R@1 %5.1f%%  R@5 %5.1f%%  MRR %.3f%n", 100 * d(ia.get("R@1")), 100 * d(ia.get("R@5")), d(ia.get("MRR")));
        System.out.printf(Locale.ROOT, "  text->image   R@1 %5.1f%%  R@5 %5.1f%%  MRR %.3f%n", 100 * d(ti.get("R@1")), 100 * d(ti.get("R@5")), d(ti.get("MRR")));
        if (m.get("text_to_image_heldout_phrasing") instanceof Map<?, ?> th)
            System.out.printf(Locale.ROOT, "  text->image, held-out phrasings  R@1 %5.1f%%  R@5 %5.1f%%%n", 100 * d(th.get("R@1")), 100 * d(th.get("R@5")));
        if (m.get("heldout_combinations") instanceof Map<?, ?> hc) {
            Map<?, ?> a = (Map<?, ?>) hc.get("audio_to_image"), t = (Map<?, ?>) hc.get("text_to_image");
            System.out.printf(Locale.ROOT, "  held-out combinations (%s queries): audio->image R@1 %5.1f%%, text->image R@1 %5.1f%%%n", hc.get("queries"),
                100 * d(a.get("R@1")), 100 * d(t.get("R@1")));
        }
        System.out.printf(Locale.ROOT, "  zero-shot: audio vs 48 captions %.1f%%, image vs 48 captions %.1f%% (chance 2.1%%)%n",
            100 * d(m.get("zero_shot_audio_acc")), 100 * d(m.get("zero_shot_image_acc")));
        EvalCommand.printGloss(m);
        if (m.get("result_filter") instanceof Map<?, ?> rf) {
            Map<?, ?> f = (Map<?, ?>) rf.get("filtered"), u = (Map<?, ?>) rf.get("unfiltered");
            System.out.printf(Locale.ROOT, "  Result Filter (threshold from validation): keeps %.1f%% of audio queries, precision@1 %.1f%% (all queries: %.1f%%)%n",
                100 * d(f.get("coverage")), f.get("precision@1") == null ? Double.NaN : 100 * d(f.get("precision@1")), 100 * d(u.get("precision@1")));
        }
    }

    private static double d(Object o) {
        return ((Number) o).doubleValue();
    }

    /** retrievals.md and retrievals.png: six test audio queries, their top-3 images. */
    private void examples(WorldRun.Result r) throws IOException {
        Embeddings e = r.testEmbeddings();
        StringBuilder md = new StringBuilder("# Example retrievals (audio query -> top-3 test images)\n\n| query audio (true caption) | top 1 | top 2 | top 3 |\n|---|---|---|---|\n");
        List<Image> qs = new ArrayList<>();
        List<String> ql = new ArrayList<>();
        List<List<Image>> rs = new ArrayList<>();
        List<List<String>> rl = new ArrayList<>();
        int n = r.test().size();
        for (int k = 0; k < 6; k++) {
            int q = (int) ((long) k * 37 % n);
            Sample s = r.test().get(q);
            int[] top = Retrieval.topK(e.audio()[q], e.image(), 3);
            md.append("| ").append(s.text());
            List<Image> row = new ArrayList<>();
            List<String> lab = new ArrayList<>();
            for (int t : top) {
                Sample hit = r.test().get(t);
                md.append(" | ").append(hit.text()).append(hit.label() == s.label() ? " ✓" : " ✗");
                row.add(hit.image());
                lab.add((hit.label() == s.label() ? "+ " : "- ") + hit.text());
            }
            md.append(" |\n");
            qs.add(s.image());
            ql.add(s.text());
            rs.add(row);
            rl.add(lab);
        }
        org.bgtai.tensor.io.AtomicFiles.writeString(out.resolve("retrievals.md"), md.toString());
        Report.retrievalGrid(out.resolve("retrievals.png"), qs, ql, rs, rl);
    }
}
