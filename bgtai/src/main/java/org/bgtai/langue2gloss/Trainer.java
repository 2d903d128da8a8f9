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
import org.bgtai.autograd.Var;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.nn.optim.Grads;
import org.bgtai.nn.optim.LrSchedule;
import org.bgtai.nn.optim.OptimizerState;
import org.bgtai.nn.optim.Schedules;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;
import org.bgtai.text.BpeTokenizer;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.bgtai.nn.train.ProgressBar;

/**
 * Trains a {@link Langue2Gloss} model on a text-to-gloss corpus: teacher forcing, cross-entropy
 * with label smoothing (padding ignored), AdamW with linear warm-up then inverse-square-root or
 * cosine decay, global gradient-norm clipping, dropout. Sentences are batched by similar source
 * length (buckets of 50 batches from a seeded shuffle, batch order shuffled).
 *
 * <p>After every epoch: greedy decoding of the dev split, dev BLEU-4 (model selection: the best
 * epoch's weights go to {@code best.safetensors}), and an atomic checkpoint with weights,
 * optimizer state, epoch/step and the history. Reproducibility: the epoch's shuffle and every
 * dropout generator are seeded from {@code (seed, epoch)} at the start of the epoch (the model is
 * rebuilt around the current weights), so an epoch depends only on the checkpoint it starts from;
 * {@code --resume} therefore continues bit for bit as if never interrupted.
 */
public final class Trainer {
    /** Training options (the CLI's flags). */
    public record Options(Path data, Path out, int epochs, double minutes, int batch, double lr, int warmup, String schedule,
                          float labelSmoothing, double clip, double weightDecay, long seed, boolean resume,
                          int dModel, int heads, int ffDim, int encoderLayers, int decoderLayers, float dropout, boolean tie,
                          String srcTokenizer, String tgtTokenizer, int minCount, int bpeMerges, int average, int trainLimit, int devLimit) {
        /** Defaults: the PHOENIX-2014T recipe. */
        public static Options defaults(Path data, Path out) {
            return new Options(data, out, 30, 0, 32, 5e-4, 1000, "inverse-sqrt", 0.1f, 1.0, 0.01, 1, false,
                256, 4, 1024, 3, 3, 0.3f, true, "word", "word", 1, 2000, 5, 0, 0);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("data", data.toString());
            m.put("epochs", epochs);
            m.put("minutes", minutes);
            m.put("batch", batch);
            m.put("lr", lr);
            m.put("warmup", warmup);
            m.put("schedule", schedule);
            m.put("label_smoothing", Double.parseDouble(Float.toString(labelSmoothing)));
            m.put("clip", clip);
            m.put("weight_decay", weightDecay);
            m.put("seed", seed);
            m.put("src_tokenizer", srcTokenizer);
            m.put("tgt_tokenizer", tgtTokenizer);
            m.put("min_count", minCount);
            m.put("bpe_merges", bpeMerges);
            m.put("average", average);
            m.put("train_limit", trainLimit);
            m.put("dev_limit", devLimit);
            return m;
        }
    }

    /** What a run did: per-step losses of this invocation, per-epoch history, best dev BLEU-4. */
    public record Result(List<Float> stepLosses, List<Map<String, Object>> history, double bestDevBleu4, int bestEpoch, double seconds, double tokensPerSecond) {}

    private Trainer() {}

    static Tokenizer buildTokenizer(String kind, List<String> lines, boolean lowercase, Options o) {
        return switch (kind) {
            case "word" -> WordTokenizer.train(lines, o.minCount(), lowercase);
            case "bpe" -> BpeTokenizer.train(lines, o.bpeMerges(), lowercase);
            default -> throw new IllegalArgumentException("unknown tokenizer '" + kind + "'; use word or bpe");
        };
    }

