package org.bgtai.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Dataset;
import org.bgtai.data.Image;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.generate.ImageClassifier;
import org.bgtai.generate.SoundToImage;
import org.bgtai.metrics.Fid;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;
import org.bgtai.model.ModelIO;
import org.bgtai.joint.Report;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.joint.WorldRun;

/**
 * Fig. 3 analog on the built-in world: sound-to-image generation from BGTAI's audio embeddings.
 * In this world pitch encodes colour, timbre shape and loudness size, so the input controls have
 * a checkable meaning: raising the pitch by the interval between two colours' base notes should
 * change the generated colour, and scaling the volume should change the generated size.
 *
 * <p>Measured with a judge (an {@link ImageClassifier} trained on real training images): the
 * class, shape, colour and size accuracy of images generated from test audio; the Fréchet
 * distance between judge features of generated and real test images next to that of real
 * training vs real test images (the floor); the control effects. Writes results.json,
 * results.md, samples.png, controls.png and interpolation.png, and the generator (generator.safetensors,
 * with model.safetensors when the model was trained here) for {@code bin/bgtai generate}.
 */
public final class GenerationExperiment {
    private GenerationExperiment() {}

    public static Map<String, Object> run(Path out, Path modelFile, long seed, boolean quick) throws IOException {
        return run(out, modelFile, seed, quick, false);
    }

    /** @param resume continue the model, generator and judge training from their checkpoints under {@code out/checkpoints} */
    public static Map<String, Object> run(Path out, Path modelFile, long seed, boolean quick, boolean resume) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        WorldConfig world = quick ? new WorldConfig(32, 8000, 0.5, 8, 4) : WorldConfig.DEFAULT;
        int side = world.canvas();
        JointModel model;
        if (modelFile != null) {
            model = ModelIO.load(modelFile);
        } else {
            System.err.println("== training BGTAI on the built-in world (the demo's recipe)");
            TrainOptions tc = TrainOptions.of(quick ? 4 : 14, 48, 2e-3).withSchedule(Schedule.warmupCosine(40)).withSeed(seed)
                .withCheckpoints(out.resolve("checkpoints").resolve("model"), resume).withLog(System.err);
            model = WorldRun.run(world, ModelConfig.world(ModelConfig.Variant.BGTAI), tc, seed).model();
        }
        Dataset<Sample> train = BuiltinWorld.generate(world, Split.TRAIN, seed), test = BuiltinWorld.generate(world, Split.TEST, seed);
        Prepared[] ptrain = Prepared.prepare(train.items(), model.config(), model.textTokenizer(), model.glossTokenizer());

        System.err.println("== training the sound-to-image generator on " + ptrain.length + " (audio, image) pairs");
        SoundToImage.Config gc = SoundToImage.Config.standard();
        if (quick) gc = new SoundToImage.Config(256, 2, 15, 64, 1e-3, 20, 2f, 0.1f);
        SoundToImage s2i = SoundToImage.train(model, ptrain, side, side, gc, seed, false, out.resolve("checkpoints").resolve("generator"), resume);

        System.err.println("== training the judge (image classifier) on real training images");
        float[][] trainPx = pixels(train.items());
        ImageClassifier judge = new ImageClassifier(3, side, side, BuiltinWorld.numClasses(), new Rng(seed + 7));
        judge.fit(trainPx, labels(train.items()), quick ? 10 : 40, seed + 8, false, out.resolve("checkpoints").resolve("judge"), resume);

        List<Sample> ts = test.items();
        int[] truth = labels(ts);
        float[][] testPx = pixels(ts);
        Image[] gen = s2i.generate(s2i.embedSamples(ts), seed + 100);
        float[][] genPx = new float[gen.length][];
        for (int i = 0; i < gen.length; i++) genPx[i] = gen[i].data();
        int[] predGen = judge.predict(genPx), predReal = judge.predict(testPx);

