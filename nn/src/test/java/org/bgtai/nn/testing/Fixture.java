package org.bgtai.nn.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.testing.Shared;

/**
 * Test-only reader of the PyTorch safetensors fixtures (F32 and I64 only): an 8-byte
 * little-endian header length, a JSON header, then the raw little-endian data. Replaced by the
 * tensor module's safetensors reader once that is merged.
 */
public final class Fixture {
    private static final Pattern ENTRY = Pattern.compile(
        "\"([^\"]+)\"\\s*:\\s*\\{\\s*\"dtype\"\\s*:\\s*\"(\\w+)\"\\s*,\\s*\"shape\"\\s*:\\s*\\[([^\\]]*)\\]\\s*,\\s*\"data_offsets\"\\s*:\\s*\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]\\s*\\}");
    private static final Pattern META = Pattern.compile("\"__metadata__\"\\s*:\\s*\\{([^}]*)\\}");
    private static final Pattern KV = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]*)\"");

    private final Path file;
    private final Map<String, Object> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private Fixture(Path file) throws IOException {
        this.file = file;
        byte[] all = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        int base = 8 + (int) n;
        Matcher mm = META.matcher(header);
        if (mm.find()) {
            Matcher kv = KV.matcher(mm.group(1));
            while (kv.find()) metadata.put(kv.group(1), kv.group(2));
        }
        Matcher m = ENTRY.matcher(header);
        while (m.find()) {
            String name = m.group(1), dtype = m.group(2), dims = m.group(3).trim();
            int[] shape = dims.isEmpty() ? new int[0] : java.util.Arrays.stream(dims.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
            int start = base + Integer.parseInt(m.group(4)), end = base + Integer.parseInt(m.group(5));
            ByteBuffer d = ByteBuffer.wrap(all, start, end - start).slice().order(ByteOrder.LITTLE_ENDIAN);
            switch (dtype) {
                case "F32" -> {
                    float[] f = new float[(end - start) / 4];
                    d.asFloatBuffer().get(f);
                    tensors.put(name, Tensor.of(f, shape));
                }
                case "I64" -> {
                    long[] l = new long[(end - start) / 8];
                    d.asLongBuffer().get(l);
                    tensors.put(name, IntTensor.fromLongs(l, shape));
                }
                default -> throw new IOException("fixture " + file + ": tensor " + name + " has dtype " + dtype + "; only F32 and I64 are supported");
            }
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

    public Tensor f(String name) {
        Object o = tensors.get(name);
        if (!(o instanceof Tensor t)) throw new IllegalArgumentException("fixture " + file + " has no F32 tensor '" + name + "'; it has " + tensors.keySet());
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

    /** F32 tensors whose names start with {@code prefix}, with the prefix removed. */
    public Map<String, Tensor> withPrefix(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : tensors.entrySet())
            if (e.getKey().startsWith(prefix) && e.getValue() instanceof Tensor t) out.put(e.getKey().substring(prefix.length()), t);
        return out;
    }
}
