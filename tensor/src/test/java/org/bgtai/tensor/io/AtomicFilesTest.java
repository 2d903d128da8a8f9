package org.bgtai.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplaces(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("ckpt.bin");
        AtomicFiles.write(f, out -> out.write(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        AtomicFiles.writeString(f, "new");
        assertEquals("new", Files.readString(f));
        assertEquals(List.of("ckpt.bin"), listing(dir));
    }

    @Test
    void largeBodiesAreWrittenCompletely(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("big.bin");
        byte[] chunk = new byte[100_003];
        for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) (i * 31);
        AtomicFiles.write(f, out -> {
            for (int k = 0; k < 7; k++) out.write(chunk);
            out.write(5);
            out.close(); // closing in the body is allowed
        });
        byte[] all = Files.readAllBytes(f);
        assertEquals(7 * chunk.length + 1, all.length);
        assertEquals(chunk[12345], all[3 * chunk.length + 12345]);
        assertEquals(5, all[all.length - 1]);
    }

    @Test
    void failingBodyLeavesOldFileAndNoTempFiles(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("ckpt.bin");
        Files.writeString(f, "old content");
        IOException boom = new IOException("disk full (simulated)");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[200_000]); // more than the buffer, so some bytes reached the temp file
            throw boom;
        }));
        assertSame(boom, e);
        assertEquals("old content", Files.readString(f));
        assertEquals(List.of("ckpt.bin"), listing(dir));
    }

    @Test
    void uncheckedFailuresAlsoCleanUp(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("report.json");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, out -> {
            out.write('x');
            throw new UncheckedIOException(new IOException("boom"));
        }));
        assertEquals(List.of(), listing(dir), "no target created and no temp file left");
    }

    @Test
    void deleteLeftoversRemovesOnlyTheTemporaryFilesOfWrites(@TempDir Path dir) throws IOException {
        // what a write killed before its rename leaves, next to files that merely look alike
        Path left = dir.resolve(".checkpoint.safetensors.3fa9c01d2e4b5a67.tmp"), left2 = dir.resolve(".metrics.json.7.tmp");
        Files.writeString(left, "half");
        Files.writeString(left2, "{");
        List<Path> keep = List.of(dir.resolve("checkpoint.safetensors"), dir.resolve("x.tmp"), dir.resolve(".hidden"), dir.resolve(".a.b.notHex!.tmp"),
            dir.resolve(".a.B12.tmp"));
        for (Path k : keep) Files.writeString(k, "keep");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub").resolve(".a.12.tmp"), "not this folder");
        assertEquals(2, AtomicFiles.deleteLeftovers(dir));
        assertTrue(Files.notExists(left) && Files.notExists(left2));
        for (Path k : keep) assertTrue(Files.exists(k), k + " was deleted");
        assertTrue(Files.exists(dir.resolve("sub").resolve(".a.12.tmp")), "only the folder itself is cleaned");
        assertEquals(0, AtomicFiles.deleteLeftovers(dir.resolve("missing")));
    }

    @Test
    void missingDirectoryIsAClearError(@TempDir Path dir) {
        Path f = dir.resolve("no/such/dir/x.bin");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(f, "x"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void directoryTargetIsRejected(@TempDir Path dir) throws IOException {
        Files.createDirectory(dir.resolve("sub"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(dir.resolve("sub"), "x"));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        assertEquals(List.of("sub"), listing(dir));
    }
}
