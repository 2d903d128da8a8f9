package org.bgtai.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.model.ModelConfig;
import org.bgtai.tensor.io.Json;
import org.bgtai.joint.DataSource;
import picocli.CommandLine.Option;

/**
 * The data flags shared by train, eval and retrieve, and their record: {@code data.json} in a model
 * folder and the {@code "data"} entry of the model file's metadata, so that eval and retrieve
 * default to the data a model was trained on.
 */
final class DataOptions {
    static final String RECORD = "data.json";

    @Option(names = "--data", description = "world (built-in, no files), avdigits (FSDD x MNIST single digits), strings (spoken digit strings) "
        + "weather (PHOENIX-2014T German sentences with their gloss and a weather map rendered from it; text only), "
        + "or pairs:FILE (your own data: a CSV with header audio,image,text[,gloss][,label][,split], or JSONL {\"audio\":..,\"image\":..,\"text\":..}; "
        + "paths relative to FILE; images resized to 32x32 RGB; label = the label column, else the text; split = the split column, "
        + "else a seeded 80/10/10; gloss = the gloss column, else the text's content words upper-cased)")
    String data;

    @Option(names = "--data-dir", description = "folder holding fsdd/ and mnist/ (weather: phoenix14t-text2gloss/) (default: $BGTAI_SHARED/data, else ../shared/data)")
    Path dataDir;

    @Option(names = "--limit", description = "avdigits, weather: at most N pairs per split, spread evenly (0 = all)")
    Integer limit;

    @Option(names = "--strings", description = "strings: training strings (default 2000)")
    Integer strings;

    @Option(names = "--eval-strings", description = "strings: validation and test strings each (default 300)")
    Integer evalStrings;

    @Option(names = "--unseen-speakers", description = "avdigits: keep two FSDD speakers (george, nicolas) out of training and test on them as well")
    Boolean unseenSpeakers;

    @Option(names = "--held-out-combinations", description = "world: size/colour/shape combinations kept out of training (0-6, default 0)")
    Integer heldOutCombinations;

    @Option(names = "--data-seed", description = "seed of the data (MNIST partners, strings; default: the training seed)")
    Long dataSeed;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** world: training samples per class (train and demo --per-class; eval and retrieve read it from the data record). */
    Integer worldPerClass;

    /** The key of the record in a saved model's metadata. */
    static final String METADATA_KEY = "data";

    /**
     * For eval and retrieve: fills unset flags from the record of the model, looked for in this
     * order: {@code data.json} in {@code modelDir}, the {@code "data"} metadata of {@code modelFile},
     * the {@code metrics.json} of a {@code bin/bgtai demo} folder written before models carried
     * the record, and last the model's image channels (3: the built-in world, 1: avdigits). Says
     * on stderr where {@code --data} came from when it was not given.
     */
    DataOptions withModelDefaults(Path modelDir, Path modelFile, ModelConfig config, long seed) throws IOException {
        boolean given = data != null;
        Map<?, ?> rec = null;
        String from = null;
        if (modelDir != null && Files.isRegularFile(modelDir.resolve(RECORD))) {
            rec = (Map<?, ?>) Json.read(modelDir.resolve(RECORD));
            from = modelDir.resolve(RECORD).toString();
        }
        if (rec == null) {
            String meta = org.bgtai.model.ModelIO.readMetadata(modelFile).get(METADATA_KEY);
            if (meta != null) {
                rec = (Map<?, ?>) Json.parse(meta);
                from = "the metadata of " + modelFile;
            }
        }
        if (rec == null && modelDir != null && Files.isRegularFile(modelDir.resolve("metrics.json"))
            && Json.read(modelDir.resolve("metrics.json")) instanceof Map<?, ?> metrics && metrics.get("world") instanceof Map<?, ?> w
            && w.get("held_out_combinations") instanceof Number h && w.get("train") instanceof Number n && w.get("seed") instanceof Number sd) {
            Map<String, Object> r = new LinkedHashMap<>();   // a bin/bgtai demo report folder
            r.put("data", "world");
            r.put("held_out_combinations", h.intValue());
            r.put("data_seed", sd.longValue());
            r.put("per_class", n.intValue() / (org.bgtai.data.BuiltinWorld.numClasses() - h.intValue()));
            rec = r;
            from = modelDir.resolve("metrics.json") + " (a bin/bgtai demo report)";
        }
        if (rec == null) {
            rec = Map.of("data", config.imageChannels() == 3 ? "world" : "avdigits");
            from = "the model's " + config.imageChannels() + "-channel images (it carries no data record)";
        }
        fill(rec, seed);
        if (!given) {
            java.io.PrintWriter err = mixee != null ? mixee.commandLine().getErr() : new java.io.PrintWriter(System.err, true);
            err.println("bgtai: --data " + data + " (from " + from + ")");
            err.flush();
        }
        return this;
    }

    /** Fills unset flags from a model folder's {@code data.json}, then from the defaults. */
    DataOptions withDefaults(Path modelDir, long seed) throws IOException {
        Map<?, ?> rec = Map.of();
        if (modelDir != null && Files.isRegularFile(modelDir.resolve(RECORD))) rec = (Map<?, ?>) Json.read(modelDir.resolve(RECORD));
        return fill(rec, seed);
    }

