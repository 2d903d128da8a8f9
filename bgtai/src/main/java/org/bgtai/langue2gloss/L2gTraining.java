package org.bgtai.langue2gloss;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.bgtai.metrics.Metrics;
import org.bgtai.metrics.Wer;
import org.bgtai.nn.optim.LrSchedule;
import org.bgtai.nn.optim.Schedules;
import org.bgtai.nn.train.Budget;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.OptimizerConfig;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;
import org.bgtai.text.BpeTokenizer;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;

/**
 * The two ways to train Langue2Gloss, both {@link Langue2GlossRecipe} on the training loop, in a
 * {@link ModelDir} folder (config, vocabularies, checkpoint, best weights, {@code history.json}):
 * <ul>
 * <li>{@link #phoenix}: text to gloss on a parallel corpus (PHOENIX-2014T): tokenizers built from
 * the training split, dev BLEU-4 after every epoch selects the best epoch, the average of the last
 * epochs is kept when it scores higher.
 * <li>{@link #tasks}: in-memory tasks of any modality sharing the encoder (spoken digit strings as
 * log-mel and as text): validation sequence accuracy, then WER, select the best epoch; early
 * stopping after {@code patience} epochs without improvement.
 * </ul>
 * AdamW (betas 0.9 / 0.98, eps 1e-9: the published recipe's), linear warm-up then inverse-sqrt,
 * cosine or constant, global-norm clipping; a wall-clock budget in minutes never starts an epoch
 * that would not fit. {@code resume} continues from the checkpoint (bit for bit: see the recipe's
 * seeding).
 */
public final class L2gTraining {
    private L2gTraining() {}

    /**
     * Members of the ensemble {@code bin/bgtai l2g train} trains by default: on PHOENIX-2014T the six
     * members of {@link Options#defaults} (seeds 1-6; odd members read the source as words, even ones
     * as BPE) decoded together reach dev BLEU-4 24.99 and test 23.27 (beam 5), against 24.59 / 22.17
     * for six word members and 21.76-23.86 on dev for single models ({@code results/l2g-phoenix});
     * on two cores they train two at a time, a word and a BPE member in about 17 minutes.
     */
    public static final int DEFAULT_MEMBERS = 6;

    /** History names of the PHOENIX validation figures. */
    public static final String DEV_BLEU4 = "dev_bleu4", DEV_BLEU1 = "dev_bleu1";
    /** History names of the task-training validation figures. */
    public static final String VAL_ACCURACY = "val_accuracy", VAL_WER = "val_wer";

