package org.bgtai.experiments;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bgtai.align.AlignConfig;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.joint.Corruption;
import org.bgtai.joint.DataSource;
import org.bgtai.joint.Report;
import org.bgtai.joint.Run;
import org.bgtai.model.Embeddings;
import org.bgtai.model.JointModel;
import org.bgtai.model.MelAugment;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelConfig.Variant;
import org.bgtai.nn.train.ProgressBar;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;

/**
 * {@code bin/bgtai experiments bridge}: does the gloss bridge help? BGTAI (Langue2Gloss -> gloss ->
 * image, the full objective) against UniBriVL (language aligned with images directly) on the same
 * data, encoder sizes and budget, with the ablations that explain the difference, over several
 * seeds:
 * <ul>
 * <li>{@code world}: the built-in world as {@code bin/bgtai demo} trains it (captions in many
 * phrasings, 6 size/colour/shape combinations held out of training, held-out phrasings at test);
 * <li>{@code world-long}: the same at twice the budget, main arms only;
 * <li>{@code avdigits}: FSDD x MNIST with two FSDD speakers kept out of training (needs the shared
 * data; skipped with a message when it is absent), with speaker normalisation arms ({@code -cmvn},
 * {@code -cmvn-vtlp}).
 * </ul>
 * Arms: {@code unibrivl}; {@code bgtai} (InfoNCE + a L_CE-align + b L_SP + c L_gloss, DS-Net
 * selection); {@code bgtai-no-dsnet} (a = b = 0, no selection); {@code bgtai-no-selection}; on corrupted data also
 * {@code bgtai-teacher-selection} (pairs ranked by the DTW teacher's cost instead of DS-Net's confidence). Every
 * BGTAI run also reports the gloss diagnostics of {@link Run#evaluate} (exact-match gloss from audio
 * and text, and retrieval from the ground-truth gloss: the method with a perfect Langue2Gloss). On
 * the world, a corrupted-pairs study trains with 20 % and 40 % of the training audio swapped for
 * another class's ({@link Corruption.Kind#AUDIO}), with and without selection, and reports the
 * precision and recall of selection.
 *
 * <p>Each run is written to {@code OUT/runs/DATA/ARM/seedK.json} as soon as it ends and is reused
 * when the experiment is run again with the same settings (an interrupted experiment continues).
 * Results: {@code OUT/results.json}, {@code OUT/results.md}, {@code OUT/bridge.png} and, with the corrupted-pair
 * study, {@code OUT/corruption.png}.
 */
public final class BridgeExperiment {
    private BridgeExperiment() {}

    /**
     * One trained configuration; {@code corrupt} = share of training pairs whose audio is another
     * class's; {@code cmvn} = per-utterance mean normalisation of the log-mel ({@link ModelConfig#cmvn()});
     * {@code vtlp} = largest warp of vocal tract length perturbation in training ({@link MelAugment.Vtlp}; 0 = off).
     */
    record Arm(String name, Variant variant, AlignConfig align, double corrupt, boolean cmvn, double vtlp) {
        Arm(String name, Variant variant, AlignConfig align, double corrupt) {
            this(name, variant, align, corrupt, false, 0);
        }
    }

    /** A data set and its training budget. */
    record Task(String name, int epochs, int batch, double lr, int warmup, boolean augment) {
        /** The built-in world (at either budget). */
        boolean world() {
            return name.startsWith(WORLD);
        }
    }

    static final String WORLD = "world", WORLD_LONG = "world-long";
    /** The world's budget in the experiment (the demo's), and twice that for the budget study. */
    static final int WORLD_EPOCHS = 14;

    static final String UNIBRIVL = "unibrivl", BGTAI = "bgtai", NO_DSNET = "bgtai-no-dsnet", NO_SELECTION = "bgtai-no-selection",
        TEACHER_SELECTION = "bgtai-teacher-selection", CMVN = "-cmvn", CMVN_VTLP = "-cmvn-vtlp";
    /** Largest VTLP warp of the speaker-normalisation arms (the range of Jaitly and Hinton 2013). */
    static final double VTLP = 0.1;
    static final double[] CORRUPTION = {0.2, 0.4};
    /** Held-out size/colour/shape combinations of the world (as the demo). */
    static final int HELD_OUT = 6;

