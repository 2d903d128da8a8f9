package org.bgtai.joint;

import org.bgtai.align.JointAlignment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bgtai.align.DsNetTrainer;
import org.bgtai.model.Batch;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.nn.train.Checkpoint;
import org.bgtai.nn.Module;
import org.bgtai.nn.Parameter;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.optim.LrSchedule;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.Json;

/**
 * Joint training with the full objective {@code L_InfoNCE + a L_CE-align + b L_SP + c L_gloss}
 * ({@link JointModel#loss(Batch, JointModel.ExtraLoss)} with {@link JointAlignment}), DS-Net
 * data-pair selection and an optional wall-clock budget (Fig. 2). One AdamW (warm-up + cosine
 * over the nominal {@link TrainConfig#epochs()}) updates the joint model and DS-Net together.
 *
 * <p>Selection: from the second epoch on, the training pairs are ranked by the DS-Net confidence
 * measured in their last training forward pass and the lowest {@link #skipFraction} of them is
 * skipped (the start fraction, e.g. 20%, at the second epoch, falling linearly towards 0% one
 * epoch after the last nominal one; 0 beyond); the first epoch, with no scores yet, keeps all.
 * Scoring costs no extra forward pass.
 *
 * <pre>{@code
 * AlignedTrainer t = new AlignedTrainer(model, align, tc, train, 28, 140);
 * List<AlignedTrainer.Epoch> h = t.fit(120.0, m -> new double[] {valR1(m)});
 * }</pre>
 */
