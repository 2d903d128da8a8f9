package org.bgtai.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bgtai.metrics.Retrieval;
import org.bgtai.align.AlignConfig;
import org.bgtai.align.AlignTeacher;
import org.bgtai.align.JointAlignment;
import org.bgtai.align.ResultFilter;
import org.bgtai.joint.JointRecipe;
import org.bgtai.model.JointModel;
import org.bgtai.nn.train.Budget;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.model.Prepared;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.model.Embeddings;
import org.bgtai.joint.Report;
import org.bgtai.nn.train.ProgressBar;

/**
 * Fig. 2 analog: validation accuracy per epoch of four arms trained under the same wall-clock
 * budget on spoken digit strings of 1-5 digits (each arm stops at the end of the epoch that
 * spends its budget; evaluation time is not counted). As in Table 4, every arm of a seed starts
 * from one warm start ({@link JointSetup#warmStart}: the base objective on 2,400 one-digit strings
 * and the training strings, 20 epochs, not counted in the budget) and then trains 12 epochs with
 * its own method; from scratch every arm stayed near chance for 20 epochs ({@code results/fig2} of
 * commit 1e0ccaf; {@code -Dbgtai.fig2.warmEpochs=0 -Dbgtai.fig2.epochs=20} repeats it):
 * <ul>
 *   <li>{@code Base}: L_InfoNCE + c L_gloss;</li>
 *   <li>{@code DS-Net}: + b L_SP, with DS-Net data-pair selection (20% -> 0%);</li>
 *   <li>{@code Result Filter}: + a L_CE-align (DTW teacher), validation through the Result Filter;</li>
 *   <li>{@code DS&RF}: + a L_CE-align + b L_SP, selection and the Result Filter.</li>
 * </ul>
 * Accuracy = audio->image R@1 on the validation strings (gallery = the whole validation set;
 * for the Result Filter arms after filtering, its threshold calibrated on the validation true
 * pairs of the same epoch). Writes {@code fig2.csv}, {@code fig2.png}, {@code results.json} and
 * {@code results.md}. An untimed warm-up run comes first (JIT). Sizes can be overridden with the
 * system properties {@code bgtai.fig2.train}, {@code bgtai.fig2.epochs}, {@code bgtai.fig2.budget}
 * (seconds per arm), {@code bgtai.fig2.clock} ({@code wall}, the default, or {@code cpu}: the budget in
 * process CPU seconds, fair when other jobs share the machine), {@code bgtai.fig2.arms}
 * (comma-separated subset) and {@code bgtai.joint.lr}.
 */
public final class Fig2Experiment {
    static final String[] ARMS = {"Base", "DS-Net", "Result Filter", "DS&RF"};

    private Fig2Experiment() {}

    static AlignConfig arm(String name) {
        AlignConfig off = AlignConfig.OFF;
        return switch (name) {
            case "Base" -> off;
            case "DS-Net" -> off.withAux(AlignConfig.Aux.SP, Table4Experiment.B).withSelection(true);
            case "Result Filter" -> off.withCe(Table4Experiment.A).withResultFilter(true);
            case "DS&RF" -> off.withCe(Table4Experiment.A).withAux(AlignConfig.Aux.SP, Table4Experiment.B).withSelection(true).withResultFilter(true);
            default -> throw new IllegalArgumentException("unknown arm " + name);
        };
    }

