package org.bgtai.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bgtai.tensor.io.Json;
import org.bgtai.tensor.io.JsonParseException;

/**
 * What the benchmarks share around their reference processes: finding the reference scripts of
 * {@code bench/}, reading the JSON line a script prints, and rounding figures for the JSON
 * reports (written with {@link Json#writeFile}, atomically).
 */
final class BenchIo {
    private BenchIo() {}

    /**
     * {@code bench/<name>} of the checkout: under {@code -Dbgtai.home} (set by {@code bin/bgtai}),
     * else in the working directory or a folder above it; null when none exists.
     */
    static Path script(String name) {
        String home = System.getProperty("bgtai.home");
        if (home != null && Files.isRegularFile(Path.of(home, "bench", name))) return Path.of(home, "bench", name).toAbsolutePath();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("bench").resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /**
     * The last line of a process's output that is a JSON object (scripts print one; warnings may
     * come before it), or null.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> lastJsonObject(String output) {
        if (output == null) return null;
        String[] lines = output.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (!l.startsWith("{")) continue;
            try {
                if (Json.parse(l) instanceof Map<?, ?> m) return (Map<String, Object>) m;
            } catch (JsonParseException notJson) {
                // a line that only starts like JSON
            }
        }
        return null;
    }

    /** The number under {@code key}, or NaN when absent or not a number. */
    static double number(Map<String, Object> json, String key) {
        return json != null && json.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** {@code v} rounded to {@code decimals} decimals (as {@code %.Nf}); null when not finite (JSON has no NaN). */
    static Double fixed(double v, int decimals) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).doubleValue() : null;
    }

    /** {@code v} rounded to {@code digits} significant digits (as {@code %.(N-1)e}); null when not finite. */
    static Double significant(double v, int digits) {
        return Double.isFinite(v) ? new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_UP)).doubleValue() : null;
    }
}
