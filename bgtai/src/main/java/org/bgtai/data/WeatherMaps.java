package org.bgtai.data;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Weather maps rendered from PHOENIX-2014T gloss lines, so that real spoken German, its real DGS
 * gloss and an image meet in one data set. The map is a deterministic function of the gloss: it
 * says nothing about real weather charts or real sign video, only what the gloss line says about
 * regions, weather, temperature and day.
 *
 * <p>Parsing ({@link #parse}) reads the gloss tokens left to right:
 * <ul>
 *   <li>a region word ({@link #REGION_WORDS}: NORD, SUEDWEST, MITTE, ALPEN, KUESTE, ...) sets the current regions of a 3x3 grid;
 *       region words in a row add up ("NORD WEST"), a region word after anything else starts a new set;
 *       UEBERALL/DEUTSCHLAND/LAND resets to the whole country</li>
 *   <li>a weather word ({@link #SYMBOL_WORDS}: SONNE, REGEN, SCHAUER, SCHNEE, GEWITTER, WOLKE, NEBEL, WIND/STURM, FROST/GLATT, ...)
 *       puts its symbol in the current regions, the whole country when no region word came before;
 *       negated forms ({@code neg-REGEN}) are not weather words</li>
 *   <li>numbers ({@code NULL .. VIERZIG}, summed when adjacent: ZWANZIG DREI = 23, MINUS negates) count as temperatures only when the
 *       line says GRAD, TEMPERATUR, MINUS or PLUS; the highest one picks a bucket ({@link #TEMPERATURE_BUCKETS})</li>
 *   <li>the first day word (MONTAG .. SONNTAG, HEUTE, MORGEN, UEBERMORGEN, WOCHENENDE) is the day</li>
 * </ul>
 *
 * <p>Rendering ({@link #render}) is a 32 x 32 RGB image, the built-in world's canvas size and
 * layout ({@link Image}, channel-major, values in [0, 1]):
 * <pre>
 *   rows  0-2   day band, one colour per day (black = no day)
 *   rows  4-27  the map: 3 x 3 regions of 8 x 10 pixels on land green, north on top, west left;
 *               each region has 8 slots (2 rows x 4 columns of 4 x 2 pixels), slot k shows symbol k in its colour
 *   rows 29-31  temperature bar: length and colour (blue .. red) by bucket (none = no bar)
 * </pre>
 * Two lines with the same {@link Scene#key() key} render to the same image and vice versa, so the
 * key (interned to an int label by the caller) says which sentences are relevant to each other in
 * retrieval.
 *
 * <pre>{@code
 * Scene s = WeatherMaps.parse("MORGEN NORD REGEN SUED SONNE");
 * s.has(WeatherMaps.region(0, 1), Symbol.RAIN);   // true: rain in the north
 * Image map = WeatherMaps.render(s);             // [3, 32, 32]
 * }</pre>
 */
public final class WeatherMaps {
    /** The image side: the built-in world's default canvas. */
    public static final int SIZE = 32;
    /** Regions of the 3 x 3 grid, row-major, north-west first. */
    public static final int REGIONS = 9;
    static final int MAP_TOP = 4, CELL_H = 8, CELL_W = 10, MAP_LEFT = 1, BAR_TOP = 29;

    /** The weather symbols, in slot order. */
    public enum Symbol {
        SUN(1f, 0.85f, 0f), CLOUD(0.45f, 0.45f, 0.45f), RAIN(0.1f, 0.3f, 0.95f), SNOW(1f, 1f, 1f), THUNDER(0.55f, 0f, 0.6f), FOG(0.8f, 0.75f, 0.6f),
        WIND(0f, 0.85f, 0.85f), FROST(0.65f, 0.85f, 1f);

        final float r, g, b;

        Symbol(float r, float g, float b) {
            this.r = r;
            this.g = g;
            this.b = b;
        }
    }

    /** Gloss words of each symbol. */
    public static final Map<String, Symbol> SYMBOL_WORDS = Map.ofEntries(Map.entry("SONNE", Symbol.SUN), Map.entry("WOLKE", Symbol.CLOUD),
        Map.entry("BEWOELKT", Symbol.CLOUD), Map.entry("REGEN", Symbol.RAIN), Map.entry("SCHAUER", Symbol.RAIN), Map.entry("NIESELREGEN", Symbol.RAIN),
        Map.entry("SCHNEE", Symbol.SNOW), Map.entry("SCHNEIEN", Symbol.SNOW), Map.entry("GRAUPEL", Symbol.SNOW), Map.entry("GEWITTER", Symbol.THUNDER),
        Map.entry("BLITZ", Symbol.THUNDER), Map.entry("DONNER", Symbol.THUNDER), Map.entry("UNWETTER", Symbol.THUNDER), Map.entry("HAGEL", Symbol.THUNDER),
        Map.entry("NEBEL", Symbol.FOG), Map.entry("WIND", Symbol.WIND), Map.entry("STURM", Symbol.WIND), Map.entry("ORKAN", Symbol.WIND),
        Map.entry("BOEE", Symbol.WIND), Map.entry("FROST", Symbol.FROST), Map.entry("GLATT", Symbol.FROST), Map.entry("GEFRIEREN", Symbol.FROST));

    /** Gloss words of regions: the grid cells (0 = north-west, 4 = centre, 8 = south-east) each names. */
    public static final Map<String, int[]> REGION_WORDS = Map.ofEntries(Map.entry("NORD", new int[] {0, 1, 2}), Map.entry("SUED", new int[] {6, 7, 8}),
        Map.entry("WEST", new int[] {0, 3, 6}), Map.entry("OST", new int[] {2, 5, 8}), Map.entry("NORDWEST", new int[] {0}), Map.entry("NORDOST", new int[] {2}),
        Map.entry("SUEDWEST", new int[] {6}), Map.entry("SUEDOST", new int[] {8}), Map.entry("MITTE", new int[] {4}), Map.entry("ALPEN", new int[] {7}),
        Map.entry("KUESTE", new int[] {0, 1, 2}), Map.entry("NORDSEE", new int[] {0, 1}), Map.entry("MEER", new int[] {0, 1, 2}),
        Map.entry("BAYERN", new int[] {7, 8}), Map.entry("SACHSEN", new int[] {5}), Map.entry("THUERINGEN", new int[] {4}),
        Map.entry("BADEN", new int[] {6}), Map.entry("ALLGAEU", new int[] {7}), Map.entry("RUEGEN", new int[] {2}), Map.entry("SCHLESWIG", new int[] {1}),
        Map.entry("BERLIN", new int[] {5}), Map.entry("BRANDENBURG", new int[] {5}), Map.entry("EIFEL", new int[] {3}));

    /** Words that reset the regions to the whole country. */
    static final java.util.Set<String> WHOLE = java.util.Set.of("UEBERALL", "DEUTSCHLAND", "LAND");

    /** Day words, index = the day's code + 1 in {@link Scene#day()} (0 = no day). */
    public static final List<String> DAYS = List.of("MONTAG", "DIENSTAG", "MITTWOCH", "DONNERSTAG", "FREITAG", "SAMSTAG", "SONNTAG", "HEUTE", "MORGEN",
        "UEBERMORGEN", "WOCHENENDE");

    /** Number words and their values (PHOENIX writes 23 as ZWANZIG DREI or DREI ZWANZIG: adjacent numbers add up). */
    static final Map<String, Integer> NUMBERS = Map.ofEntries(Map.entry("NULL", 0), Map.entry("EINS", 1), Map.entry("ZWEI", 2), Map.entry("DREI", 3),
        Map.entry("VIER", 4), Map.entry("FUENF", 5), Map.entry("SECHS", 6), Map.entry("SIEBEN", 7), Map.entry("ACHT", 8), Map.entry("NEUN", 9),
        Map.entry("ZEHN", 10), Map.entry("ELF", 11), Map.entry("ZWOELF", 12), Map.entry("DREIZEHN", 13), Map.entry("VIERZEHN", 14),
        Map.entry("FUENFZEHN", 15), Map.entry("SECHSZEHN", 16), Map.entry("SIEBZEHN", 17), Map.entry("ACHTZEHN", 18), Map.entry("NEUNZEHN", 19),
        Map.entry("ZWANZIG", 20), Map.entry("DREISSIG", 30), Map.entry("VIERZIG", 40));

    /** Upper bounds (inclusive) of the temperature buckets 1..5: frost, 0-9, 10-19, 20-29, 30 and above. Bucket 0 = no temperature. */
    public static final int[] TEMPERATURE_BUCKETS = {-1, 9, 19, 29, Integer.MAX_VALUE};

    private WeatherMaps() {}

    /** The grid cell of a row (0 = north) and column (0 = west). */
    public static int region(int row, int col) {
        if (row < 0 || row > 2 || col < 0 || col > 2) throw new IllegalArgumentException("region row and column must be in 0..2, got " + row + ", " + col);
        return row * 3 + col;
    }

    /**
     * What a gloss line says, as drawn on the map.
     *
     * @param cells       bit {@code region * SYMBOLS + symbol.ordinal()} set when the symbol is in the region
     * @param temperature bucket 0 (none) .. 5 ({@link #TEMPERATURE_BUCKETS})
     * @param day         0 (none) or 1 + index in {@link #DAYS}
     */
    public record Scene(BitSet cells, int temperature, int day) {
        public Scene {
            cells = (BitSet) cells.clone();
            if (temperature < 0 || temperature > TEMPERATURE_BUCKETS.length) throw new IllegalArgumentException("temperature bucket must be in 0..5, got " + temperature);
            if (day < 0 || day > DAYS.size()) throw new IllegalArgumentException("day must be in 0.." + DAYS.size() + ", got " + day);
        }

        public boolean has(int region, Symbol s) {
            return cells.get(region * Symbol.values().length + s.ordinal());
        }

        /** Nothing to draw: no symbol, no temperature, no day. */
        public boolean isEmpty() {
            return cells.isEmpty() && temperature == 0 && day == 0;
        }

        /**
         * The canonical content: region/symbol pairs, temperature bucket and day, e.g.
         * {@code "0:RAIN,1:RAIN,2:RAIN,6:SUN,7:SUN,8:SUN|t0|MORGEN"}. Equal keys render equal images.
         */
        public String key() {
            StringBuilder sb = new StringBuilder();
            int n = Symbol.values().length;
            for (int i = cells.nextSetBit(0); i >= 0; i = cells.nextSetBit(i + 1)) {
                if (!sb.isEmpty()) sb.append(',');
                sb.append(i / n).append(':').append(Symbol.values()[i % n]);
            }
            return sb.append("|t").append(temperature).append('|').append(day == 0 ? "-" : DAYS.get(day - 1)).toString();
        }
    }

    /** Parses a gloss line (upper-case tokens separated by spaces) into its scene; unknown words are ignored. */
    public static Scene parse(String gloss) {
        String[] toks = gloss.trim().isEmpty() ? new String[0] : gloss.trim().split("\\s+");
        BitSet cells = new BitSet();
        int n = Symbol.values().length;
        boolean[] current = null;   // null = whole country
        boolean lastRegion = false;
        boolean temperatureLine = false;
        for (String t : toks) if (t.equals("GRAD") || t.equals("TEMPERATUR") || t.equals("MINUS") || t.equals("PLUS")) temperatureLine = true;
        Integer best = null;
        int day = 0;
        int run = 0, sign = 1;
        boolean inNumber = false;
        for (String raw : toks) {
            String t = raw.toUpperCase(Locale.ROOT);
            int[] reg = REGION_WORDS.get(t);
            if (reg != null) {
                if (!lastRegion || current == null) current = new boolean[REGIONS];
                for (int c : reg) current[c] = true;
            } else if (WHOLE.contains(t)) current = null;
            lastRegion = reg != null;
            Symbol s = SYMBOL_WORDS.get(t);
            if (s != null)
                for (int c = 0; c < REGIONS; c++) if (current == null || current[c]) cells.set(c * n + s.ordinal());
            if (day == 0 && DAYS.contains(t)) day = DAYS.indexOf(t) + 1;
            Integer v = NUMBERS.get(t);
            if (v != null) {
                run += v;
                inNumber = true;
            } else {
                if (inNumber) best = max(best, sign * run);
                inNumber = false;
                run = 0;
                sign = t.equals("MINUS") ? -1 : 1;
            }
        }
        if (inNumber) best = max(best, sign * run);
        int bucket = 0;
        if (temperatureLine && best != null)
            for (int b = 0; b < TEMPERATURE_BUCKETS.length; b++)
                if (best <= TEMPERATURE_BUCKETS[b]) {
                    bucket = b + 1;
                    break;
                }
        return new Scene(cells, bucket, day);
    }

    private static Integer max(Integer a, int b) {
        return a == null ? b : Math.max(a, b);
    }

    /** {@link #render(Scene)} of {@link #parse}. */
    public static Image render(String gloss) {
        return render(parse(gloss));
    }

    /** The map of a scene ({@code [3, 32, 32]}, layout in the class comment). */
    public static Image render(Scene s) {
        float[] d = new float[3 * SIZE * SIZE];
        // map background: land green, region borders dark
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) {
                int y0 = MAP_TOP + r * CELL_H, x0 = MAP_LEFT + c * CELL_W;
                fill(d, y0, x0, CELL_H, CELL_W, 0.3f, 0.55f, 0.3f);
                fill(d, y0, x0, CELL_H, 1, 0.15f, 0.25f, 0.15f);
            }
        int n = Symbol.values().length;
        for (int reg = 0; reg < REGIONS; reg++)
            for (Symbol sym : Symbol.values()) {
                if (!s.cells().get(reg * n + sym.ordinal())) continue;
                int k = sym.ordinal(), y0 = MAP_TOP + reg / 3 * CELL_H + (k / 4) * 4, x0 = MAP_LEFT + reg % 3 * CELL_W + 1 + (k % 4) * 2;
                fill(d, y0, x0, 4, 2, sym.r, sym.g, sym.b);
            }
        if (s.day() > 0) {
            float h = (s.day() - 1) / (float) DAYS.size();
            float[] rgb = hue(h);
            fill(d, 0, 0, 3, SIZE, rgb[0], rgb[1], rgb[2]);
        }
        if (s.temperature() > 0) {
            float f = (s.temperature() - 1) / (float) (TEMPERATURE_BUCKETS.length - 1);
            fill(d, BAR_TOP, 0, SIZE - BAR_TOP, 6 * s.temperature() + 2, f, 0.2f, 1 - f);
        }
        return new Image(3, SIZE, SIZE, d);
    }

    /** A saturated colour of hue {@code h} in [0, 1). */
    private static float[] hue(float h) {
        java.awt.Color c = java.awt.Color.getHSBColor(h, 0.9f, 0.95f);
        return new float[] {c.getRed() / 255f, c.getGreen() / 255f, c.getBlue() / 255f};
    }

    private static void fill(float[] d, int y0, int x0, int h, int w, float r, float g, float b) {
        int plane = SIZE * SIZE;
        for (int y = y0; y < y0 + h; y++)
            for (int x = x0; x < x0 + w; x++) {
                d[y * SIZE + x] = r;
                d[plane + y * SIZE + x] = g;
                d[2 * plane + y * SIZE + x] = b;
            }
    }

    /** Counts over gloss lines: how many have a non-empty map, and how many distinct maps there are. */
    public record Coverage(int lines, int nonEmpty, int distinct) {
        public double nonEmptyShare() {
            return lines == 0 ? 0 : (double) nonEmpty / lines;
        }
    }

    /** {@link Coverage} of gloss lines (distinct counts the non-empty maps). */
    public static Coverage coverage(List<String> glosses) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        int nonEmpty = 0;
        for (String g : glosses) {
            Scene s = parse(g);
            if (s.isEmpty()) continue;
            nonEmpty++;
            keys.add(s.key());
        }
        return new Coverage(glosses.size(), nonEmpty, keys.size());
    }

    /** Scenes of gloss lines, in order. */
    public static List<Scene> parseAll(List<String> glosses) {
        List<Scene> out = new ArrayList<>(glosses.size());
        for (String g : glosses) out.add(parse(g));
        return out;
    }
}