    /** Fills unset flags from {@code rec} (a record as {@link #record()} writes it), then from the defaults. */
    private DataOptions fill(Map<?, ?> rec, long seed) {
        if (data == null) data = rec.containsKey("data") ? (String) rec.get("data") : "avdigits";
        if (dataDir == null && rec.get("data_dir") instanceof String s) dataDir = Path.of(s);
        if (limit == null) limit = rec.get("limit") instanceof Number n ? n.intValue() : 0;
        if (strings == null) strings = rec.get("strings") instanceof Number n ? n.intValue() : 2000;
        if (evalStrings == null) evalStrings = rec.get("eval_strings") instanceof Number n ? n.intValue() : 300;
        if (unseenSpeakers == null) unseenSpeakers = Boolean.TRUE.equals(rec.get("unseen_speakers"));
        if (heldOutCombinations == null) heldOutCombinations = rec.get("held_out_combinations") instanceof Number n ? n.intValue() : 0;
        if (dataSeed == null) dataSeed = rec.get("data_seed") instanceof Number n ? n.longValue() : seed;
        if (worldPerClass == null) worldPerClass = rec.get("per_class") instanceof Number n ? n.intValue() : WorldConfig.DEFAULT.perClass();
        if (data.regionMatches(true, 0, PAIRS, 0, PAIRS.length())) {
            String f = data.substring(PAIRS.length()).trim();
            if (f.isEmpty()) throw new IllegalArgumentException("--data pairs: needs a file, e.g. --data pairs:my-data/pairs.csv");
            data = PAIRS + Path.of(f).toAbsolutePath().normalize();   // absolute, so the record works from any folder
            return this;
        }
        data = data.toLowerCase(Locale.ROOT);
        if (!data.equals("world") && !data.equals("avdigits") && !data.equals("strings") && !data.equals("weather"))
            throw new IllegalArgumentException("unknown --data '" + data + "'; use world, avdigits, strings, weather or pairs:FILE");
        return this;
    }

    /** The prefix of a user's paired data, {@code pairs:FILE}. */
    static final String PAIRS = "pairs:";

    /** True for {@code --data pairs:FILE}. */
    boolean pairs() {
        return data.startsWith(PAIRS);
    }

    /** The pairs file of {@code --data pairs:FILE}. */
    Path pairsFile() {
        return Path.of(data.substring(PAIRS.length()));
    }

    /** The data's short name for file names: world, avdigits, strings or pairs. */
    String id() {
        return pairs() ? "pairs" : data;
    }

    DataSource source() throws IOException {
        if (pairs()) return new DataSource.Pairs(pairsFile());
        if (data.equals("world")) return new DataSource.World(world());
        if (data.equals("weather")) {
            DataSource.Weather w = DataSource.weather(dataDir);
            return new DataSource.Weather(w.dir(), limit, null, null);
        }
        Path root = DataSource.dataRoot(dataDir);
        if (data.equals("avdigits")) return new DataSource.Digits(root.resolve("fsdd"), root.resolve("mnist"), limit,
            unseenSpeakers ? DataSource.Digits.UNSEEN : java.util.Set.of());
        return new DataSource.Strings(root.resolve("fsdd"), root.resolve("mnist"), strings, evalStrings, 1, 5, false);
    }

    /** True for data without audio (weather): no log-mel augmentation, no DS-Net terms. */
    boolean textOnly() {
        return data.equals("weather");
    }

    /** The built-in world of these options. */
    WorldConfig world() {
        WorldConfig d = WorldConfig.DEFAULT;
        return new WorldConfig(d.canvas(), d.sampleRate(), d.seconds(), worldPerClass != null ? worldPerClass : d.perClass(), d.evalPerClass(), heldOutCombinations);
    }

    /** The preset model config of the data. */
    ModelConfig preset(ModelConfig.Variant v) {
        if (pairs()) return ModelConfig.pairs(v);
        return switch (data) {
            case "world" -> ModelConfig.world(v);
            case "weather" -> ModelConfig.weather(v);
            default -> ModelConfig.digits(v);
        };
    }

    void write(Path modelDir) throws IOException {
        Json.writeFile(modelDir.resolve(RECORD), record());
    }

    /** The record of these (filled) options: what data.json and a model's "data" metadata hold. */
    Map<String, Object> record() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data);
        if (dataDir != null) m.put("data_dir", dataDir.toAbsolutePath().toString());
        m.put("limit", limit);
        m.put("strings", strings);
        m.put("eval_strings", evalStrings);
        m.put("data_seed", dataSeed);
        m.put("unseen_speakers", unseenSpeakers);
        m.put("held_out_combinations", heldOutCombinations);
        if (data.equals("world")) m.put("per_class", worldPerClass);
        return m;
    }

    /** {@code DIR/model.safetensors} (or DIR itself when it is a file), with a clear error when missing. */
    static Path modelFile(Path model) throws IOException {
        Path f = Files.isDirectory(model) ? model.resolve(TrainCommand.MODEL) : model;
        if (!Files.isRegularFile(f)) {
            if (Files.isDirectory(model) && Files.isRegularFile(model.resolve(org.bgtai.nn.train.TrainOptions.CHECKPOINT)))
                throw new IOException("no " + TrainCommand.MODEL + " in " + model + " (training did not finish); run bin/bgtai train --out " + model + " --resume");
            throw new IOException("no model at " + model + ": expected a folder written by bin/bgtai train (holding " + TrainCommand.MODEL + ") or a .safetensors file");
        }
        return f;
    }
}
