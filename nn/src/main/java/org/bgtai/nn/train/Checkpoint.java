package org.bgtai.nn.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bgtai.nn.Dropout;
import org.bgtai.nn.Module;
import org.bgtai.nn.optim.Optimizer;
import org.bgtai.nn.optim.OptimizerState;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.Safetensors;
import org.bgtai.tensor.io.SafetensorsFile;
import org.bgtai.tensor.io.SafetensorsWriter;

/**
 * One training checkpoint in one safetensors file, written atomically (temp file, fsync, rename):
 * model weights under their state-dict names ({@code model.<name>}), optimizer state
 * ({@code optim.<param>.<state>}), and in {@code __metadata__} the optimizer step, the epoch, the
 * RNG state, the state of every dropout layer's mask generator ({@code dropout_rng.<module>}) and
 * any user entries. Because weights, optimizer moments and the RNGs are restored exactly, a
 * resumed run continues bit-for-bit, dropout included.
 *
 * <pre>{@code
 * Checkpoint.save(dir.resolve("last.safetensors"), model, opt, rng, epoch, Map.of("dev_bleu", "19.8"));
 * Checkpoint.Info info = Checkpoint.load(path, model, opt);   // info.rng(), info.epoch()
 * }</pre>
 */
public final class Checkpoint {
    private Checkpoint() {}

    /** What {@link #load} restored besides the tensors. */
    public record Info(int epoch, long step, Rng rng, Map<String, String> metadata) {}

    /** The raw contents of a checkpoint file: weights by state-dict name, optimizer state (or null), metadata. */
    public record Contents(Map<String, Tensor> model, OptimizerState optimizer, Map<String, String> metadata) {}

