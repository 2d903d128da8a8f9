package org.bgtai.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bgtai.data.AvDigits;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Image;
import org.bgtai.data.Mnist;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.generate.FlowGenerator;
import org.bgtai.generate.ImageClassifier;
import org.bgtai.generate.SoundToImage;
import org.bgtai.joint.DataSource;
import org.bgtai.joint.Report;
import org.bgtai.joint.Run;
import org.bgtai.joint.WorldRun;
import org.bgtai.metrics.Fid;
import org.bgtai.model.JointModel;
import org.bgtai.model.MelAugment;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelIO;
import org.bgtai.model.Prepared;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;

/**
 * Fig. 3 analog: sound-to-image generation from BGTAI's audio embeddings, on two data sets.
 * <ul>
 *   <li><b>world</b>: the built-in world, where pitch encodes colour, timbre shape and loudness
 *   size, so the input controls have a checkable meaning (raising the pitch by the interval
 *   between two colours' base notes should change the generated colour, scaling the volume the
 *   generated size).</li>
 *   <li><b>avdigits</b>: FSDD spoken digits -> MNIST digits (AV-Digits: FSDD takes 5-44 train,
 *   45-49 val, 0-4 test; MNIST 0-7999 / 8000-8999 / 9000-9999), read from the shared data folder;
 *   skipped, with the reason in the results, when it is absent.</li>
 * </ul>
 * Per data set: a BGTAI joint model (the demo's recipe for the world, the bridge experiment's
 * for AV-Digits, without the DS-Net terms), a {@link SoundToImage} generator (conv U-Net, flow
 * matching, classifier-free guidance with the weight chosen on validation clips), and a judge
 * ({@link ImageClassifier}) trained on real training images. Measured: the judge's accuracy on
 * images generated from test audio (world: class, shape, colour, size) next to its accuracy on the
 * real test images and chance; the Fréchet distance on judge features between generated images
 * and a real reference set, next to the same distance between a second, disjoint real set of the
 * same size and class balance and that reference (the floor); the input controls; generation from
 * the joint model's image embeddings of test images. Writes results.json, results.md and per data
 * set samples.png, controls.png and interpolation.png (audio embedding -> image embedding), the
 * generator and the model for {@code bin/bgtai generate}.
 */
public final class GenerationExperiment {
    private GenerationExperiment() {}

    /**
     * Sizes of one run.
     * @param variant        the joint models' variant: BGTAI, or in a quick run UniBriVL (BGTAI's audio embedding is the
     *                       embedding of the decoded gloss, one point per class until Langue2Gloss has learned to decode,
     *                       which takes longer than a quick run; UniBriVL's pooled audio carries the sound from the first step)
     * @param worldEpochs    joint-model epochs on the world
     * @param digitsEpochs   joint-model epochs on AV-Digits
     * @param digitsLimit    AV-Digits pairs per split (0 = all)
     * @param world          world configuration
     * @param gen            generator settings (guidance: the fallback when {@code guidances} has one entry)
     * @param guidances      classifier-free guidance weights tried on validation clips
     * @param valClips       validation clips the guidance is chosen on
     * @param judgePerClass  rendered real images per world class the world's judge trains on
     * @param judgeMnist     MNIST training images the digit judge trains on
     * @param judgeEpochsWorld  the world judge's epochs
     * @param judgeEpochsDigits the digit judge's epochs
     * @param controlClips   test clips of the control and image-embedding measurements
     */
    record Settings(ModelConfig.Variant variant, int worldEpochs, int digitsEpochs, int digitsLimit, WorldConfig world, SoundToImage.Config gen, float[] guidances, int valClips,
                    int judgePerClass, int judgeMnist, int judgeEpochsWorld, int judgeEpochsDigits, int controlClips) {
        static Settings of(boolean quick) {
            if (quick)
                return new Settings(ModelConfig.Variant.UNIBRIVL, 6, 6, 600, new WorldConfig(32, 8000, 0.5, 8, 2, 0),
                    new SoundToImage.Config(8, 8, 16, 3e-3, 8, FlowGenerator.Solver.EULER, 2f, 0.1f), new float[] {2f}, 0, 30, 3000, 4, 3, 40);
            return new Settings(ModelConfig.Variant.BGTAI, 14, 8, 0, WorldConfig.DEFAULT,
                new SoundToImage.Config(16, 8, 16, 2e-3, 10, FlowGenerator.Solver.EULER, 2f, 0.1f), new float[] {1f, 2f, 3f}, 60, 100, 8000, 10, 3, 60);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("joint_model_variant", variant.name().toLowerCase(Locale.ROOT));
            m.put("world_model_epochs", worldEpochs);
            m.put("digits_model_epochs", digitsEpochs);
            m.put("digits_limit", digitsLimit);
            m.put("generator", Map.of("unet_base", gen.base(), "epochs", gen.epochs(), "batch", gen.batch(), "lr", gen.lr(), "steps", gen.steps(),
                "solver", gen.solver().name(), "cond_dropout", gen.condDropout()));
            List<Double> g = new ArrayList<>();
            for (float w : guidances) g.add((double) w);
            m.put("guidance_candidates", g);
            m.put("guidance_val_clips", valClips);
            m.put("judge_epochs_world", judgeEpochsWorld);
            m.put("judge_epochs_digits", judgeEpochsDigits);
            m.put("judge_world_images_per_class", judgePerClass);
            m.put("judge_mnist_images", judgeMnist);
            return m;
        }
    }

