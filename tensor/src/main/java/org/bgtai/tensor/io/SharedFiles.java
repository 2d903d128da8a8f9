package org.bgtai.tensor.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the {@code shared/} folder that sits beside a checkout (data sets and PyTorch fixtures
 * used by tests and benchmarks; never part of the repository).
 *
 * <p>Looked up in order: the {@code bgtai.shared} system property, the {@code BGTAI_SHARED}
 * environment variable, {@code ../shared} beside the checkout named by {@code bgtai.home} (set by
 * {@code bin/bgtai}), then {@code ../shared} and {@code ../../shared} relative to the working
 * directory.
 */
public final class SharedFiles {
    private SharedFiles() {}

    /** The shared folder, or {@code null} if none is found. */
    public static Path root() {
        String home = System.getProperty("bgtai.home");
        String[] candidates = {
            System.getProperty("bgtai.shared"), System.getenv("BGTAI_SHARED"), home == null ? null : home + "/../shared", "../shared", "../../shared"
        };
        for (String c : candidates) {
            if (c == null || c.isBlank()) continue;
            Path p = Path.of(c).toAbsolutePath().normalize();
            if (Files.isDirectory(p.resolve("data")) || Files.isDirectory(p.resolve("fixtures"))) return p;
        }
        return null;
    }

    /**
     * {@code shared/<relative>} of {@link #root()}, or {@code ../shared/<relative>} when no shared
     * folder is found: the default location of a data set, which a "not found" message can name.
     * Never null; the path may not exist.
     */
    public static Path resolve(String relative) {
        Path r = root();
        return (r != null ? r : Path.of("..", "shared")).resolve(relative);
    }

    /** {@code shared/<relative>} if it exists, else {@code null}. */
    public static Path find(String relative) {
        Path r = root();
        if (r == null) return null;
        Path p = r.resolve(relative);
        return Files.exists(p) ? p : null;
    }
}
