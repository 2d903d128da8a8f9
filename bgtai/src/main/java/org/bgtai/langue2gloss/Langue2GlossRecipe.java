package org.bgtai.langue2gloss;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Module;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.nn.train.Batches;
import org.bgtai.nn.train.Checkpoint;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.Loss;
import org.bgtai.nn.train.Recipe;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;
import org.bgtai.text.Tokenizer;

/**
 * Langue2Gloss training for {@link org.bgtai.nn.train.Trainer}: teacher-forced cross-entropy with
 * label smoothing (padding ignored) over one or more {@link Task}s that share the encoder (text
 * and audio of the same strings), every step one batch of every task:
 * <pre>
 *   L = sum_k w_k * CE_k(teacher-forced gloss | task k's batch)
 * </pre>
 * The first task defines the epoch; the others cycle through their own batches. Batches group
 * similar source lengths ({@link Batches#bucketed}, buckets of 50 batches).
 *
 * <p>Seeding: the epoch's batch order and every dropout generator are derived from
 * {@code (seed, epoch)} at the start of the epoch ({@link #epochSeed}), as a model freshly built
 * from {@code Rng(epochSeed)} would have them. An epoch therefore depends only on the weights and
 * optimizer state it starts from; this is the seeding behind the published PHOENIX-2014T figures.
 *
 * <pre>{@code
 * var recipe = new Langue2GlossRecipe(model, cfg, List.of(new Langue2GlossRecipe.Task("text", Sources.text(src), glosses, 1f)), seed, 0.1f)
 *     .validateWith(m -> Map.of("dev_bleu4", bleu(m)));
 * }</pre>
 */
public final class Langue2GlossRecipe implements Recipe {
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

    /** History name of a task's mean loss; {@value #TOKENS_PER_S} is the training throughput. */
    public static String lossTerm(Task t) {
        return "train_loss_" + t.name();
    }

    public static final String TOKENS_PER_S = "tokens_per_s";

    private final Langue2Gloss model;
    private final L2GConfig cfg;
    private final List<Task> tasks;
    private final long seed;
    private final float labelSmoothing;
    private final Map<String, String> metadata;
    private Function<Langue2Gloss, Map<String, Double>> validate;
    private Path historyFile;
    private Function<Epoch, Map<String, Object>> historyForm;
    private List<List<int[]>> epochBatches;
    private long tokens, epochStart;

