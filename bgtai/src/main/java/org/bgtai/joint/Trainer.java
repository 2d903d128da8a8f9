package org.bgtai.joint;

import org.bgtai.model.Embeddings;
import org.bgtai.model.MelAugment;
import org.bgtai.model.ModelIO;
import org.bgtai.nn.train.Checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.metrics.Retrieval;
import org.bgtai.model.Batch;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.optim.Grads;
import org.bgtai.nn.optim.LrSchedule;
import org.bgtai.nn.optim.Schedules;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.Json;
import org.bgtai.tensor.io.Safetensors;
import org.bgtai.nn.train.ProgressBar;

/**
 * Trains a {@link JointModel} with AdamW (warm-up + cosine schedule, gradient clipping), shows a
 * progress bar (loss, samples/s, ETA), evaluates audio->image R@1 on the validation set after
 * every epoch and writes an atomic checkpoint ({@code checkpoint.safetensors}: weights under
 * {@code model.*}, optimizer state under {@code optim.*}, and in the metadata the epoch, the
 * optimizer step, the shuffling RNG state and the history), from which {@link #fit} resumes.
 *
 * <pre>{@code
 * Trainer t = new Trainer(model, cfg, train, val, 32, 32, Path.of("runs/x"));
 * List<Trainer.Epoch> h = t.fit(true);   // resumes when runs/x/checkpoint.safetensors exists
 * }</pre>
 */
public final class Trainer {
    public static final String CHECKPOINT = "checkpoint.safetensors";

