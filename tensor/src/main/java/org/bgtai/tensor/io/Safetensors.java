package org.bgtai.tensor.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Tensor;

/**
 * Tensor-level convenience over {@link SafetensorsFile} and {@link SafetensorsWriter}.
 *
 * <pre>{@code
 * Safetensors.save(path, Map.of("weight", w), Map.of("note", "epoch 3"));
 * Map<String, Tensor> back = Safetensors.load(path);
 * }</pre>
 */
public final class Safetensors {
    private Safetensors() {}

    /** A float tensor (any floating or integer dtype converted to float32) of an entry. */
    public static Tensor tensor(SafetensorsFile.Entry e) {
        return Tensor.of(e.toFloatArray(), e.shape());
    }

    /** An index tensor of an integer entry (I64 values must fit int32). */
    public static IntTensor intTensor(SafetensorsFile.Entry e) {
        return IntTensor.of(e.toIntArray(), e.shape());
    }

    /** Every entry of a file as float32 tensors, in file order. */
    public static Map<String, Tensor> load(Path file) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (SafetensorsFile.Entry e : f.entries()) out.put(e.name(), tensor(e));
            return out;
        }
    }

    /** Writes float32 tensors (atomically) with optional string metadata. */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (var en : tensors.entrySet()) w.add(en.getKey(), en.getValue().shape(), en.getValue().toArray());
        if (metadata != null) w.metadata(metadata);
        w.write(file);
    }
}
