package org.bgtai.langue2gloss;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.nn.train.Checkpoint;
import org.bgtai.nn.optim.OptimizerState;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;
import org.bgtai.text.Tokenizer;

/**
 * A trained model's folder.
 * <pre>
 *   config.json              architecture ({@link L2GConfig}) and training options
 *   src_vocab.json           text tokenizer        tgt_vocab.json  gloss tokenizer
 *   checkpoint.safetensors   last epoch: "model.*" weights, "optim.*" AdamW state, metadata "state" (JSON:
 *                            epoch, step, seed, best dev BLEU, history, elapsed seconds)
 *   best.safetensors         weights of the best dev BLEU-4 epoch      epoch-N.safetensors  recent epochs
 * </pre>
 * An <em>ensemble folder</em> holds {@code members.json} ({@code {"members": ["member-1", ...]}}, folders
 * relative to it) and one such model folder per member, all with the same gloss vocabulary;
 * {@link #loadAll} loads its members, decoded together by {@link Search}.
 * Every file is written atomically (a crash leaves the old or the new file, never half of one).
 * Weight files carry the SHA-256 of both vocabularies; loading checks them and every tensor shape.
 */
public final class ModelDir {
    public static final String CONFIG = "config.json", SRC_VOCAB = "src_vocab.json", TGT_VOCAB = "tgt_vocab.json",
        CHECKPOINT = "checkpoint.safetensors", BEST = "best.safetensors", MEMBERS = "members.json";

    private final Path dir;