public final class AlignedTrainer {
    /**
     * One finished epoch.
     *
     * @param skipped      fraction of training pairs skipped by selection
     * @param meanSpWeight mean self-paced weight of the SP-Loss (NaN without it); zeroWeight the fraction of weight-0 pairs
     * @param trainSeconds wall-clock seconds of the training part (counted against the budget)
     * @param cpuSeconds   process CPU seconds of the training part (all threads; insensitive to other jobs on the machine)
     * @param val          what the validation callback returned (empty without one)
     * @param evalSeconds  seconds of the validation callback (not counted against the budget)
     */
    public record Epoch(int epoch, double loss, double infoNce, double gloss, double ceAlign, double aux, double meanSpWeight, double zeroWeight,
                        double skipped, double trainSeconds, double cpuSeconds, double[] val, double evalSeconds) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("loss", loss);
            m.put("info_nce", infoNce);
            m.put("gloss_ce", gloss);
            m.put("ce_align", nan(ceAlign));
            m.put("aux", nan(aux));
            m.put("mean_sp_weight", nan(meanSpWeight));
            m.put("zero_sp_weight_fraction", nan(zeroWeight));
            m.put("skipped", skipped);
            m.put("train_seconds", trainSeconds);
            m.put("cpu_seconds", cpuSeconds);
            m.put("val", Arrays.stream(val).boxed().map(AlignedTrainer::nan).toList());
            m.put("eval_seconds", evalSeconds);
            return m;
        }

        /** The inverse of {@link #toMap} (null = NaN). */
        static Epoch fromMap(Map<?, ?> m) {
            List<?> v = (List<?>) m.get("val");
            double[] val = new double[v.size()];
            for (int i = 0; i < val.length; i++) val[i] = num(v.get(i));
            return new Epoch(((Number) m.get("epoch")).intValue(), num(m.get("loss")), num(m.get("info_nce")), num(m.get("gloss_ce")), num(m.get("ce_align")),
                num(m.get("aux")), num(m.get("mean_sp_weight")), num(m.get("zero_sp_weight_fraction")), num(m.get("skipped")), num(m.get("train_seconds")),
                num(m.get("cpu_seconds")), val, num(m.get("eval_seconds")));
        }
    }

    static Object nan(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private final JointModel model;
    private final JointAlignment align;
    private final TrainConfig cfg;
    private final Prepared[] train;
    private final int height, width;
    private final AdamW opt;
    private final LrSchedule schedule;
    private Rng rng;
    private boolean quiet = true, cpuBudget, resume;
    private Path dir;
    private int stopAfter;

    /** File name of the per-epoch checkpoint in the {@link #checkpoints} folder. */
    public static final String CHECKPOINT = "checkpoint.safetensors";

    /** @param align the DS-Net terms, or null for the plain objective */
    public AlignedTrainer(JointModel model, JointAlignment align, TrainConfig cfg, Prepared[] train, int height, int width) {
        if (train.length < cfg.batchSize())
            throw new IllegalArgumentException("training set has " + train.length + " samples, fewer than one batch of " + cfg.batchSize());
        this.model = model;
        this.align = align;
        this.cfg = cfg;
        this.train = train;
        this.height = height;
        this.width = width;
        Map<String, Parameter> params = new LinkedHashMap<>();
        model.trainableParameters().forEach((k, v) -> params.put("model." + k, v));
        if (align != null) align.dsNet().trainableParameters().forEach((k, v) -> params.put("dsnet." + k, v));
        this.opt = Trainer.optimizer(params, cfg);
        this.schedule = Trainer.schedule(cfg, (long) (train.length / cfg.batchSize()) * cfg.epochs());
        this.rng = new Rng(cfg.seed());
    }

    /** Count the budget of {@link #fit} in process CPU seconds instead of wall-clock seconds (fair on a machine shared with other jobs). */
    public AlignedTrainer cpuBudget(boolean on) {
        this.cpuBudget = on;
        return this;
    }

    /**
     * Writes an atomic checkpoint into {@code dir} after every epoch (weights of the joint model
     * and DS-Net, AdamW state, RNG and dropout generators, epoch, history, budget spent, DS-Net confidences); with
     * {@code resume}, {@link #fit} first continues from the checkpoint there when one exists.
     */
    public AlignedTrainer checkpoints(Path dir, boolean resume) {
        this.dir = dir;
        this.resume = resume;
        return this;
    }

    /** Stops {@link #fit} after this many epochs of this call (0 = no limit): an interruption, for tests. */
    public AlignedTrainer stopAfter(int epochs) {
        this.stopAfter = epochs;
        return this;
    }

    public AlignedTrainer quiet(boolean q) {
        this.quiet = q;
        return this;
    }

    /**
     * Trains up to {@link TrainConfig#epochs()} epochs, stopping earlier once the training time
     * reaches {@code budgetSeconds} (at the end of the epoch that spent it; {@code <= 0} = no budget;
     * wall-clock seconds, or CPU seconds after {@link #cpuBudget}).
     *
     * @param validate called after each epoch (model in train mode afterwards), or null
     */
    public List<Epoch> fit(double budgetSeconds, Function<JointModel, double[]> validate) {
        ModelConfig c = model.config();
        boolean select = align != null && align.config().selection();
        List<Epoch> history = new ArrayList<>();
        double spent = 0;
        int start = 0;
        Path file = dir == null ? null : dir.resolve(CHECKPOINT);
        if (resume && file != null && Files.exists(file)) {
            spent = load(file, history);
            start = history.size();
            if (!quiet) System.err.println("resumed from " + file + " after epoch " + start);
        }
        for (int epoch = start; epoch < cfg.epochs(); epoch++) {
            if (budgetSeconds > 0 && spent >= budgetSeconds) break;
            if (stopAfter > 0 && epoch - start == stopAfter) break;
            long t0 = System.nanoTime(), c0 = cpuNanos();
            int[] keep = allIndices(train.length);
            if (select) keep = kept(align.confidences(), epoch, cfg.epochs(), align.config().selectStart());
            int[] perm = rng.permutation(keep.length);
            int steps = keep.length / cfg.batchSize();
            double sum = 0, sumInfo = 0, sumGloss = 0;
            model.train(true);
            for (int s = 0; s < steps; s++) {
                int[] idx = new int[cfg.batchSize()];
                for (int i = 0; i < idx.length; i++) idx[i] = keep[perm[s * cfg.batchSize() + i]];
                Batch b = Batch.of(train, idx, c.nMels(), c.imageChannels(), height, width);
                JointModel.Losses l = model.loss(b, align == null ? null : align.step(idx, epoch));
                float loss = Trainer.step(l.total(), opt, schedule, cfg, epoch + 1, s);
                sum += loss;
                sumInfo += l.infoNce();
                sumGloss += l.gloss();
            }
            double secs = (System.nanoTime() - t0) / 1e9, cpu = (cpuNanos() - c0) / 1e9;
            spent += cpuBudget ? cpu : secs;
            JointAlignment.Stats st = align == null ? new JointAlignment.Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN) : align.drainStats();
            long t1 = System.nanoTime();
            double[] val = validate == null ? new double[0] : validate.apply(model);
            model.train(true);
            double evalSecs = (System.nanoTime() - t1) / 1e9;
            int n = Math.max(1, steps);
            Epoch e = new Epoch(epoch + 1, sum / n, sumInfo / n, sumGloss / n, st.ceAlign(), st.aux(), st.meanSpWeight(), st.zeroWeightFraction(),
                1 - (double) keep.length / train.length, secs, cpu, val, evalSecs);
            history.add(e);
            if (file != null) save(file, history, spent);
            if (!quiet) System.err.printf(java.util.Locale.ROOT, "  epoch %d: loss %.4f (InfoNCE %.3f, CE-align %s, aux %s, SP w %s), skipped %.0f%%, %.1f s, val %s%n",
                e.epoch(), e.loss(), e.infoNce(), fmt(e.ceAlign()), fmt(e.aux()), fmt(e.meanSpWeight()), 100 * e.skipped(), secs, Arrays.toString(val));
        }
        return history;
    }

    /** Everything that {@link #fit} carries from one epoch to the next, so a resumed run continues exactly. */
    private void save(Path file, List<Epoch> history, double spent) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "bgtai-aligned-trainer-1");
        meta.put("epoch", Integer.toString(history.size()));
        meta.put("rng", rng.state()[0] + "," + rng.state()[1]);
        meta.put("spent_seconds", Double.toString(spent));
        meta.put("history", Json.write(history.stream().map(Epoch::toMap).toList()));
        meta.putAll(Checkpoint.dropoutStates(weights()));
        if (align != null) meta.put("confidences", Json.write(Arrays.stream(align.confidences()).boxed().map(AlignedTrainer::nan).toList()));
        try {
            Checkpoint.write(file, weights().stateDict(), opt.state(), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return the budget already spent */
    private double load(Path file, List<Epoch> history) {
        Checkpoint.Contents c;
        try {
            c = Checkpoint.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the checkpoint " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> m = c.metadata();
        if (!"bgtai-aligned-trainer-1".equals(m.get("format")) || c.optimizer() == null)
            throw new IllegalArgumentException(file + " is not an aligned-trainer checkpoint; delete it or point --out elsewhere");
        try {
            weights().loadStateDict(c.model(), true);
            opt.loadState(c.optimizer());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " was written by a different model or objective (" + e.getMessage() + "); delete it or train with the same settings", e);
        }
        Checkpoint.restoreDropouts(weights(), m);
        String[] r = m.get("rng").split(",");
        rng = new Rng(new long[] {Long.parseLong(r[0]), Long.parseLong(r[1])});
        for (Object x : (List<?>) Json.parse(m.get("history"))) history.add(Epoch.fromMap((Map<?, ?>) x));
        if (align != null && m.containsKey("confidences")) {
            List<?> cs = (List<?>) Json.parse(m.get("confidences"));
            double[] conf = new double[cs.size()];
            for (int i = 0; i < conf.length; i++) conf[i] = num(cs.get(i));
            align.restoreConfidences(conf);
        }
        return Double.parseDouble(m.get("spent_seconds"));
    }

    /** The joint model and DS-Net under one module, as the optimizer sees them ({@code model.*}, {@code dsnet.*}). */
    private Module weights() {
        return new Module() {
            {
                registerModule("model", model);
                if (align != null) registerModule("dsnet", align.dsNet());
            }
        };
    }

    static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /**
     * Fraction of pairs skipped in {@code epoch} (0-based) of {@code epochs} nominal epochs:
     * 0 in epoch 0 (no scores yet), {@code start * (1 - (epoch - 1) / (epochs - 1))} after, 0 from epoch {@code epochs} on.
     */
    public static double skipFraction(int epoch, int epochs, double start) {
        if (epoch < 0 || epochs < 1) throw new IllegalArgumentException("epoch " + epoch + " of " + epochs + ": need epoch >= 0 and epochs >= 1");
        if (epoch == 0 || epoch >= epochs) return 0;
        return start * (1 - (double) (epoch - 1) / (epochs - 1));
    }

    /**
     * The training pairs kept in {@code epoch}: all but the {@link #skipFraction} of them with the
     * lowest confidence ({@link DsNetTrainer#select}: {@code floor(fraction * n)} pairs, ties by
     * index); pairs without a score yet (NaN) count as most confident.
     *
     * @param confidence DS-Net confidence of each training pair [n]
     * @return kept indices, ascending
     */
    public static int[] kept(double[] confidence, int epoch, int epochs, double start) {
        double[] c = confidence.clone();
        for (int i = 0; i < c.length; i++) if (Double.isNaN(c[i])) c[i] = Double.POSITIVE_INFINITY;
        return DsNetTrainer.select(c, skipFraction(epoch, epochs, start));
    }

    /** Process CPU time in ns (all threads), or 0 where the JVM does not report it. */
    static long cpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    private static int[] allIndices(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }
}
