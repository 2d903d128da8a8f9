package org.bgtai.cli;

import java.util.List;
import java.util.Map;

/**
 * Checks that what a command is about to write is finite, so that no NaN or Infinity reaches a
 * CSV or JSON file (or stdout) unannounced: the error names what produced the value.
 */
final class Finite {
    private Finite() {}

    /**
     * Fails when {@code e} holds a non-finite value.
     *
     * @param what what the vector is, e.g. {@code "the audio embedding of clip.wav"}
     * @param fix  what to do about it
     */
    static void vector(float[] e, String what, String fix) {
        for (int i = 0; i < e.length; i++)
            if (!Float.isFinite(e[i])) throw new IllegalStateException(what + " is " + e[i] + " at dimension " + i + " of " + e.length + "; nothing was written. " + fix);
    }

    /** As {@link #vector} for each row; {@code rowName} names a row, e.g. "test sample". */
    static void rows(float[][] rows, String what, String rowName, String fix) {
        if (rows == null) return;   // a modality the data has not (text-only data has no audio)
        for (int r = 0; r < rows.length; r++) vector(rows[r], what + " of " + rowName + " " + r, fix);
    }

    /** The JSON path ({@code $.a.b[2]}) of the first non-finite number in {@code json}, or null when all are finite. */
    static String firstNonFinite(Object json, String path) {
        switch (json) {
            case Double d when !Double.isFinite(d) -> { return path; }
            case Float f when !Float.isFinite(f) -> { return path; }
            case Map<?, ?> m -> {
                for (var e : m.entrySet()) {
                    String p = firstNonFinite(e.getValue(), path + "." + e.getKey());
                    if (p != null) return p;
                }
            }
            case List<?> l -> {
                for (int i = 0; i < l.size(); i++) {
                    String p = firstNonFinite(l.get(i), path + "[" + i + "]");
                    if (p != null) return p;
                }
            }
            case float[] a -> {
                for (int i = 0; i < a.length; i++) if (!Float.isFinite(a[i])) return path + "[" + i + "]";
            }
            case double[] a -> {
                for (int i = 0; i < a.length; i++) if (!Double.isFinite(a[i])) return path + "[" + i + "]";
            }
            case null, default -> { }
        }
        return null;
    }
}