    static long epochSeed(long seed, int epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 31)) * 0xD6E8FEB86659FD93L;
        return z ^ (z >>> 32);
    }

    static LrSchedule schedule(Options o, long totalSteps) {
        return schedule(o.schedule(), o.lr(), o.warmup(), totalSteps);
    }

    /** Linear warm-up over {@code warmup} steps, then inverse-sqrt, cosine (to 2% of {@code lr} at {@code totalSteps}) or constant. */
    static LrSchedule schedule(String kind, double lr, int warmup, long totalSteps) {
        return switch (kind) {
            case "inverse-sqrt" -> s -> lr * Math.min((s + 1.0) / warmup, Math.sqrt((double) warmup / (s + 1.0)));
            case "cosine" -> Schedules.warmupCosine(lr, warmup, Math.max(totalSteps, warmup + 1), lr * 0.02);
            case "constant" -> s -> lr * Math.min(1.0, (s + 1.0) / warmup);
            default -> throw new IllegalArgumentException("unknown schedule '" + kind + "'; use inverse-sqrt, cosine or constant");
        };
    }

    /** Batches of example indices: seeded shuffle, buckets sorted by source length, shuffled batch order. */
    static List<int[]> batches(int[][] src, int batch, Rng rng) {
        int[] len = new int[src.length];
        for (int i = 0; i < len.length; i++) len[i] = src[i].length;
        return batches(len, batch, rng);
    }

    /** Batches of example indices by source {@code lengths}: seeded shuffle, buckets of 50 batches sorted by length, shuffled batch order. */
    static List<int[]> batches(int[] lengths, int batch, Rng rng) {
        int n = lengths.length;
        int[] perm = rng.permutation(n);
        List<int[]> out = new ArrayList<>();
        int bucket = batch * 50;
        for (int lo = 0; lo < n; lo += bucket) {
            int hi = Math.min(n, lo + bucket);
            Integer[] chunk = new Integer[hi - lo];
            for (int i = lo; i < hi; i++) chunk[i - lo] = perm[i];
            java.util.Arrays.sort(chunk, (a, b) -> Integer.compare(lengths[a], lengths[b]));
            for (int i = 0; i < chunk.length; i += batch) {
                int[] bi = new int[Math.min(batch, chunk.length - i)];
                for (int j = 0; j < bi.length; j++) bi[j] = chunk[i + j];
                out.add(bi);
            }
        }
        int[] order = rng.permutation(out.size());
        List<int[]> shuffled = new ArrayList<>();
        for (int i : order) shuffled.add(out.get(i));
        return shuffled;
    }

    /**
     * Teacher-forced cross-entropy (label smoothing {@code ls}, padding ignored) of a batch: the decoder
     * reads {@code <bos> g_1 .. g_m} and must predict {@code g_1 .. g_m <eos>}.
     * @param input encoder input of {@code B} rows (any modality)
     * @param glosses [B][m_i] gloss ids without specials
     * @return the mean loss (a scalar to call {@code backward()} on)
     */
    public static Var loss(Langue2Gloss model, EncoderInput input, int[][] glosses, float ls) {
        int b = glosses.length, tl = 0;
        if (input.batch() != b) throw new IllegalArgumentException(input.batch() + " encoder rows for " + b + " gloss sequences");
        for (int[] g : glosses) tl = Math.max(tl, g.length + 1);
        int[] in = new int[b * tl], outIds = new int[b * tl];
        for (int j = 0; j < b; j++) {
            int[] g = glosses[j];
            in[j * tl] = Tokenizer.BOS;
            for (int t = 0; t < g.length; t++) {
                in[j * tl + t + 1] = g[t];
                outIds[j * tl + t] = g[t];
            }
            outIds[j * tl + g.length] = Tokenizer.EOS;
        }
        Var logits = model.forward(input, IntTensor.of(in, b, tl));
        return CrossEntropy.loss(logits, IntTensor.of(outIds, b, tl), ls, Tokenizer.PAD);
    }

    /** Runs training (or resumes it) and returns what happened; messages go to {@code log}. */
    @SuppressWarnings("unchecked")
    public static Result train(Options o, PrintStream log) throws IOException {
        long t0 = System.nanoTime();
        ParallelCorpus train = ParallelCorpus.load(o.data(), "train"), dev = ParallelCorpus.load(o.data(), "dev");
        if (o.trainLimit() > 0) train = train.head(o.trainLimit());
        if (o.devLimit() > 0) dev = dev.head(o.devLimit());
        ModelDir dir = new ModelDir(o.out());
        Path ckpt = dir.file(ModelDir.CHECKPOINT);
        Tokenizer srcTok, tgtTok;
        L2GConfig cfg;
        Map<String, Tensor> weights;
        OptimizerState optState = null;
        int startEpoch = 1;
        double bestBleu = -1, priorSeconds = 0;
        int bestEpoch = 0;
        List<Map<String, Object>> history = new ArrayList<>();
        if (o.resume() && Files.exists(ckpt)) {
            cfg = dir.modelConfig();
            srcTok = dir.sourceTokenizer();
            tgtTok = dir.targetTokenizer();
            ModelDir.Weights w = ModelDir.readWeights(ckpt, srcTok, tgtTok);
            weights = w.model();
            optState = w.optimizer();
            Map<String, Object> st = (Map<String, Object>) Json.parse(w.metadata().get("state"));
            startEpoch = ((Number) st.get("epoch")).intValue() + 1;
            bestBleu = ((Number) st.get("best_dev_bleu4")).doubleValue();
            bestEpoch = ((Number) st.get("best_epoch")).intValue();
            priorSeconds = ((Number) st.get("seconds")).doubleValue();
            if (((Number) st.get("seed")).longValue() != o.seed())
                throw new IllegalArgumentException("--resume: checkpoint " + ckpt + " was trained with seed " + st.get("seed") + ", not " + o.seed());
            history.addAll((List<Map<String, Object>>) st.get("history"));
            log.printf(Locale.ROOT, "resuming from %s after epoch %d (step %d)%n", ckpt, startEpoch - 1, optState == null ? 0 : optState.step());
        } else {
            if (o.resume()) log.println("--resume: no checkpoint in " + o.out() + ", starting fresh");
            srcTok = buildTokenizer(o.srcTokenizer(), train.source(), true, o);
            tgtTok = buildTokenizer(o.tgtTokenizer(), train.target(), false, o);
            cfg = new L2GConfig(srcTok.size(), tgtTok.size(), o.dModel(), o.heads(), o.ffDim(), o.encoderLayers(), o.decoderLayers(),
                o.dropout(), o.tie(), 256);
            dir.writeSetup(cfg, o.toJson(), srcTok, tgtTok);
            weights = new Langue2Gloss(cfg, new Rng(o.seed())).stateDict();
        }
        int n = train.size();
        int[][] src = new int[n][], tgt = new int[n][];
        for (int i = 0; i < n; i++) {
            src[i] = srcTok.encode(train.source().get(i));
            tgt[i] = tgtTok.encode(train.target().get(i));
            if (src[i].length + 1 > cfg.maxLen() || tgt[i].length + 1 > cfg.maxLen())
                throw new IllegalArgumentException(train.sourceFile() + ":" + (i + 1) + ": sentence longer than the model maximum " + cfg.maxLen());
        }
        int batchesPerEpoch = (n + o.batch() - 1) / o.batch();
        LrSchedule sched = schedule(o, (long) o.epochs() * batchesPerEpoch);
        long params = new Langue2Gloss(cfg, new Rng(0)).numParameters();
        log.printf(Locale.ROOT, "Langue2Gloss: %,d parameters, vocab %d -> %d, %d train / %d dev sentences, %d batches/epoch%n",
            params, cfg.srcVocab(), cfg.tgtVocab(), n, dev.size(), batchesPerEpoch);
        Search devSearch = Search.greedy(100);
        List<Float> losses = new ArrayList<>();
        long tokens = 0;
        double trainSeconds = 0;
        double budget = o.minutes() > 0 ? o.minutes() * 60 : Double.POSITIVE_INFINITY;
        double lastEpochSeconds = 0;
        for (int epoch = startEpoch; epoch <= o.epochs(); epoch++) {
            double elapsed = (System.nanoTime() - t0) / 1e9;
            if (elapsed + lastEpochSeconds * 1.05 > budget) {
                log.printf(Locale.ROOT, "stopping before epoch %d: %.1f of %.1f minutes used, an epoch takes %.1f%n", epoch, elapsed / 60, budget / 60, lastEpochSeconds / 60);
                break;
            }
            long e0 = System.nanoTime();
            long seed = epochSeed(o.seed(), epoch);
            Langue2Gloss model = new Langue2Gloss(cfg, new Rng(seed));
            ModelDir.loadInto(model, weights, ckpt);
            model.train(true);
            AdamW opt = new AdamW(model.trainableParameters(), o.lr(), 0.9, 0.98, 1e-9, o.weightDecay());
            if (optState != null) opt.loadState(optState);
            List<int[]> bs = batches(src, o.batch(), new Rng(seed ^ 0x5DEECE66DL));
            double lossSum = 0;
            long epochTokens = 0;
            try (var bar = new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", epoch, o.epochs()), bs.size(), "batch", log)) {
                for (int[] b : bs) {
                    int[][] bsrc = new int[b.length][], btgt = new int[b.length][];
                    int count = 0;
                    for (int j = 0; j < b.length; j++) {
                        bsrc[j] = src[b[j]];
                        btgt[j] = tgt[b[j]];
                        count += bsrc[j].length + btgt[j].length + 1;
                    }
                    opt.setLr(sched.lr(opt.stepCount()));
                    opt.zeroGrad();
                    Var loss = loss(model, EncoderInput.Text.of(bsrc), btgt, o.labelSmoothing());
                    loss.backward();
                    if (o.clip() > 0) Grads.clipGlobalNorm(model.parameters(), o.clip());
                    opt.step();
                    float l = loss.item();
                    if (!Float.isFinite(l)) throw new ArithmeticException("training loss became " + l + " at step " + opt.stepCount() + "; lower --lr or raise --warmup");
                    losses.add(l);
                    lossSum += l;
                    epochTokens += count;
                    double secs = (System.nanoTime() - e0) / 1e9;
                    bar.step(1, "loss %.3f  %.0f tok/s  lr %.2e", l, epochTokens / secs, opt.lr());
                }
            }
            double trainSecs = (System.nanoTime() - e0) / 1e9;
            trainSeconds += trainSecs;
            tokens += epochTokens;
            weights = model.stateDict();
            optState = opt.state();
            Evaluation.Scores ds = Evaluation.evaluate(model, srcTok, tgtTok, dev, devSearch, 64);
            boolean best = ds.bleu4() > bestBleu;
            if (best) {
                bestBleu = ds.bleu4();
                bestEpoch = epoch;
            }
            double total = priorSeconds + (System.nanoTime() - t0) / 1e9;
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("epoch", epoch);
            h.put("step", opt.stepCount());
            h.put("train_loss", Evaluation.round(lossSum / bs.size() * 100) / 100);
            h.put("dev_bleu4", Evaluation.round(ds.bleu4()));
            h.put("dev_bleu1", Evaluation.round(ds.bleu()[0]));
            h.put("tokens_per_s", Math.round(epochTokens / trainSecs));
            h.put("epoch_seconds", Math.round((System.nanoTime() - e0) / 1e8) / 10.0);
            history.add(h);
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("epoch", epoch);
            st.put("step", opt.stepCount());
            st.put("seed", o.seed());
            st.put("best_dev_bleu4", bestBleu);
            st.put("best_epoch", bestEpoch);
            st.put("seconds", total);
            st.put("params", params);
            st.put("history", history);
            Map<String, String> meta = Map.of("state", Json.write(st));
            if (best) ModelDir.saveWeights(dir.file(ModelDir.BEST), weights, null, srcTok, tgtTok,
                Map.of("epoch", Integer.toString(epoch), "dev_bleu4", Double.toString(bestBleu), "state", Json.write(st)));
            if (o.average() > 1) {
                ModelDir.saveWeights(dir.file("epoch-" + epoch + ".safetensors"), weights, null, srcTok, tgtTok, Map.of("epoch", Integer.toString(epoch)));
                Files.deleteIfExists(dir.file("epoch-" + (epoch - o.average()) + ".safetensors"));
            }
            ModelDir.saveWeights(ckpt, weights, optState, srcTok, tgtTok, meta);
            AtomicFiles.writeString(dir.file("history.json"), Json.writePretty(history));
            lastEpochSeconds = (System.nanoTime() - e0) / 1e9;
            log.printf(Locale.ROOT, "epoch %d: train loss %.4f, dev BLEU-4 %.2f (BLEU-1 %.2f)%s, %.0f tokens/s, %.0f s%n", epoch, lossSum / bs.size(),
                ds.bleu4(), ds.bleu()[0], best ? " *best*" : "", epochTokens / trainSecs, lastEpochSeconds);
        }
        if (o.average() > 1 && !history.isEmpty()) bestBleu = tryAverage(dir, cfg, srcTok, tgtTok, dev, devSearch, o.average(), bestBleu, log);
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Result(losses, history, bestBleu, bestEpoch, secs, trainSeconds > 0 ? tokens / trainSeconds : 0);
    }

    /** Averages the last k epoch weights; keeps the average as best.safetensors when its dev BLEU-4 is higher. */
    private static double tryAverage(ModelDir dir, L2GConfig cfg, Tokenizer srcTok, Tokenizer tgtTok, ParallelCorpus dev, Search search, int k,
                                     double bestBleu, PrintStream log) throws IOException {
        List<Map<String, Tensor>> ws = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(dir.path())) {
            s.filter(p -> p.getFileName().toString().matches("epoch-\\d+\\.safetensors")).forEach(files::add);
        }
        if (files.size() < 2) return bestBleu;
        for (Path f : files) ws.add(ModelDir.readWeights(f, srcTok, tgtTok).model());
        Map<String, Tensor> avg = ModelDir.average(ws);
        Langue2Gloss model = new Langue2Gloss(cfg, new Rng(0));
        ModelDir.loadInto(model, avg, files.get(0));
        double b = Evaluation.evaluate(model, srcTok, tgtTok, dev, search, 64).bleu4();
        log.printf(Locale.ROOT, "average of the last %d epochs: dev BLEU-4 %.2f (best single epoch %.2f)%n", files.size(), b, bestBleu);
        if (b > bestBleu) {
            ModelDir.saveWeights(dir.file(ModelDir.BEST), avg, null, srcTok, tgtTok,
                Map.of("averaged_epochs", Integer.toString(files.size()), "dev_bleu4", Double.toString(b)));
            AtomicFiles.writeString(dir.file("average.json"), Json.writePretty(Map.of("averaged_epochs", files.size(), "dev_bleu4", b, "kept_as_best", true)));
            return b;
        }
        return bestBleu;
    }
}
