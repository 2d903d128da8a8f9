package org.bgtai.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Targets that are no regular file (named pipes, devices) are written in place, not replaced; and {@link SharedFiles#resolve}. */
class SpecialTargetsTest {
    @Test
    void aNamedPipeIsWrittenNotReplaced(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("out.json");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("mkfifo not available: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Json.writeFile(fifo, Map.of("ratio", 1.5));
        assertEquals("{\n  \"ratio\": 1.5\n}\n", read.get(10, TimeUnit.SECONDS));
        assertTrue(Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther(), "the pipe is still a pipe");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left");
        }
    }

    @Test
    void resolveFallsBackToSharedBesideTheCheckout() {
        Path root = SharedFiles.root();
        Path r = SharedFiles.resolve("data/x");
        assertEquals(root != null ? root.resolve("data/x") : Path.of("..", "shared", "data", "x"), r);
    }
}
