package org.bgtai.audio.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What a folder load did: how many files loaded and which were skipped, with the reason for each.
 *
 * @param loaded  number of files loaded
 * @param skipped files that could not be loaded, in file order
 */
public record LoadReport(int loaded, List<Skipped> skipped) {
    /** A file that was not loaded and why (e.g. the {@code WavFormatException} message). */
    public record Skipped(Path file, String reason) {}

    public LoadReport {
        skipped = List.copyOf(skipped);
    }

    /** True when nothing was skipped. */
    public boolean clean() {
        return skipped.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("loaded " + loaded + " files, skipped " + skipped.size());
        for (Skipped s : skipped) sb.append("\n  ").append(s.file()).append(": ").append(s.reason());
        return sb.toString();
    }
}