    public ModelDir(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** A model with its tokenizers, loaded from a folder. */
    public record Loaded(Langue2Gloss model, Tokenizer source, Tokenizer target, Map<String, Object> config, Map<String, String> metadata) {}

    public void writeSetup(L2GConfig cfg, Map<String, Object> trainOptions, Tokenizer src, Tokenizer tgt) throws IOException {
        Files.createDirectories(dir);
        src.save(file(SRC_VOCAB));
        tgt.save(file(TGT_VOCAB));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", cfg.toJson());
        m.put("train", trainOptions);
        AtomicFiles.writeString(file(CONFIG), Json.writePretty(m));
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> readConfig() throws IOException {
        Path f = file(CONFIG);
        if (!Files.isRegularFile(f)) throw new NoSuchFileException(f.toString(), null, "not a Langue2Gloss model folder (no " + CONFIG + "); train one with bin/bgtai l2g train --out DIR");
        return (Map<String, Object>) Json.read(f);
    }

    public L2GConfig modelConfig() throws IOException {
        Object m = readConfig().get("model");
        if (!(m instanceof Map<?, ?> mm)) throw new IOException(file(CONFIG) + " has no \"model\" object");
        return L2GConfig.fromJson(mm);
    }

    public Tokenizer sourceTokenizer() throws IOException {
        return Tokenizer.load(file(SRC_VOCAB));
    }

    public Tokenizer targetTokenizer() throws IOException {
        return Tokenizer.load(file(TGT_VOCAB));
    }

    /** SHA-256 (hex, first 16 digits) of a tokenizer's JSON. */
    public static String fingerprint(Tokenizer t) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Json.write(t.toJson()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Weights (+ optional optimizer state) with vocabulary fingerprints and extra metadata, atomically ({@link Checkpoint#write}). */
    public static void saveWeights(Path file, Map<String, Tensor> weights, OptimizerState opt, Tokenizer src, Tokenizer tgt,
                                   Map<String, String> extra) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.put("src_vocab", fingerprint(src));
        meta.put("tgt_vocab", fingerprint(tgt));
        Checkpoint.write(file, weights, opt, meta);
    }

    /** The contents of a weight file. */
    public record Weights(Map<String, Tensor> model, OptimizerState optimizer, Map<String, String> metadata) {}

    /** Reads a weight file and checks it was trained with these vocabularies. */
    public static Weights readWeights(Path file, Tokenizer src, Tokenizer tgt) throws IOException {
        Checkpoint.Contents c = Checkpoint.read(file);
        Map<String, String> meta = c.metadata();
        for (String[] side : new String[][] {{"src_vocab", fingerprint(src), "source"}, {"tgt_vocab", fingerprint(tgt), "gloss"}}) {
            String have = meta.get(side[0]);
            if (have != null && !have.equals(side[1]))
                throw new IllegalArgumentException("checkpoint " + file + " was trained with another " + side[2] + " vocabulary (fingerprint "
                    + have + ", the folder's vocabulary has " + side[1] + "); use the vocabulary files saved with it");
        }
        return new Weights(c.model(), c.optimizer(), meta);
    }

    /** Copies weights into a model; on failure the error names the file and every missing, unexpected or mis-shaped tensor. */
    public static void loadInto(Langue2Gloss model, Map<String, Tensor> weights, Path file) {
        try {
            model.loadStateDict(weights, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + file + " does not fit the model in config.json: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the model for inference.
     * @param which "best", "last" (the training checkpoint) or a weight file name in the folder
     */
    public Loaded load(String which) throws IOException {
        Map<String, Object> cfgJson = readConfig();
        L2GConfig cfg = modelConfig();
        Tokenizer src = sourceTokenizer(), tgt = targetTokenizer();
        if (src.size() != cfg.srcVocab() || tgt.size() != cfg.tgtVocab())
            throw new IllegalArgumentException("vocabulary files in " + dir + " (" + src.size() + " / " + tgt.size() + " tokens) do not match "
                + file(CONFIG) + " (" + cfg.srcVocab() + " / " + cfg.tgtVocab() + ")");
        Path f = switch (which) {
            case "best" -> file(BEST);
            case "last" -> file(CHECKPOINT);
            default -> file(which);
        };
        Weights w = readWeights(f, src, tgt);
        Langue2Gloss model = new Langue2Gloss(cfg, new Rng(0));
        loadInto(model, w.model(), f);
        model.eval();
        return new Loaded(model, src, tgt, cfgJson, w.metadata());
    }

    /** Whether this is an ensemble folder (it has {@code members.json}). */
    public boolean isEnsemble() {
        return Files.isRegularFile(file(MEMBERS));
    }

    /** The member folders of an ensemble folder, or this folder alone. */
    public List<Path> memberDirs() throws IOException {
        if (!isEnsemble()) return List.of(dir);
        Object m = Json.read(file(MEMBERS)) instanceof Map<?, ?> mm ? mm.get("members") : null;
        if (!(m instanceof List<?> names) || names.isEmpty())
            throw new IOException(file(MEMBERS) + " has no \"members\" list of folder names; write {\"members\": [\"member-1\", ...]}");
        List<Path> out = new ArrayList<>();
        for (Object n : names) out.add(dir.resolve(String.valueOf(n)));
        return out;
    }

    /**
     * The member of an ensemble folder with the best dev BLEU-4 ({@code member_dev_bleu4} of
     * {@code members.json}, written by training; the first member without it), or this folder when
     * it is not an ensemble: where one model must stand for the ensemble.
     */
    public Path bestMember() throws IOException {
        List<Path> dirs = memberDirs();
        if (dirs.size() == 1) return dirs.get(0);
        Object scores = Json.read(file(MEMBERS)) instanceof Map<?, ?> mm ? mm.get("member_dev_bleu4") : null;
        int best = 0;
        if (scores instanceof List<?> l && l.size() == dirs.size())
            for (int i = 1; i < l.size(); i++)
                if (l.get(i) instanceof Number n && l.get(best) instanceof Number b && n.doubleValue() > b.doubleValue()) best = i;
        return dirs.get(best);
    }

    /** Writes {@code members.json} naming the member folders (relative to this folder), atomically. */
    public void writeMembers(List<String> members, Map<String, Object> extra) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("members", members);
        m.putAll(extra);
        AtomicFiles.writeString(file(MEMBERS), Json.writePretty(m));
    }

    /**
     * Loads the models of several folders for decoding together: a model folder gives its model, an
     * ensemble folder every member. All must have the same gloss vocabulary; each reads the source
     * with its own tokenizer ({@link #sources}), so word and BPE models can decode together.
     * @param which as {@link #load}
     */
    public static List<Loaded> loadAll(List<Path> dirs, String which) throws IOException {
        List<Loaded> out = new ArrayList<>();
        for (Path d : dirs) for (Path m : new ModelDir(d).memberDirs()) out.add(new ModelDir(m).load(which));
        if (out.isEmpty()) throw new IllegalArgumentException("no model folder given");
        String tgt = fingerprint(out.get(0).target());
        for (int i = 1; i < out.size(); i++)
            if (!fingerprint(out.get(i).target()).equals(tgt))
                throw new IllegalArgumentException("models decoded together need the same gloss vocabulary, but model " + (i + 1) + " of " + dirs
                    + " has another " + TGT_VOCAB + " than the first; train them on the same data with the same gloss tokenizer options");
        return out;
    }

    /** The models of {@link #loadAll}'s result. */
    public static List<Langue2Gloss> models(List<Loaded> loaded) {
        return loaded.stream().map(Loaded::model).toList();
    }

    /** The source tokenizer of each model of {@link #loadAll}'s result, in order. */
    public static List<Tokenizer> sources(List<Loaded> loaded) {
        return loaded.stream().map(Loaded::source).toList();
    }

    /** Element-wise mean of several weight maps (checkpoint averaging). */
    public static Map<String, Tensor> average(List<Map<String, Tensor>> ws) {
        if (ws.isEmpty()) throw new IllegalArgumentException("nothing to average");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : ws.get(0).keySet()) {
            Tensor acc = ws.get(0).get(k).copy();
            for (int i = 1; i < ws.size(); i++) acc.addInPlace(ws.get(i).get(k), 1f);
            out.put(k, acc.mul(1f / ws.size()));
        }
        return out;
    }
}
