package org.bgtai.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.bgtai.audio.data.Fsdd;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AvDigitsTest {
    static Fsdd fsdd;
    static Mnist mnist;
    static Dataset<Sample> test;

    @BeforeAll
    static void load() throws IOException {
        Path f = Shared.require("data/fsdd"), m = Shared.require("data/mnist");
        fsdd = Fsdd.open(f);
        mnist = Mnist.open(m);
        test = AvDigits.load(fsdd, mnist, Split.TEST, 5);
    }

    @Test
    void splitCountsFollowTakes() {
        assertEquals(300, AvDigits.clips(fsdd, Split.TEST).size());
        assertEquals(300, AvDigits.clips(fsdd, Split.VAL).size());     // takes 45-49
        assertEquals(2400, AvDigits.clips(fsdd, Split.TRAIN).size());  // takes 5-44
        assertEquals(Split.TEST, AvDigits.splitOf(4));
        assertEquals(Split.TRAIN, AvDigits.splitOf(5));
        assertEquals(Split.VAL, AvDigits.splitOf(45));
    }

    @Test
    void imagesMatchDigitAndSplit() {
        assertEquals(300, test.size());
        int[] r = mnist.range(Split.TEST);
        for (Sample s : test.items()) {
            assertEquals(Words.digit(s.label()), s.text());
            assertEquals(s.text().toUpperCase(), s.gloss());
            assertEquals(8000, s.sampleRate());
            assertTrue(s.audio().length > 1000);
            // the image must be one of the test-range MNIST images of that digit
            boolean found = false;
            for (int i : mnist.indicesOf(Split.TEST, s.label())) {
                if (i < r[0] || i >= r[1]) fail("index out of split");
                if (Arrays.equals(mnist.image(i).data(), s.image().data())) {
                    found = true;
                    break;
                }
            }
            assertTrue(found, "image of " + s.text() + " is not a test-split MNIST " + s.label());
        }
    }

    @Test
    void deterministicBySeed() throws IOException {
        Dataset<Sample> again = AvDigits.load(fsdd, mnist, Split.TEST, 5), other = AvDigits.load(fsdd, mnist, Split.TEST, 6);
        int same = 0;
        for (int i = 0; i < test.size(); i++) {
            assertArrayEquals(test.get(i).image().data(), again.get(i).image().data());
            if (Arrays.equals(test.get(i).image().data(), other.get(i).image().data())) same++;
        }
        assertTrue(same < 30, "a different seed should pick different images, " + same + " of 300 equal");
    }

    @Test
    void digitStringsHaveTrueBoundaries() {
        Dataset<DigitString> ds = DigitStrings.generate(test, 40, 1, 5, 3);
        assertEquals(40, ds.size());
        for (DigitString s : ds.items()) {
            int k = s.digits().length;
            assertTrue(k >= 1 && k <= 5);
            assertEquals(k, s.gloss().split(" ").length);
            assertEquals(Words.digitGloss(s.digits()[0]), s.gloss().split(" ")[0]);
            assertEquals(k, s.colStarts().length);
            assertTrue(s.ends()[k - 1] <= s.audio().length && s.colEnds()[k - 1] <= s.image().width());
        }
        // the clip samples are really at the boundaries: rebuild one from its parts (recorded rate)
        Sample a = test.get(0), b = test.get(7);
        DigitString j = DigitStrings.join(java.util.List.of(a, b), new Rng(1), DigitStrings.Options.HONEST.withRates(1, 1).withText(DigitStrings.Text.PLAIN));
        assertArrayEquals(a.audio(), Arrays.copyOfRange(j.audio(), j.starts()[0], j.ends()[0]));
        assertArrayEquals(b.audio(), Arrays.copyOfRange(j.audio(), j.starts()[1], j.ends()[1]));
        assertEquals(a.text() + " " + b.text(), j.text());
    }

    @Test
    void missingFolderIsAClearError() {
        var e = assertThrows(IOException.class, () -> AvDigits.load(Path.of("/nonexistent/fsdd"), Path.of("/nonexistent/mnist"), Split.TEST, 0));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
