package org.bgtai.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFromSoundTest {
    @Test
    void drawsInTheColourTheSoundSays(@TempDir Path tmp) throws Exception {
        Printed p = new Printed();
        ImageFromSound.Result r = ImageFromSound.run(tmp.resolve("out.png"), p.out);
        BufferedImage png = ImageIO.read(r.png().toFile());
        assertNotNull(png);
        // one row per colour (6), each the real image and 3 draws, in 96-pixel cells
        assertTrue(png.getWidth() >= 4 * 96 && png.getHeight() >= 6 * 96, png.getWidth() + "x" + png.getHeight());
        // 94% of the 18 drawings with this seed; chance is 1/6. 50% = 3x chance.
        assertTrue(r.colourAccuracy() >= 0.5, "colour matches in " + r.colourAccuracy() + ": " + java.util.Arrays.deepToString(r.drawnColours()));
        assertTrue(p.text().contains("colour of the drawings matches the sound"), p.text());
    }
}
