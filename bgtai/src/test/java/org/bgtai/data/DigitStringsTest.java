package org.bgtai.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Digit strings: the ground truth of audio and strip is exact, the honest layout varies as documented, and the even one is the old layout. */
class DigitStringsTest {
    static Dataset<Sample> test, train;

    @BeforeAll
    static void load() throws IOException {
        var fsdd = org.bgtai.audio.data.Fsdd.open(Shared.require("data/fsdd"));
        var mnist = Mnist.open(Shared.require("data/mnist"));
        test = AvDigits.load(fsdd, mnist, Split.TEST, 5);
        train = AvDigits.load(fsdd, mnist, Split.VAL, 5);   // the val split stands in for a non-test source (smaller than train)
    }

    /** Property over 300 random joins: clip spans hold exactly the stretched clips, everything else is silence. */
    @Test
    void clipSpansLandOnTheClipsSamples() {
        Rng pick = new Rng(17);
        for (int n = 0; n < 300; n++) {
            List<Sample> parts = parts(pick, 1 + pick.nextInt(5));
            DigitString s = DigitStrings.join(parts, new Rng(1000 + n));
            int k = parts.size(), sr = s.sampleRate();
            boolean[] inClip = new boolean[s.audio().length];
            for (int i = 0; i < k; i++) {
                double r = s.rates()[i];
                assertTrue(r >= 0.74 && r <= 1.31, "rate " + r);
                float[] clip = DigitStrings.stretch(parts.get(i).audio(), sr, r);
                assertArrayEquals(clip, Arrays.copyOfRange(s.audio(), s.starts()[i], s.ends()[i]), "clip " + i + " of string " + n);
                // duration scales by 1 / rate
                assertEquals(parts.get(i).audio().length / r, clip.length, 2 + 0.002 * clip.length);
                for (int j = s.starts()[i]; j < s.ends()[i]; j++) inClip[j] = true;
                int gap = s.starts()[i] - (i == 0 ? 0 : s.ends()[i - 1]);
                assertTrue(gap >= 0 && gap <= 1500 * sr / 1000, "silence of " + gap + " samples");
            }
            int tail = s.audio().length - s.ends()[k - 1];
            assertTrue(tail >= 0 && tail <= 1500 * sr / 1000);
            for (int j = 0; j < inClip.length; j++) if (!inClip[j]) assertEquals(0f, s.audio()[j], "sample " + j + " is silence");
        }
    }

    /**
     * Property over 300 random joins: the column spans cover exactly the ink of each digit (first
     * and last column of a span have ink, no column outside every span does), each span is the
     * digit's image scaled to a 16-44 column cell and cropped to its ink, and the spacings are 0-24.
     */
    @Test
    void columnSpansCoverExactlyEachDigitsInk() {
        Rng pick = new Rng(23);
        for (int n = 0; n < 300; n++) {
            List<Sample> parts = parts(pick, 1 + pick.nextInt(5));
            DigitString s = DigitStrings.join(parts, new Rng(5000 + n));
            Image im = s.image();
            assertEquals(28, im.height());
            int k = parts.size();
            boolean[] inSpan = new boolean[im.width()];
            for (int i = 0; i < k; i++) {
                int a = s.colStarts()[i], b = s.colEnds()[i];
                assertTrue(DigitStrings.hasInk(im, a) && DigitStrings.hasInk(im, b - 1), "span " + i + " starts and ends on ink");
                for (int x = a; x < b; x++) inSpan[x] = true;
                int gap = a - (i == 0 ? 0 : s.colEnds()[i - 1]);
                assertTrue(gap >= 0 && gap <= 24, "spacing " + gap);
                // the span is the digit scaled to some cell width in 16..44, cropped to ink
                boolean found = false;
                for (int w = 16; w <= 44 && !found; w++) {
                    Image d = DigitStrings.cropToInk(DigitStrings.scaleWidth(parts.get(i).image(), w));
                    if (d.width() != b - a) continue;
                    found = true;
                    for (int y = 0; y < 28 && found; y++)
                        for (int x = 0; x < d.width(); x++) if (d.get(0, y, x) != im.get(0, y, a + x)) found = false;
                }
                assertTrue(found, "span " + i + " of string " + n + " is the digit scaled to a 16-44 column cell");
            }
            int right = im.width() - s.colEnds()[k - 1];
            assertTrue(right >= 0 && right <= 24);
            for (int x = 0; x < im.width(); x++) if (!inSpan[x]) assertFalse(DigitStrings.hasInk(im, x), "column " + x + " outside every span is background");
        }
    }

