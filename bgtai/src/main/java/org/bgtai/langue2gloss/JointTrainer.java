package org.bgtai.langue2gloss;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.bgtai.autograd.Var;
import org.bgtai.metrics.Metrics;
import org.bgtai.metrics.Wer;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.optim.Grads;
import org.bgtai.nn.optim.LrSchedule;
import org.bgtai.nn.optim.OptimizerState;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;
import org.bgtai.text.Tokenizer;
import org.bgtai.nn.train.ProgressBar;

/**
 * Trains a {@link Langue2Gloss} model on in-memory examples of one or more modalities that share
 * the encoder (e.g. spoken digit strings as log-mel and the same strings as text). Every step
 * takes one batch of every {@link Task} and minimises
 * <pre>
 *   L = sum_k w_k * CE_k(teacher-forced gloss | task k's batch)       ({@link Trainer#loss})
 * </pre>
 * with AdamW, warm-up + schedule and global-norm clipping, as {@link Trainer} does for PHOENIX. The
 * first task defines the epoch (its examples in length-sorted buckets, seeded order); the other
 * tasks cycle through their own seeded batches.
 *
 * <p>After every epoch: greedy decoding of the validation sources, validation sequence accuracy
 * (exact match) and WER; the best epoch (highest accuracy, then lowest WER) is written to
 * {@code best.safetensors}; an atomic checkpoint holds weights, optimizer state and the history;
 * training stops early after {@code patience} epochs without improvement. Like {@link Trainer},
 * the shuffle and dropout of an epoch are seeded from {@code (seed, epoch)} and the model is
 * rebuilt around the current weights, so {@code resume} continues exactly where a run stopped.
 * The folder is a {@link ModelDir} ({@link ModelDir#load} reads it back).
 */
public final class JointTrainer {
    /**
     * One kind of training example.
     * @param name    label in logs and history ("audio", "text")
     * @param sources encoder inputs
     * @param glosses gloss ids of each source (no specials)
     * @param weight  loss weight {@code w_k}
     */
    public record Task(String name, Sources sources, int[][] glosses, float weight) {
        public Task {
            if (sources.size() != glosses.length)
                throw new IllegalArgumentException("task " + name + ": " + sources.size() + " sources but " + glosses.length + " gloss sequences");
            if (sources.size() == 0) throw new IllegalArgumentException("task " + name + " has no examples");
        }
    }