    static List<Arm> mainArms() {
        return List.of(new Arm(UNIBRIVL, Variant.UNIBRIVL, AlignConfig.OFF, 0), new Arm(BGTAI, Variant.BGTAI, AlignConfig.FULL, 0),
            new Arm(NO_DSNET, Variant.BGTAI, AlignConfig.OFF, 0), new Arm(NO_SELECTION, Variant.BGTAI, AlignConfig.FULL.withSelection(false), 0));
    }

    static List<Arm> corruptArms() {
        List<Arm> arms = new ArrayList<>();
        for (double f : CORRUPTION) {
            String tag = "-corrupt" + Math.round(100 * f);
            arms.add(new Arm(UNIBRIVL + tag, Variant.UNIBRIVL, AlignConfig.OFF, f));
            arms.add(new Arm(BGTAI + tag, Variant.BGTAI, AlignConfig.FULL, f));
            arms.add(new Arm(NO_SELECTION + tag, Variant.BGTAI, AlignConfig.FULL.withSelection(false), f));
            arms.add(new Arm(TEACHER_SELECTION + tag, Variant.BGTAI, AlignConfig.FULL.withSelectBy(AlignConfig.SelectBy.TEACHER), f));
        }
        return arms;
    }

    /** The world as the demo trains it; {@code --quick}: two thirds of the pairs, 10 epochs. */
    static WorldConfig world(boolean quick) {
        return new WorldConfig(32, 8000, 0.8, quick ? 16 : 24, 4, HELD_OUT);
    }

    /** The metrics compared across arms: name -> path in a run's metrics. */
    static final Map<String, String> METRICS = metrics();