    @Test
    void scalingKeepsInkAndBackground() {
        float[] px = new float[2 * 4];
        px[1] = 1;   // row 0: 0 1 0 0
        px[5] = 0.5f; // row 1: 0 0.5 0 0
        Image im = new Image(1, 2, 4, px);
        Image up = DigitStrings.scaleWidth(im, 8);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0}, Arrays.copyOfRange(up.data(), 0, 8), 1e-6f);
        Image down = DigitStrings.scaleWidth(im, 2);
        assertArrayEquals(new float[] {0.5f, 0}, Arrays.copyOfRange(down.data(), 0, 2), 1e-6f);
        assertEquals(2, DigitStrings.cropToInk(up).width());
    }

    /** Equal parts are a poor alignment of honest strings (they were a good one of the even layout). */
    @Test
    void aUniformSplitIsAWeakGuessOnHonestStrings() {
        double honestAudio = 0, honestCols = 0, evenAudio = 0;
        Dataset<DigitString> h = DigitStrings.generate(test, 60, 5, 5, 9), e = DigitStrings.generate(test, 60, 5, 5, 9, DigitStrings.Options.EVEN);
        for (int n = 0; n < 60; n++) {
            honestAudio += uniformAccuracy(h.get(n).audio().length, h.get(n).starts(), h.get(n).ends());
            honestCols += uniformAccuracy(h.get(n).image().width(), h.get(n).colStarts(), h.get(n).colEnds());
            evenAudio += uniformAccuracy(e.get(n).audio().length, e.get(n).starts(), e.get(n).ends());
        }
        assertTrue(honestAudio / 60 < 0.8, "uniform split on honest audio " + honestAudio / 60);
        assertTrue(honestCols / 60 < 0.85, "uniform split on honest strips " + honestCols / 60);
        assertTrue(evenAudio / 60 > honestAudio / 60 + 0.05, "even layout " + evenAudio / 60 + " vs honest " + honestAudio / 60);
    }

    /** Fraction of positions an equal split gives to the right element (gap positions go to the nearer element, split at the gap's middle). */
    static double uniformAccuracy(int n, int[] starts, int[] ends) {
        int q = starts.length, ok = 0;
        for (int x = 0; x < n; x++) {
            int truth = 0;
            while (truth + 1 < q && 2.0 * x + 1 >= ends[truth] + starts[truth + 1]) truth++;
            if ((int) ((long) x * q / n) == truth) ok++;
        }
        return (double) ok / n;
    }

    @Test
    void evenLayoutIsTheEarlierOne() {
        for (DigitString s : DigitStrings.generate(test, 40, 1, 5, 3, DigitStrings.Options.EVEN).items()) {
            int k = s.digits().length;
            assertEquals(28 * k, s.image().width());
            for (int i = 0; i < k; i++) {
                assertEquals(28 * i, s.colStarts()[i]);
                assertEquals(28 * (i + 1), s.colEnds()[i]);
                assertEquals(1.0, s.rates()[i]);
                int gap = s.starts()[i] - (i == 0 ? 0 : s.ends()[i - 1]);
                assertTrue(gap >= 50 * 8 && gap <= 300 * 8, "silence " + gap);
            }
            String[] words = s.text().split(" ");
            assertEquals(k, words.length);
            for (int i = 0; i < k; i++) assertEquals(Words.digit(s.digits()[i]), words[i]);
        }
    }

    @Test
    void textIsPhrasedAndGlossCanonical() {
        String[] heldOut = {"my code is", "thanks", "is my number", "nought", "twice"};
        boolean testUsesHeldOut = false;
        for (DigitString s : DigitStrings.generate(train, 200, 1, 5, 4).items()) {
            assertEquals(Phrasing.digitGloss(s.digits()), s.gloss());
            for (String h : heldOut) assertFalse(s.text().contains(h), "a validation string uses the held-out phrasing '" + h + "': " + s.text());
        }
        for (DigitString s : DigitStrings.generate(test, 200, 1, 5, 4).items())
            for (String h : heldOut) testUsesHeldOut |= s.text().contains(h);
        assertTrue(testUsesHeldOut, "test strings draw from every phrasing (Pool.ANY)");
        for (DigitString s : DigitStrings.generate(test, 50, 1, 5, 4, DigitStrings.Options.HONEST.withPool(Phrasing.Pool.SEEN)).items())
            for (String h : heldOut) assertFalse(s.text().contains(h), "a caller can ask for seen phrasings only: " + s.text());
    }

    @Test
    void silenceRangeIsAParameter() {
        var o = DigitStrings.Options.HONEST.withSilenceMs(400, 400).withRates(1, 1);
        for (DigitString s : DigitStrings.generate(test, 20, 2, 4, 8, o).items()) {
            assertEquals(400 * 8, s.starts()[0]);
            for (int i = 1; i < s.digits().length; i++) assertEquals(400 * 8, s.starts()[i] - s.ends()[i - 1]);
        }
        assertThrows(IllegalArgumentException.class, () -> DigitStrings.Options.HONEST.withSilenceMs(300, 100));
        assertThrows(IllegalArgumentException.class, () -> DigitStrings.Options.HONEST.withRates(0, 1));
    }

    /** {@code k} clips of one speaker from the test split. */
    static List<Sample> parts(Rng rng, int k) {
        List<Sample> out = new ArrayList<>();
        String spk = test.get(rng.nextInt(test.size())).speaker();
        while (out.size() < k) {
            Sample s = test.get(rng.nextInt(test.size()));
            if (s.speaker().equals(spk)) out.add(s);
        }
        return out;
    }
}
