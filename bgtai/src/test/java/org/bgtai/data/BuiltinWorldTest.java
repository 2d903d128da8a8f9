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
        assertEquals("CROSS ORANGE BIG", BuiltinWorld.gloss(47));
        java.util.Set<String> texts = new java.util.HashSet<>();
        for (Sample s : d.items()) {
            String shape = BuiltinWorld.SHAPES[BuiltinWorld.shapeOf(s.label())].toUpperCase();
            String colour = BuiltinWorld.COLOURS[BuiltinWorld.colourOf(s.label())].toUpperCase();
            String size = BuiltinWorld.SIZES[BuiltinWorld.sizeOf(s.label())].toUpperCase();
            assertEquals(shape + " " + colour + " " + size, s.gloss());
            assertFalse(s.text().isBlank());
            texts.add(s.text());
            assertEquals(4000, s.audio().length);
            assertEquals(3, s.image().channels());
        }
        assertTrue(texts.size() > 48, "captions are phrased, not one per class: " + texts.size());
    }

    @Test
    void heldOutCombinationsAreMissingFromTrainingOnly() {
        WorldConfig cfg = CFG.withHeldOutCombinations(6);
        java.util.Set<Integer> held = BuiltinWorld.heldOut(6);
        assertEquals(6, held.size());
        for (Sample s : BuiltinWorld.generate(cfg, Split.TRAIN, 1).items()) assertFalse(held.contains(s.label()));
        for (Sample s : BuiltinWorld.generate(cfg, Split.VAL, 1).items()) assertFalse(held.contains(s.label()));
        java.util.Set<Integer> test = new java.util.HashSet<>();
        for (Sample s : BuiltinWorld.generate(cfg, Split.TEST, 1).items()) test.add(s.label());
        assertTrue(test.containsAll(held));
        // every size, colour and shape still occurs among the training classes
        java.util.Set<Integer> sizes = new java.util.HashSet<>(), colours = new java.util.HashSet<>(), shapes = new java.util.HashSet<>();
        for (int l = 0; l < 48; l++)
            if (!held.contains(l)) {
                sizes.add(BuiltinWorld.sizeOf(l));
                colours.add(BuiltinWorld.colourOf(l));
                shapes.add(BuiltinWorld.shapeOf(l));
            }
        assertEquals(2, sizes.size());
        assertEquals(6, colours.size());
        assertEquals(4, shapes.size());
    }

    @Test
    void deterministicAndSplitsDiffer() {
        var a = BuiltinWorld.generate(CFG, Split.TEST, 3);
        var b = BuiltinWorld.generate(CFG, Split.TEST, 3);
        var c = BuiltinWorld.generate(CFG, Split.VAL, 3);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).audio(), b.get(i).audio());
            assertArrayEquals(a.get(i).image().data(), b.get(i).image().data());
            assertEquals(a.get(i).text(), b.get(i).text());
        }
        assertFalse(java.util.Arrays.equals(a.get(0).audio(), c.get(0).audio()));
    }

    /**
     * The sound is three notes in gloss order: the shape note's timbre encodes the shape, the colour
     * note's pitch the colour (strongest DFT bin, computed here independently) and the size note's
     * loudness the size; outside the notes there is only faint noise.
     */
    @Test
    void phraseEncodesShapeColourSizeInOrder() {
        Rng rng = new Rng(2);
        for (int colour = 0; colour < 6; colour++) {
            BuiltinWorld.Phrase p = BuiltinWorld.phrase(8000, 0.8, 0, colour, 1, rng);
            assertEquals(6400, p.audio().length);
            for (int k = 0; k < 3; k++) {
                assertTrue(p.starts()[k] < p.ends()[k]);
                if (k > 0) assertTrue(p.ends()[k - 1] <= p.starts()[k], "notes in order, not overlapping");
            }
            assertTrue(p.ends()[2] <= p.audio().length);
            float[] note = java.util.Arrays.copyOfRange(p.audio(), p.starts()[1], p.ends()[1]);
            double best = 0, bestF = 0;
            for (double f = 200; f < 800; f += 2) {
                double e = power(note, f);
                if (e > best) {
                    best = e;
                    bestF = f;
                }
            }
            assertEquals(BuiltinWorld.F0[colour], bestF, 0.04 * BuiltinWorld.F0[colour], "colour " + colour);
            float[] gap = java.util.Arrays.copyOfRange(p.audio(), 0, p.starts()[0]);
            if (gap.length > 0) assertTrue(rms(gap) < 0.02, "silence before the first note: " + rms(gap));
        }
        // loudness of the third note encodes size
        BuiltinWorld.Phrase big = BuiltinWorld.phrase(8000, 0.8, 1, 2, 1, new Rng(3)), small = BuiltinWorld.phrase(8000, 0.8, 1, 2, 0, new Rng(3));
        assertTrue(rms(span(big, 2)) > 2.5 * rms(span(small, 2)));
        // a sine (circle) has less energy in the 3rd harmonic of the shape note than a square-wave timbre
        float[] circle = span(BuiltinWorld.phrase(8000, 0.8, 0, 0, 1, new Rng(5)), 0), square = span(BuiltinWorld.phrase(8000, 0.8, 1, 0, 1, new Rng(5)), 0);
        assertTrue(band(circle, 3 * BuiltinWorld.SHAPE_F0) / circle.length * 20 < band(square, 3 * BuiltinWorld.SHAPE_F0) / square.length);
    }

    @Test
    void notesAreOneWordClips() {
        var notes = BuiltinWorld.notes(CFG, 2, 7);
        assertEquals(2 * (4 + 6 + 2), notes.size());
        java.util.Set<String> words = new java.util.HashSet<>();
        for (Sample s : notes) {
            assertEquals(1, s.gloss().split(" ").length);
            assertEquals(s.text().toUpperCase(), s.gloss());
            words.add(s.gloss());
            assertTrue(rms(s.audio()) > 0.02, "a note is audible");
        }
        assertEquals(12, words.size());
        assertThrows(IllegalArgumentException.class, () -> BuiltinWorld.note(CFG, 3, 0, new Rng(0)));
    }

    static float[] span(BuiltinWorld.Phrase p, int k) {
        return java.util.Arrays.copyOfRange(p.audio(), p.starts()[k], p.ends()[k]);
    }

    static double power(float[] x, double f) {
        double re = 0, im = 0;
        for (int i = 0; i < x.length; i++) {
            re += x[i] * Math.cos(2 * Math.PI * f * i / 8000);
            im += x[i] * Math.sin(2 * Math.PI * f * i / 8000);
        }
        return re * re + im * im;
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
        for (double g = f * 0.95; g <= f * 1.05; g += 1) best = Math.max(best, power(x, g));
        return best;
    }
}