    /** Options of {@link #phoenix} (the CLI's flags). */
    public record Options(Path data, Path out, int epochs, double minutes, int batch, double lr, int warmup, String schedule,
                          float labelSmoothing, double clip, double weightDecay, long seed, boolean resume,
                          int dModel, int heads, int ffDim, int encoderLayers, int decoderLayers, float dropout, boolean tie,
                          String srcTokenizer, String tgtTokenizer, int minCount, int bpeMerges, int average, int trainLimit, int devLimit) {
        /**
         * Defaults: one model of the PHOENIX-2014T recipe ({@link #DEFAULT_MEMBERS} of them make the
         * default ensemble; with word sources, seeds 1-6 reached test BLEU-4 21.56, 20.16, 20.86, 20.43,
         * 20.28, 20.86 alone, an earlier run 21.24; beam 5, length penalty 1.0):
         * 2+2 layers of width 256 (4 heads, feed-forward 1024, dropout 0.2, tied output), a word gloss
         * vocabulary and a word or BPE (2000 merges) source vocabulary ({@code "word,bpe"}: one model
         * takes word, the members of an ensemble take word and BPE in turn), 20 epochs of 32
         * sentences, AdamW at 7e-4 with 600 warm-up steps and a cosine decay, label smoothing 0.1,
         * clip 1.0, weight decay 0.01; the average of the last 5 epochs is kept only when it beats the
         * best epoch on dev.
         */
        public static Options defaults(Path data, Path out) {
            return new Options(data, out, 20, 0, 32, 7e-4, 600, "cosine", 0.1f, 1.0, 0.01, 1, false,
                256, 4, 1024, 2, 2, 0.2f, true, "word,bpe", "word", 1, 2000, 5, 0, 0);
        }

        /** These options with another model folder and seed (an ensemble member). */
        public Options withRun(Path out, long seed) {
            return new Options(data, out, epochs, minutes, batch, lr, warmup, schedule, labelSmoothing, clip, weightDecay, seed, resume, dModel, heads,
                ffDim, encoderLayers, decoderLayers, dropout, tie, srcTokenizer, tgtTokenizer, minCount, bpeMerges, average, trainLimit, devLimit);
        }

        /**
         * The options of ensemble member {@code k} (1-based) in {@code OUT/member-K}: seed {@code seed + k - 1},
         * and the {@code k}-th source tokenizer of {@link #srcTokenizer} read as a list that repeats
         * ({@code "word,bpe"}: odd members word, even members BPE).
         */
        public Options member(int k) {
            List<String> kinds = sourceTokenizers();
            return withRun(out.resolve("member-" + k), seed + k - 1).withSourceTokenizer(kinds.get((k - 1) % kinds.size()));
        }

        Options withSourceTokenizer(String kind) {
            return new Options(data, out, epochs, minutes, batch, lr, warmup, schedule, labelSmoothing, clip, weightDecay, seed, resume, dModel, heads,
                ffDim, encoderLayers, decoderLayers, dropout, tie, kind, tgtTokenizer, minCount, bpeMerges, average, trainLimit, devLimit);
        }

        /** {@link #srcTokenizer} as a list ({@code "word,bpe"} alternates the members of an ensemble; one model takes the first). */
        public List<String> sourceTokenizers() {
            List<String> kinds = new ArrayList<>();
            for (String k : srcTokenizer.split(",")) if (!k.isBlank()) kinds.add(k.strip());
            if (kinds.isEmpty()) throw new IllegalArgumentException("no source tokenizer given; use word, bpe or a list such as word,bpe");
            return kinds;
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

    /**
     * Options of {@link #tasks}.
     * @param out      folder for config, vocabularies, checkpoint and best weights
     * @param patience stop after this many epochs without a better validation score (0 = never)
     * @param minutes  wall-clock budget (0 = none); an epoch is not started when it would not fit
     */
    public record TaskOptions(Path out, int epochs, int batch, double lr, int warmup, String schedule, float labelSmoothing, double clip,
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

    /**
     * What a run did.
     *
     * @param stepLosses this invocation's step losses (summed over tasks)
     * @param history    every epoch (resumed ones included)
     * @param best       the best epoch (null when none ran)
     * @param averaged   whether the average of the last epochs was kept as the best weights
     * @param seconds    wall-clock seconds of this invocation
     */
    public record Result(List<Float> stepLosses, List<Epoch> history, Epoch best, boolean averaged, double seconds) {
        /** A validation figure of the best epoch (NaN without one). */
        public double best(String metric) {
            return best == null ? Double.NaN : best.metric(metric);
        }

        /** The best epoch's number (0 without one). */
        public int bestEpoch() {
            return best == null ? 0 : best.epoch();
        }

        /** Mean training throughput over the epochs (tokens per second). */
        public double tokensPerSecond() {
            return history.stream().mapToDouble(e -> e.stat(Langue2GlossRecipe.TOKENS_PER_S)).filter(Double::isFinite).average().orElse(0);
        }
    }

    /** Two named figures in this order. */
    private static Map<String, Double> figures(String k1, double v1, String k2, double v2) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    /** Linear warm-up over {@code warmup} steps, then inverse-sqrt, cosine (to 2% of the peak at the last step) or constant. */
    public static Schedule schedule(String kind, int warmup) {
        return switch (kind) {
            case "inverse-sqrt" -> (lr, total) -> inverseSqrt(lr, warmup);
            case "cosine" -> (lr, total) -> Schedules.warmupCosine(lr, warmup, Math.max(total, warmup + 1), lr * 0.02);
            case "constant" -> (lr, total) -> s -> lr * Math.min(1.0, (s + 1.0) / warmup);
            default -> throw new IllegalArgumentException("unknown schedule '" + kind + "'; use inverse-sqrt, cosine or constant");
        };
    }

    private static LrSchedule inverseSqrt(double lr, int warmup) {
        return s -> lr * Math.min((s + 1.0) / warmup, Math.sqrt((double) warmup / (s + 1.0)));
    }

    /** The loop's options shared by both entry points. */
    private static TrainOptions options(int epochs, int batch, double lr, double weightDecay, String schedule, int warmup, double clip, long seed,
                                        double minutes, Path out, boolean resume, PrintStream log) {
        return TrainOptions.of(epochs, batch, lr).withBatches(batch, false)
            .withOptimizer(OptimizerConfig.adamW(lr).withEps(1e-9).withWeightDecay(weightDecay)).withSchedule(schedule(schedule, warmup)).withClipNorm(clip)
            .withSeed(seed).withBudget(minutes > 0 ? Budget.minutesWithin(minutes) : Budget.NONE).withCheckpoints(out, resume).withLog(log);
    }

    static Tokenizer buildTokenizer(String kind, List<String> lines, boolean lowercase, Options o) {
        return switch (kind) {
            case "word" -> WordTokenizer.train(lines, o.minCount(), lowercase);
            case "bpe" -> BpeTokenizer.train(lines, o.bpeMerges(), lowercase);
            default -> throw new IllegalArgumentException("unknown tokenizer '" + kind + "'; use word or bpe");
        };
    }

    /** Vocabulary fingerprints every weights file of the folder carries ({@link ModelDir#readWeights} checks them). */
    private static Map<String, String> fingerprints(Tokenizer src, Tokenizer tgt) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("src_vocab", ModelDir.fingerprint(src));
        m.put("tgt_vocab", ModelDir.fingerprint(tgt));
        return m;
    }

    /** Trains (or resumes) text to gloss on the corpus of {@code o.data()}; messages go to {@code log}. */
    public static Result phoenix(Options o, PrintStream log) throws IOException {
        long t0 = System.nanoTime();
        o = o.withSourceTokenizer(o.sourceTokenizers().get(0));   // one model: the first of a list
        ParallelCorpus train = ParallelCorpus.load(o.data(), "train"), dev = ParallelCorpus.load(o.data(), "dev");
        if (o.trainLimit() > 0) train = train.head(o.trainLimit());
        if (o.devLimit() > 0) dev = dev.head(o.devLimit());
        ModelDir dir = new ModelDir(o.out());
        Tokenizer srcTok, tgtTok;
        L2GConfig cfg;
        boolean resuming = o.resume() && Files.exists(dir.file(ModelDir.CHECKPOINT));
        if (resuming) {
            cfg = dir.modelConfig();
            srcTok = dir.sourceTokenizer();
            tgtTok = dir.targetTokenizer();
        } else {
            if (o.resume()) log.println("--resume: no checkpoint in " + o.out() + ", starting fresh");
            srcTok = buildTokenizer(o.srcTokenizer(), train.source(), true, o);
            tgtTok = buildTokenizer(o.tgtTokenizer(), train.target(), false, o);
            cfg = new L2GConfig(srcTok.size(), tgtTok.size(), o.dModel(), o.heads(), o.ffDim(), o.encoderLayers(), o.decoderLayers(), o.dropout(), o.tie(), 256);
            dir.writeSetup(cfg, o.toJson(), srcTok, tgtTok);
        }
        int n = train.size();
        int[][] src = new int[n][], tgt = new int[n][];
        for (int i = 0; i < n; i++) {
            src[i] = srcTok.encode(train.source().get(i));
            tgt[i] = tgtTok.encode(train.target().get(i));
            if (src[i].length + 1 > cfg.maxLen() || tgt[i].length + 1 > cfg.maxLen())
                throw new IllegalArgumentException(train.sourceFile() + ":" + (i + 1) + ": sentence longer than the model maximum " + cfg.maxLen());
        }
        Langue2Gloss model = new Langue2Gloss(cfg, new Rng(o.seed()));
        log.printf(Locale.ROOT, "Langue2Gloss: %,d parameters, vocab %d -> %d, %d train / %d dev sentences, %d batches/epoch%n",
            model.numParameters(), cfg.srcVocab(), cfg.tgtVocab(), n, dev.size(), (n + o.batch() - 1) / o.batch());
        Search devSearch = Search.greedy(100);
        ParallelCorpus devSet = dev;
        Langue2GlossRecipe recipe = new Langue2GlossRecipe(model, cfg, List.of(new Langue2GlossRecipe.Task("text", Sources.text(src), tgt, 1f)), o.seed(),
            o.labelSmoothing(), fingerprints(srcTok, tgtTok))
            .validateWith(m -> {
                Evaluation.Scores ds = Evaluation.evaluate(m, srcTok, tgtTok, devSet, devSearch, 64);
                return figures(DEV_BLEU4, ds.bleu4(), DEV_BLEU1, ds.bleu()[0]);
            })
            .writeHistory(dir.file("history.json"), L2gTraining::phoenixHistory);
        TrainOptions to = options(o.epochs(), o.batch(), o.lr(), o.weightDecay(), o.schedule(), o.warmup(), o.clip(), o.seed(), o.minutes(), o.out(),
            resuming, log).withBestBy(List.of(TrainOptions.Criterion.max(DEV_BLEU4)), 0).withAverageLast(o.average());
        Trainer.Result r = new Trainer(to).fit(recipe);
        if (!r.averageMetrics().isEmpty()) {
            Map<String, Object> avg = new LinkedHashMap<>();
            avg.put("averaged_epochs", Math.min(o.average(), r.history().size()));
            avg.put(DEV_BLEU4, r.averageMetrics().get(DEV_BLEU4));
            avg.put("kept_as_best", r.averaged());
            AtomicFiles.writeString(dir.file("average.json"), Json.writePretty(avg));
        }
        return new Result(r.stepLosses(), r.history(), r.averaged() ? averagedBest(r) : r.best(), r.averaged(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * What an ensemble run did.
     * @param members   each member's run, in member order
     * @param devBleu4  the ensemble's dev BLEU-4 (greedy, as the members' selection)
     * @param seconds   wall-clock seconds of this invocation
     */
    public record EnsembleResult(List<Result> members, double devBleu4, double seconds) {}

    /**
     * Trains (or resumes) an ensemble for {@link Search}: {@code members} models with options {@code o}
     * and seeds {@code o.seed()}, {@code o.seed() + 1}, ... in {@code OUT/member-K} (each a
     * {@link ModelDir} with the same vocabularies), then writes {@code OUT/members.json} with each
     * member's and the ensemble's dev BLEU-4. As many members train at once as there are cores
     * (their CPU kernels share the cores: at most {@code cores / running} threads each); their
     * epoch lines go to {@code log} prefixed with the member. A wall-clock budget ({@code o.minutes()})
     * applies to each member from its own start, so with more members than cores the whole run takes
     * up to {@code ceil(members / cores)} budgets. {@code o.resume()} resumes every member.
     */
    public static EnsembleResult phoenixEnsemble(Options o, int members, PrintStream log) throws IOException {
        if (members < 1) throw new IllegalArgumentException("an ensemble needs at least one member, got " + members);
        long t0 = System.nanoTime();
        int cores = Runtime.getRuntime().availableProcessors(), running = Math.min(members, cores);
        int threads = Parallel.threads(), perMember = Math.max(1, cores / running);
        List<String> names = new ArrayList<>();
        List<Future<Result>> runs = new ArrayList<>();
        var pool = Executors.newFixedThreadPool(running);
        if (running > 1 && perMember < threads) Parallel.setThreads(perMember);
        try {
            for (int k = 1; k <= members; k++) {
                String name = "member-" + k;
                names.add(name);
                Options m = o.member(k);
                PrintStream memberLog = running > 1 ? new PrintStream(new PrefixedLines(name + ": ", log), true, StandardCharsets.UTF_8) : log;
                runs.add(pool.submit(() -> phoenix(m, memberLog)));
            }
            List<Result> results = new ArrayList<>();
            for (var f : runs) results.add(f.get());
            ModelDir dir = new ModelDir(o.out());
            ParallelCorpus dev = ParallelCorpus.load(o.data(), "dev");
            if (o.devLimit() > 0) dev = dev.head(o.devLimit());
            List<ModelDir.Loaded> all = ModelDir.loadAll(names.stream().map(o.out()::resolve).toList(), "best");
            double devBleu = Evaluation.evaluate(all, dev, Search.greedy(100), 64).bleu4();
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("member_" + DEV_BLEU4, results.stream().map(r -> Evaluation.round(r.best(DEV_BLEU4))).toList());
            extra.put("ensemble_" + DEV_BLEU4, Evaluation.round(devBleu));
            extra.put("selection", "greedy dev BLEU-4 of each member's best weights and of the ensemble decoding them together");
            dir.writeMembers(names, extra);
            return new EnsembleResult(results, devBleu, (System.nanoTime() - t0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while training the ensemble in " + o.out() + "; rerun with --resume to continue", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IOException("an ensemble member failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            if (Parallel.threads() != threads) Parallel.setThreads(threads);
        }
    }

    /** Passes whole lines to another stream with a prefix; a line redrawn in place (a progress bar's carriage return) keeps only its last state. */
    private static final class PrefixedLines extends OutputStream {
        private final String prefix;
        private final PrintStream to;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        PrefixedLines(String prefix, PrintStream to) {
            this.prefix = prefix;
            this.to = to;
        }

        @Override
        public void write(int b) {
            if (b == '\r') line.reset();
            else if (b != '\n') line.write(b);
            else {
                String s = line.toString(StandardCharsets.UTF_8).replace("\u001b[K", "");
                line.reset();
                synchronized (to) {
                    to.println(prefix + s);
                }
            }
        }
    }

    /** The best "epoch" when the average was kept: the last epoch's numbers with the average's figures. */
    private static Epoch averagedBest(Trainer.Result r) {
        Epoch l = r.last();
        return new Epoch(l.epoch(), l.step(), l.examples(), l.loss(), l.terms(), l.stats(), r.averageMetrics(), l.trainSeconds(), l.cpuSeconds(), l.evalSeconds());
    }

    /** {@code history.json} of a PHOENIX run: epoch, step, train_loss, dev_bleu4, dev_bleu1, tokens_per_s, epoch_seconds (rounded). */
    static Map<String, Object> phoenixHistory(Epoch e) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("epoch", e.epoch());
        h.put("step", e.step());
        h.put("train_loss", Evaluation.round(e.loss() * 100) / 100);
        h.put(DEV_BLEU4, Evaluation.round(e.metric(DEV_BLEU4)));
        h.put(DEV_BLEU1, Evaluation.round(e.metric(DEV_BLEU1)));
        h.put("tokens_per_s", Math.round(e.stat(Langue2GlossRecipe.TOKENS_PER_S)));
        h.put("epoch_seconds", Math.round(e.seconds() * 10) / 10.0);
        return h;
    }

    /**
     * Trains (or resumes) a model on in-memory tasks that share the encoder.
     *
     * @param init    applied to a freshly initialised model only (e.g. setting the log-mel statistics); its effect is saved with the weights
     * @param val     validation sources, decoded greedily after every epoch
     * @param valRefs their reference gloss strings
     * @param src     text tokenizer (saved with the model)
     * @param tgt     gloss tokenizer
     */
    public static Result tasks(L2GConfig cfg, Consumer<Langue2Gloss> init, List<Langue2GlossRecipe.Task> tasks, Sources val, List<String> valRefs,
                               Tokenizer src, Tokenizer tgt, TaskOptions o, PrintStream log) throws IOException {
        if (val.size() != valRefs.size()) throw new IllegalArgumentException(val.size() + " validation sources but " + valRefs.size() + " references");
        long t0 = System.nanoTime();
        ModelDir dir = new ModelDir(o.out());
        boolean resuming = o.resume() && Files.exists(dir.file(ModelDir.CHECKPOINT));
        if (resuming) {
            L2GConfig saved = dir.modelConfig();
            if (!saved.equals(cfg)) throw new IllegalArgumentException("resume: " + dir.file(ModelDir.CONFIG) + " holds " + saved + ", not " + cfg);
        } else {
            dir.writeSetup(cfg, o.toJson(), src, tgt);
        }
        Langue2Gloss model = new Langue2Gloss(cfg, new Rng(o.seed()));
        if (!resuming) init.accept(model);
        Search search = Search.greedy(64);
        Langue2GlossRecipe recipe = new Langue2GlossRecipe(model, cfg, tasks, o.seed(), o.labelSmoothing(), fingerprints(src, tgt))
            .validateWith(m -> {
                List<String> hyp = Evaluation.translate(m, val, tgt, search, 64);
                return figures(VAL_ACCURACY, Evaluation.exactMatch(hyp, valRefs), VAL_WER, Wer.corpus(Metrics.tokenize(hyp), Metrics.tokenize(valRefs)));
            })
            .writeHistory(dir.file("history.json"), e -> taskHistory(e, tasks));
        TrainOptions to = options(o.epochs(), o.batch(), o.lr(), o.weightDecay(), o.schedule(), o.warmup(), o.clip(), o.seed(), o.minutes(), o.out(),
            resuming, log).withBestBy(List.of(TrainOptions.Criterion.max(VAL_ACCURACY), TrainOptions.Criterion.min(VAL_WER)), o.patience());
        Trainer.Result r = new Trainer(to).fit(recipe);
        return new Result(r.stepLosses(), r.history(), r.best(), false, (System.nanoTime() - t0) / 1e9);
    }

    /** {@code history.json} of a task run: epoch, step, train_loss_TASK..., val_accuracy, val_wer, epoch_seconds (rounded). */
    static Map<String, Object> taskHistory(Epoch e, List<Langue2GlossRecipe.Task> tasks) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("epoch", e.epoch());
        h.put("step", e.step());
        for (Langue2GlossRecipe.Task t : tasks) h.put(Langue2GlossRecipe.lossTerm(t), Evaluation.round(e.term(Langue2GlossRecipe.lossTerm(t)) * 100) / 100);
        h.put(VAL_ACCURACY, Evaluation.round(e.metric(VAL_ACCURACY)));
        h.put(VAL_WER, Evaluation.round(e.metric(VAL_WER)));
        h.put("epoch_seconds", Math.round(e.seconds() * 10) / 10.0);
        return h;
    }
}
