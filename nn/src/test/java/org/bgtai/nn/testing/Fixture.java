package org.bgtai.nn.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.DType;
import org.bgtai.tensor.io.Safetensors;
import org.bgtai.tensor.io.SafetensorsFile;
import org.bgtai.tensor.testing.Shared;

/** A PyTorch fixture ({@code shared/fixtures/torch/<name>.safetensors}) read with our safetensors reader. */
public final class Fixture {
    private final Path file;
    private final Map<String, Object> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata;
    private final Device device;

    private Fixture(Path file, Map<String, Object> tensors, Map<String, String> metadata, Device device) {
        this.file = file;
        this.tensors.putAll(tensors);
        this.metadata = metadata;
        this.device = device;
    }

    private Fixture(Path file) throws IOException {
        this.file = file;
        this.device = Device.CPU;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            metadata = new LinkedHashMap<>(f.metadata());
            for (SafetensorsFile.Entry e : f.entries())
                tensors.put(e.name(), e.dtype() == DType.I64 ? Safetensors.intTensor(e) : Safetensors.tensor(e));
        }
    }

    /** Loads {@code shared/fixtures/torch/<name>.safetensors} (skips the test when absent). */
    public static Fixture load(String name) {
        try {
            return new Fixture(Shared.torchFixture(name));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read fixture " + name + ": " + e.getMessage(), e);
        }
    }

    /** The same fixture with its float tensors on {@code device} (index tensors stay on the host). */
    public Fixture on(Device device) {
        Map<String, Object> moved = new LinkedHashMap<>();
        for (var e : tensors.entrySet()) moved.put(e.getKey(), e.getValue() instanceof Tensor t ? t.to(device) : e.getValue());
        return new Fixture(file, moved, metadata, device);
    }

    /** Where {@link #f} tensors live ({@link Device#CPU} unless moved with {@link #on}). */
    public Device device() {
        return device;
    }

    public Tensor f(String name) {
        Object o = tensors.get(name);
        if (!(o instanceof Tensor t)) throw new IllegalArgumentException("fixture " + file + " has no float tensor '" + name + "'; it has " + tensors.keySet());
        return t;
    }

    public IntTensor i(String name) {
        Object o = tensors.get(name);
        if (!(o instanceof IntTensor t)) throw new IllegalArgumentException("fixture " + file + " has no I64 tensor '" + name + "'; it has " + tensors.keySet());
        return t;
    }

    public String meta(String key) {
        return metadata.get(key);
    }

    /** Float tensors whose names start with {@code prefix}, with the prefix removed. */
    public Map<String, Tensor> withPrefix(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : tensors.entrySet())
            if (e.getKey().startsWith(prefix) && e.getValue() instanceof Tensor t) out.put(e.getKey().substring(prefix.length()), t);
        return out;
    }
}