    /** One finished epoch: mean losses, validation audio->image R@1 and wall-clock seconds. */
    public record Epoch(int epoch, double loss, double infoNce, double gloss, double valR1, double seconds) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("loss", loss);
            m.put("info_nce", infoNce);
            m.put("gloss_ce", gloss);
            m.put("val_R@1", Double.isNaN(valR1) ? null : valR1);
            m.put("seconds", seconds);
            return m;
        }
    }

    private final JointModel model;
    private final TrainConfig cfg;
    private final Prepared[] train, val;
    private final int height, width;
    private final Path dir;
    private final AdamW opt;
    private final LrSchedule schedule;
    private final int stepsPerEpoch;
    private Rng rng;
    private final List<Epoch> history = new ArrayList<>();
    private int startEpoch = 1;
    /** Stop after this many epochs in this call (tests simulate an interruption); 0 = all. */
    private int stopAfter;
    private boolean quiet;
    private MelAugment augment;
    private int bucket;

    /** @param dir checkpoint folder, or null for none */
    public Trainer(JointModel model, TrainConfig cfg, Prepared[] train, Prepared[] val, int height, int width, Path dir) {
        if (train.length < cfg.batchSize())
            throw new IllegalArgumentException("training set has " + train.length + " samples, fewer than one batch of " + cfg.batchSize());
        this.model = model;
        this.cfg = cfg;
        this.train = train;
        this.val = val;
        this.height = height;
        this.width = width;
        this.dir = dir;
        this.opt = optimizer(model.trainableParameters(), cfg);
        this.stepsPerEpoch = train.length / cfg.batchSize();
        this.schedule = schedule(cfg, (long) stepsPerEpoch * cfg.epochs());
        this.rng = new Rng(cfg.seed());
    }

    /** The joint trainers' AdamW: betas (0.9, 0.98), eps 1e-8, the config's learning rate and weight decay. */
    public static AdamW optimizer(Map<String, org.bgtai.nn.Parameter> params, TrainConfig cfg) {
        return new AdamW(params, cfg.lr(), 0.9, 0.98, 1e-8, cfg.weightDecay());
    }

    /** Linear warm-up (at most half of the run) and cosine decay to lr / 20 over {@code total} steps. */
    public static LrSchedule schedule(TrainConfig cfg, long total) {
        return Schedules.warmupCosine(cfg.lr(), Math.min(cfg.warmupSteps(), total / 2), total, cfg.lr() / 20);
    }

    /**
     * One optimisation step on a batch loss: stops with an error naming the epoch (1-based), step
     * and fix when the loss is not finite; otherwise backward, global-norm clipping, AdamW at the
     * scheduled learning rate.
     *
     * @return the loss value
     */
    public static float step(org.bgtai.autograd.Var loss, AdamW opt, LrSchedule schedule, TrainConfig cfg, int epoch, int step) {
        float v = loss.item();
        if (!Float.isFinite(v))
            throw new ArithmeticException("training loss became " + v + " at epoch " + epoch + " step " + step + "; lower the learning rate (now " + cfg.lr() + ")");
        opt.setLr(schedule.lr(opt.stepCount()));
        opt.zeroGrad();
        loss.backward();
        if (cfg.clipNorm() > 0) Grads.clipGlobalNorm(opt.parameters(), cfg.clipNorm());
        opt.step();
        return v;
    }

    public Trainer stopAfter(int epochs) {
        this.stopAfter = epochs;
        return this;
    }

    /** Augments every training batch's log-mel (null = off). */
    public Trainer augment(MelAugment a) {
        this.augment = a;
        return this;
    }

    /**
     * Groups samples of similar length into batches: the epoch's permutation is cut into chunks
     * of {@code chunkBatches} batches, each chunk sorted by log-mel length, and the batches then
     * visited in random order. Saves the padding that one long digit string would force on a
     * whole batch of single digits. 0 = off (plain shuffling).
     */
    public Trainer bucketed(int chunkBatches) {
        if (chunkBatches < 0) throw new IllegalArgumentException("chunkBatches must be >= 0, got " + chunkBatches);
        this.bucket = chunkBatches;
        return this;
    }

    /** The epoch's sample order: a permutation, bucketed by length when {@link #bucketed} is on. */
    private int[] order() {
        int[] perm = rng.permutation(train.length);
        if (bucket == 0) return perm;
        int bs = cfg.batchSize(), chunk = bs * bucket;
        Integer[] boxed = new Integer[perm.length];
        for (int i = 0; i < perm.length; i++) boxed[i] = perm[i];
        for (int lo = 0; lo < boxed.length; lo += chunk)
            java.util.Arrays.sort(boxed, lo, Math.min(boxed.length, lo + chunk), java.util.Comparator.comparingInt(i -> train[i].frames()));
        int[] batches = rng.permutation(stepsPerEpoch);
        int[] out = new int[perm.length];
        for (int s = 0; s < stepsPerEpoch; s++)
            for (int j = 0; j < bs; j++) out[s * bs + j] = boxed[batches[s] * bs + j];
        return out;
    }

    public Trainer quiet(boolean q) {
        this.quiet = q;
        return this;
    }

    public List<Epoch> history() {
        return List.copyOf(history);
    }

    public AdamW optimizer() {
        return opt;
    }

    /**
     * Trains the remaining epochs.
     *
     * @param resume continue from {@code dir/checkpoint.safetensors} when it exists
     * @return the history of all epochs (including resumed ones)
     */
    public List<Epoch> fit(boolean resume) throws IOException {
        if (resume && dir != null && Files.exists(dir.resolve(CHECKPOINT))) load(dir.resolve(CHECKPOINT));
        ModelConfig c = model.config();
        int done = 0;
        for (int epoch = startEpoch; epoch <= cfg.epochs(); epoch++) {
            if (stopAfter > 0 && done == stopAfter) break;
            long t0 = System.nanoTime();
            int[] perm = order();
            double sum = 0, sumInfo = 0, sumGloss = 0;
            model.train(true);
            try (var bar = new ProgressBar(String.format("epoch %d/%d", epoch, cfg.epochs()), (long) stepsPerEpoch * cfg.batchSize(), "samples",
                quiet ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : System.err)) {
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int[] idx = java.util.Arrays.copyOfRange(perm, s * cfg.batchSize(), (s + 1) * cfg.batchSize());
                    Batch b = Batch.of(train, idx, c.nMels(), c.imageChannels(), height, width);
                    if (augment != null) b = augment.apply(b, rng);
                    JointModel.Losses l = model.loss(b);
                    float loss = step(l.total(), opt, schedule, cfg, epoch, s);
                    sum += loss;
                    sumInfo += l.infoNce();
                    sumGloss += l.gloss();
                    bar.step(cfg.batchSize(), "loss %.3f  T %.3f", sum / (s + 1), model.temperature());
                }
            }
            double r1 = Double.NaN;
            if (val != null && val.length > 1) {
                Embeddings e = Embeddings.of(model, val, height, width, 64);
                r1 = Retrieval.retrieve(e.audio(), e.labels(), e.image(), e.labels()).r1();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            history.add(new Epoch(epoch, sum / stepsPerEpoch, sumInfo / stepsPerEpoch, sumGloss / stepsPerEpoch, r1, secs));
            if (!quiet) System.err.printf(java.util.Locale.ROOT, "epoch %d: loss %.4f, val audio->image R@1 %.3f (%.1f s)%n", epoch, sum / stepsPerEpoch, r1, secs);
            startEpoch = epoch + 1;
            done++;
            if (dir != null) save(dir.resolve(CHECKPOINT), epoch);
        }
        return history();
    }

    /** Writes the checkpoint atomically ({@link Checkpoint}: weights, optimizer, RNG, epoch, history, model config). */
    public void save(Path file, int epoch) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        List<Object> h = new ArrayList<>();
        for (Epoch e : history) h.add(e.toMap());
        meta.put("history", Json.write(h));
        meta.putAll(ModelIO.metadata(model));
        Checkpoint.save(file, model, opt, rng, epoch, meta);
    }

    private void load(Path file) throws IOException {
        Checkpoint.Info info;
        try {
            info = Checkpoint.load(file, model, opt);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + "; delete it or train with the same config", e);
        }
        rng = info.rng();
        history.clear();
        for (Object x : (List<?>) Json.parse(info.metadata().get("history"))) {
            Map<?, ?> e = (Map<?, ?>) x;
            history.add(new Epoch(((Number) e.get("epoch")).intValue(), num(e.get("loss")), num(e.get("info_nce")), num(e.get("gloss_ce")),
                num(e.get("val_R@1")), num(e.get("seconds"))));
        }
        startEpoch = info.epoch() + 1;
        if (!quiet) System.err.println("resumed from " + file + " after epoch " + info.epoch());
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
