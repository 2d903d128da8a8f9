package org.bgtai.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.Json;
import org.bgtai.tensor.io.Safetensors;
import org.bgtai.tensor.io.SafetensorsFile;
import org.bgtai.text.Tokenizer;

/**
 * Saving and re-creating a {@link JointModel}: the safetensors metadata carries the
 * {@link ModelConfig} ({@code "model_config"}), both tokenizers ({@code "text_tokenizer"},
 * {@code "gloss_tokenizer"}) as JSON, and any training settings the caller adds, so a saved
 * model or a training checkpoint is self-contained.
 */
public final class ModelIO {
    private ModelIO() {}

    /** Metadata entries describing the model. */
    public static Map<String, String> metadata(JointModel m) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model_config", Json.write(m.config().toJson()));
        meta.put("text_tokenizer", Json.write(m.textTokenizer().toJson()));
        meta.put("gloss_tokenizer", Json.write(m.glossTokenizer().toJson()));
        return meta;
    }

    /** The config stored by {@link #metadata}. */
    public static ModelConfig config(Map<String, String> meta) {
        String s = meta.get("model_config");
        if (s == null) throw new IllegalArgumentException("no model_config in the file's metadata; it was not written by bgtai train/demo");
        return ModelConfig.fromJson((Map<?, ?>) Json.parse(s));
    }

    /**
     * Saves weights and description (atomically); {@code extra} metadata (e.g. the objective's
     * weights) is stored beside them, and the weights of {@code modules} (e.g. the trained DS-Net
     * under {@code dsnet}) under {@code <name>.<key>}.
     */
    public static void save(Path file, JointModel m, Map<String, String> extra, Map<String, org.bgtai.nn.Module> modules) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (var e : m.stateDict().entrySet()) t.put("model." + e.getKey(), e.getValue());
        for (var mod : modules.entrySet()) for (var e : mod.getValue().stateDict().entrySet()) t.put(mod.getKey() + "." + e.getKey(), e.getValue());
        Map<String, String> meta = new LinkedHashMap<>(metadata(m));
        meta.putAll(extra);
        Safetensors.save(file, t, meta);
    }

    /** Saves weights and description (atomically). */
    public static void save(Path file, JointModel m) throws IOException {
        save(file, m, Map.of(), Map.of());
    }

    /** The tensors saved under {@code <name>.} beside the model ({@link #save(Path, JointModel, Map, Map)}), keys without the prefix; empty when none. */
    public static Map<String, Tensor> module(Path file, String name) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : Safetensors.load(file).entrySet()) if (e.getKey().startsWith(name + ".")) out.put(e.getKey().substring(name.length() + 1), e.getValue());
        return out;
    }

    /** The metadata of a saved model or checkpoint. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (var f = SafetensorsFile.open(file)) {
            return f.metadata();
        }
    }

    /**
     * A new model (weights drawn from {@code rng}) of the config and tokenizers that {@link #metadata}
     * describes: the same model on another machine, whose weights the caller then loads.
     */
    public static JointModel create(Map<String, String> meta, Rng rng) {
        ModelConfig c = config(meta);
        if (!meta.containsKey("text_tokenizer") || !meta.containsKey("gloss_tokenizer"))
            throw new IllegalArgumentException("no text_tokenizer/gloss_tokenizer in the metadata; it was not written by ModelIO.metadata");
        return new JointModel(c, Tokenizer.fromJson(Json.parse(meta.get("text_tokenizer"))), Tokenizer.fromJson(Json.parse(meta.get("gloss_tokenizer"))), rng);
    }

    /** Loads a model saved by {@link #save} or a training checkpoint of its {@code JointRecipe}. */
    public static JointModel load(Path file) throws IOException {
        Map<String, String> meta = readMetadata(file);
        if (!meta.containsKey("text_tokenizer") || !meta.containsKey("gloss_tokenizer"))
            throw new IOException(file + " has no tokenizers in its metadata; it was written by an older version: train it again");
        JointModel m = create(meta, new Rng(0));
        // a saved model holds model.<key>; a checkpoint of training with DS-Net terms holds model.model.<key> beside model.dsnet.<key>
        Map<String, Tensor> all = Safetensors.load(file);
        String prefix = all.keySet().stream().anyMatch(k -> k.startsWith("model.model.")) ? "model.model." : "model.";
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (var e : all.entrySet()) if (e.getKey().startsWith(prefix) && !e.getKey().startsWith("model.dsnet.")) w.put(e.getKey().substring(prefix.length()), e.getValue());
        var res = m.loadStateDict(w, true);
        if (!res.clean()) throw new IOException(file + ": weights do not fit the stored config: " + res);
        m.eval();
        return m;
    }
}
