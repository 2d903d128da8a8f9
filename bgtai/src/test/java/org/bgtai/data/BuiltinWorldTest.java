package org.bgtai.data;

import static org.junit.jupiter.api.Assertions.*;

import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.Test;

class BuiltinWorldTest {
    static final WorldConfig CFG = new WorldConfig(32, 8000, 0.5, 2, 1);

    @Test
    void captionsGlossesAndCounts() {
        Dataset<Sample> d = BuiltinWorld.generate(CFG, Split.TRAIN, 1);
        assertEquals(96, d.size());
        assertEquals(48, BuiltinWorld.numClasses());
        assertEquals("small red circle", BuiltinWorld.caption(0));
        assertEquals("BIG ORANGE CROSS", BuiltinWorld.gloss(47));
        for (Sample s : d.items()) {
            assertEquals(BuiltinWorld.caption(s.label()), s.text());
            assertEquals(s.text().toUpperCase(), s.gloss());
            assertEquals(4000, s.audio().length);
            assertEquals(3, s.image().channels());
        }
    }

    @Test
    void deterministicAndSplitsDiffer() {
        var a = BuiltinWorld.generate(CFG, Split.TEST, 3);
        var b = BuiltinWorld.generate(CFG, Split.TEST, 3);
        var c = BuiltinWorld.generate(CFG, Split.VAL, 3);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).audio(), b.get(i).audio());
            assertArrayEquals(a.get(i).image().data(), b.get(i).image().data());
        }
        assertFalse(java.util.Arrays.equals(a.get(0).audio(), c.get(0).audio()));
    }

    /** Pitch encodes colour: the strongest DFT bin (computed here independently) is near f0. */
    @Test
    void toneEncodesColourSizeShape() {
        Rng rng = new Rng(2);
        for (int colour = 0; colour < 6; colour++) {
            float[] x = BuiltinWorld.tone(8000, 0.5, 0, colour, 1, rng);
            double best = 0, bestF = 0;
            for (double f = 200; f < 800; f += 2) {
                double re = 0, im = 0;
                for (int i = 0; i < x.length; i++) {
                    re += x[i] * Math.cos(2 * Math.PI * f * i / 8000);
                    im += x[i] * Math.sin(2 * Math.PI * f * i / 8000);
                }
                if (re * re + im * im > best) {
                    best = re * re + im * im;
                    bestF = f;
                }
            }
            assertEquals(BuiltinWorld.F0[colour], bestF, 0.04 * BuiltinWorld.F0[colour], "colour " + colour);
        }
        // loudness encodes size
        assertTrue(rms(BuiltinWorld.tone(8000, 0.5, 1, 2, 1, rng)) > 2.5 * rms(BuiltinWorld.tone(8000, 0.5, 1, 2, 0, rng)));
        // a sine (circle) has less energy in the 3rd harmonic than a square-wave timbre
        assertTrue(band(BuiltinWorld.tone(8000, 0.5, 0, 0, 1, new Rng(5)), 3 * 261.63) * 20 < band(BuiltinWorld.tone(8000, 0.5, 1, 0, 1, new Rng(5)), 3 * 261.63));
    }

    @Test
    void imageHasTheShapeColour() {
        Image img = BuiltinWorld.image(32, 0, 0, 1, new Rng(4));   // big red circle
        int red = 0;
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
                if (img.get(0, y, x) > 0.7f && img.get(1, y, x) < 0.35f && img.get(2, y, x) < 0.35f) red++;
        double area = Math.PI * 9 * 9;
        assertTrue(red > 0.8 * area && red < 1.2 * Math.PI * 12 * 12, "red pixels " + red);
        assertThrows(IllegalArgumentException.class, () -> BuiltinWorld.sample(CFG, 48, new Rng(0)));
    }

    static double rms(float[] x) {
        double s = 0;
        for (float v : x) s += v * v;
        return Math.sqrt(s / x.length);
    }

    static double band(float[] x, double f) {
        double best = 0;
        for (double g = f * 0.95; g <= f * 1.05; g += 1) {
            double re = 0, im = 0;
            for (int i = 0; i < x.length; i++) {
                re += x[i] * Math.cos(2 * Math.PI * g * i / 8000);
                im += x[i] * Math.sin(2 * Math.PI * g * i / 8000);
            }
            best = Math.max(best, re * re + im * im);
        }
        return best;
    }
}