    /**
     * @param model          the model to train (weights as they are now)
     * @param cfg            its architecture (to rebuild the per-epoch dropout seeds)
     * @param seed           the run's seed ({@link #epochSeed})
     * @param labelSmoothing label smoothing of the cross-entropy
     * @param metadata       written into every checkpoint and weights file (e.g. vocabulary fingerprints)
     */
    public Langue2GlossRecipe(Langue2Gloss model, L2GConfig cfg, List<Task> tasks, long seed, float labelSmoothing, Map<String, String> metadata) {
        if (tasks.isEmpty()) throw new IllegalArgumentException("no training task given");
        this.model = model;
        this.cfg = cfg;
        this.tasks = List.copyOf(tasks);
        this.seed = seed;
        this.labelSmoothing = labelSmoothing;
        this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Validation figures of the model after every epoch (eval mode, no gradients). */
    public Langue2GlossRecipe validateWith(Function<Langue2Gloss, Map<String, Double>> f) {
        this.validate = f;
        return this;
    }

    /** Writes the history so far to {@code file} (atomically, JSON) after every epoch, each epoch in {@code form}. */
    public Langue2GlossRecipe writeHistory(Path file, Function<Epoch, Map<String, Object>> form) {
        this.historyFile = file;
        this.historyForm = form;
        return this;
    }

    /** The seed of epoch {@code epoch} (1-based) of a run seeded {@code seed}. */
    public static long epochSeed(long seed, int epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 31)) * 0xD6E8FEB86659FD93L;
        return z ^ (z >>> 32);
    }

    /**
     * Teacher-forced cross-entropy (label smoothing {@code ls}, padding ignored) of a batch: the
     * decoder reads {@code <bos> g_1 .. g_m} and must predict {@code g_1 .. g_m <eos>}.
     *
     * @param input   encoder input of {@code B} rows (any modality)
     * @param glosses [B][m_i] gloss ids without specials
     * @return the mean loss (a scalar)
     */
    public static Var loss(Langue2Gloss model, EncoderInput input, int[][] glosses, float ls) {
        if (input.batch() != glosses.length) throw new IllegalArgumentException(input.batch() + " encoder rows for " + glosses.length + " gloss sequences");
        return loss(model, model.encode(input), glosses, ls);
    }

    /** {@link #loss(Langue2Gloss, EncoderInput, int[][], float)} on an input already encoded (Eq. 1 run once for several terms). */
    public static Var loss(Langue2Gloss model, Langue2Gloss.Encoded enc, int[][] glosses, float ls) {
        int b = glosses.length, tl = 0;
        if (enc.memory().size(0) != b) throw new IllegalArgumentException(enc.memory().size(0) + " encoder rows for " + b + " gloss sequences");
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
        Var logits = model.decode(enc, IntTensor.of(in, b, tl));
        return CrossEntropy.loss(logits, IntTensor.of(outIds, b, tl), ls, Tokenizer.PAD);
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public int size() {
        return tasks.get(0).sources().size();
    }

    @Override
    public long stepsPerEpoch(TrainOptions o) {
        int n = size(), b = o.batchSize();
        return (n + b - 1) / b;
    }

    @Override
    public void startEpoch(int epoch, Rng rng) {
        long s = epochSeed(seed, epoch);
        // the dropout generators of a model freshly built from Rng(s)
        Checkpoint.restoreDropouts(model, Checkpoint.dropoutStates(new Langue2Gloss(cfg, new Rng(s))));
        epochBatches = new ArrayList<>();
        tokens = 0;
        epochStart = System.nanoTime();
    }

    @Override
    public List<int[]> batches(int epoch, TrainOptions o, Rng rng) {
        long s = epochSeed(seed, epoch);
        for (int k = 0; k < tasks.size(); k++) {
            Sources src = tasks.get(k).sources();
            int[] len = new int[src.size()];
            for (int i = 0; i < len.length; i++) len[i] = src.length(i);
            Rng r = new Rng(s ^ (0x5DEECE66DL + k));
            epochBatches.add(Batches.bucketed(r.permutation(len.length), len, o.batchSize(), 50, false, r));
        }
        return epochBatches.get(0);
    }

    @Override
    public Loss loss(int[] batch, Step step) {
        Var total = null;
        Map<String, Double> terms = new LinkedHashMap<>();
        for (int k = 0; k < tasks.size(); k++) {
            Task task = tasks.get(k);
            List<int[]> bs = epochBatches.get(k);
            int[] b = k == 0 ? batch : bs.get(step.index() % bs.size());
            int[][] g = new int[b.length][];
            for (int j = 0; j < b.length; j++) {
                g[j] = task.glosses()[b[j]];
                tokens += task.sources().length(b[j]) + g[j].length + 1;
            }
            Var l = loss(model, task.sources().batch(b), g, labelSmoothing);
            terms.put(lossTerm(task), (double) l.item());
            Var wl = l.mul(task.weight());
            total = total == null ? wl : total.add(wl);
        }
        return Loss.of(total, terms);
    }

    @Override
    public Map<String, Double> epochStats() {
        return Map.of(TOKENS_PER_S, tokens / Math.max(1e-9, (System.nanoTime() - epochStart) / 1e9));
    }

    @Override
    public String progress() {
        return String.format(Locale.ROOT, "%.0f tok/s", tokens / Math.max(1e-9, (System.nanoTime() - epochStart) / 1e9));
    }

    @Override
    public Map<String, Double> validate(int epoch) {
        return validate == null ? Map.of() : validate.apply(model);
    }

    @Override
    public void endEpoch(List<Epoch> history) {
        if (historyFile == null) return;
        List<Object> h = new ArrayList<>();
        for (Epoch e : history) h.add(historyForm.apply(e));
        try {
            AtomicFiles.writeString(historyFile, Json.writePretty(h));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + historyFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void restore(Map<String, Object> state, Map<String, String> meta) {
        for (var e : metadata.entrySet())
            if (meta.containsKey(e.getKey()) && !meta.get(e.getKey()).equals(e.getValue()))
                throw new IllegalArgumentException("the checkpoint was trained with another " + e.getKey() + " (" + meta.get(e.getKey()) + ", this run has "
                    + e.getValue() + "); use the vocabulary files saved with it, or delete it");
    }
}
