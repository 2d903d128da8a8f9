package org.bgtai.data;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @Test
    void bytesReadAsTheFile(@TempDir Path dir) throws IOException {
        BufferedImage bi = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) for (int x = 0; x < 5; x++) bi.setRGB(x, y, (x * 50) << 16 | (y * 80) << 8 | 200);
        Path f = dir.resolve("a.png");
        ImageIO.write(bi, "png", f.toFile());
        for (int c : new int[] {1, 3}) {
            Image fromFile = ImageFiles.read(f, c), fromBytes = ImageFiles.read(Files.readAllBytes(f), "a.png", c);
            assertEquals(c, fromBytes.channels());
            assertEquals(5, fromBytes.width());
            assertArrayEquals(fromFile.data(), fromBytes.data());
        }
        IOException e = assertThrows(IOException.class, () -> ImageFiles.read(new byte[] {1, 2, 3}, "row 7", 3));
        assertTrue(e.getMessage().startsWith("row 7: not a readable PNG/JPEG image"), e.getMessage());
    }
}
