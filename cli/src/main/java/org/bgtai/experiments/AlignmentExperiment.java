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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bgtai.align.AlignFeatures;
import org.bgtai.align.AlignMetrics;
import org.bgtai.align.AlignPair;
import org.bgtai.align.ColumnFeatures;
import org.bgtai.align.DictionaryAligner;
import org.bgtai.align.DsNet;
import org.bgtai.align.DsNetRecipe;
import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.data.AvDigits;
import org.bgtai.data.Dataset;
import org.bgtai.data.DigitString;
import org.bgtai.data.DigitStrings;
import org.bgtai.data.Image;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.joint.DataSource;
import org.bgtai.nn.align.AlignOps;
import org.bgtai.nn.align.MonotonicViterbi;
import org.bgtai.nn.train.ProgressBar;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;

/**
 * Alignment experiment (spec items 3-5): DS-Net aligns gloss tokens with <em>any sequence</em>,
 * here the audio frames of a spoken digit string and the columns of its MNIST strip, on honest
 * strings ({@link DigitStrings.Options#HONEST}: silences of 0-1.5 s, speaking-rate changes,
 * digits of varying width and spacing), against the ground truth of the generator.
 *
 * <p>Methods, the same features and strings for all:
 * <ul>
 *   <li>{@code random}: Q-1 boundaries drawn uniformly (chance level); {@code uniform}: Q equal parts;</li>
 *   <li>{@code dtw-interp}: the paper read literally, DTW against the per-token mean frames laid out
 *       uniformly to length T ({@link DictionaryAligner#fit});</li>
 *   <li>{@code dtw}: the teacher, DTW of the sequence dictionary (per-token templates of L frames,
 *       an optional silence/background filler between tokens, {@link DictionaryAligner#fitSequences});
 *       L chosen per seed and target on the validation strings;</li>
 *   <li>{@code rf-ce}: DS-Net trained with the alignment cross-entropy against the teacher's sparse
 *       paths (Eq. 5, the Result Filter); {@code rf-ce+sp}: + the self-paced SP-Loss (Eq. 6);
 *       {@code rf-ce+l2}: + the L2 position loss instead (baseline to SP); {@code rf-ce+sp+select}:
 *       + data-pair selection;</li>
 *   <li>ablations of {@code rf-ce}: {@code rf-ce/tiling} (no skip row: DS-Net learns the teacher's
 *       tiling, as the network was before), {@code rf-ce/interp-teacher} (no skip row, trained on
 *       {@code dtw-interp}'s paths).</li>
 * </ul>
 * Metrics on held-out strings of 1, 3 and 5 digits (FSDD test takes, MNIST test images, held-out
 * phrasings): frame / column accuracy, boundary error (ms / columns, distance to the true gap),
 * Eq. 4 readout (the frames each token gets, pooled with {@code Ŷ = Y x Â} ({@link AlignOps#selectFrames}),
 * classified by the nearest per-digit prototype of truly pooled training frames), and the Result
 * Filter's rejection of true and of mismatched (one digit changed) pairs at the 95th percentile of
 * the validation true-pair costs. Mean ± std over seeds. Writes {@code results.json},
 * {@code results.md} and {@code alignment.png}.
 *
 * <pre>bin/bgtai experiments alignment [--seeds 3] [--out results/alignment] [--quick]</pre>
 */
public final class AlignmentExperiment {
    static final int[] LENGTHS = {1, 3, 5};
    static final String[] TARGETS = {"audio", "image"};
    static final String TRUTH = "truth", RANDOM = "random", UNIFORM = "uniform", DTW_INTERP = "dtw-interp", DTW = "dtw", RF = "rf-ce", RF_SP = "rf-ce+sp",
        RF_L2 = "rf-ce+l2", RF_SELECT = "rf-ce+sp+select", AB_TILING = "rf-ce/tiling", AB_INTERP = "rf-ce/interp-teacher";
    static final String[] METHODS = {TRUTH, RANDOM, UNIFORM, DTW_INTERP, DTW, RF, RF_SP, RF_L2, RF_SELECT, AB_TILING, AB_INTERP};
    static final String[] DS_METHODS = {RF, RF_SP, RF_L2, RF_SELECT, AB_TILING, AB_INTERP};
    /** Template lengths L the teacher chooses from on validation. */
    static final int[] TEMPLATE_LENGTHS = {2, 4, 8};
    /** DS-Net's multi-scale context windows (positions on each side). */
    static final int[] SCALES = {4, 16, 64};
    /** Result Filter threshold: this quantile of the validation true-pair costs. */
    static final double RF_QUANTILE = 0.95;

