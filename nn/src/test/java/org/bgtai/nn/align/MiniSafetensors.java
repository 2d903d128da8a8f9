package org.bgtai.nn.align;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny test-only safetensors reader (F32 only): 8-byte little-endian header length, JSON
 * header, little-endian data. Stand-in until the real reader lands in the tensor module.
 */
final class MiniSafetensors {
    private static final Pattern ENTRY = Pattern.compile(
        "\"([^\"]+)\"\\s*:\\s*\\{\\s*\"dtype\"\\s*:\\s*\"(\\w+)\"\\s*,\\s*\"shape\"\\s*:\\s*\\[([^\\]]*)\\]\\s*,\\s*\"data_offsets\"\\s*:\\s*\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]\\s*\\}");

    /** A tensor: shape and values. */
    record Entry(int[] shape, float[] data) {}

    private MiniSafetensors() {}

    static Map<String, Entry> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(bb.getLong(0));
        String header = new String(bytes, 8, n, StandardCharsets.UTF_8);
        Map<String, Entry> out = new HashMap<>();
        Matcher m = ENTRY.matcher(header);
        while (m.find()) {
            if (!m.group(2).equals("F32")) throw new IOException("MiniSafetensors reads F32 only, got " + m.group(2) + " for " + m.group(1));
            String dims = m.group(3).trim();
            int[] shape = dims.isEmpty() ? new int[0] : java.util.Arrays.stream(dims.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            int begin = Integer.parseInt(m.group(4)), end = Integer.parseInt(m.group(5));
            float[] data = new float[(end - begin) / 4];
            for (int k = 0; k < data.length; k++) data[k] = bb.getFloat(8 + n + begin + 4 * k);
            out.put(m.group(1), new Entry(shape, data));
        }
        return out;
    }
}
