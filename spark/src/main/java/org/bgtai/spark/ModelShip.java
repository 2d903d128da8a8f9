package org.bgtai.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelIO;

/**
 * A saved model as it travels to executors: its safetensors bytes and their SHA-256. Broadcast it
 * once; {@link #model()} on an executor loads it the first time and returns the same instance
 * afterwards ({@link ExecutorCache}).
 */
public final class ModelShip implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;
    private final String hash;

    private ModelShip(byte[] bytes) {
        this.bytes = bytes;
        this.hash = ExecutorCache.hash(bytes);
    }

    /**
     * Reads a model file ({@code model.safetensors} of {@code bin/bgtai train}, a training
     * checkpoint, or the folder holding {@code model.safetensors}) and checks on the driver that it
     * loads, so that a bad file fails here and not in every task.
     */
    public static ModelShip read(Path file) throws IOException {
        Path f = Files.isDirectory(file) ? file.resolve("model.safetensors") : file;
        if (!Files.isRegularFile(f))
            throw new NoSuchFileException(f.toString(), null, "no model file here; give the model.safetensors that bin/bgtai train wrote (or its folder)");
        ModelIO.load(f);
        return new ModelShip(Files.readAllBytes(f));
    }

    /** The model saved in {@code bytes} (a model file's contents). */
    public static ModelShip of(byte[] bytes) {
        return new ModelShip(bytes.clone());
    }

    /** SHA-256 of the bytes (hex). */
    public String hash() {
        return hash;
    }

    /** Size in bytes (what a broadcast ships to each executor). */
    public int size() {
        return bytes.length;
    }

    /** The model, loaded once per JVM. */
    public JointModel model() {
        return ExecutorCache.model(hash, bytes);
    }
}