        Map<String, Object> res = new LinkedHashMap<>();
        res.put("experiment", "fig3-sound-to-image (built-in world)");
        res.put("seed", seed);
        res.put("model", modelFile != null ? modelFile.toString() : "trained here (demo recipe)");
        res.put("generator", Map.of("hidden", gc.hidden(), "layers", gc.layers(), "epochs", gc.epochs(), "steps", gc.steps(), "guidance", gc.guidance()));
        res.put("test_clips", ts.size());
        res.put("generated", attributeAccuracy(predGen, truth));
        res.put("judge_on_real_test_images", attributeAccuracy(predReal, truth));
        float[][] fGen = judge.features(genPx), fTest = judge.features(testPx);
        float[][] fTrain = judge.features(java.util.Arrays.copyOf(trainPx, Math.min(trainPx.length, testPx.length * 3)));
        res.put("fid_judge_features_generated_vs_test", Fid.distance(fGen, fTest));
        res.put("fid_judge_features_real_train_vs_test", Fid.distance(fTrain, fTest));
        res.put("controls", controls(s2i, judge, ts, seed));
        res.put("wall_clock_seconds", (System.nanoTime() - t0) / 1e9);
        s2i.save(out.resolve("generator.safetensors"));
        if (modelFile == null) ModelIO.save(out.resolve("model.safetensors"), model);
        Json.writeFile(out.resolve("results.json"), res);
        AtomicFiles.writeString(out.resolve("results.md"), markdown(res));
        pictures(out, s2i, ts, gen, seed);
        System.out.print(markdown(res));
        return res;
    }

    static float[][] pixels(List<Sample> s) {
        float[][] x = new float[s.size()][];
        for (int i = 0; i < x.length; i++) x[i] = s.get(i).image().data();
        return x;
    }

    static int[] labels(List<Sample> s) {
        int[] y = new int[s.size()];
        for (int i = 0; i < y.length; i++) y[i] = s.get(i).label();
        return y;
    }

    /** Class, shape, colour and size accuracy of predicted world classes. */
    static Map<String, Object> attributeAccuracy(int[] pred, int[] truth) {
        int cls = 0, shape = 0, colour = 0, size = 0;
        for (int i = 0; i < pred.length; i++) {
            if (pred[i] == truth[i]) cls++;
            if (BuiltinWorld.shapeOf(pred[i]) == BuiltinWorld.shapeOf(truth[i])) shape++;
            if (BuiltinWorld.colourOf(pred[i]) == BuiltinWorld.colourOf(truth[i])) colour++;
            if (BuiltinWorld.sizeOf(pred[i]) == BuiltinWorld.sizeOf(truth[i])) size++;
        }
        double n = pred.length;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_acc", cls / n);
        m.put("shape_acc", shape / n);
        m.put("colour_acc", colour / n);
        m.put("size_acc", size / n);
        return m;
    }

    /**
     * Volume: small-size clips at gain 4 and big-size clips at gain 1/4 -> fraction whose generated
     * size flips. Pitch: clips of colour c (< last) raised by the interval to colour c+1's base note
     * -> fraction generated with colour c+1.
     */
    static Map<String, Object> controls(SoundToImage s2i, ImageClassifier judge, List<Sample> ts, long seed) {
        int rate = ts.get(0).sampleRate();
        int flips = 0, sizeN = 0, moved = 0, pitchN = 0;
        for (int size = 0; size < 2; size++) {
            List<float[]> waves = new ArrayList<>();
            for (Sample s : ts) if (BuiltinWorld.sizeOf(s.label()) == size) waves.add(s.audio());
            int[] p = predict(s2i, judge, s2i.embed(waves, rate, size == 0 ? 4f : 0.25f, 0f), seed);
            for (int q : p) if (BuiltinWorld.sizeOf(q) != size) flips++;
            sizeN += p.length;
        }
        for (int c = 0; c + 1 < BuiltinWorld.COLOURS.length; c++) {
            List<float[]> waves = new ArrayList<>();
            for (Sample s : ts) if (BuiltinWorld.colourOf(s.label()) == c) waves.add(s.audio());
            float semis = (float) (12 * Math.log(BuiltinWorld.baseFrequency(c + 1) / BuiltinWorld.baseFrequency(c)) / Math.log(2));
            int[] p = predict(s2i, judge, s2i.embed(waves, rate, 1f, semis), seed);
            for (int q : p) if (BuiltinWorld.colourOf(q) == c + 1) moved++;
            pitchN += p.length;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("volume_size_flip_rate", (double) flips / sizeN);
        m.put("pitch_colour_step_rate", (double) moved / pitchN);
        return m;
    }

    private static int[] predict(SoundToImage s2i, ImageClassifier judge, float[][] conds, long seed) {
        Image[] g = s2i.generate(conds, seed + 200);
        float[][] px = new float[g.length][];
        for (int i = 0; i < g.length; i++) px[i] = g[i].data();
        return judge.predict(px);
    }

    private static void pictures(Path out, SoundToImage s2i, List<Sample> ts, Image[] gen, long seed) throws IOException {
        int rate = ts.get(0).sampleRate();
        // samples.png: real test image, then four draws from its audio
        List<List<Image>> rows = new ArrayList<>();
        List<List<String>> labels = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            int i = (int) ((long) k * 29 % ts.size());
            Sample s = ts.get(i);
            float[] e = s2i.embed(List.of(s.audio()), rate, 1f, 0f)[0];
            Image[] draws = s2i.generate(new float[][] {e, e, e, e}, seed + 300 + k);
            List<Image> row = new ArrayList<>(List.of(s.image()));
            row.addAll(List.of(draws));
            rows.add(row);
            List<String> lab = new ArrayList<>(List.of(s.text()));
            for (int d = 0; d < 4; d++) lab.add("draw " + (d + 1));
            labels.add(lab);
        }
        Report.imageGrid(out.resolve("samples.png"), "paired test image | four images generated from its sound", rows, labels);

        // controls.png: for three clips, volume sweep then pitch sweep
        float[] gains = {0.25f, 0.5f, 1f, 2f, 4f};
        float[] semis = {-8f, -4f, 0f, 4f, 8f};
        rows = new ArrayList<>();
        labels = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Sample s = ts.get((int) ((long) (k * 61 + 5) % ts.size()));
            List<Image> vr = new ArrayList<>(List.of(s.image())), pr = new ArrayList<>(List.of(s.image()));
            List<String> vl = new ArrayList<>(List.of(s.text())), pl = new ArrayList<>(List.of(s.text()));
            for (float g : gains) {
                vr.add(s2i.generate(s2i.embed(List.of(s.audio()), rate, g, 0f), seed + 400)[0]);
                vl.add(String.format(Locale.ROOT, "volume x%.2f", g));
            }
            for (float p : semis) {
                pr.add(s2i.generate(s2i.embed(List.of(s.audio()), rate, 1f, p), seed + 400)[0]);
                pl.add(String.format(Locale.ROOT, "pitch %+.0f st", p));
            }
            rows.add(vr);
            labels.add(vl);
            rows.add(pr);
            labels.add(pl);
        }
        Report.imageGrid(out.resolve("controls.png"), "input controls: volume (loudness = size) and pitch (base note = colour)", rows, labels);

        // interpolation.png: between the audio embeddings of two clips
        rows = new ArrayList<>();
        labels = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            Sample a = ts.get(k * 7 % ts.size()), b = ts.get((k * 7 + 23) % ts.size());
            float[][] e = s2i.embed(List.of(a.audio(), b.audio()), rate, 1f, 0f);
            float[][] path = SoundToImage.interpolate(e[0], e[1], 7);
            Image[] im = s2i.generate(path, seed + 500);
            rows.add(List.of(im));
            List<String> lab = new ArrayList<>();
            for (int s = 0; s < 7; s++) lab.add(s == 0 ? a.text() : s == 6 ? b.text() : String.format(Locale.ROOT, "t=%.2f", s / 6.0));
            labels.add(lab);
        }
        Report.imageGrid(out.resolve("interpolation.png"), "interpolating between the audio embeddings of two clips", rows, labels);
    }

    static String markdown(Map<String, Object> r) {
        Map<?, ?> g = (Map<?, ?>) r.get("generated"), j = (Map<?, ?>) r.get("judge_on_real_test_images"), c = (Map<?, ?>) r.get("controls");
        StringBuilder sb = new StringBuilder("# Fig. 3 analog: sound-to-image generation (built-in world)\n\n");
        sb.append(String.format(Locale.ROOT, "%s test clips, seed %s; judge = small CNN classifier trained on real training images.%n%n", r.get("test_clips"), r.get("seed")));
        sb.append("| images | class acc | shape acc | colour acc | size acc |\n|---|---|---|---|---|\n");
        for (var e : List.of(Map.entry("generated from test audio", g), Map.entry("real test images (judge ceiling)", j)))
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f |%n", e.getKey(), d(e.getValue().get("class_acc")),
                d(e.getValue().get("shape_acc")), d(e.getValue().get("colour_acc")), d(e.getValue().get("size_acc"))));
        sb.append(String.format(Locale.ROOT, "%nFréchet distance on judge features: generated vs real test %.2f; real train vs real test %.2f (floor).%n",
            d(r.get("fid_judge_features_generated_vs_test")), d(r.get("fid_judge_features_real_train_vs_test"))));
        sb.append(String.format(Locale.ROOT, "%nControls: volume x4 / x1/4 flips the generated size in %.1f%% of clips; raising the pitch to the next colour's base note gives that colour in %.1f%%.%n",
            100 * d(c.get("volume_size_flip_rate")), 100 * d(c.get("pitch_colour_step_rate"))));
        return sb.toString();
    }

    private static double d(Object o) {
        return ((Number) o).doubleValue();
    }
}
