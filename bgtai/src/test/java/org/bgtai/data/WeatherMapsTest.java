package org.bgtai.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bgtai.data.WeatherMaps.Scene;
import org.bgtai.data.WeatherMaps.Symbol;
import org.bgtai.langue2gloss.ParallelCorpus;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.Test;

/** The gloss parser and map renderer on hand-written lines, and their coverage of PHOENIX-2014T (skipped without the shared data). */
class WeatherMapsTest {
    /** The colour of pixel (y, x). */
    static float[] rgb(Image im, int y, int x) {
        return new float[] {im.get(0, y, x), im.get(1, y, x), im.get(2, y, x)};
    }

    /** Top-left pixel of symbol {@code s}'s slot in region (row, col): map starts at y 4, x 1; cells 8 x 10; slots 4 x 2 after a 1-pixel border. */
    static float[] slot(Image im, int row, int col, Symbol s) {
        int k = s.ordinal();
        return rgb(im, 4 + row * 8 + (k / 4) * 4 + 1, 1 + col * 10 + 1 + (k % 4) * 2);
    }

    static final float[] RAIN = {0.1f, 0.3f, 0.95f}, SUN = {1f, 0.85f, 0f}, LAND = {0.3f, 0.55f, 0.3f};

    @Test
    void rainInTheNorthSunInTheSouth() {
        Scene s = WeatherMaps.parse("MORGEN NORD REGEN SUED SONNE");
        for (int c = 0; c < 3; c++) {
            assertTrue(s.has(WeatherMaps.region(0, c), Symbol.RAIN));
            assertFalse(s.has(WeatherMaps.region(0, c), Symbol.SUN));
            assertTrue(s.has(WeatherMaps.region(2, c), Symbol.SUN));
            assertFalse(s.has(WeatherMaps.region(2, c), Symbol.RAIN));
            for (Symbol x : Symbol.values()) assertFalse(s.has(WeatherMaps.region(1, c), x), "middle row must be empty, has " + x);
        }
        assertEquals(WeatherMaps.DAYS.indexOf("MORGEN") + 1, s.day());
        assertEquals(0, s.temperature());
        Image im = WeatherMaps.render(s);
        assertEquals(3, im.channels());
        assertEquals(32, im.height());
        assertEquals(32, im.width());
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(RAIN, slot(im, 0, c, Symbol.RAIN), 1e-6f);
            assertArrayEquals(LAND, slot(im, 0, c, Symbol.SUN), 1e-6f);
            assertArrayEquals(SUN, slot(im, 2, c, Symbol.SUN), 1e-6f);
            assertArrayEquals(LAND, slot(im, 2, c, Symbol.RAIN), 1e-6f);
            assertArrayEquals(LAND, slot(im, 1, c, Symbol.RAIN), 1e-6f);
        }
        // the day band is coloured, the temperature bar absent
        float[] band = rgb(im, 1, 16);
        assertTrue(band[0] + band[1] + band[2] > 0.5f, "day band not drawn");
        assertArrayEquals(new float[3], rgb(im, 30, 2), 0f);
    }

    @Test
    void noRegionMeansTheWholeCountryAndRegionWordsAddUpOnlyWhenAdjacent() {
        Scene s = WeatherMaps.parse("HEUTE NACHT NEBEL");
        for (int r = 0; r < 9; r++) assertTrue(s.has(r, Symbol.FOG));
        Scene t = WeatherMaps.parse("NORDWEST SUEDOST GEWITTER MITTE SCHNEE");
        assertTrue(t.has(0, Symbol.THUNDER));
        assertTrue(t.has(8, Symbol.THUNDER));
        assertFalse(t.has(4, Symbol.THUNDER));
        assertTrue(t.has(4, Symbol.SNOW));
        assertFalse(t.has(0, Symbol.SNOW));
        // negated weather words draw nothing
        assertTrue(WeatherMaps.parse("neg-REGEN").isEmpty());
    }

    @Test
    void temperaturesCountOnlyInTemperatureLines() {
        // highest of "minus five to plus three": 3 -> bucket 0-9 (2)
        assertEquals(2, WeatherMaps.parse("MINUS FUENF BIS PLUS DREI GRAD").temperature());
        assertEquals(1, WeatherMaps.parse("NACHT MINUS ZWEI").temperature());
        // adjacent numbers add: 20 + 3 = 23 -> bucket 20-29 (4)
        assertEquals(4, WeatherMaps.parse("TEMPERATUR ZWANZIG DREI GRAD").temperature());
        assertEquals(5, WeatherMaps.parse("DREISSIG GRAD").temperature());
        // a date is not a temperature
        Scene date = WeatherMaps.parse("JETZT WETTER MORGEN DONNERSTAG ZWOELF FEBRUAR");
        assertEquals(0, date.temperature());
        assertEquals(WeatherMaps.DAYS.indexOf("MORGEN") + 1, date.day());
        // the bar grows with the bucket
        Image cold = WeatherMaps.render("MINUS FUENF GRAD"), hot = WeatherMaps.render("DREISSIG GRAD");
        assertTrue(bar(cold) < bar(hot), bar(cold) + " vs " + bar(hot));
    }

    /** Length of the temperature bar (non-black pixels of row 30). */
    static int bar(Image im) {
        int n = 0;
        for (int x = 0; x < 32; x++) if (im.get(0, 30, x) + im.get(1, 30, x) + im.get(2, 30, x) > 0) n++;
        return n;
    }

    @Test
    void equalKeysRenderEqualImagesAndDifferentKeysDifferentOnes() {
        String[] lines = {"NORD REGEN", "KUESTE REGEN", "SUED REGEN", "NORD SONNE", "NORD REGEN ZWANZIG GRAD", "MONTAG NORD REGEN", "WOLKE", "REGEN WIND"};
        for (String a : lines)
            for (String b : lines) {
                Scene sa = WeatherMaps.parse(a), sb = WeatherMaps.parse(b);
                boolean sameKey = sa.key().equals(sb.key());
                boolean sameImage = java.util.Arrays.equals(WeatherMaps.render(sa).data(), WeatherMaps.render(sb).data());
                assertEquals(sameKey, sameImage, a + " / " + b);
            }
        assertEquals(WeatherMaps.parse("NORD REGEN").key(), WeatherMaps.parse("KUESTE REGEN").key());   // both the top row
    }

    /**
     * PHOENIX-2014T: the share of sentences with a non-empty map and the number of distinct maps,
     * reported and bounded (most PHOENIX sentences talk about weather, regions, temperature or days).
     */
    @Test
    void phoenixCoverage() throws IOException {
        Path dir = Shared.require("data/phoenix14t-text2gloss");
        List<String> all = new ArrayList<>();
        for (String split : List.of("train", "dev", "test")) {
            ParallelCorpus c = ParallelCorpus.load(dir, split);
            WeatherMaps.Coverage cov = WeatherMaps.coverage(c.target());
            System.out.printf(java.util.Locale.ROOT, "PHOENIX %s: %d lines, %d (%.1f %%) non-empty maps, %d distinct%n", split, cov.lines(), cov.nonEmpty(),
                100 * cov.nonEmptyShare(), cov.distinct());
            all.addAll(c.target());
        }
        WeatherMaps.Coverage cov = WeatherMaps.coverage(all);
        System.out.printf(java.util.Locale.ROOT, "PHOENIX all: %d lines, %d (%.1f %%) non-empty maps, %d distinct%n", cov.lines(), cov.nonEmpty(),
            100 * cov.nonEmptyShare(), cov.distinct());
        assertEquals(7096 + 519 + 642, cov.lines(), "PHOENIX-2014T text2gloss has 7096/519/642 lines");
        assertTrue(cov.nonEmptyShare() > 0.7, "only " + cov.nonEmptyShare() + " of PHOENIX lines have a map");
        assertTrue(cov.distinct() > 500 && cov.distinct() < cov.nonEmpty(), "distinct maps " + cov.distinct() + " of " + cov.nonEmpty());
    }
}