    /**
     * One data set of the experiment, ready to generate: the joint model, the generator's training
     * pairs, validation and test clips, the judge's training images and two disjoint real image
     * sets for the Fréchet distance ({@code refB} as large and class-balanced as the test set).
     */
    record Task(String id, String title, JointModel model, Prepared[] train, List<Sample> val, List<Sample> test, float[][] judgeTrain, int[] judgeLabels,
                float[][] refA, float[][] refB, int classes, int channels, int side, Map<String, Object> modelMetrics) {
        boolean world() {
            return id.equals("world");
        }
    }

    /**
     * @param modelFile a saved world model to use instead of training one (the world only is then run), or null
     * @param dataDir   folder holding fsdd/ and mnist/ (null = the shared data folder)
     * @param resume    continue the models', generators' and judges' training from their checkpoints under {@code out/checkpoints}
     */
    public static Map<String, Object> run(Path out, Path modelFile, int seeds, long firstSeed, boolean quick, boolean resume, Path dataDir) throws IOException {
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        long t0 = System.nanoTime();
        // the commit and working-tree state of the code that runs, read now (a commit made while it runs must not be credited)
        Provenance start = Provenance.of("bin/bgtai experiments fig3" + (quick ? " --quick" : "") + (seeds != 1 ? " --seeds " + seeds : ""), seeds, 0);
        Files.createDirectories(out);
        Settings s = Settings.of(quick);
        Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();
        Map<String, Object> skipped = new LinkedHashMap<>();
        boolean digits = modelFile == null;
        if (digits) {
            try {
                DataSource.dataRoot(dataDir);
            } catch (IOException e) {
                if (dataDir != null) throw e;
                System.err.println("== AV-Digits skipped: " + e.getMessage());
                skipped.put("avdigits", e.getMessage());
                digits = false;
            }
        }
        for (int k = 0; k < seeds; k++) {
            long seed = firstSeed + k;
            Path ck = out.resolve("checkpoints").resolve("seed" + seed);
            List<Task> tasks = new ArrayList<>();
            tasks.add(world(s, modelFile, seed, ck, resume));
            if (digits) tasks.add(digits(s, dataDir, seed, ck, resume));
            for (Task t : tasks) {
                Path dir = out.resolve(t.id());
                Files.createDirectories(dir);
                runs.computeIfAbsent(t.id(), x -> new ArrayList<>()).add(evaluate(t, s, seed, k == 0 ? dir : null, ck.resolve(t.id()), resume));
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Provenance prov = new Provenance(start.command(), start.commit(), start.dirty(), seeds, wall, start.machine(), start.date());
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("provenance", prov.toMap());
        res.put("experiment", "fig3-sound-to-image");
        res.put("quick", quick);
        res.put("settings", s.toMap());
        res.put("world_model", modelFile != null ? modelFile.toString() : "trained here (the demo's recipe)");
        Map<String, Object> sets = new LinkedHashMap<>();
        for (var e : runs.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seeds", e.getValue().size());
            m.put("mean", mean(e.getValue()));
            if (e.getValue().size() > 1) m.put("std", std(e.getValue()));
            m.put("runs", e.getValue());
            sets.put(e.getKey(), m);
        }
        res.put("datasets", sets);
        if (!skipped.isEmpty()) res.put("skipped", skipped);
        res.put("wall_clock_seconds", wall);
        Json.writeFile(out.resolve("results.json"), res);
        String md = prov.markdown() + markdown(res);
        AtomicFiles.writeString(out.resolve("results.md"), md);
        System.out.print(md);
        return res;
    }

    // ------------------------------------------------------------------ data sets

    static Task world(Settings s, Path modelFile, long seed, Path ck, boolean resume) throws IOException {
        WorldConfig wc = s.world();
        JointModel model;
        Map<String, Object> mm = new LinkedHashMap<>();
        if (modelFile != null) {
            model = ModelIO.load(modelFile);
        } else {
            System.err.println("== world: training " + s.variant() + " (the demo's recipe)");
            TrainOptions tc = TrainOptions.of(s.worldEpochs(), 48, 2e-3).withSchedule(Schedule.warmupCosine(40)).withSeed(seed)
                .withCheckpoints(ck.resolve("world").resolve("model"), resume).withLog(System.err);
            WorldRun.Result r = WorldRun.run(wc, ModelConfig.world(s.variant()), tc, seed);
            model = r.model();
            mm = jointMetrics(r.metrics());
        }
        List<Sample> train = BuiltinWorld.generate(wc, Split.TRAIN, seed).items(), val = BuiltinWorld.generate(wc, Split.VAL, seed).items(),
            test = BuiltinWorld.generate(wc, Split.TEST, seed).items();
        Prepared[] ptrain = Prepared.prepare(train, model.config(), model.textTokenizer(), model.glossTokenizer());
        // real images rendered afresh (the world's renderer is its ground truth): the judge's training set and two disjoint reference sets
        List<float[]> jx = new ArrayList<>();
        List<Integer> jy = new ArrayList<>();
        renders(wc, s.judgePerClass(), new Rng(seed * 7919 + 11), jx, jy);
        List<float[]> a = new ArrayList<>(), b = new ArrayList<>();
        renders(wc, 2 * wc.evalPerClass(), new Rng(seed * 7919 + 23), a, new ArrayList<>());
        renders(wc, wc.evalPerClass(), new Rng(seed * 7919 + 37), b, new ArrayList<>());
        return new Task("world", "built-in world (32x32 RGB shapes from three-note sounds)", model, ptrain, val, test, jx.toArray(float[][]::new),
            jy.stream().mapToInt(Integer::intValue).toArray(), a.toArray(float[][]::new), b.toArray(float[][]::new), BuiltinWorld.numClasses(), 3, wc.canvas(), mm);
    }

    /** {@code perClass} images of every world class, appended to {@code x} with their labels to {@code y}. */
    private static void renders(WorldConfig wc, int perClass, Rng rng, List<float[]> x, List<Integer> y) {
        for (int r = 0; r < perClass; r++)
            for (int c = 0; c < BuiltinWorld.numClasses(); c++) {
                x.add(BuiltinWorld.image(wc.canvas(), BuiltinWorld.shapeOf(c), BuiltinWorld.colourOf(c), BuiltinWorld.sizeOf(c), rng).data());
                y.add(c);
            }
    }

    static Task digits(Settings s, Path dataDir, long seed, Path ck, boolean resume) throws IOException {
        Path root = DataSource.dataRoot(dataDir);
        DataSource.Sources src = DataSource.Sources.open(root.resolve("fsdd"), root.resolve("mnist"));
        System.err.println("== AV-Digits: training " + s.variant() + " (the bridge experiment's recipe, without the DS-Net terms)");
        ModelConfig mc = ModelConfig.digits(s.variant());
        TrainOptions tc = TrainOptions.of(s.digitsEpochs(), 32, 2e-3).withSeed(seed).withCheckpoints(ck.resolve("avdigits").resolve("model"), resume)
            .withLog(System.err);
        Run.Result r = Run.run(new DataSource.Digits(root.resolve("fsdd"), root.resolve("mnist"), s.digitsLimit()), mc, tc, seed, MelAugment.DEFAULT);
        List<Sample> val = DataSource.thin(AvDigits.load(src.fsdd(), src.mnist(), Split.VAL, seed).items(), s.digitsLimit()),
            test = DataSource.thin(AvDigits.load(src.fsdd(), src.mnist(), Split.TEST, seed).items(), s.digitsLimit());
        DigitImages real = DigitImages.of(src.mnist(), s.judgeMnist(), test);
        return new Task("avdigits", "AV-Digits (FSDD spoken digits -> 28x28 MNIST digits)", r.model(), r.data().train(), val, test, real.judgeTrain(),
            real.judgeLabels(), real.refA(), real.refB(), 10, 1, 28, jointMetrics(r.metrics()));
    }

    /**
     * The real MNIST images of a digit generation task: the digit judge's training set (the first
     * {@code judgeImages} MNIST training images) and two disjoint real sets from the MNIST test
     * range for the Fréchet distance: {@code refA} (the even indices, the reference) and
     * {@code refB} (odd indices, as many of each digit as the test clips have: the floor's second set).
     */
    record DigitImages(float[][] judgeTrain, int[] judgeLabels, float[][] refA, float[][] refB) {
        static DigitImages of(Mnist mnist, int judgeImages, List<Sample> test) {
            int[] tr = mnist.range(Split.TRAIN);
            int n = Math.min(judgeImages, tr[1] - tr[0]);
            float[][] jx = new float[n][];
            int[] jy = new int[n];
            for (int i = 0; i < n; i++) {
                jx[i] = mnist.image(tr[0] + i).data();
                jy[i] = mnist.label(tr[0] + i);
            }
            int[] te = mnist.range(Split.TEST);
            int[] perDigit = new int[10];
            for (Sample x : test) perDigit[x.label()]++;
            List<float[]> a = new ArrayList<>(), b = new ArrayList<>();
            for (int i = te[0]; i < te[1]; i++) {
                if ((i - te[0]) % 2 == 0) a.add(mnist.image(i).data());
                else if (perDigit[mnist.label(i)]-- > 0) b.add(mnist.image(i).data());
            }
            return new DigitImages(jx, jy, a.toArray(float[][]::new), b.toArray(float[][]::new));
        }

        /** Trains the digit judge on {@link #judgeTrain} (see {@link #judge}). */
        ImageClassifier judge(int epochs, long seed, boolean quiet, Path checkpointDir, boolean resume) {
            return GenerationExperiment.judge(judgeTrain, judgeLabels, 1, 28, new int[] {10}, epochs, seed, quiet, checkpointDir, resume);
        }
    }

    /**
     * The judge of generated images ({@link ImageClassifier}, initialised from {@code seed + 7},
     * trained from {@code seed + 8}) on real images {@code x [n][channels * side * side]} with labels {@code y}.
     * @param quiet no progress on stderr
     */
    static ImageClassifier judge(float[][] x, int[] y, int channels, int side, int[] factors, int epochs, long seed, boolean quiet, Path checkpointDir,
                                 boolean resume) {
        if (!quiet) System.err.println("== training the judge on " + x.length + " real images");
        ImageClassifier judge = new ImageClassifier(channels, side, side, factors, new Rng(seed + 7));
        judge.fit(x, y, epochs, seed + 8, quiet, checkpointDir, resume);
        return judge;
    }

    /** The joint model's own test figures worth printing beside generation. */
    private static Map<String, Object> jointMetrics(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (m.get("audio_to_image") instanceof Map<?, ?> a2i) out.put("audio_to_image_R@1", a2i.get("R@1"));
        if (m.containsKey("zero_shot_audio_acc")) out.put("zero_shot_audio_acc", m.get("zero_shot_audio_acc"));
        return out;
    }

    // ------------------------------------------------------------------ one data set, one seed

    static Map<String, Object> evaluate(Task t, Settings s, long seed, Path pictures, Path ck, boolean resume) throws IOException {
        System.err.println("== " + t.id() + ": training the sound-to-image generator on " + t.train().length + " (audio, image) pairs");
        SoundToImage s2i = SoundToImage.train(t.model(), t.train(), t.side(), t.side(), s.gen(), seed, false, ck.resolve("generator"), resume);

        // the world's judge has a head per attribute (shape, colour, size: the class is their combination)
        int[] factors = t.world() ? new int[] {BuiltinWorld.SHAPES.length, BuiltinWorld.COLOURS.length, BuiltinWorld.SIZES.length} : new int[] {t.classes()};
        ImageClassifier judge = judge(t.judgeTrain(), t.judgeLabels(), t.channels(), t.side(), factors, t.world() ? s.judgeEpochsWorld() : s.judgeEpochsDigits(),
            seed, false, ck.resolve("judge"), resume);

        Map<String, Object> res = new LinkedHashMap<>();
        res.put("train_pairs", t.train().length);
        res.put("test_clips", t.test().size());
        if (!t.modelMetrics().isEmpty()) res.put("joint_model_test", t.modelMetrics());

        // classifier-free guidance weight: the best judge accuracy on validation clips
        float w = s.gen().guidance();
        if (s.guidances().length > 1) {
            List<Sample> val = DataSource.thin(t.val(), s.valClips());
            float[][] e = s2i.embedSamples(val);
            Map<String, Object> byW = new LinkedHashMap<>();
            double best = -1;
            for (float g : s.guidances()) {
                double acc = accuracy(judge.predict(pixels(s2i.withGuidance(g).generate(e, seed + 50))), labels(val));
                byW.put(String.format(Locale.ROOT, "%.1f", g), acc);
                System.err.printf(Locale.ROOT, "   guidance %.1f: validation class accuracy %.3f%n", g, acc);
                if (acc > best) {
                    best = acc;
                    w = g;
                }
            }
            res.put("guidance_val_class_acc", byW);
        }
        s2i = s2i.withGuidance(w);
        res.put("guidance", (double) w);

        List<Sample> ts = t.test();
        int[] truth = labels(ts);
        float[][] gen = pixels(s2i.generate(s2i.embedSamples(ts), seed + 100));
        float[][] real = new float[ts.size()][];
        for (int i = 0; i < real.length; i++) real[i] = ts.get(i).image().data();
        int[] predGen = judge.predict(gen), predReal = judge.predict(real);
        res.put("generated", scores(t, predGen, truth));
        res.put("judge_on_real_test_images", scores(t, predReal, truth));
        res.put("chance", chance(t));
        float[][] fa = judge.features(t.refA());
        res.put("fid_generated_vs_real", Fid.distance(judge.features(gen), fa));
        res.put("fid_real_vs_real_floor", Fid.distance(judge.features(t.refB()), fa));
        res.put("fid_sets", Map.of("generated", gen.length, "reference", t.refA().length, "second_real_set", t.refB().length));

        List<Sample> cs = DataSource.thin(ts, s.controlClips());
        res.put("controls", t.world() ? worldControls(s2i, judge, cs, seed) : digitControls(s2i, judge, cs, seed));
        res.put("control_clips", cs.size());
        // the image side of the shared space: generate from the joint model's embeddings of real test images
        float[][] ie = s2i.embedImages(images(cs));
        res.put("from_image_embeddings_class_acc", accuracy(judge.predict(pixels(s2i.generate(ie, seed + 150))), labels(cs)));
        if (pictures != null) {
            s2i.save(pictures.resolve("generator.safetensors"));
            ModelIO.save(pictures.resolve("model.safetensors"), t.model());
            pictures(pictures, t, s2i, ts, seed);
        }
        return res;
    }

    private static Map<String, Object> scores(Task t, int[] pred, int[] truth) {
        if (t.world()) return attributeAccuracy(pred, truth);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_acc", accuracy(pred, truth));
        return m;
    }

    private static Map<String, Object> chance(Task t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_acc", 1.0 / t.classes());
        if (t.world()) {
            m.put("shape_acc", 1.0 / BuiltinWorld.SHAPES.length);
            m.put("colour_acc", 1.0 / BuiltinWorld.COLOURS.length);
            m.put("size_acc", 1.0 / BuiltinWorld.SIZES.length);
        }
        return m;
    }

    static float[][] pixels(Image[] g) {
        float[][] px = new float[g.length][];
        for (int i = 0; i < g.length; i++) px[i] = g[i].data();
        return px;
    }

    static List<Image> images(List<Sample> s) {
        List<Image> out = new ArrayList<>(s.size());
        for (Sample x : s) out.add(x.image());
        return out;
    }

    static int[] labels(List<Sample> s) {
        int[] y = new int[s.size()];
        for (int i = 0; i < y.length; i++) y[i] = s.get(i).label();
        return y;
    }

    static double accuracy(int[] pred, int[] truth) {
        int right = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == truth[i]) right++;
        return (double) right / pred.length;
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
    static Map<String, Object> worldControls(SoundToImage s2i, ImageClassifier judge, List<Sample> ts, long seed) {
        int rate = ts.get(0).sampleRate();
        int flips = 0, sizeN = 0, moved = 0, pitchN = 0;
        for (int size = 0; size < 2; size++) {
            List<float[]> waves = new ArrayList<>();
            for (Sample s : ts) if (BuiltinWorld.sizeOf(s.label()) == size) waves.add(s.audio());
            int[] p = judge.predict(pixels(s2i.generate(s2i.embed(waves, rate, size == 0 ? 4f : 0.25f, 0f), seed + 200)));
            for (int q : p) if (BuiltinWorld.sizeOf(q) != size) flips++;
            sizeN += p.length;
        }
        for (int c = 0; c + 1 < BuiltinWorld.COLOURS.length; c++) {
            List<float[]> waves = new ArrayList<>();
            for (Sample s : ts) if (BuiltinWorld.colourOf(s.label()) == c) waves.add(s.audio());
            float semis = (float) (12 * Math.log(BuiltinWorld.baseFrequency(c + 1) / BuiltinWorld.baseFrequency(c)) / Math.log(2));
            int[] p = judge.predict(pixels(s2i.generate(s2i.embed(waves, rate, 1f, semis), seed + 200)));
            for (int q : p) if (BuiltinWorld.colourOf(q) == c + 1) moved++;
            pitchN += p.length;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("volume_size_flip_rate", (double) flips / sizeN);
        m.put("pitch_colour_step_rate", (double) moved / pitchN);
        return m;
    }

    /** Spoken digits carry no volume or pitch in their image: the class accuracy of images generated from the altered clips (robustness). */
    static Map<String, Object> digitControls(SoundToImage s2i, ImageClassifier judge, List<Sample> cs, long seed) {
        int rate = cs.get(0).sampleRate();
        List<float[]> waves = new ArrayList<>();
        for (Sample s : cs) waves.add(s.audio());
        int[] truth = labels(cs);
        Map<String, Object> m = new LinkedHashMap<>();
        for (float g : new float[] {0.25f, 4f})
            m.put(String.format(Locale.ROOT, "class_acc_volume_x%.2f", g), accuracy(judge.predict(pixels(s2i.generate(s2i.embed(waves, rate, g, 0f), seed + 200))), truth));
        for (float p : new float[] {-4f, 4f})
            m.put(String.format(Locale.ROOT, "class_acc_pitch_%+.0f_semitones", p), accuracy(judge.predict(pixels(s2i.generate(s2i.embed(waves, rate, 1f, p), seed + 200))), truth));
        return m;
    }

    private static void pictures(Path out, Task t, SoundToImage s2i, List<Sample> ts, long seed) throws IOException {
        int rate = ts.get(0).sampleRate();
        // samples.png: real test image, then four draws from its audio
        List<List<Image>> rows = new ArrayList<>();
        List<List<String>> labels = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            Sample s = ts.get((int) ((long) k * ts.size() / 8 + k) % ts.size());
            float[] e = s2i.embed(List.of(s.audio()), rate, 1f, 0f)[0];
            List<Image> row = new ArrayList<>(List.of(s.image()));
            row.addAll(List.of(s2i.generate(new float[][] {e, e, e, e}, seed + 300 + k)));
            rows.add(row);
            List<String> lab = new ArrayList<>(List.of(s.text()));
            for (int d = 0; d < 4; d++) lab.add("draw " + (d + 1));
            labels.add(lab);
        }
        Report.imageGrid(out.resolve("samples.png"), t.id() + ": paired test image | four images generated from its sound", rows, labels);

        // controls.png: for three clips, volume sweep then pitch sweep
        float[] gains = {0.25f, 0.5f, 1f, 2f, 4f};
        float[] semis = {-8f, -4f, 0f, 4f, 8f};
        rows = new ArrayList<>();
        labels = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Sample s = ts.get((k * 61 + 5) % ts.size());
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
        Report.imageGrid(out.resolve("controls.png"), t.world() ? "input controls: volume (loudness = size) and pitch (base note = colour)"
            : "input controls: volume and pitch of a spoken digit (the digit should stay)", rows, labels);

        // interpolation.png: from the audio embedding of a clip to the image embedding of a test image of another class
        rows = new ArrayList<>();
        labels = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Sample a = ts.get(k * 37 % ts.size());
            Sample b = a;
            for (int j = 1; j < ts.size() && b.label() == a.label(); j++) b = ts.get((k * 37 + 11 * j) % ts.size());
            float[] ea = s2i.embed(List.of(a.audio()), rate, 1f, 0f)[0], eb = s2i.embedImages(List.of(b.image()))[0];
            List<Image> row = new ArrayList<>(List.of(s2i.generate(SoundToImage.interpolate(ea, eb, 7), seed + 500)));
            row.add(b.image());
            rows.add(row);
            List<String> lab = new ArrayList<>();
            for (int s = 0; s < 7; s++) lab.add(s == 0 ? "sound: " + a.text() : s == 6 ? "image emb." : String.format(Locale.ROOT, "t=%.2f", s / 6.0));
            lab.add("that image");
            labels.add(lab);
        }
        Report.imageGrid(out.resolve("interpolation.png"), t.id() + ": from a sound's embedding (left) to an image's embedding (right)", rows, labels);
    }

    // ------------------------------------------------------------------ summary

    /** Mean over seeds of every number in the per-seed maps (nested maps kept). */
    static Map<String, Object> mean(List<Map<String, Object>> runs) {
        return combine(runs, false);
    }

    /** Sample standard deviation over seeds of every number. */
    static Map<String, Object> std(List<Map<String, Object>> runs) {
        return combine(runs, true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> combine(List<? extends Map<String, Object>> runs, boolean std) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : runs.get(0).keySet()) {
            Object v = runs.get(0).get(k);
            if (v instanceof Map<?, ?>) {
                List<Map<String, Object>> sub = new ArrayList<>();
                for (Map<String, Object> r : runs) sub.add((Map<String, Object>) r.get(k));
                out.put(k, combine(sub, std));
            } else if (v instanceof Number) {
                double m = 0, q = 0;
                for (Map<String, Object> r : runs) m += ((Number) r.get(k)).doubleValue();
                m /= runs.size();
                for (Map<String, Object> r : runs) q += Math.pow(((Number) r.get(k)).doubleValue() - m, 2);
                out.put(k, std ? Math.sqrt(q / Math.max(1, runs.size() - 1)) : m);
            }
        }
        return out;
    }

    static String markdown(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder("# Fig. 3 analog: sound-to-image generation\n\n");
        sb.append("""
            The paper's Fig. 3 shows images generated from sounds by a diffusion model conditioned on BGTAI's audio embedding, \
            with volume and pitch controls and interpolation between an audio and an image embedding; it is qualitative (no \
            accuracy or FID is reported). Here: a BGTAI joint model per data set, a conv U-Net flow-matching generator conditioned \
            on the model's audio embedding of a clip (classifier-free guidance, weight chosen on validation clips), and a CNN judge \
            trained on real images. `generated`: the judge's accuracy on images generated from test clips (test takes / test \
            samples never seen in training); `real`: its accuracy on the paired real test images (how far it can be trusted). \
            FID: Fréchet distance on the judge's 128 hidden features between the generated images and a real reference set; the \
            floor is the same distance for a second, disjoint real set of the same size and class balance.

            """);
        Map<?, ?> sets = (Map<?, ?>) r.get("datasets");
        for (var e : sets.entrySet()) {
            Map<?, ?> d = (Map<?, ?>) e.getValue();
            Map<?, ?> m = (Map<?, ?>) d.get("mean"), sd = (Map<?, ?>) d.get("std");
            boolean world = e.getKey().equals("world");
            sb.append(String.format(Locale.ROOT, "## %s%n%n%s test clips, %s training pairs, %s seed(s); guidance weight %s (validation class accuracy by weight of the first seed: %s).%n%n",
                world ? "Built-in world (32x32 RGB, 48 classes = 4 shapes x 6 colours x 2 sizes)" : "AV-Digits (FSDD spoken digit -> 28x28 MNIST digit, 10 classes)",
                num(m.get("test_clips")), num(m.get("train_pairs")), d.get("seeds"), num(m.get("guidance")),
                byGuidance((Map<?, ?>) ((Map<?, ?>) ((List<?>) d.get("runs")).get(0)).get("guidance_val_class_acc"))));
            List<String> keys = world ? List.of("class_acc", "shape_acc", "colour_acc", "size_acc") : List.of("class_acc");
            sb.append("| images judged | ").append(String.join(" | ", keys)).append(" |\n|---|").append("---|".repeat(keys.size())).append('\n');
            for (var row : List.of(Map.entry("generated from test audio", "generated"), Map.entry("real test images (judge ceiling)", "judge_on_real_test_images"),
                Map.entry("chance", "chance"))) {
                sb.append("| ").append(row.getKey());
                for (String k : keys) sb.append(" | ").append(pm((Map<?, ?>) m.get(row.getValue()), sd == null ? null : (Map<?, ?>) sd.get(row.getValue()), k));
                sb.append(" |\n");
            }
            sb.append(String.format(Locale.ROOT, "%nFID on judge features: generated vs real %s; real vs real (floor) %s.  %n", pm(m, sd, "fid_generated_vs_real"),
                pm(m, sd, "fid_real_vs_real_floor")));
            sb.append(String.format(Locale.ROOT, "Generated from the joint model's *image* embeddings of test images: class accuracy %s.  %n",
                pm(m, sd, "from_image_embeddings_class_acc")));
            Map<?, ?> c = (Map<?, ?>) m.get("controls");
            if (world)
                sb.append(String.format(Locale.ROOT, "Controls: volume x4 / x1/4 flips the generated size in %.1f%% of clips; raising the pitch to the next colour's base note gives that colour in %.1f%%.  %n",
                    100 * dbl(c.get("volume_size_flip_rate")), 100 * dbl(c.get("pitch_colour_step_rate"))));
            else {
                sb.append("Controls (the digit should survive them): class accuracy");
                for (var ce : c.entrySet()) sb.append(String.format(Locale.ROOT, " %s %.3f;", String.valueOf(ce.getKey()).replace("class_acc_", ""), dbl(ce.getValue())));
                sb.append("  \n");
            }
            if (m.get("joint_model_test") instanceof Map<?, ?> j && !j.isEmpty())
                sb.append(String.format(Locale.ROOT, "Joint model on the test split: audio->image R@1 %s, zero-shot audio accuracy %s.  %n",
                    num(j.get("audio_to_image_R@1")), num(j.get("zero_shot_audio_acc"))));
            sb.append(String.format(Locale.ROOT, "%nPictures (first seed): `%1$s/samples.png`, `%1$s/controls.png`, `%1$s/interpolation.png`.%n%n", e.getKey()));
        }
        if (r.get("skipped") instanceof Map<?, ?> sk) for (var e : sk.entrySet()) sb.append("Skipped ").append(e.getKey()).append(": ").append(e.getValue()).append("\n\n");
        return sb.toString();
    }

    /** "w 1.0: 0.350, w 2.0: 0.317" (validation class accuracy by guidance weight), or why there is none. */
    private static String byGuidance(Map<?, ?> m) {
        if (m == null) return "not chosen, one candidate";
        List<String> parts = new ArrayList<>();
        for (var e : m.entrySet()) parts.add("w " + e.getKey() + ": " + String.format(Locale.ROOT, "%.3f", dbl(e.getValue())));
        return String.join(", ", parts);
    }

    private static String pm(Map<?, ?> m, Map<?, ?> sd, String k) {
        if (m == null || m.get(k) == null) return "-";
        String v = num(m.get(k));
        return sd != null && sd.get(k) != null ? v + " ± " + num(sd.get(k)) : v;
    }

    private static String num(Object o) {
        if (!(o instanceof Number n)) return String.valueOf(o);
        double v = n.doubleValue();
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.3f", v);
    }

    private static double dbl(Object o) {
        return ((Number) o).doubleValue();
    }
}