    private static Map<String, String> metrics() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("audio->image R@1", "audio_to_image/R@1");
        m.put("image->audio R@1", "image_to_audio/R@1");
        m.put("text->image R@1", "text_to_image/R@1");
        m.put("audio->text R@1", "audio_to_text/R@1");
        m.put("text->image R@1, held-out phrasings", "text_to_image_heldout_phrasing/R@1");
        m.put("audio->image R@1, held-out combinations", "heldout_combinations/audio_to_image/R@1");
        m.put("text->image R@1, held-out combinations", "heldout_combinations/text_to_image/R@1");
        m.put("zero-shot audio", "zero_shot_audio_acc");
        m.put("audio->image R@1, unseen speakers", "unseen_speakers/audio_to_image/R@1");
        m.put("zero-shot audio, unseen speakers", "unseen_speakers/zero_shot_audio_acc");
        m.put("gloss exact match, audio", "gloss/exact_audio");
        m.put("gloss exact match, text", "gloss/exact_text");
        m.put("gold gloss->image R@1", "gloss/gold_to_image/R@1");
        m.put("greedy decoding: audio->image R@1", "greedy/audio_to_image/R@1");
        m.put("greedy decoding: gloss exact match, audio", "greedy/gloss/exact_audio");
        m.put("greedy decoding: audio->image R@1, unseen speakers", "greedy/unseen_speakers/audio_to_image/R@1");
        m.put("Result Filter coverage", "result_filter/filtered/coverage");
        m.put("Result Filter precision@1", "result_filter/filtered/precision@1");
        m.put("precision@1 without filter", "result_filter/unfiltered/precision@1");
        m.put("selection precision", "selection_precision");
        m.put("selection recall", "selection_recall");
        m.put("train seconds", "train_seconds");
        return m;
    }

    /** The metrics BGTAI must win on (the target of the issue): held-out phrasings and combinations. */
    static final List<String> TARGET = List.of("text->image R@1, held-out phrasings", "audio->image R@1, held-out combinations",
        "text->image R@1, held-out combinations");

    public static Map<String, Object> run(int seeds, Path out, boolean quick, Path dataDir) throws IOException {
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        long t0 = System.nanoTime();
        List<Task> tasks = new ArrayList<>();
        tasks.add(new Task(WORLD, quick ? 10 : WORLD_EPOCHS, 48, 2e-3, quick ? 20 : 40, false));
        if (!quick) tasks.add(new Task(WORLD_LONG, 2 * WORLD_EPOCHS, 48, 2e-3, 40, false));
        Path root = null;
        if (!quick) {
            root = DataSource.dataRoot(dataDir);
            if (Files.isDirectory(root.resolve("fsdd")) && Files.isDirectory(root.resolve("mnist"))) tasks.add(new Task("avdigits", 10, 32, 2e-3, 0, true));
            else System.err.println("bridge: no fsdd/ and mnist/ under " + root + ": AV-Digits is skipped (pass --data-dir or set BGTAI_SHARED)");
        }
        // data -> arm -> metric -> per-seed values
        Map<String, Map<String, Map<String, List<Double>>>> res = new LinkedHashMap<>();
        int total = 0;
        for (Task t : tasks) total += seeds * arms(t, quick).size();
        try (ProgressBar bar = new ProgressBar("bridge", total, "run")) {
            for (Task t : tasks) {
                Map<String, Map<String, List<Double>>> byArm = res.computeIfAbsent(t.name(), k -> new LinkedHashMap<>());
                for (int seed = 1; seed <= seeds; seed++) {
                    Map<Boolean, DataSource.Loaded> data = new HashMap<>();   // by cmvn: the features differ
                    for (Arm arm : arms(t, quick)) {
                        Path file = out.resolve("runs").resolve(t.name()).resolve(arm.name()).resolve("seed" + seed + ".json");
                        Map<String, Object> settings = settings(t, arm, seed, quick);
                        Map<?, ?> m = cached(file, settings);
                        if (m == null) {
                            ModelConfig mc = (t.world() ? ModelConfig.world(arm.variant()) : ModelConfig.digits(arm.variant()))
                                .withCmvn(arm.cmvn());
                            DataSource.Loaded d = data.get(arm.cmvn());
                            if (d == null) data.put(arm.cmvn(), d = source(t, quick, root).load(mc, seed));
                            m = train(t, arm, d, mc, seed, settings, file);
                        }
                        Map<String, List<Double>> row = byArm.computeIfAbsent(arm.name(), k -> new LinkedHashMap<>());
                        for (var e : METRICS.entrySet()) row.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(at(m, e.getValue()));
                        bar.step(1, "%s %s seed %d: a->i R@1 %.3f", t.name(), arm.name(), seed, at(m, "audio_to_image/R@1"));
                    }
                }
            }
        }
        return write(res, out, seeds, quick, (System.nanoTime() - t0) / 1e9);
    }

    static List<Arm> arms(Task t, boolean quick) {
        if (quick || t.name().equals(WORLD_LONG)) return List.of(mainArms().get(0), mainArms().get(1));
        List<Arm> a = new ArrayList<>(mainArms());
        if (t.world()) a.addAll(corruptArms());
        else {
            a.removeIf(x -> x.name().equals(NO_SELECTION));   // AV-Digits runs cost minutes: selection is studied on the world
            // speaker normalisation, for the unseen speakers
            a.add(new Arm(UNIBRIVL + CMVN, Variant.UNIBRIVL, AlignConfig.OFF, 0, true, 0));
            a.add(new Arm(BGTAI + CMVN, Variant.BGTAI, AlignConfig.FULL, 0, true, 0));
            a.add(new Arm(UNIBRIVL + CMVN_VTLP, Variant.UNIBRIVL, AlignConfig.OFF, 0, true, VTLP));
            a.add(new Arm(BGTAI + CMVN_VTLP, Variant.BGTAI, AlignConfig.FULL, 0, true, VTLP));
        }
        return a;
    }

    static DataSource source(Task t, boolean quick, Path root) {
        if (t.world()) return new DataSource.World(world(quick));
        return new DataSource.Digits(root.resolve("fsdd"), root.resolve("mnist"), 0, DataSource.Digits.UNSEEN);
    }

    static Map<String, Object> settings(Task t, Arm arm, int seed, boolean quick) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("data", t.name());
        s.put("quick", quick);
        s.put("arm", arm.name());
        s.put("variant", arm.variant().name());
        s.put("objective", arm.variant() == Variant.BGTAI ? arm.align().toJson() : AlignConfig.OFF.toJson());
        s.put("corrupted_audio", arm.corrupt());
        s.put("epochs", t.epochs());
        s.put("batch", t.batch());
        s.put("lr", t.lr());
        s.put("warmup_steps", t.warmup());
        s.put("augment", t.augment());
        s.put("cmvn", arm.cmvn());
        s.put("vtlp", arm.vtlp());
        s.put("beam", arm.variant() == Variant.BGTAI ? ModelConfig.DEFAULT_BEAM : 0);
        s.put("seed", seed);
        s.put("retrieval_ties", "expected");   // Retrieval scores ties by their expectation (runs scored otherwise are redone)
        return s;
    }

    /** A finished run's metrics from {@code file} when it was made with {@code settings}, else null. */
    static Map<?, ?> cached(Path file, Map<String, Object> settings) throws IOException {
        if (!Files.isRegularFile(file)) return null;
        Map<?, ?> m = (Map<?, ?>) Json.read(file);
        return Json.write(settings).equals(Json.write(m.get("settings"))) ? m : null;
    }

    static Map<?, ?> train(Task t, Arm arm, DataSource.Loaded data, ModelConfig mc, int seed, Map<String, Object> settings, Path file) throws IOException {
        long t0 = System.nanoTime();
        boolean[] mask = null;
        if (arm.corrupt() > 0) {
            Corruption.Result c = Corruption.apply(data.train(), arm.corrupt(), Corruption.Kind.AUDIO, new Rng(1000L * seed + 17));
            data = data.withTrain(c.pairs());
            mask = c.mask();
        }
        Run.Result r = fit(t, arm, data, mc, seed, mask);
        Map<String, Object> m = new LinkedHashMap<>(r.metrics());
        m.put("train_seconds", (System.nanoTime() - t0) / 1e9);
        if (r.model().bgtai()) m.put("greedy", greedy(r, data));
        // selection scored against the known corrupted pairs: mean over the epochs that skipped pairs
        if (mask != null && arm.align().selection()) {
            m.put("selection_precision", meanOver(r.metrics(), "selection_precision"));
            m.put("selection_recall", meanOver(r.metrics(), "selection_recall"));
        }
        m.remove("history");
        m.put("settings", settings);
        Files.createDirectories(file.getParent());
        Json.writeFile(file, m);
        return (Map<?, ?>) Json.read(file);
    }

    /**
     * Trains one arm on prepared data with the task's budget (epochs, batch, learning rate, warm-up
     * cosine schedule, log-mel augmentation) and scores it on the test split ({@link Run#run}): the
     * training of every bridge run, and of the joint models Table 3 captions with.
     *
     * @param corrupted training pairs known to be corrupted (scored by selection), or null
     */
    static Run.Result fit(Task t, Arm arm, DataSource.Loaded data, ModelConfig mc, int seed, boolean[] corrupted) {
        TrainOptions o = TrainOptions.of(t.epochs(), t.batch(), t.lr()).withSeed(seed);
        if (t.warmup() > 0) o = o.withSchedule(Schedule.warmupCosine(t.warmup()));
        MelAugment aug = t.augment() ? MelAugment.DEFAULT.withVtlp(arm.vtlp(), mc) : null;
        return Run.run(data, mc, o, seed, aug, arm.align(), corrupted);
    }

    /** The test metrics of a trained BGTAI model decoding greedily instead of with the beam (the decoding ablation). */
    static Map<String, Object> greedy(Run.Result r, DataSource.Loaded data) {
        JointModel model = r.model();
        model.decodeWithBeam(1);
        try {
            return Run.evaluate(model, data, Embeddings.of(model, data.test(), data.height(), data.width(), 64));
        } finally {
            model.decodeWithBeam(model.config().beam());
        }
    }

    /** Mean of {@code key} over a run's epochs that report it; NaN when none does. */
    static double meanOver(Map<String, Object> metrics, String key) {
        double s = 0;
        int n = 0;
        for (Object ep : (List<?>) metrics.get("history"))
            if (((Map<?, ?>) ep).get(key) instanceof Number v) {
                s += v.doubleValue();
                n++;
            }
        return n == 0 ? Double.NaN : s / n;
    }

    /** The number at a {@code /}-separated path of nested maps, NaN when absent or not a number. */
    static double at(Map<?, ?> m, String path) {
        Object o = m;
        for (String k : path.split("/")) {
            if (!(o instanceof Map<?, ?> mm)) return Double.NaN;
            o = mm.get(k);
        }
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    // ------------------------------------------------------------------ results

    static Map<String, Object> write(Map<String, Map<String, Map<String, List<Double>>>> res, Path out, int seeds, boolean quick, double secs)
        throws IOException {
        Files.createDirectories(out);
        Map<String, Object> js = new LinkedHashMap<>();
        Provenance prov = Provenance.of("bin/bgtai experiments bridge --seeds " + seeds + (quick ? " --quick" : ""), seeds, secs);
        js.put("experiment", "bridge");
        js.putAll(prov.toMap());
        js.put("quick", quick);
        StringBuilder md = new StringBuilder("# The gloss bridge: BGTAI vs UniBriVL, with ablations\n\n");
        md.append(prov.markdown().stripTrailing()).append(String.format(Locale.ROOT,
            "  %nTraining and evaluation in all runs: %.0f s (each run's `train_seconds`; runs reused from an earlier call are not in the wall time)%n%n", runSeconds(res)));
        md.append(LEGEND).append('\n');
        Map<String, Object> data = new LinkedHashMap<>();
        for (var d : res.entrySet()) {
            Map<String, Object> arms = new LinkedHashMap<>();
            md.append("## ").append(d.getKey()).append("\n\n| metric |");
            for (String a : d.getValue().keySet()) md.append(' ').append(a).append(" |");
            md.append("\n|---|").append("---|".repeat(d.getValue().size())).append('\n');
            for (String metric : METRICS.keySet()) {
                boolean any = false;
                for (var a : d.getValue().values()) any |= a.get(metric).stream().anyMatch(Double::isFinite);
                if (!any) continue;
                md.append("| ").append(metric).append(" |");
                for (var a : d.getValue().entrySet()) {
                    List<Double> v = a.getValue().get(metric);
                    md.append(' ').append(Double.isFinite(mean(v)) ? fmt(metric, mean(v), std(v)) : "–").append(" |");
                }
                md.append('\n');
            }
            for (var a : d.getValue().entrySet()) {
                Map<String, Object> ms = new LinkedHashMap<>();
                for (var e : a.getValue().entrySet()) {
                    if (e.getValue().stream().noneMatch(Double::isFinite)) continue;
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("mean", AlignmentExperiment.num(mean(e.getValue())));
                    s.put("std", AlignmentExperiment.num(std(e.getValue())));
                    s.put("values", e.getValue().stream().map(AlignmentExperiment::num).toList());
                    ms.put(e.getKey(), s);
                }
                arms.put(a.getKey(), ms);
            }
            Map<String, Object> cmp = compare(d.getValue());
            md.append("\nBGTAI - UniBriVL (mean difference; wins = difference > 2 x the larger std):\n\n| metric | difference | 2 std | verdict |\n|---|---|---|---|\n");
            for (var c : cmp.entrySet()) {
                Map<?, ?> cv = (Map<?, ?>) c.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %+.3f | %.3f | %s |%n", c.getKey(), (Double) cv.get("difference"), (Double) cv.get("two_std"), cv.get("verdict")));
            }
            md.append('\n');
            Map<String, Object> dd = new LinkedHashMap<>();
            dd.put("arms", arms);
            dd.put("bgtai_minus_unibrivl", cmp);
            data.put(d.getKey(), dd);
        }
        js.put("data", data);
        md.append(READING).append("\n![BGTAI vs UniBriVL and the ablations](bridge.png)\n");
        Json.writeFile(out.resolve("results.json"), js);
        plot(out.resolve("bridge.png"), res);
        if (res.containsKey(WORLD) && res.get(WORLD).containsKey(BGTAI + "-corrupt" + Math.round(100 * CORRUPTION[0]))) {
            plotCorruption(out.resolve("corruption.png"), res.get(WORLD));
            md.append("![R@1 and selection precision against the share of corrupted training pairs (world)](corruption.png)\n");
        }
        AtomicFiles.writeString(out.resolve("results.md"), md.toString());
        System.out.print(md);
        System.out.println("results: " + out.resolve("results.json") + ", " + out.resolve("results.md") + ", " + out.resolve("bridge.png"));
        return js;
    }

    /** Sum of every run's training and evaluation time. */
    static double runSeconds(Map<String, Map<String, Map<String, List<Double>>>> res) {
        double t = 0;
        for (var d : res.values())
            for (var a : d.values())
                for (double v : a.get("train seconds")) if (Double.isFinite(v)) t += v;
        return t;
    }

    /** BGTAI - UniBriVL on every retrieval metric both have. */
    static Map<String, Object> compare(Map<String, Map<String, List<Double>>> arms) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, List<Double>> b = arms.get(BGTAI), u = arms.get(UNIBRIVL);
        if (b == null || u == null) return out;
        for (String metric : METRICS.keySet()) {
            if (!metric.contains("R@1") && !metric.startsWith("zero-shot") || metric.startsWith("gold")) continue;
            double mb = mean(b.get(metric)), mu = mean(u.get(metric));
            if (!Double.isFinite(mb) || !Double.isFinite(mu)) continue;
            double diff = mb - mu, two = 2 * Math.max(std(b.get(metric)), std(u.get(metric)));
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("difference", AlignmentExperiment.num(diff));
            c.put("two_std", AlignmentExperiment.num(two));
            c.put("verdict", diff > two ? "BGTAI wins" : -diff > two ? "UniBriVL wins" : "within 2 std");
            c.put("target", TARGET.contains(metric));
            out.put(metric, c);
        }
        return out;
    }

    static String fmt(String metric, double m, double s) {
        return metric.endsWith("seconds") ? String.format(Locale.ROOT, "%.0f ± %.0f", m, s) : String.format(Locale.ROOT, "%.3f ± %.3f", m, s);
    }

    static double mean(List<Double> v) {
        return meanStd(v)[0];
    }

    /** Sample standard deviation (0 for one value), NaN ignored. */
    static double std(List<Double> v) {
        return meanStd(v)[1];
    }

    private static double[] meanStd(List<Double> v) {
        return org.bgtai.align.AlignMetrics.meanStd(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static final String LEGEND = """
        Arms (same data, encoder sizes, epochs, batch and learning rate in every arm of a data set): \
        `unibrivl` aligns the language encoder's pooled output with images directly (InfoNCE); \
        `bgtai` is the full method: the Langue2Gloss encoder-decoder turns audio/text into gloss (beam search of width 4, length \
        penalty 1.0, at inference; the `greedy decoding:` rows evaluate the same trained models decoding greedily), \
        the gloss is encoded and aligned with images, `L_total = L_InfoNCE + 0.2 L_CE-align + 1.0 L_SP + 1.0 L_gloss` with DS-Net \
        data-pair selection (20 % of pairs skipped in the first scored epoch, falling to 0); `bgtai-no-dsnet` drops a, b and selection; \
        `bgtai-no-selection` keeps a and b but trains on every pair; `bgtai-teacher-selection` selects by the DTW teacher's alignment \
        cost of the pair's gloss prototypes against its audio instead of DS-Net's confidence; `-corruptNN`: NN % of the training pairs have the audio of another \
        class (gloss, image and text unchanged); `-cmvn`: per-utterance mean normalisation of the log-mel (each band minus its \
        mean over the clip) at training and test, for speaker robustness; `-cmvn-vtlp`: also vocal tract length perturbation in \
        training (warp up to 10 %). Gloss diagnostics (BGTAI): exact match of the decoded gloss with the generator's, \
        and `gold gloss->image`: the test images retrieved from the ground-truth gloss, i.e. BGTAI with a perfect Langue2Gloss. \
        Selection precision: share of skipped pairs that were corrupted (chance = the corrupted share); recall: share of corrupted \
        pairs skipped (at most the skipped share), both averaged over the epochs that skip. Result Filter: threshold = 95th \
        percentile of validation query costs (model outputs only), applied to test audio->image queries.
        """;

    static final String READING = """
        ## How to read it

        The world's test holds captions in phrasings never seen in training (templates and synonyms) and six size/colour/shape \
        combinations never seen in training; AV-Digits tests on two FSDD speakers kept out of training. \
        `gloss exact match` says how often Langue2Gloss decodes the generator's gloss; `gold gloss->image` is BGTAI with a \
        perfect Langue2Gloss. Where exact match is 1.0, BGTAI's audio->image and text->image equal `gold gloss->image`: its whole \
        error is then on the image side (gloss embedding against image encoder), and what varies between seeds is that side. \
        Where they differ, the gap is the decoder's error. On AV-Digits the language side is easy for both variants (text->image); \
        BGTAI's gloss cross-entropy there acts as a supervised digit classifier on the audio, so a lead on audio measures that \
        objective as much as the bridge. In the corrupted-pair arms the audio of a pair is another class's: BGTAI's contrastive \
        term pairs the true gloss with the image, so corrupted audio reaches it only through L_gloss; UniBriVL pairs the audio \
        itself with the image. Selection precision above the corrupted share means the selector sees the mismatch. \
        `world-long` trains the two main arms for twice the world's budget (28 epochs): does the lead hold, and does \
        the spread between seeds shrink, when the image side has more steps? \
        Unseen speakers: the `-cmvn` arms remove each clip's fixed spectral tilt (microphone, room, voice), the `-cmvn-vtlp` arms \
        also train on warped voices; compare each arm's unseen-speaker figure with its own in-distribution audio->image.
        """;


    // ------------------------------------------------------------------ the figure

    /** Bars (mean, whiskers ± std) of the main metrics per arm, one panel per data set, and R@1 against corruption on the world. */
    static void plot(Path png, Map<String, Map<String, Map<String, List<Double>>>> res) throws IOException {
        List<String> metrics = List.of("audio->image R@1", "text->image R@1", "text->image R@1, held-out phrasings", "audio->image R@1, held-out combinations",
            "zero-shot audio", "audio->image R@1, unseen speakers", "gloss exact match, audio", "gold gloss->image R@1");
        List<String> arms = List.of(UNIBRIVL, BGTAI, NO_DSNET, NO_SELECTION, UNIBRIVL + CMVN, BGTAI + CMVN);
        Color[] colours = {new Color(120, 120, 120), new Color(210, 40, 40), new Color(40, 90, 200), new Color(240, 160, 30), new Color(60, 60, 60),
            new Color(130, 0, 60)};
        int panelH = 300, w = 1100, h = 60 + res.size() * (panelH + 40) + 70;
        BufferedImage img = Report.canvas(w, h);
        Graphics2D g = Report.antialiased(img);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int y0 = 30;
        for (var d : res.entrySet()) {
            List<String> ms = metrics.stream().filter(m -> d.getValue().values().stream().anyMatch(a -> Double.isFinite(mean(a.get(m))))).toList();
            g.setColor(Color.BLACK);
            g.drawString(d.getKey() + " (mean ± std over seeds)", 60, y0);
            int x0 = 60, pw = w - 100, top = y0 + 10, bottom = top + panelH - 60;
            g.setColor(new Color(225, 225, 225));
            for (int k = 0; k <= 4; k++) {
                int yy = bottom - k * (bottom - top) / 4;
                g.drawLine(x0, yy, x0 + pw, yy);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.2f", k / 4.0), x0 - 35, yy + 4);
                g.setColor(new Color(225, 225, 225));
            }
            int groupW = pw / Math.max(1, ms.size()), barW = Math.max(4, (groupW - 16) / arms.size());
            for (int mi = 0; mi < ms.size(); mi++) {
                int gx = x0 + mi * groupW + 8;
                for (int ai = 0; ai < arms.size(); ai++) {
                    Map<String, List<Double>> a = d.getValue().get(arms.get(ai));
                    if (a == null) continue;
                    double m = mean(a.get(ms.get(mi))), s = std(a.get(ms.get(mi)));
                    if (!Double.isFinite(m)) continue;
                    int bx = gx + ai * barW, by = bottom - (int) Math.round(m * (bottom - top));
                    g.setColor(colours[ai]);
                    g.fillRect(bx, by, barW - 2, bottom - by);
                    g.setColor(Color.BLACK);
                    g.setStroke(new BasicStroke(1));
                    int cx = bx + barW / 2 - 1, hi = bottom - (int) Math.round(Math.min(1, m + s) * (bottom - top)),
                        lo = bottom - (int) Math.round(Math.max(0, m - s) * (bottom - top));
                    g.drawLine(cx, hi, cx, lo);
                }
                g.setColor(Color.BLACK);
                drawWrapped(g, ms.get(mi), gx, bottom + 15, groupW - 10);
            }
            y0 += panelH + 40;
        }
        int lx = 60;
        for (int ai = 0; ai < arms.size(); ai++) {
            g.setColor(colours[ai]);
            g.fillRect(lx, y0, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(arms.get(ai), lx + 18, y0 + 10);
            lx += 30 + g.getFontMetrics().stringWidth(arms.get(ai)) + 20;
        }
        g.dispose();
        Report.writePng(png, img);
    }

    /** World: audio->image R@1 and selection precision against the corrupted share, one line per arm family. */
    static void plotCorruption(Path png, Map<String, Map<String, List<Double>>> world) throws IOException {
        List<Report.Series> r1 = new ArrayList<>(), prec = new ArrayList<>();
        double[] x = new double[CORRUPTION.length + 1];
        for (int i = 0; i < CORRUPTION.length; i++) x[i + 1] = CORRUPTION[i];
        for (String family : List.of(UNIBRIVL, BGTAI, NO_SELECTION, TEACHER_SELECTION)) {
            double[] y = new double[x.length], p = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                Map<String, List<Double>> a = world.get(i == 0 ? (family.equals(TEACHER_SELECTION) ? null : family) : family + "-corrupt" + Math.round(100 * x[i]));
                y[i] = a == null ? Double.NaN : mean(a.get("audio->image R@1"));
                p[i] = a == null ? Double.NaN : mean(a.get("selection precision"));
            }
            // every family in both panels (NaN where it has no value), so that colours and the shared legend agree
            r1.add(new Report.Series(family, x, y));
            prec.add(new Report.Series(family, x, p));
        }
        double[] none = new double[x.length];
        java.util.Arrays.fill(none, Double.NaN);
        r1.add(new Report.Series("chance precision (= corrupted share)", x, none));
        prec.add(new Report.Series("chance precision (= corrupted share)", x, x.clone()));
        Report.plotPanels(png, List.of(new Report.Panel("world: test audio->image R@1", "share of training pairs with another class's audio", r1, new double[] {0, 1}),
            new Report.Panel("selection precision (skipped pairs that were corrupted)", "share of training pairs with another class's audio", prec, new double[] {0, 1})));
    }

    private static void drawWrapped(Graphics2D g, String s, int x, int y, int width) {
        StringBuilder line = new StringBuilder();
        for (String word : s.split(" ")) {
            if (line.length() > 0 && g.getFontMetrics().stringWidth(line + " " + word) > width) {
                g.drawString(line.toString(), x, y);
                y += 13;
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        g.drawString(line.toString(), x, y);
    }
}