    /**
     * @param seeds   seeds per arm (data, weights and batches differ by seed); the plots show the mean and a ± std band
     * @param resume  continue every arm from its checkpoint under {@code out/checkpoints} (the budget already spent is kept)
     * @param dataDir folder holding fsdd/ and mnist/ (null: the shared one)
     */
    public static void run(Path out, int seeds, boolean quick, boolean resume, Path dataDir) throws IOException {
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        // --quick: one-digit strings and a short warm start, so that a smoke run learns enough to be told from chance
        int nTrain = Integer.getInteger("bgtai.fig2.train", quick ? 96 : 480), nVal = 100,
            epochs = Integer.getInteger("bgtai.fig2.epochs", quick ? 3 : 12), nWarm = Integer.getInteger("bgtai.fig2.warm", quick ? 1200 : 2400),
            warmEpochs = Integer.getInteger("bgtai.fig2.warmEpochs", quick ? 10 : 20), maxDigits = Integer.getInteger("bgtai.fig2.digits", quick ? 1 : 5);
        double budget = Double.parseDouble(System.getProperty("bgtai.fig2.budget", quick ? "8" : "100"));
        String only = System.getProperty("bgtai.fig2.arms");
        boolean cpu = System.getProperty("bgtai.fig2.clock", "wall").equals("cpu");
        List<String> arms = java.util.Arrays.stream(ARMS).filter(a -> only == null || List.of(only.split(",")).contains(a)).toList();
        long t0 = System.nanoTime();
        JointSetup.Sources src = JointSetup.Sources.load(dataDir);
        StringBuilder csv = new StringBuilder("arm,seed,epoch,train_seconds,cumulative_train_seconds,cpu_seconds,val_acc,val_R@1,val_acc_unfiltered,val_R@1_filtered,rf_threshold,mean_sp_weight,skipped\n");
        // arm -> per seed: (cumulative seconds, accuracy) per epoch
        Map<String, List<double[][]>> curves = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> res = new LinkedHashMap<>();
        List<Object> runs = new ArrayList<>();
        try (ProgressBar bar = new ProgressBar("fig2", (long) seeds * arms.size(), "run")) {
            for (int seed = 0; seed < seeds; seed++) {
                JointSetup s = new JointSetup(src, Table4Experiment.model(), seed, nTrain, nVal, 1, maxDigits, new int[0], warmEpochs > 0 ? nWarm : 0);
                if (seed == 0) warmUp(s);
                Map<String, org.bgtai.tensor.Tensor> init = warmEpochs == 0 ? null
                    : s.warmStart(Table4Experiment.options(warmEpochs, seed).withCheckpoints(out.resolve("checkpoints").resolve("warm-seed" + seed), resume));
                TrainOptions tc = Table4Experiment.options(epochs, seed).withBudget(Budget.wallSeconds(budget).withCpu(cpu));
                for (String a : arms) {
                    JointSetup.Trained t = s.train(arm(a), tc.withCheckpoints(out.resolve("checkpoints").resolve(a.replace("&", "-") + "-seed" + seed), resume),
                        (m, al) -> validate(s, m, al), init);
                    List<Epoch> h = t.history();
                    double[][] curve = new double[2][h.size()];
                    double cum = 0, cumCpu = 0;
                    for (int i = 0; i < h.size(); i++) {
                        Epoch e = h.get(i);
                        cum += e.trainSeconds();
                        cumCpu += e.cpuSeconds();
                        curve[0][i] = cpu ? cumCpu : cum;
                        curve[1][i] = e.metric(VAL_ACC);
                        csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.2f,%.2f,%.2f,%.4f,%.4f,%.4f,%s,%s,%s,%.3f%n", a, seed, e.epoch(), e.trainSeconds(), cum, e.cpuSeconds(),
                            curve[1][i], e.metric(JointRecipe.VAL_R1), e.metric(VAL_ACC_UNFILTERED), cell(e.metric(VAL_R1_FILTERED)), cell(e.metric(RF_THRESHOLD)),
                            cell(e.stat("mean_sp_weight")), Double.isNaN(e.stat(JointRecipe.SKIPPED)) ? 0.0 : e.stat(JointRecipe.SKIPPED)));
                    }
                    curves.computeIfAbsent(a, x -> new ArrayList<>()).add(curve);
                    Map<String, List<Double>> m = res.computeIfAbsent(a, x -> new LinkedHashMap<>());
                    double[] acc = curve[1];
                    Table4Experiment.add(m, "epochs_in_budget", h.size());
                    Table4Experiment.add(m, "seconds_per_epoch", cum / Math.max(1, h.size()));
                    Table4Experiment.add(m, "cpu_seconds_per_epoch", cumCpu / Math.max(1, h.size()));
                    Table4Experiment.add(m, "final_val_acc", acc.length == 0 ? Double.NaN : acc[acc.length - 1]);
                    Table4Experiment.add(m, "best_val_acc", java.util.Arrays.stream(acc).max().orElse(Double.NaN));
                    Table4Experiment.add(m, "final_val_audio_to_image_R@1", h.isEmpty() ? Double.NaN : h.get(h.size() - 1).metric(JointRecipe.VAL_R1));
                    Map<String, Object> run = new LinkedHashMap<>();
                    run.put("arm", a);
                    run.put("seed", seed);
                    run.put("history", h.stream().map(e -> (Object) e.flat()).toList());
                    runs.add(run);
                    bar.step(1, "%s seed %d", a, seed);
                }
            }
        }
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("fig2.csv"), csv.toString());
        List<Report.Series> byEpoch = new ArrayList<>(), bySeconds = new ArrayList<>();
        for (var e : curves.entrySet()) {
            byEpoch.add(byEpoch(e.getKey(), e.getValue()));
            bySeconds.add(bySeconds(e.getKey(), e.getValue(), budget));
        }
        double top = 0;
        for (Report.Series x : byEpoch) for (int i = 0; i < x.y().length; i++) if (!Double.isNaN(x.hi()[i])) top = Math.max(top, x.hi()[i]);
        double[] yr = {0, Math.min(1, Math.max(0.2, Math.ceil(top * 11) / 10))};
        String band = seeds > 1 ? " (mean ± std over " + seeds + " seeds)" : "";
        Report.plotPanels(out.resolve("fig2.png"), List.of(
            new Report.Panel("val accuracy per epoch" + band, "epoch", byEpoch, yr),
            new Report.Panel("val accuracy vs training time" + band, cpu ? "CPU seconds" : "seconds", bySeconds, yr)));
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("experiment", "fig2");
        setup.put("quick", quick);
        setup.put("budget_seconds_per_arm", budget);
        setup.put("budget_clock", cpu ? "process CPU seconds" : "wall-clock seconds");
        setup.put("warm_start", warmEpochs > 0 ? Map.of("one_digit_strings", nWarm, "epochs", warmEpochs, "objective",
            "base (InfoNCE + gloss CE) on those and the training strings, shared by the arms of a seed, not counted in their budget") : "none");
        setup.put("nominal_epochs", epochs);
        setup.put("train_strings", nTrain);
        setup.put("digits_per_string", maxDigits == 1 ? "1" : "1-" + maxDigits);
        setup.put("val_strings", nVal);
        setup.put("a", Table4Experiment.A);
        setup.put("b", Table4Experiment.B);
        setup.put("accuracy", "zero-shot: a validation clip is classified correctly when the nearest validation text (cosine in the shared space) "
            + "says its digit sequence; with the Result Filter (RF arms) after filtering, its threshold calibrated on the same epoch's validation true pairs");
        Provenance prov = Provenance.of("bin/bgtai experiments fig2 --seeds " + seeds + (quick ? " --quick" : ""), seeds, (System.nanoTime() - t0) / 1e9);
        Table4Experiment.write(out, prov, setup, res, runs, arms.toArray(String[]::new),
            "Fig. 2 analog: validation accuracy under one training-time budget per arm (" + (cpu ? "process CPU" : "wall-clock") + " seconds)");
        AtomicFiles.writeString(out.resolve("results.md"), Files.readString(out.resolve("results.md")) + reading(res, nVal, epochs, maxDigits));
    }

    /**
     * How to read the figure, computed from it: chance accuracy (strings of up to 5 digits are
     * nearly always their own digit sequence: about 1/validation strings; one-digit strings (the
     * quick run) have 10 texts: 0.10), each arm's final and best
     * accuracy against it, and the paper's claim (DS&RF highest at every period, Base lowest).
     */
    static String reading(Map<String, Map<String, List<Double>>> res, int nVal, int epochs, int maxDigits) {
        double chance = maxDigits == 1 ? 0.1 : 1.0 / nVal;
        String chanceWhy = maxDigits == 1 ? "one-digit strings: 10 texts" : String.format(Locale.ROOT, "1 / %d validation strings, nearly all distinct", nVal);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n![fig2](fig2.png)%n%n## How to read it, and the paper's claim%n%n"
            + "The paper's Fig. 2 (ESC-50) shows DS&RF with the highest accuracy at every period, Base the lowest, DS-Net and Result Filter between. "
            + "Here chance accuracy is about %.3f (%s).%n%n", chance, chanceWhy));
        boolean any = false;
        for (String a : res.keySet()) {
            double fin = Table4Experiment.mean(res, a, "final_val_acc"), best = Table4Experiment.mean(res, a, "best_val_acc");
            any |= best >= 2 * chance;
            md.append(String.format(Locale.ROOT, "- %s: final %.3f, best %.3f, %.1f epochs in the budget%n", a, fin, best, Table4Experiment.mean(res, a, "epochs_in_budget")));
        }
        if (any && res.containsKey("Base"))
            for (String a : res.keySet()) {   // paired by seed: the arms of a seed share its data (and warm start)
                if (a.equals("Base")) continue;
                md.append(String.format(Locale.ROOT, "%n%s - Base, final accuracy, paired over seeds: %s.", a, Table4Experiment.step(res, "Base", a, "final_val_acc")));
            }
        boolean binding = res.values().stream().anyMatch(m -> m.get("epochs_in_budget").stream().anyMatch(e -> e < epochs));
        md.append(any ? String.format(Locale.ROOT, "%n%nThe budget %s.%n", binding ? "cut some arms short: compare the curves per second"
                : "did not bind (every arm ran its nominal epochs), so the per-second curves differ only by each arm's cost per epoch")
            : "\nNo arm reaches twice chance within the budget: the BGTAI gloss decoder has not yet learned to read these digit strings, so the figure cannot "
                + "order the arms; it neither supports nor contradicts the paper. What it does show is the cost side: the epochs each arm fits into the same budget.\n");
        return md.toString();
    }

    /** Mean and ± std band per epoch over the seeds that reached that epoch. */
    static Report.Series byEpoch(String name, List<double[][]> seeds) {
        int n = 0;
        for (double[][] c : seeds) n = Math.max(n, c[1].length);
        double[] x = new double[n];
        double[][] ys = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            int k = i;
            ys[i] = seeds.stream().filter(c -> c[1].length > k).mapToDouble(c -> c[1][k]).toArray();
        }
        return band(name, x, ys);
    }

    /**
     * Mean and ± std band on a grid of 40 times up to {@code budget}: at time t a seed's accuracy
     * is that of its last epoch finished by t (a seed with no epoch finished yet is left out).
     */
    static Report.Series bySeconds(String name, List<double[][]> seeds, double budget) {
        double end = budget;
        for (double[][] c : seeds) if (c[0].length > 0) end = Math.max(end, c[0][c[0].length - 1]);
        int n = 40;
        double[] x = new double[n];
        double[][] ys = new double[n][];
        for (int i = 0; i < n; i++) {
            double t = end * (i + 1) / n;
            x[i] = t;
            List<Double> v = new ArrayList<>();
            for (double[][] c : seeds) {
                int last = -1;
                while (last + 1 < c[0].length && c[0][last + 1] <= t + 1e-9) last++;
                if (last >= 0) v.add(c[1][last]);
            }
            ys[i] = v.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return band(name, x, ys);
    }

    private static Report.Series band(String name, double[] x, double[][] ys) {
        int n = x.length;
        double[] y = new double[n], lo = new double[n], hi = new double[n];
        for (int i = 0; i < n; i++) {
            double[] ms = ys[i].length == 0 ? new double[] {Double.NaN, Double.NaN} : org.bgtai.align.AlignMetrics.meanStd(ys[i]);
            double sd = Double.isNaN(ms[1]) ? 0 : ms[1];
            y[i] = ms[0];
            lo[i] = ms[0] - sd;
            hi[i] = ms[0] + sd;
        }
        return new Report.Series(name, x, y, lo, hi);
    }

    /** An untimed epoch of the fullest arm on a few strings, so the JIT has compiled the hot code before any arm's clock runs. */
    static void warmUp(JointSetup s) {
        JointSetup small = s.subset(48);
        small.train(arm("DS&RF"), Table4Experiment.options(2, 99).withSchedule(Schedule.warmupCosine(2)), (m, al) -> validate(small, m, al));
    }

    static String cell(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * Validation figure names: accuracy (zero-shot classification of each clip among the
     * validation texts, after the Result Filter where it is on), accuracy unfiltered, audio->image
     * R@1 filtered, the filter's threshold.
     */
    static final String VAL_ACC = "val_acc", VAL_ACC_UNFILTERED = "val_acc_unfiltered", VAL_R1_FILTERED = "val_R@1_filtered", RF_THRESHOLD = "rf_threshold";

    /**
     * On the validation set: {@value #VAL_ACC} (audio -> text R@1 with the validation texts as
     * the classes: correct when the nearest text says the clip's digit sequence), {@code val_R@1}
     * (audio->image, unfiltered), and with the Result Filter {@value #VAL_R1_FILTERED} and
     * {@value #RF_THRESHOLD}; the filter sees model outputs only (DS-Net's alignment cost of the
     * clip against a candidate's gloss), its threshold the 95th percentile of validation true-pair costs.
     */
    static Map<String, Double> validate(JointSetup s, JointModel m, JointAlignment align) {
        Prepared[] val = s.val;
        Embeddings e = Embeddings.of(m, val, JointSetup.HEIGHT, JointSetup.WIDTH, 64);
        double acc = Retrieval.retrieve(e.audio(), e.labels(), e.text(), e.labels()).r1();
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(VAL_ACC, acc);
        v.put(VAL_ACC_UNFILTERED, acc);
        v.put(JointRecipe.VAL_R1, Retrieval.retrieve(e.audio(), e.labels(), e.image(), e.labels()).r1());
        if (align == null || !align.config().resultFilter()) return v;
        float[][] src = JointAlignment.sources(m, val, 64);
        double[] c = new double[val.length];
        for (int i = 0; i < c.length; i++) c[i] = align.cost(src[i], AlignTeacher.tokens(val[i]));
        double thr = ResultFilter.calibrate(c, align.config().rfQuantile());
        ResultFilter.Cost cost = (q, g) -> align.cost(src[q], AlignTeacher.tokens(val[g]));
        v.put(VAL_ACC, ResultFilter.retrieve(e.audio(), e.labels(), e.text(), e.labels(), align.config().rfTopK(), thr, cost).scores().r1());
        v.put(VAL_R1_FILTERED, ResultFilter.retrieve(e.audio(), e.labels(), e.image(), e.labels(), align.config().rfTopK(), thr, cost).scores().r1());
        v.put(RF_THRESHOLD, thr);
        return v;
    }
}