    /**
     * Sizes of a run.
     *
     * @param train  training strings of 1-5 digits per seed
     * @param val    validation strings of 1-5 digits per seed
     * @param test   test strings per length
     * @param epochs DS-Net epochs
     */
    record Plan(int train, int val, int test, int epochs) {
        static Plan of(boolean quick) {
            return quick ? new Plan(60, 30, 12, 4) : new Plan(300, 100, 60, 20);
        }
    }

    public static void main(String[] args) throws IOException {
        int seeds = 3;
        boolean quick = false;
        Path out = Path.of("results/alignment");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --seeds N, --out DIR, --quick");
            }
        }
        run(seeds, out, quick);
    }

    public static Map<String, Object> run(int seeds, Path out, boolean quick) throws IOException {
        return run(seeds, out, quick, null);
    }

    /**
     * @param dataDir folder holding fsdd/ and mnist/ (null: {@link DataSource#dataRoot} finds the shared one)
     * @return what {@code results.json} holds
     */
    public static Map<String, Object> run(int seeds, Path out, boolean quick, Path dataDir) throws IOException {
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        long t0 = System.nanoTime();
        Plan plan = Plan.of(quick);
        DataSource.Sources d = DataSource.Sources.at(dataDir);
        Dataset<Sample> train = AvDigits.load(d.fsdd(), d.mnist(), Split.TRAIN, 0), val = AvDigits.load(d.fsdd(), d.mnist(), Split.VAL, 0),
            test = AvDigits.load(d.fsdd(), d.mnist(), Split.TEST, 0);
        Map<String, Target> targets = new LinkedHashMap<>();
        targets.put("audio", Target.audio(train));
        targets.put("image", Target.image(train));
        // target -> metric -> method -> values over seeds
        Map<String, Map<String, Map<String, List<Double>>>> res = new LinkedHashMap<>();
        Map<String, List<Integer>> chosenL = new LinkedHashMap<>();
        Figure figure = null;
        long work = (long) seeds * TARGETS.length * DS_METHODS.length * plan.epochs() * plan.train();
        try (ProgressBar bar = new ProgressBar("alignment", work, "pair")) {
            for (int seed = 0; seed < seeds; seed++) {
                List<DigitString> trS = DigitStrings.generate(train, plan.train(), 1, 5, 100 + seed).items();
                List<DigitString> vaS = DigitStrings.generate(val, plan.val(), 1, 5, 200 + seed).items();
                Map<Integer, List<DigitString>> teS = new LinkedHashMap<>();
                for (int k : LENGTHS) teS.put(k, DigitStrings.generate(test, plan.test(), k, k, 300 + 10L * seed + k).items());
                for (String name : TARGETS) {
                    Target tg = targets.get(name);
                    Map<String, Map<String, List<Double>>> r = res.computeIfAbsent(name, x -> new LinkedHashMap<>());
                    SeedRun sr = new SeedRun(tg, trS, vaS, teS, plan, seed, bar);
                    chosenL.computeIfAbsent(name, x -> new ArrayList<>()).add(sr.templateLength);
                    sr.score(r);
                    if (seed == 0) figure = sr.figure(figure, teS.get(5).get(0));
                }
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        return write(res, chosenL, out, seeds, quick, plan, wall, figure);
    }

    // ------------------------------------------------------------------ the two targets

    /** A target sequence kind: its features, the dictionaries' material and its units. */
    record Target(String name, String unit, java.util.function.Function<DigitString, AlignPair> pair, List<float[]> clips, int[] labels, int dim,
                  float[] filler) {
        /** Audio: standardised log-mel frames (20 ms), dictionary from every training clip, filler = the features of silence. */
        static Target audio(Dataset<Sample> train) {
            List<float[]> audio = new ArrayList<>();
            for (int i = 0; i < train.size(); i += 4) audio.add(train.get(i).audio());
            AlignFeatures f = AlignFeatures.fit(audio);
            List<float[]> clips = new ArrayList<>();
            int[] labels = new int[train.size()];
            for (int i = 0; i < train.size(); i++) {
                clips.add(f.frames(train.get(i).audio()));
                labels[i] = train.get(i).label();
            }
            float[] silence = f.frames(new float[AlignFeatures.SAMPLE_RATE / 2]);
            int mid = silence.length / AlignFeatures.MELS / 2;
            return new Target("audio", "ms", f::pair, clips, labels, AlignFeatures.MELS,
                java.util.Arrays.copyOfRange(silence, mid * AlignFeatures.MELS, (mid + 1) * AlignFeatures.MELS));
        }

        /** Image: standardised pixel columns, dictionary from every training digit image cropped to its ink, filler = a background column. */
        static Target image(Dataset<Sample> train) {
            List<Image> ink = new ArrayList<>();
            for (Sample s : train.items()) ink.add(DigitStrings.cropToInk(s.image()));
            ColumnFeatures f = ColumnFeatures.fit(ink);
            List<float[]> clips = new ArrayList<>();
            int[] labels = new int[train.size()];
            for (int i = 0; i < train.size(); i++) {
                clips.add(f.frames(ink.get(i)));
                labels[i] = train.get(i).label();
            }
            Image blank = new Image(1, train.get(0).image().height(), 1, new float[train.get(0).image().height()]);
            return new Target("image", "columns", f::pair, clips, labels, f.dim(), f.frames(blank));
        }

        List<AlignPair> pairs(List<DigitString> strings) {
            List<AlignPair> out = new ArrayList<>(strings.size());
            for (DigitString s : strings) out.add(pair.apply(s));
            return out;
        }
    }

    // ------------------------------------------------------------------ one seed, one target

    /** Everything trained and scored for one seed on one target. */
    static final class SeedRun {
        final Target tg;
        final List<AlignPair> tr, va;
        final Map<Integer, List<AlignPair>> te = new LinkedHashMap<>();
        final DictionaryAligner interp, teacher;
        final int templateLength;
        final Map<String, DsNet> nets = new LinkedHashMap<>();
        final float[] pooledPrototypes;
        final long seed;

        SeedRun(Target tg, List<DigitString> trS, List<DigitString> vaS, Map<Integer, List<DigitString>> teS, Plan plan, long seed, ProgressBar bar) {
            this.tg = tg;
            this.seed = seed;
            tr = tg.pairs(trS);
            va = tg.pairs(vaS);
            for (var e : teS.entrySet()) te.put(e.getKey(), tg.pairs(e.getValue()));
            interp = DictionaryAligner.fit(tg.clips(), tg.labels(), 10, tg.dim());
            // the teacher's template length: the best on the validation strings
            DictionaryAligner best = null;
            double bestAcc = -1;
            int bestL = 0;
            for (int l : TEMPLATE_LENGTHS) {
                DictionaryAligner da = DictionaryAligner.fitSequences(tg.clips(), tg.labels(), 10, tg.dim(), l, tg.filler());
                double acc = 0;
                for (AlignPair p : va) acc += accuracy(da.align(p).segmentation(), p);
                if (acc > bestAcc + 1e-9) {
                    bestAcc = acc;
                    best = da;
                    bestL = l;
                }
            }
            teacher = best;
            templateLength = bestL;
            List<float[]> sparse = new ArrayList<>(), tiling = new ArrayList<>(), interpPaths = new ArrayList<>();
            for (AlignPair p : tr) {
                DictionaryAligner.Result r = teacher.align(p);
                sparse.add(r.selectionMatrix(p.length()));
                tiling.add(r.path());
                interpPaths.add(interp.align(p).path());
            }
            DsNetRecipe.Config base = DsNetRecipe.Config.resultFilter(plan.epochs(), seed).withScales(SCALES).withSkip(true);
            for (String m : DS_METHODS) {
                DsNetRecipe.Config c = switch (m) {
                    case RF -> base;
                    case RF_SP -> base.withSpLoss(true);
                    case RF_L2 -> base.withL2Loss(true);
                    case RF_SELECT -> base.withSpLoss(true).withPairSelection(true);
                    case AB_TILING, AB_INTERP -> base.withSkip(false);
                    default -> throw new IllegalStateException(m);
                };
                List<float[]> paths = m.equals(AB_INTERP) ? interpPaths : m.equals(AB_TILING) ? tiling : sparse;
                nets.put(m, DsNetRecipe.train(tr, paths, 10, c).net());
                bar.step((long) tr.size() * plan.epochs());
            }
            // Eq. 4 readout prototypes: each digit's training frames, pooled by the true alignment
            double[] sum = new double[10 * tg.dim()];
            int[] n = new int[10];
            for (AlignPair p : tr) {
                float[] pooled = pooled(truthPath(p), p);
                for (int q = 0; q < p.length(); q++) {
                    int dgt = p.tokens()[q];
                    n[dgt]++;
                    for (int f = 0; f < tg.dim(); f++) sum[dgt * tg.dim() + f] += pooled[q * tg.dim() + f];
                }
            }
            pooledPrototypes = new float[10 * tg.dim()];
            for (int k = 0; k < sum.length; k++) pooledPrototypes[k] = (float) (sum[k] / Math.max(1, n[k / tg.dim()]));
        }

        MonotonicViterbi.Segmentation segment(String m, AlignPair p, Rng rng) {
            return switch (m) {
                case TRUTH -> AlignMetrics.tiling(p.truth(), p.length());
                case RANDOM -> randomSegmentation(p.length(), p.frames(), rng);
                case UNIFORM -> DictionaryAligner.uniform(p.length(), p.frames());
                case DTW_INTERP -> interp.align(p).segmentation();
                case DTW -> teacher.align(p).segmentation();
                default -> nets.get(m).align(p).segmentation();
            };
        }

        /** Result Filter cost of a pair (lower = better aligned); NaN for methods without one. */
        double cost(String m, AlignPair p) {
            return switch (m) {
                case TRUTH, RANDOM, UNIFORM -> Double.NaN;
                case DTW_INTERP -> interp.align(p).cost();
                case DTW -> teacher.align(p).cost();
                default -> nets.get(m).align(p).cost();
            };
        }

        void score(Map<String, Map<String, List<Double>>> r) {
            for (String m : METHODS) {
                Rng rng = new Rng(900 + seed);
                double vacc = 0;
                for (AlignPair p : va) vacc += accuracy(segment(m, p, rng), p);
                add(r, "val_frame_acc", m, vacc / va.size());
                for (int k : LENGTHS) {
                    double acc = 0, be = 0, pool = 0, soft = 0;
                    int nb = 0, nt = 0;
                    for (AlignPair p : te.get(k)) {
                        MonotonicViterbi.Segmentation s = segment(m, p, rng);
                        acc += accuracy(s, p);
                        double b = AlignMetrics.boundaryErrorMs(s.starts(), p.frameMs(), p.clipStartMs(), p.clipEndMs());
                        if (!Double.isNaN(b)) {
                            be += b;
                            nb++;
                        }
                        pool += pooledCorrect(pooled(s.matrix(), p), p);
                        if (nets.containsKey(m)) soft += pooledCorrect(pooled(tokenRows(nets.get(m).align(p), p), p), p);
                        nt += p.length();
                    }
                    int n = te.get(k).size();
                    add(r, "frame_acc_" + k, m, acc / n);
                    add(r, "boundary_err_" + k, m, nb == 0 ? Double.NaN : be / nb);
                    add(r, "eq4_acc_" + k, m, pool / nt);
                    if (nets.containsKey(m)) add(r, "eq4_soft_acc_" + k, m, soft / nt);
                }
                if (m.equals(TRUTH) || m.equals(RANDOM) || m.equals(UNIFORM)) continue;
                double[] vc = new double[va.size()];
                for (int i = 0; i < vc.length; i++) vc[i] = cost(m, va.get(i));
                double thr = AlignMetrics.quantile(vc, RF_QUANTILE);
                Rng mis = new Rng(400 + seed);
                List<Double> trueC = new ArrayList<>(), wrongC = new ArrayList<>();
                for (int k : LENGTHS)
                    for (AlignPair p : te.get(k)) {
                        trueC.add(cost(m, p));
                        int[] other = p.tokens().clone();
                        int j = mis.nextInt(other.length);
                        other[j] = (other[j] + 1 + mis.nextInt(9)) % 10;
                        wrongC.add(cost(m, p.withTokens(other)));
                    }
                add(r, "reject_true", m, AlignMetrics.rejectionRate(trueC.stream().mapToDouble(Double::doubleValue).toArray(), thr));
                add(r, "reject_mismatched", m, AlignMetrics.rejectionRate(wrongC.stream().mapToDouble(Double::doubleValue).toArray(), thr));
            }
        }

        /** Eq. 4 with a [Q, T] alignment: Ŷ [Q, F] row-major. */
        float[] pooled(float[] alignment, AlignPair p) {
            try (var g = GradMode.noGrad()) {
                return AlignOps.selectFrames(Var.of(Tensor.of(alignment, p.length(), p.frames())), Var.of(Tensor.of(p.features(), p.frames(), p.dim())))
                    .value().toArray();
            }
        }

        /**
         * Tokens whose pooled frames point the way of their own digit's prototype: the largest
         * cosine between {@code pooled_q - filler} and {@code prototype_d - filler} (relative to
         * silence / background, so how much of a gap a span holds only scales the vector).
         */
        int pooledCorrect(float[] pooled, AlignPair p) {
            int ok = 0, f = p.dim();
            float[] z = tg.filler();
            for (int q = 0; q < p.length(); q++) {
                int best = -1;
                double bc = Double.NEGATIVE_INFINITY;
                for (int dgt = 0; dgt < 10; dgt++) {
                    double dot = 0, nx = 0, ny = 0;
                    for (int c = 0; c < f; c++) {
                        double x = pooled[q * f + c] - z[c], y = pooledPrototypes[dgt * f + c] - z[c];
                        dot += x * y;
                        nx += x * x;
                        ny += y * y;
                    }
                    double cos = dot / Math.sqrt(Math.max(1e-12, nx * ny));
                    if (cos > bc) {
                        bc = cos;
                        best = dgt;
                    }
                }
                if (best == p.tokens()[q]) ok++;
            }
            return ok;
        }

        /** The strings' first 5-digit test string as a figure row. */
        Figure figure(Figure prev, DigitString s) {
            AlignPair p = tg.pair().apply(s);
            Map<String, int[]> bounds = new LinkedHashMap<>();
            for (String m : new String[] {UNIFORM, DTW, RF}) bounds.put(m, segment(m, p, new Rng(0)).starts());
            Figure f = prev != null ? prev : new Figure(s, new LinkedHashMap<>());
            f.rows().put(tg.name(), new FigureRow(p, bounds));
            return f;
        }
    }

    /** Token rows of DS-Net's Â [Q, T] (without the skip row). */
    static float[] tokenRows(DsNet.Alignment a, AlignPair p) {
        return java.util.Arrays.copyOf(a.probs(), p.length() * p.frames());
    }

    /** The true alignment as a binary [Q, T] tiling. */
    static float[] truthPath(AlignPair p) {
        int q = p.length(), t = p.frames();
        float[] m = new float[q * t];
        for (int j = 0; j < t; j++) m[p.truth()[j] * t + j] = 1f;
        return m;
    }

    static double accuracy(MonotonicViterbi.Segmentation s, AlignPair p) {
        return AlignMetrics.frameAccuracy(AlignMetrics.labels(s.starts(), s.ends(), p.frames()), p.truth());
    }

    /** Q non-empty contiguous spans with Q-1 distinct boundaries drawn uniformly from 1..T-1. */
    static MonotonicViterbi.Segmentation randomSegmentation(int q, int t, Rng rng) {
        int[] perm = rng.permutation(t - 1);
        int[] b = java.util.Arrays.copyOf(perm, q - 1);
        for (int i = 0; i < b.length; i++) b[i] += 1;
        java.util.Arrays.sort(b);
        int[] s = new int[q], e = new int[q];
        for (int i = 0; i < q; i++) {
            s[i] = i == 0 ? 0 : b[i - 1];
            e[i] = i == q - 1 ? t : b[i];
        }
        return new MonotonicViterbi.Segmentation(0, s, e, t);
    }

    static void add(Map<String, Map<String, List<Double>>> res, String metric, String method, double v) {
        res.computeIfAbsent(metric, k -> new LinkedHashMap<>()).computeIfAbsent(method, k -> new ArrayList<>()).add(v);
    }

    // ------------------------------------------------------------------ output

    static Map<String, Object> write(Map<String, Map<String, Map<String, List<Double>>>> res, Map<String, List<Integer>> chosenL, Path out, int seeds,
                                     boolean quick, Plan plan, double wall, Figure figure) throws IOException {
        Files.createDirectories(out);
        Provenance prov = Provenance.of("bin/bgtai experiments alignment --seeds " + seeds + (quick ? " --quick" : ""), seeds, wall);
        Map<String, Object> js = new LinkedHashMap<>();
        js.put("experiment", "alignment");
        js.putAll(prov.toMap());
        js.put("quick", quick);
        js.put("train_strings", plan.train());
        js.put("val_strings", plan.val());
        js.put("test_strings_per_length", plan.test());
        js.put("dsnet_epochs", plan.epochs());
        js.put("dsnet", "width 64, context +-2 positions and multi-scale means over " + java.util.Arrays.toString(SCALES)
            + ", skip row, AdamW lr 3e-3, batch 8");
        js.put("teacher_template_length", chosenL);
        js.put("rf_quantile", RF_QUANTILE);
        Map<String, Object> results = new LinkedHashMap<>();
        js.put("results", results);
        StringBuilder md = new StringBuilder();
        md.append("# Alignment: DS-Net on audio frames and image columns of honest digit strings\n\n");
        md.append(prov.markdown().stripTrailing()).append("  \nData: ").append(plan.train()).append(" training and ").append(plan.val()).append(" validation strings of 1-5 digits, ")
            .append(plan.test()).append(" test strings of each length 1, 3, 5 per seed (FSDD takes 5-44 / 45-49 / 0-4, MNIST 0-7999 / 8000-8999 / 9000-9999); ")
            .append("silences 0-1.5 s, speaking rate 0.75-1.3, digit cells 16-44 columns cropped to ink, spacing 0-24 columns.  \n")
            .append("Teacher template length L chosen on validation: ").append(chosenL).append(".  \nDS-Net: ").append(plan.epochs())
            .append(" epochs, ").append(js.get("dsnet")).append(".\n\n");
        for (var te : res.entrySet()) {
            Map<String, Object> tres = new LinkedHashMap<>();
            results.put(te.getKey(), tres);
            String unit = te.getKey().equals("audio") ? "ms" : "columns";
            md.append("## ").append(te.getKey().equals("audio") ? "Audio frames (20 ms)" : "Image columns").append("\n\n| metric |");
            for (String m : METHODS) md.append(' ').append(m).append(" |");
            md.append("\n|---|");
            for (String m : METHODS) md.append("---|");
            md.append('\n');
            for (var e : te.getValue().entrySet()) {
                Map<String, Object> metric = new LinkedHashMap<>();
                tres.put(e.getKey(), metric);
                md.append("| ").append(e.getKey().replace("boundary_err", "boundary_" + unit)).append(" |");
                for (String m : METHODS) {
                    List<Double> v = e.getValue().get(m);
                    if (v == null) {
                        md.append(" - |");
                        continue;
                    }
                    double[] ms = AlignMetrics.meanStd(v.stream().mapToDouble(Double::doubleValue).toArray());
                    Map<String, Object> stats = new LinkedHashMap<>();
                    stats.put("mean", num(ms[0]));
                    stats.put("std", num(ms[1]));
                    stats.put("values", v.stream().map(AlignmentExperiment::num).toList());
                    metric.put(m, stats);
                    boolean big = e.getKey().startsWith("boundary");
                    md.append(Double.isNaN(ms[0]) ? " n/a |" : String.format(Locale.ROOT, big ? " %.1f ± %.1f |" : " %.3f ± %.3f |", ms[0], ms[1]));
                }
                md.append('\n');
            }
            md.append('\n');
        }
        md.append(LEGEND);
        md.append(verdict(res));
        if (figure != null) {
            figure.write(out.resolve("alignment.png"));
            md.append("\n![one 5-digit test string: true and predicted boundaries](alignment.png)\n");
        }
        Json.writeFile(out.resolve("results.json"), js);
        AtomicFiles.writeString(out.resolve("results.md"), md.toString());
        System.out.print(md);
        return js;
    }

    static final String LEGEND = """
        Metrics: `frame_acc_k` fraction of source positions (audio frames, image columns) given to the right token on held-out k-digit \
        strings (a position in a silence or background gap belongs to the nearer digit, the gap split at its middle); `boundary_*_k` \
        mean distance from a predicted boundary to the true gap between the two digits (0 inside it); `eq4_acc_k` Eq. 4 readout: \
        the fraction of tokens whose frames, pooled by the method's decoded alignment (Ŷ = Y x Â, Â row-normalised), point \
        the way of their own digit's prototype (the mean of truly pooled training frames; largest cosine, both taken relative to the \
        silence / background frame); `eq4_soft_acc_k` the same with DS-Net's soft Â; \
        `val_frame_acc` on the validation strings (1-5 digits, what choices were made on); `reject_true` / `reject_mismatched` \
        fraction of test pairs (true, or with one digit of the gloss changed) whose alignment cost (DTW: cost per path step; \
        DS-Net: 1 - confidence) is above the 95th percentile of the validation true-pair costs.

        Methods: `truth` the generator's alignment (the ceiling of every metric; for `eq4_acc` the readout's own limit); \
        `random` Q-1 uniformly random boundaries (chance); `uniform` Q equal parts; `dtw-interp` the paper read literally \
        (per-digit mean frame laid out uniformly to length T, symmetric DTW); `dtw` the teacher (per-digit templates of L frames with \
        an optional silence/background filler between digits, asymmetric DTW: every position matched once); `rf-ce` DS-Net trained \
        on the teacher's sparse paths with the alignment cross-entropy (Eq. 5, the Result Filter); `+sp` with the self-paced SP-Loss \
        (Eq. 6), `+l2` with the L2 position loss instead, `+select` with data-pair selection (20% of the least confident pairs \
        skipped in epoch 1, falling to 0); ablations `rf-ce/tiling` (no skip row: learns the teacher's tiling) and \
        `rf-ce/interp-teacher` (no skip row, taught by `dtw-interp`). All methods get the same features (standardised 32-band \
        log-mel frames; standardised 28-pixel columns) and strings.

        """;

    /** The "what this shows / what it does not" section, from the numbers. */
    static String verdict(Map<String, Map<String, Map<String, List<Double>>>> res) {
        StringBuilder sb = new StringBuilder("## What this shows / what it does not\n\n");
        boolean reached = true;
        for (var te : res.entrySet()) {
            Map<String, Map<String, List<Double>>> r = te.getValue();
            for (int k : new int[] {3, 5}) {
                String acc = "frame_acc_" + k;
                double uni = mean(r, acc, UNIFORM), dtw = mean(r, acc, DTW), interp = mean(r, acc, DTW_INTERP);
                StringBuilder ds = new StringBuilder();
                for (String m : new String[] {RF, RF_SP, RF_L2, RF_SELECT}) {
                    double v = mean(r, acc, m);
                    reached &= v > uni && v > dtw;
                    ds.append(String.format(Locale.ROOT, "%s %.3f ± %.3f, ", m, v, std(r, acc, m)));
                }
                sb.append(String.format(Locale.ROOT, "- %s, %d-digit strings: uniform %.3f ± %.3f, dtw-interp %.3f ± %.3f, dtw (the teacher) %.3f ± %.3f; %s"
                    + "rf-ce/interp-teacher %.3f ± %.3f.%n", te.getKey(), k, uni, std(r, acc, UNIFORM), interp, std(r, acc, DTW_INTERP), dtw, std(r, acc, DTW),
                    ds, mean(r, acc, AB_INTERP), std(r, acc, AB_INTERP)));
            }
        }
        sb.append('\n').append(reached
            ? "**Target reached**: every DS-Net / Result Filter variant beats both the uniform split and its DTW teacher in frame accuracy on held-out 3- and 5-digit strings, for audio frames and image columns (means over seeds).\n"
            : "**Target not reached**: not every DS-Net / Result Filter variant beats both the uniform split and its DTW teacher in frame accuracy on held-out 3- and 5-digit strings (means over seeds; the lines above say which).\n");
        sb.append(READING);
        return sb.toString();
    }

    static final String READING = """

        How to read it. The strings are built so that equal parts are a poor guess (`uniform` well below 1 on 3- and 5-digit \
        strings), but the gaps themselves are easy to find: a silence is digital zero and a strip's background is exactly 0, so \
        a teacher that may match a silence / background frame between two digits (`dtw`) recovers almost every boundary, and \
        DS-Net, which learns from that teacher's paths, can at best equal it: it is a student of a nearly perfect teacher, and \
        its remaining errors are imitation errors (boundary errors of a few frames or columns). Where the teacher is poor \
        (`dtw-interp`, the paper's interpolated dictionary with one mean frame per digit: no silence, and symmetric DTW \
        prefers the diagonal), the student can beat its teacher (`rf-ce/interp-teacher` vs `dtw-interp` on audio), but not \
        the uniform split. The skip row is what makes DS-Net work on long gaps: without it (`rf-ce/tiling`) a position in the \
        middle of a 1 s silence must know which gap half it is in, and DS-Net falls far below its teacher. The SP-Loss (Eq. 6) \
        and the L2 position loss change little next to the cross-entropy (Eq. 5), and neither does data-pair selection \
        (differences within about a standard deviation): with a clean teacher no training pair is bad, so there is little for \
        self-pacing or selection to leave out. The Result Filter's cost separates a true pair from one with one wrong digit \
        only weakly at the calibrated threshold (`reject_mismatched` vs `reject_true`; a little better on image columns than \
        on audio): one wrong token among five moves the mean confidence little.

        Where this contradicts the paper: the paper's ablation (Table 4) has SP-Loss clearly better than L2 and a gain from \
        the selection network; on this alignment task neither is measurable. What it does not show: real continuous speech \
        (coarticulation, no silence between words), noisy recordings, handwriting whose digits overlap; whether DS-Net helps \
        joint training (Table 4 / Fig. 2 measure that); anything about the paper's data sets.
        """;

    static double std(Map<String, Map<String, List<Double>>> r, String metric, String method) {
        List<Double> v = r.getOrDefault(metric, Map.of()).get(method);
        return v == null ? Double.NaN : AlignMetrics.meanStd(v.stream().mapToDouble(Double::doubleValue).toArray())[1];
    }

    static double mean(Map<String, Map<String, List<Double>>> r, String metric, String method) {
        List<Double> v = r.getOrDefault(metric, Map.of()).get(method);
        return v == null ? Double.NaN : AlignMetrics.meanStd(v.stream().mapToDouble(Double::doubleValue).toArray())[0];
    }

    /** {@code v} rounded to 5 decimals, null for NaN (JSON has no NaN). */
    static Double num(double v) {
        return Double.isFinite(v) ? java.math.BigDecimal.valueOf(v).setScale(5, java.math.RoundingMode.HALF_UP).doubleValue() : null;
    }

    // ------------------------------------------------------------------ the figure

    /** One string's row per target: the pair and each method's boundaries (first position of each token). */
    record FigureRow(AlignPair pair, Map<String, int[]> starts) {}

    record Figure(DigitString string, Map<String, FigureRow> rows) {
        static final Color[] COLOURS = {new Color(120, 120, 120), new Color(40, 90, 200), new Color(210, 40, 40)};

        void write(Path png) throws IOException {
            int w = 1000, panel = 170, h = 70 + rows.size() * (panel + 60) + 20;
            BufferedImage img = org.bgtai.joint.Report.canvas(w, h);
            Graphics2D g = org.bgtai.joint.Report.antialiased(img);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString("\"" + string.text() + "\"   gloss " + string.gloss(), 20, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("true extent of each digit (green bars, alternating shades); boundaries predicted by uniform (grey), dtw (blue), rf-ce (red)", 20, 40);
            int y0 = 55;
            for (var e : rows.entrySet()) {
                AlignPair p = e.getValue().pair();
                int x0 = 20, pw = w - 40, t = p.frames();
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                g.setColor(Color.BLACK);
                g.drawString(e.getKey().equals("audio") ? "audio: log-mel frames (" + t + " x 20 ms)" : "image strip: " + t + " columns", x0, y0 + 12);
                int top = y0 + 20;
                // the features as a heat map (audio) or the strip itself (image)
                if (e.getKey().equals("audio")) heat(g, p, x0, top, pw, panel);
                else strip(g, string.image(), x0, top, pw, panel);
                // true extents
                for (int q = 0; q < p.length(); q++) {
                    g.setColor(q % 2 == 0 ? new Color(40, 170, 60) : new Color(150, 215, 150));
                    int a = xOf(p.clipStartMs()[q] / p.frameMs() + 0.5, t, x0, pw), b = xOf(p.clipEndMs()[q] / p.frameMs() + 0.5, t, x0, pw);
                    g.fillRect(a, top + panel + 2, Math.max(1, b - a), 10);
                }
                int c = 0;
                for (var m : e.getValue().starts().entrySet()) {
                    g.setColor(COLOURS[c % COLOURS.length]);
                    g.setStroke(new BasicStroke(2f));
                    for (int q = 1; q < m.getValue().length; q++) {
                        int x = xOf(m.getValue()[q], t, x0, pw);
                        g.drawLine(x, top - 4 + 4 * c, x, top + panel);
                    }
                    c++;
                }
                y0 += panel + 60;
            }
            g.dispose();
            org.bgtai.joint.Report.writePng(png, img);
        }

        static int xOf(double pos, int t, int x0, int pw) {
            return x0 + (int) Math.round(pos / t * pw);
        }

        static void heat(Graphics2D g, AlignPair p, int x0, int y0, int pw, int ph) {
            int t = p.frames(), f = p.dim();
            for (int x = 0; x < pw; x++) {
                int j = Math.min(t - 1, x * t / pw);
                for (int y = 0; y < ph; y++) {
                    int b = f - 1 - Math.min(f - 1, y * f / ph);
                    float v = p.features()[j * f + b];
                    int lev = (int) Math.max(0, Math.min(255, 128 + 40 * v));
                    g.setColor(new Color(lev, lev, lev));
                    g.fillRect(x0 + x, y0 + y, 1, 1);
                }
            }
        }

        static void strip(Graphics2D g, Image im, int x0, int y0, int pw, int ph) {
            int t = im.width();
            for (int x = 0; x < pw; x++) {
                int j = Math.min(t - 1, x * t / pw);
                for (int y = 0; y < ph; y++) {
                    int r = Math.min(im.height() - 1, y * im.height() / ph);
                    int lev = 255 - (int) (255 * Math.max(0, Math.min(1, im.get(0, r, j))));
                    g.setColor(new Color(lev, lev, lev));
                    g.fillRect(x0 + x, y0 + y, 1, 1);
                }
            }
        }
    }
}