    /**
     * Writes weight and optimizer maps atomically: {@code model.<name>}, {@code optim.<name>} and
     * the optimizer step in metadata {@code optim.step}. For code that holds weight maps rather
     * than a module (checkpoint averaging, exported snapshots).
     */
    public static void write(Path file, Map<String, Tensor> model, OptimizerState opt, Map<String, String> metadata) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (var e : model.entrySet()) add(w, "model." + e.getKey(), e.getValue());
        if (opt != null) {
            for (var e : opt.tensors().entrySet()) add(w, "optim." + e.getKey(), e.getValue());
            w.metadata("optim.step", Long.toString(opt.step()));
        }
        if (metadata != null) w.metadata(metadata);
        if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        w.write(file);
    }

    /** Reads what {@link #write} wrote; the optimizer state is null when the file has none. */
    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file))
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "checkpoint not found; train first or check --model/--resume");
        Map<String, Tensor> weights = new LinkedHashMap<>(), optim = new LinkedHashMap<>();
        Map<String, String> meta;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            meta = new LinkedHashMap<>(f.metadata());
            for (SafetensorsFile.Entry e : f.entries()) {
                if (e.name().startsWith("model.")) weights.put(e.name().substring(6), Safetensors.tensor(e));
                else if (e.name().startsWith("optim.")) optim.put(e.name().substring(6), Safetensors.tensor(e));
            }
        }
        OptimizerState os = optim.isEmpty() ? null : new OptimizerState(Long.parseLong(meta.getOrDefault("optim.step", "0")), optim);
        return new Contents(weights, os, meta);
    }

    public static void save(Path file, Module model, Optimizer opt, Rng rng, int epoch, Map<String, String> extra) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        if (rng != null) {
            long[] st = rng.state();
            meta.put("rng.seed", Long.toString(st[0]));
            meta.put("rng.counter", Long.toString(st[1]));
        }
        meta.put("epoch", Integer.toString(epoch));
        meta.put("format", "bgtai-checkpoint-1");
        meta.putAll(dropoutStates(model));
        if (extra != null) meta.putAll(extra);
        write(file, model.stateDict(), opt == null ? null : opt.state(), meta);
    }

    /**
     * Restores {@code model} (strictly: every key and shape must match) and, when given,
     * {@code opt}. Errors name the file and the offending tensors.
     */
    public static Info load(Path file, Module model, Optimizer opt) throws IOException {
        Contents c = read(file);
        Map<String, String> meta = c.metadata();
        if (!"bgtai-checkpoint-1".equals(meta.get("format")))
            throw new IOException(file + ": not a bgtai checkpoint (metadata 'format' is " + meta.get("format") + ")");
        try {
            model.loadStateDict(c.model(), true);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(file + ": checkpoint does not fit this model: " + ex.getMessage(), ex);
        }
        long step = c.optimizer() == null ? 0 : c.optimizer().step();
        if (opt != null) {
            try {
                opt.loadState(c.optimizer() != null ? c.optimizer() : new OptimizerState(0, Map.of()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(file + ": " + ex.getMessage(), ex);
            }
        }
        restoreDropouts(model, meta);
        Rng rng = meta.containsKey("rng.seed")
            ? new Rng(new long[] {Long.parseLong(meta.get("rng.seed")), Long.parseLong(meta.get("rng.counter"))}) : null;
        return new Info(Integer.parseInt(meta.getOrDefault("epoch", "0")), step, rng, meta);
    }

    /**
     * Metadata entries {@code dropout_rng.<module> = "seed,counter"} for every dropout layer of
     * {@code model}: what a checkpoint needs so that a resumed run draws the same masks. Written by
     * {@link #save}; for code that writes weight maps with {@link #write}.
     */
    public static Map<String, String> dropoutStates(Module model) {
        Map<String, String> out = new LinkedHashMap<>();
        dropouts(model, "").forEach((name, d) -> {
            long[] st = d.rng().state();
            out.put("dropout_rng." + name, st[0] + "," + st[1]);
        });
        return out;
    }

    /** Sets every dropout layer's generator from {@link #dropoutStates} entries in {@code meta} (layers without an entry are left as built). */
    public static void restoreDropouts(Module model, Map<String, String> meta) {
        dropouts(model, "").forEach((name, d) -> {
            String st = meta.get("dropout_rng." + name);
            if (st != null) {
                String[] p = st.split(",");
                d.rng().setState(new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])});
            }
        });
    }

    /** Every {@link Dropout} of the tree by its dotted module name (the root itself as ""). */
    static Map<String, Dropout> dropouts(Module m, String prefix) {
        Map<String, Dropout> out = new LinkedHashMap<>();
        if (m instanceof Dropout d) out.put(prefix, d);
        for (var e : m.children().entrySet()) out.putAll(dropouts(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey()));
        return out;
    }

    /**
     * Writes only the weights, under their plain state-dict names, so the file loads into the
     * PyTorch module of the same structure ({@code model.load_state_dict(safetensors.torch.load_file(f))}).
     */
    public static void saveWeights(Path file, Module model) throws IOException {
        Safetensors.save(file, model.stateDict(), Map.of("format", "pt"));
    }

    /** Loads a plain state-dict safetensors file (e.g. exported from PyTorch). */
    public static Module.LoadResult loadWeights(Path file, Module model, boolean strict) throws IOException {
        try {
            return model.loadStateDict(Safetensors.load(file), strict);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(file + ": " + ex.getMessage(), ex);
        }
    }

    /** Element-wise mean of weight maps with the same keys and shapes (checkpoint averaging). */
    public static Map<String, Tensor> average(java.util.List<Map<String, Tensor>> ws) {
        if (ws.isEmpty()) throw new IllegalArgumentException("nothing to average");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : ws.get(0).keySet()) {
            Tensor acc = ws.get(0).get(k).copy();
            for (int i = 1; i < ws.size(); i++) {
                Tensor t = ws.get(i).get(k);
                if (t == null || !java.util.Arrays.equals(t.shape(), acc.shape()))
                    throw new IllegalArgumentException("cannot average: weight " + k + " is missing or has another shape in snapshot " + i);
                acc.addInPlace(t, 1f);
            }
            out.put(k, acc.mul(1f / ws.size()));
        }
        return out;
    }

    private static void add(SafetensorsWriter w, String name, Tensor t) {
        w.add(name, t.shape(), t.toArray());
    }
}
