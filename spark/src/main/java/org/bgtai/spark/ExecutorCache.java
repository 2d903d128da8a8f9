package org.bgtai.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bgtai.joint.DataSource;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelIO;
import org.bgtai.tensor.io.AtomicFiles;

/**
 * What each executor JVM keeps between tasks: one model instance per shipped model (keyed by the
 * SHA-256 of its safetensors bytes, so a model broadcast once is loaded once per executor,
 * whatever the number of tasks and jobs) and the prepared data of a data-parallel run (keyed by
 * its {@link DataSpec}, model config and seed).
 *
 * <p>A cached model is shared by the executor's task threads; callers embed under its monitor
 * ({@code synchronized (model)}), so each executor runs one model at a time and its kernels use
 * the executor's cores through the Vector API thread pool ({@code BGTAI_THREADS}).
 */
final class ExecutorCache {
    private static final Map<String, JointModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, DataSource.Loaded> DATA = new ConcurrentHashMap<>();

    private ExecutorCache() {}

    /** Hex SHA-256 of {@code bytes}. */
    static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** The model saved in {@code bytes} (a {@code .safetensors} file's contents), loaded once per JVM and hash. */
    static JointModel model(String hash, byte[] bytes) {
        return MODELS.computeIfAbsent(hash, h -> {
            try {
                Path f = Path.of(System.getProperty("java.io.tmpdir"), "bgtai-model-" + h + ".safetensors");
                if (!Files.isRegularFile(f) || Files.size(f) != bytes.length) AtomicFiles.writeBytes(f, bytes);
                return ModelIO.load(f);
            } catch (IOException e) {
                throw new UncheckedIOException("could not load the shipped model " + h + ": " + e.getMessage(), e);
            }
        });
    }

    /** The prepared splits of {@code spec} for model config {@code mc} and {@code seed}, loaded once per JVM. */
    static DataSource.Loaded data(DataSpec spec, ModelConfig mc, long seed) {
        String key = spec + "|" + org.bgtai.tensor.io.Json.write(mc.toJson()) + "|" + seed;
        return DATA.computeIfAbsent(key, k -> {
            try {
                return spec.source().load(mc, seed);
            } catch (IOException e) {
                throw new UncheckedIOException("could not load the training data " + spec + " on this executor: " + e.getMessage(), e);
            }
        });
    }
}
