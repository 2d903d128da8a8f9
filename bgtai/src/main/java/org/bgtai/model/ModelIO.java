package org.bgtai.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.text.Vocab;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.Json;
import org.bgtai.tensor.io.Safetensors;
import org.bgtai.tensor.io.SafetensorsFile;

/**
 * Saving and re-creating a {@link JointModel}: the safetensors metadata carries the
 * {@link ModelConfig} ({@code "model_config"}) and both vocabularies ({@code "text_vocab"},
 * {@code "gloss_vocab"}) as JSON, so a checkpoint or a saved model is self-contained.
 */
public final class ModelIO {
    private ModelIO() {}

    /** Metadata entries describing the model. */
    public static Map<String, String> metadata(JointModel m) {
        ModelConfig c = m.config();
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("variant", c.variant().name());
        cm.put("dModel", c.dModel());
        cm.put("heads", c.heads());
        cm.put("ffDim", c.ffDim());
        cm.put("layers", c.layers());
        cm.put("dropout", (double) c.dropout());
        cm.put("embedDim", c.embedDim());
        cm.put("sampleRate", c.sampleRate());
        cm.put("nFft", c.nFft());
        cm.put("hop", c.hop());
        cm.put("nMels", c.nMels());
        cm.put("imageChannels", c.imageChannels());
        List<Object> w = new ArrayList<>();
        for (int x : c.cnnWidths()) w.add(x);
        cm.put("cnnWidths", w);
        cm.put("maxText", c.maxText());
        cm.put("maxGloss", c.maxGloss());
        cm.put("temperature", (double) c.temperature());
        cm.put("textImage", c.textImage());
        cm.put("glossWeight", (double) c.glossWeight());
        cm.put("modalityEmbedding", c.modalityEmbedding());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model_config", Json.write(cm));
        meta.put("text_vocab", Json.write(new ArrayList<Object>(m.textVocab().words())));
        meta.put("gloss_vocab", Json.write(new ArrayList<Object>(m.glossVocab().words())));
        return meta;
    }

    /** The config stored by {@link #metadata}. */
    public static ModelConfig config(Map<String, String> meta) {
        String s = meta.get("model_config");
        if (s == null) throw new IllegalArgumentException("no model_config in the file's metadata; it was not written by bgtai train/demo");
        Map<?, ?> m = (Map<?, ?>) Json.parse(s);
        List<?> w = (List<?>) m.get("cnnWidths");
        int[] widths = new int[w.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = ((Number) w.get(i)).intValue();
        return new ModelConfig(ModelConfig.Variant.valueOf((String) m.get("variant")), i(m, "dModel"), i(m, "heads"), i(m, "ffDim"), i(m, "layers"),
            (float) d(m, "dropout"), i(m, "embedDim"), i(m, "sampleRate"), i(m, "nFft"), i(m, "hop"), i(m, "nMels"), i(m, "imageChannels"), widths,
            i(m, "maxText"), i(m, "maxGloss"), (float) d(m, "temperature"), (Boolean) m.get("textImage"), (float) d(m, "glossWeight"), (Boolean) m.get("modalityEmbedding"));
    }

    /** Saves weights and description (atomically). */
    public static void save(Path file, JointModel m) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (var e : m.stateDict().entrySet()) t.put("model." + e.getKey(), e.getValue());
        Safetensors.save(file, t, metadata(m));
    }

    /** Loads a model saved by {@link #save} or a training checkpoint of its {@code JointRecipe}. */
    public static JointModel load(Path file) throws IOException {
        Map<String, String> meta;
        try (var f = SafetensorsFile.open(file)) {
            meta = f.metadata();
        }
        ModelConfig c = config(meta);
        JointModel m = new JointModel(c, new Vocab(strings(meta.get("text_vocab"))), new Vocab(strings(meta.get("gloss_vocab"))), new Rng(0));
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (var e : Safetensors.load(file).entrySet()) if (e.getKey().startsWith("model.")) w.put(e.getKey().substring(6), e.getValue());
        var res = m.loadStateDict(w, true);
        if (!res.clean()) throw new IOException(file + ": weights do not fit the stored config: " + res);
        m.eval();
        return m;
    }

    private static List<String> strings(String json) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(json)) out.add((String) o);
        return out;
    }

    private static int i(Map<?, ?> m, String k) {
        return ((Number) m.get(k)).intValue();
    }

    private static double d(Map<?, ?> m, String k) {
        return ((Number) m.get(k)).doubleValue();
    }
}
