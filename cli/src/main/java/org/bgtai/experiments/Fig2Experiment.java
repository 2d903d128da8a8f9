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
 * spends its budget; evaluation time is not counted):
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

    public static void run(Path out, boolean quick) throws IOException {
        run(out, quick, false, null);
    }

    /**
     * @param resume  continue every arm from its checkpoint under {@code out/checkpoints} (the budget already spent is kept)
     * @param dataDir folder holding fsdd/ and mnist/ (null: the shared one)
     */
    public static void run(Path out, boolean quick, boolean resume, Path dataDir) throws IOException {
        int nTrain = Integer.getInteger("bgtai.fig2.train", quick ? 96 : 480), nVal = quick ? 32 : 100,
            epochs = Integer.getInteger("bgtai.fig2.epochs", quick ? 3 : 20);
        double budget = Double.parseDouble(System.getProperty("bgtai.fig2.budget", quick ? "8" : "140"));
        String only = System.getProperty("bgtai.fig2.arms");
        boolean cpu = System.getProperty("bgtai.fig2.clock", "wall").equals("cpu");
        long seed = 0;
        long t0 = System.nanoTime();
        JointSetup s = new JointSetup(JointSetup.Sources.load(dataDir), Table4Experiment.model(), seed, nTrain, nVal, 1, 5, new int[0]);
        TrainOptions tc = Table4Experiment.options(epochs, seed).withBudget(Budget.wallSeconds(budget).withCpu(cpu));
        StringBuilder csv = new StringBuilder("arm,epoch,train_seconds,cumulative_train_seconds,cpu_seconds,val_acc,val_R@1,val_R@1_filtered,rf_threshold,mean_sp_weight,skipped\n");
        List<Report.Series> byEpoch = new ArrayList<>(), bySeconds = new ArrayList<>();
        Map<String, Map<String, List<Double>>> res = new LinkedHashMap<>();
        List<Object> runs = new ArrayList<>();
        try (ProgressBar bar = new ProgressBar("fig2", ARMS.length, "arm")) {
            warmUp(s);
            for (String a : ARMS) {
                if (only != null && !List.of(only.split(",")).contains(a)) continue;
                AlignConfig ac = arm(a);
                JointSetup.Trained t = s.train(ac, tc.withCheckpoints(out.resolve("checkpoints").resolve(a.replace("&", "-")), resume), (m, al) -> validate(s, m, al));
                List<Epoch> h = t.history();
                double[] ep = new double[h.size()], sec = new double[h.size()], acc = new double[h.size()];
                double cum = 0, cumCpu = 0;
                for (int i = 0; i < h.size(); i++) {
                    Epoch e = h.get(i);
                    cum += e.trainSeconds();
                    cumCpu += e.cpuSeconds();
                    ep[i] = e.epoch();
                    sec[i] = cpu ? cumCpu : cum;
                    acc[i] = e.metric(VAL_ACC);
                    csv.append(String.format(Locale.ROOT, "%s,%d,%.2f,%.2f,%.2f,%.4f,%.4f,%s,%s,%s,%.3f%n", a, e.epoch(), e.trainSeconds(), cum, e.cpuSeconds(), acc[i],
                        e.metric(JointRecipe.VAL_R1), cell(e.metric(VAL_R1_FILTERED)), cell(e.metric(RF_THRESHOLD)), cell(e.stat("mean_sp_weight")),
                        Double.isNaN(e.stat(JointRecipe.SKIPPED)) ? 0.0 : e.stat(JointRecipe.SKIPPED)));
                }
                byEpoch.add(new Report.Series(a, ep, acc));
                bySeconds.add(new Report.Series(a, sec, acc));
                Map<String, List<Double>> m = res.computeIfAbsent(a, x -> new LinkedHashMap<>());
                m.put("epochs_in_budget", List.of((double) h.size()));
                m.put("train_seconds", List.of(cum));
                m.put("seconds_per_epoch", List.of(cum / Math.max(1, h.size())));
                m.put("cpu_seconds_per_epoch", List.of(h.stream().mapToDouble(Epoch::cpuSeconds).sum() / Math.max(1, h.size())));
                m.put("final_val_acc", List.of(acc.length == 0 ? Double.NaN : acc[acc.length - 1]));
                m.put("best_val_acc", List.of(java.util.Arrays.stream(acc).max().orElse(Double.NaN)));
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("arm", a);
                run.put("history", h.stream().map(e -> (Object) e.flat()).toList());
                runs.add(run);
                bar.step(1, "%s", a);
            }
        }
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("fig2.csv"), csv.toString());
        double top = 0;
        for (Report.Series x : byEpoch) for (double v : x.y()) if (!Double.isNaN(v)) top = Math.max(top, v);
        double[] yr = {0, Math.min(1, Math.max(0.2, Math.ceil(top * 11) / 10))};
        Report.plotPanels(out.resolve("fig2.png"), List.of(
            new Report.Panel("val audio->image R@1 per epoch", "epoch", byEpoch, yr),
            new Report.Panel("val audio->image R@1 vs training time", cpu ? "CPU seconds" : "seconds", bySeconds, yr)));
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("experiment", "fig2");
        setup.put("seeds", 1);
        setup.put("quick", quick);
        setup.put("budget_seconds_per_arm", budget);
        setup.put("budget_clock", cpu ? "process CPU seconds" : "wall-clock seconds");
        setup.put("nominal_epochs", epochs);
        setup.put("train_strings", nTrain);
        setup.put("val_strings", nVal);
        setup.put("a", Table4Experiment.A);
        setup.put("b", Table4Experiment.B);
        setup.put("wall_seconds", (System.nanoTime() - t0) / 1e9);
        Table4Experiment.write(out, "fig2", setup, res, runs, ARMS, "Fig. 2 analog: validation accuracy under one training-time budget per arm (" + (cpu ? "process CPU" : "wall-clock") + " seconds)");
    }

    /** An untimed epoch of the fullest arm on a few strings, so the JIT has compiled the hot code before any arm's clock runs. */
    static void warmUp(JointSetup s) {
        JointSetup small = s.subset(48);
        small.train(arm("DS&RF"), Table4Experiment.options(2, 99).withSchedule(Schedule.warmupCosine(2)), (m, al) -> validate(small, m, al));
    }

    static String cell(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Validation figure names: accuracy (R@1 after the Result Filter where it is on), R@1 filtered, the filter's threshold. */
    static final String VAL_ACC = "val_acc", VAL_R1_FILTERED = "val_R@1_filtered", RF_THRESHOLD = "rf_threshold";

    /** {@value #VAL_ACC}, {@code val_R@1} unfiltered, and with the Result Filter {@value #VAL_R1_FILTERED} and {@value #RF_THRESHOLD}, on the validation set. */
    static Map<String, Double> validate(JointSetup s, JointModel m, JointAlignment align) {
        Prepared[] val = s.val;
        Embeddings e = Embeddings.of(m, val, JointSetup.HEIGHT, JointSetup.WIDTH, 64);
        double r1 = Retrieval.retrieve(e.audio(), e.labels(), e.image(), e.labels()).r1();
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(VAL_ACC, r1);
        v.put(JointRecipe.VAL_R1, r1);
        if (align == null || !align.config().resultFilter()) return v;
        float[][] src = JointAlignment.sources(m, val, 64);
        double[] c = new double[val.length];
        for (int i = 0; i < c.length; i++) c[i] = align.cost(src[i], AlignTeacher.tokens(val[i]));
        double thr = ResultFilter.calibrate(c, align.config().rfQuantile());
        double f = ResultFilter.retrieve(e.audio(), e.labels(), e.image(), e.labels(), align.config().rfTopK(), thr,
            (q, g) -> align.cost(src[q], AlignTeacher.tokens(val[g]))).scores().r1();
        v.put(VAL_ACC, f);
        v.put(VAL_R1_FILTERED, f);
        v.put(RF_THRESHOLD, thr);
        return v;
    }
}
