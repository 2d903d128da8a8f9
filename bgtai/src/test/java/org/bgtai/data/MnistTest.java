package org.bgtai.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        b.put(payload);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        var bo = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(bo)) {
            gz.write(raw);
        }
        return bo.toByteArray();
    }

    @Test
    void readsHandMadeRawAndGzipFiles(@TempDir Path dir) throws IOException {
        byte[] px = new byte[2 * 2 * 3];
        px[0] = (byte) 255;
        px[11] = (byte) 51;
        Path img = dir.resolve("img.gz"), lab = dir.resolve("lab");
        Files.write(img, gzip(idx(Mnist.IMAGE_MAGIC, new int[] {2, 2, 3}, px)));
        Files.write(lab, idx(Mnist.LABEL_MAGIC, new int[] {2}, new byte[] {7, 3}));
        Mnist m = Mnist.open(img, lab);
        assertEquals(2, m.size());
        assertEquals(7, m.label(0));
        assertEquals(3, m.label(1));
        assertEquals(1f, m.image(0).get(0, 0, 0));
        assertEquals(0.2f, m.image(1).get(0, 1, 2), 1e-6f);
        assertEquals(0f, m.image(1).get(0, 0, 0));
    }

    @Test
    void badFilesGiveClearErrors(@TempDir Path dir) throws IOException {
        Path img = dir.resolve("img"), lab = dir.resolve("lab");
        Files.write(img, idx(0x803, new int[] {2, 2, 2}, new byte[8]));
        Files.write(lab, idx(0x803, new int[] {2}, new byte[2]));   // wrong magic
        var e = assertThrows(IOException.class, () -> Mnist.open(img, lab));
        assertTrue(e.getMessage().contains("wrong IDX magic") && e.getMessage().contains("lab"), e.getMessage());

        Files.write(lab, idx(Mnist.LABEL_MAGIC, new int[] {3}, new byte[3]));   // 3 labels vs 2 images
        e = assertThrows(IOException.class, () -> Mnist.open(img, lab));
        assertTrue(e.getMessage().contains("count mismatch"), e.getMessage());

        Files.write(img, idx(Mnist.IMAGE_MAGIC, new int[] {2, 2, 2}, new byte[5]));   // truncated
        e = assertThrows(IOException.class, () -> Mnist.open(img, lab));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Files.write(lab, idx(Mnist.LABEL_MAGIC, new int[] {2}, new byte[] {1, 12}));
        Files.write(img, idx(Mnist.IMAGE_MAGIC, new int[] {2, 2, 2}, new byte[8]));
        e = assertThrows(IOException.class, () -> Mnist.open(img, lab));
        assertTrue(e.getMessage().contains("not a digit"), e.getMessage());

        e = assertThrows(IOException.class, () -> Mnist.open(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void sharedMnistSplits() throws IOException {
        Mnist m = Mnist.open(Shared.require("data/mnist"));
        assertEquals(10_000, m.size());
        assertEquals(28, m.rows());
        assertArrayEquals(new int[] {0, 8000}, m.range(Split.TRAIN));
        assertArrayEquals(new int[] {8000, 9000}, m.range(Split.VAL));
        assertArrayEquals(new int[] {9000, 10000}, m.range(Split.TEST));
        int total = 0;
        for (int d = 0; d < 10; d++) {
            for (int i : m.indicesOf(Split.VAL, d)) assertEquals(d, m.label(i));
            total += m.indicesOf(Split.VAL, d).length;
        }
        assertEquals(1000, total);
        assertEquals(7, m.label(0));   // the first t10k label is a 7 (well known)
    }
}