    /**
     * @param out folder for config, vocabularies, checkpoint and best weights
     * @param patience stop after this many epochs without a better validation score (0 = never)
     * @param minutes wall-clock budget (0 = none); an epoch is not started when it would not fit
     */
    public record Options(Path out, int epochs, int batch, double lr, int warmup, String schedule, float labelSmoothing, double clip,
                          double weightDecay, long seed, boolean resume, int patience, double minutes) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", epochs);
            m.put("batch", batch);
            m.put("lr", lr);
            m.put("warmup", warmup);
            m.put("schedule", schedule);
            m.put("label_smoothing", Double.parseDouble(Float.toString(labelSmoothing)));
            m.put("clip", clip);
            m.put("weight_decay", weightDecay);
            m.put("seed", seed);
            m.put("patience", patience);
            m.put("minutes", minutes);
            return m;
        }
    }

    /** What a run did: this invocation's step losses (summed over tasks), per-epoch history, best validation accuracy. */
    public record Result(List<Float> stepLosses, List<Map<String, Object>> history, double bestValAccuracy, double bestValWer, int bestEpoch,
                         double seconds) {}

    private JointTrainer() {}

    /**
     * Trains (or resumes) a model.
     * @param init applied to a freshly initialised model only (e.g. setting the log-mel statistics); its effect is saved with the weights
     * @param val validation sources, decoded greedily after every epoch
     * @param valRefs their reference gloss strings
     * @param src text tokenizer (saved with the model)
     * @param tgt gloss tokenizer
     */
    @SuppressWarnings("unchecked")
    public static Result train(L2GConfig cfg, Consumer<Langue2Gloss> init, List<Task> tasks, Sources val, List<String> valRefs,
                               Tokenizer src, Tokenizer tgt, Options o, PrintStream log) throws IOException {
        if (tasks.isEmpty()) throw new IllegalArgumentException("no training task given");
        if (val.size() != valRefs.size()) throw new IllegalArgumentException(val.size() + " validation sources but " + valRefs.size() + " references");
        long t0 = System.nanoTime();
        ModelDir dir = new ModelDir(o.out());
        Path ckpt = dir.file(ModelDir.CHECKPOINT);
        Map<String, Tensor> weights;
        OptimizerState optState = null;
        int startEpoch = 1, bestEpoch = 0;
        double bestAcc = -1, bestWer = Double.POSITIVE_INFINITY, priorSeconds = 0;
        List<Map<String, Object>> history = new ArrayList<>();
        if (o.resume() && Files.exists(ckpt)) {
            L2GConfig saved = dir.modelConfig();
            if (!saved.equals(cfg)) throw new IllegalArgumentException("resume: " + dir.file(ModelDir.CONFIG) + " holds " + saved + ", not " + cfg);
            ModelDir.Weights w = ModelDir.readWeights(ckpt, src, tgt);
            weights = w.model();
            optState = w.optimizer();
            Map<String, Object> st = (Map<String, Object>) Json.parse(w.metadata().get("state"));
            if (((Number) st.get("seed")).longValue() != o.seed())
                throw new IllegalArgumentException("resume: checkpoint " + ckpt + " was trained with seed " + st.get("seed") + ", not " + o.seed());
            startEpoch = ((Number) st.get("epoch")).intValue() + 1;
            bestAcc = ((Number) st.get("best_val_accuracy")).doubleValue();
            bestWer = ((Number) st.get("best_val_wer")).doubleValue();
            bestEpoch = ((Number) st.get("best_epoch")).intValue();
            priorSeconds = ((Number) st.get("seconds")).doubleValue();
            history.addAll((List<Map<String, Object>>) st.get("history"));
            log.printf(Locale.ROOT, "resuming from %s after epoch %d%n", ckpt, startEpoch - 1);
        } else {
            dir.writeSetup(cfg, o.toJson(), src, tgt);
            Langue2Gloss fresh = new Langue2Gloss(cfg, new Rng(o.seed()));
            init.accept(fresh);
            weights = fresh.stateDict();
        }
        Task main = tasks.get(0);
        int batchesPerEpoch = (main.sources().size() + o.batch() - 1) / o.batch();
        LrSchedule sched = Trainer.schedule(o.schedule(), o.lr(), o.warmup(), (long) o.epochs() * batchesPerEpoch);
        Search search = Search.greedy(64);
        List<Float> losses = new ArrayList<>();
        double budget = o.minutes() > 0 ? o.minutes() * 60 : Double.POSITIVE_INFINITY, lastEpochSeconds = 0;
        for (int epoch = startEpoch; epoch <= o.epochs(); epoch++) {
            double elapsed = (System.nanoTime() - t0) / 1e9;
            if (elapsed + lastEpochSeconds * 1.05 > budget) {
                log.printf(Locale.ROOT, "stopping before epoch %d: %.1f of %.1f minutes used%n", epoch, elapsed / 60, budget / 60);
                break;
            }
            if (o.patience() > 0 && bestEpoch > 0 && epoch - 1 - bestEpoch >= o.patience()) {
                log.printf(Locale.ROOT, "early stop before epoch %d: no better validation score since epoch %d%n", epoch, bestEpoch);
                break;
            }
            long e0 = System.nanoTime();
            long seed = Trainer.epochSeed(o.seed(), epoch);
            Langue2Gloss model = new Langue2Gloss(cfg, new Rng(seed));
            ModelDir.loadInto(model, weights, ckpt);
            model.train(true);
            AdamW opt = new AdamW(model.trainableParameters(), o.lr(), 0.9, 0.98, 1e-9, o.weightDecay());
            if (optState != null) opt.loadState(optState);
            List<List<int[]>> batches = new ArrayList<>();
            for (int k = 0; k < tasks.size(); k++) batches.add(Trainer.batches(lengths(tasks.get(k).sources()), o.batch(), new Rng(seed ^ (0x5DEECE66DL + k))));
            double[] taskLoss = new double[tasks.size()];
            int steps = batches.get(0).size();
            try (var bar = new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", epoch, o.epochs()), steps, "batch", log)) {
                for (int s = 0; s < steps; s++) {
                    opt.setLr(sched.lr(opt.stepCount()));
                    opt.zeroGrad();
                    Var total = null;
                    for (int k = 0; k < tasks.size(); k++) {
                        Task task = tasks.get(k);
                        int[] b = batches.get(k).get(s % batches.get(k).size());
                        int[][] g = new int[b.length][];
                        for (int j = 0; j < b.length; j++) g[j] = task.glosses()[b[j]];
                        Var l = Trainer.loss(model, task.sources().batch(b), g, o.labelSmoothing());
                        taskLoss[k] += l.item();
                        Var wl = l.mul(task.weight());
                        total = total == null ? wl : total.add(wl);
                    }
                    total.backward();
                    if (o.clip() > 0) Grads.clipGlobalNorm(model.parameters(), o.clip());
                    opt.step();
                    float lv = total.item();
                    if (!Float.isFinite(lv)) throw new ArithmeticException("training loss became " + lv + " at step " + opt.stepCount() + "; lower the learning rate or raise the warm-up");
                    losses.add(lv);
                    bar.step(1, "loss %.3f  lr %.2e", lv, opt.lr());
                }
            }
            weights = model.stateDict();
            optState = opt.state();
            List<String> hyp = Evaluation.translate(model, val, tgt, search, 64);
            double acc = Evaluation.exactMatch(hyp, valRefs);
            double wer = Wer.corpus(Metrics.tokenize(hyp), Metrics.tokenize(valRefs));
            boolean best = acc > bestAcc || (acc == bestAcc && wer < bestWer);
            if (best) {
                bestAcc = acc;
                bestWer = wer;
                bestEpoch = epoch;
            }
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("epoch", epoch);
            h.put("step", opt.stepCount());
            for (int k = 0; k < tasks.size(); k++) h.put("train_loss_" + tasks.get(k).name(), Evaluation.round(taskLoss[k] / steps * 100) / 100);
            h.put("val_accuracy", Evaluation.round(acc));
            h.put("val_wer", Evaluation.round(wer));
            lastEpochSeconds = (System.nanoTime() - e0) / 1e9;
            h.put("epoch_seconds", Math.round(lastEpochSeconds * 10) / 10.0);
            history.add(h);
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("epoch", epoch);
            st.put("step", opt.stepCount());
            st.put("seed", o.seed());
            st.put("best_val_accuracy", bestAcc);
            st.put("best_val_wer", bestWer);
            st.put("best_epoch", bestEpoch);
            st.put("seconds", priorSeconds + (System.nanoTime() - t0) / 1e9);
            st.put("history", history);
            if (best) ModelDir.saveWeights(dir.file(ModelDir.BEST), weights, null, src, tgt, Map.of("epoch", Integer.toString(epoch), "state", Json.write(st)));
            ModelDir.saveWeights(ckpt, weights, optState, src, tgt, Map.of("state", Json.write(st)));
            AtomicFiles.writeString(dir.file("history.json"), Json.writePretty(history));
            StringBuilder tl = new StringBuilder();
            for (int k = 0; k < tasks.size(); k++) tl.append(String.format(Locale.ROOT, "%s %.4f ", tasks.get(k).name(), taskLoss[k] / steps));
            log.printf(Locale.ROOT, "epoch %d: train loss %sval accuracy %.2f%% WER %.2f%s, %.0f s%n", epoch, tl, acc, wer, best ? " *best*" : "", lastEpochSeconds);
        }
        return new Result(losses, history, bestAcc, bestWer, bestEpoch, (System.nanoTime() - t0) / 1e9);
    }

    private static int[] lengths(Sources s) {
        int[] l = new int[s.size()];
        for (int i = 0; i < l.length; i++) l[i] = s.length(i);
        return l;
    }
}
