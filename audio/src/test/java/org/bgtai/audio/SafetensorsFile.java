package org.bgtai.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal F32 safetensors reader for the torch fixtures (tests only; the tensor module has the real one). */
final class SafetensorsFile {
    private final String header;
    private final ByteBuffer data;

    SafetensorsFile(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) b.getLong(0);
        header = new String(all, 8, n, StandardCharsets.UTF_8);
        data = ByteBuffer.wrap(all, 8 + n, all.length - 8 - n).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    int[] shape(String name) {
        Matcher m = entry(name);
        String[] s = m.group(2).split(",");
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) out[i] = Integer.parseInt(s[i].trim());
        return out;
    }

    float[] floats(String name) {
        Matcher m = entry(name);
        if (!m.group(1).equals("F32")) throw new IllegalStateException(name + " is " + m.group(1));
        int a = Integer.parseInt(m.group(3).trim()), z = Integer.parseInt(m.group(4).trim());
        float[] out = new float[(z - a) / 4];
        for (int i = 0; i < out.length; i++) out[i] = data.getFloat(a + 4 * i);
        return out;
    }

    private Matcher entry(String name) {
        Pattern p = Pattern.compile("\"" + Pattern.quote(name)
            + "\"\\s*:\\s*\\{\\s*\"dtype\"\\s*:\\s*\"(\\w+)\"\\s*,\\s*\"shape\"\\s*:\\s*\\[([^\\]]*)\\]\\s*,\\s*\"data_offsets\"\\s*:\\s*\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]");
        Matcher m = p.matcher(header);
        if (!m.find()) throw new IllegalStateException("no tensor '" + name + "' in " + header);
        return m;
    }
}
