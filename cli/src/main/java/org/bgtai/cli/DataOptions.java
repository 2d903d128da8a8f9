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
 * The data flags shared by train, eval and retrieve, and their record {@code data.json} in a model
 * folder (so that eval and retrieve default to the data a model was trained on).
 */
final class DataOptions {
    static final String RECORD = "data.json";

    @Option(names = "--data", description = "world (built-in, no files), avdigits (FSDD x MNIST single digits), strings (spoken digit strings) "
        + "or weather (PHOENIX-2014T German sentences with their gloss and a weather map rendered from it; text only)")
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

    /** Fills unset flags from a model folder's {@code data.json}, then from the defaults. */
    DataOptions withDefaults(Path modelDir, long seed) throws IOException {
        Map<?, ?> rec = Map.of();
        if (modelDir != null && Files.isRegularFile(modelDir.resolve(RECORD))) rec = (Map<?, ?>) Json.read(modelDir.resolve(RECORD));
        if (data == null) data = rec.containsKey("data") ? (String) rec.get("data") : "avdigits";
        if (dataDir == null && rec.get("data_dir") instanceof String s) dataDir = Path.of(s);
        if (limit == null) limit = rec.get("limit") instanceof Number n ? n.intValue() : 0;
        if (strings == null) strings = rec.get("strings") instanceof Number n ? n.intValue() : 2000;
        if (evalStrings == null) evalStrings = rec.get("eval_strings") instanceof Number n ? n.intValue() : 300;
        if (unseenSpeakers == null) unseenSpeakers = Boolean.TRUE.equals(rec.get("unseen_speakers"));
        if (heldOutCombinations == null) heldOutCombinations = rec.get("held_out_combinations") instanceof Number n ? n.intValue() : 0;
        if (dataSeed == null) dataSeed = rec.get("data_seed") instanceof Number n ? n.longValue() : seed;
        data = data.toLowerCase(Locale.ROOT);
        if (!data.equals("world") && !data.equals("avdigits") && !data.equals("strings") && !data.equals("weather"))
            throw new IllegalArgumentException("unknown --data '" + data + "'; use world, avdigits, strings or weather");
        return this;
    }

    DataSource source() throws IOException {
        if (data.equals("world")) return new DataSource.World(WorldConfig.DEFAULT.withHeldOutCombinations(heldOutCombinations));
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

    /** The preset model config of the data. */
    ModelConfig preset(ModelConfig.Variant v) {
        return switch (data) {
            case "world" -> ModelConfig.world(v);
            case "weather" -> ModelConfig.weather(v);
            default -> ModelConfig.digits(v);
        };
    }

    void write(Path modelDir) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data);
        if (dataDir != null) m.put("data_dir", dataDir.toAbsolutePath().toString());
        m.put("limit", limit);
        m.put("strings", strings);
        m.put("eval_strings", evalStrings);
        m.put("data_seed", dataSeed);
        m.put("unseen_speakers", unseenSpeakers);
        m.put("held_out_combinations", heldOutCombinations);
        Json.writeFile(modelDir.resolve(RECORD), m);
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
