package org.bgtai.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bgtai.tensor.Rng;

/**
 * Language the way people say it, and the gloss that does not vary. A caption is drawn from
 * templates (word order, articles, fillers) and synonyms; the gloss is the canonical sign form of
 * the same content (content words in sign order, no articles, no inflection). Half of the
 * phrasing is held out: {@link Split#TRAIN} and {@link Split#VAL} draw from the
 * {@link Pool#SEEN} templates and synonyms, {@link Split#TEST} can draw from the {@link Pool#HELD_OUT}
 * ones too, which no training caption uses.
 *
 * <p>Two domains: the built-in world ({@link #worldCaption}: size, colour, shape; gloss
 * {@code CIRCLE RED BIG}) and digit strings ({@link #digitText}: gloss {@code THREE SEVEN ONE}).
 *
 * <pre>{@code
 * Rng rng = new Rng(1);
 * Phrasing.worldCaption(0, Phrasing.Pool.SEEN, rng);       // e.g. "there is a tiny red ring"
 * Phrasing.worldGloss(0);                                   // "CIRCLE RED SMALL"
 * Phrasing.digitText(new int[] {3, 3, 1}, Pool.SEEN, rng);  // e.g. "double three one"
 * }</pre>
 */
public final class Phrasing {
    private Phrasing() {}

    /** Which templates and synonyms a caption may use. */
    public enum Pool {
        /** Only the phrasings training may see. */
        SEEN,
        /** Only the held-out phrasings (templates and synonyms no training caption uses). */
        HELD_OUT,
        /** Either (half of the draws from each). */
        ANY
    }

    /** Synonyms of one value: those training may see, and those held out. */
    record Words(String[] seen, String[] heldOut) {
        String draw(Pool p, Rng rng) {
            String[] from = switch (p) {
                case SEEN -> seen;
                case HELD_OUT -> heldOut.length > 0 ? heldOut : seen;
                case ANY -> rng.nextInt(2) == 0 || heldOut.length == 0 ? seen : heldOut;
            };
            return from[rng.nextInt(from.length)];
        }

        static Words of(String seen, String heldOut) {
            return new Words(seen.split("\\|"), heldOut.isEmpty() ? new String[0] : heldOut.split("\\|"));
        }
    }

    // ------------------------------------------------------------------ the built-in world

    static final Words[] SIZE = {Words.of("small|little|tiny", "wee|miniature"), Words.of("big|large|huge", "giant|enormous")};
    static final Words[] COLOUR = {Words.of("red|scarlet", "crimson"), Words.of("green|lime", "emerald"), Words.of("blue|navy", "azure"),
        Words.of("yellow|golden", "lemon"), Words.of("purple|violet", "lilac"), Words.of("orange|amber", "tangerine")};
    static final Words[] SHAPE = {Words.of("circle|ring|disc", "dot"), Words.of("square|box|block", "tile"), Words.of("triangle|wedge", "pyramid"),
        Words.of("cross|plus sign", "x")};

    /** Templates: {@code S} size, {@code C} colour, {@code H} shape, {@code a} the article before the next word. */
    static final String[] WORLD_SEEN = {"a S C H", "S C H", "there is a S C H", "i see a C H and it is S", "a C H , a S one", "look , a S C H",
        "the H is C and S", "um a S C H", "a S H in C", "this is a C H , quite S"};
    static final String[] WORLD_HELD_OUT = {"well , it is a C H that looks S", "so we have a S H coloured C", "C and S : the H", "my picture shows a S , C H"};

    /** The world's canonical gloss: shape, colour, size ({@code CIRCLE RED BIG}). */
    public static String worldGloss(int label) {
        return (BuiltinWorld.SHAPES[BuiltinWorld.shapeOf(label)] + " " + BuiltinWorld.COLOURS[BuiltinWorld.colourOf(label)] + " "
            + BuiltinWorld.SIZES[BuiltinWorld.sizeOf(label)]).toUpperCase(Locale.ROOT);
    }

    /** A caption of world class {@code label} from the phrasings of {@code pool}. */
    public static String worldCaption(int label, Pool pool, Rng rng) {
        Pool p = pool == Pool.ANY ? (rng.nextInt(2) == 0 ? Pool.SEEN : Pool.HELD_OUT) : pool;
        String[] templates = p == Pool.HELD_OUT ? WORLD_HELD_OUT : WORLD_SEEN;
        String t = templates[rng.nextInt(templates.length)];
        String s = SIZE[BuiltinWorld.sizeOf(label)].draw(p, rng), c = COLOUR[BuiltinWorld.colourOf(label)].draw(p, rng),
            h = SHAPE[BuiltinWorld.shapeOf(label)].draw(p, rng);
        List<String> out = new ArrayList<>();
        for (String w : t.split(" "))
            switch (w) {
                case "S" -> out.add(s);
                case "C" -> out.add(c);
                case "H" -> out.add(h);
                default -> out.add(w);
            }
        return articles(String.join(" ", out));
    }

    /** Every word the world's captions may use ({@code pool} SEEN or HELD_OUT; ANY = both), sorted. */
    public static List<String> worldWords(Pool pool) {
        java.util.TreeSet<String> w = new java.util.TreeSet<>();
        for (Words[] ws : new Words[][] {SIZE, COLOUR, SHAPE})
            for (Words x : ws) {
                if (pool != Pool.HELD_OUT) for (String s : x.seen()) w.addAll(Arrays.asList(s.split(" ")));
                if (pool != Pool.SEEN) for (String s : x.heldOut()) w.addAll(Arrays.asList(s.split(" ")));
            }
        for (String[] ts : pool == Pool.SEEN ? new String[][] {WORLD_SEEN} : pool == Pool.HELD_OUT ? new String[][] {WORLD_HELD_OUT}
            : new String[][] {WORLD_SEEN, WORLD_HELD_OUT})
            for (String t : ts) for (String x : t.split(" ")) if (!x.equals("S") && !x.equals("C") && !x.equals("H")) w.add(x);
        w.add("an");
        return new ArrayList<>(w);
    }

    // ------------------------------------------------------------------ digit strings

    static final Words[] DIGIT = {Words.of("zero|oh", "nought"), Words.of("one", ""), Words.of("two", ""), Words.of("three", ""), Words.of("four", ""),
        Words.of("five", ""), Words.of("six", ""), Words.of("seven", ""), Words.of("eight", ""), Words.of("nine", "")};
    static final String[] DIGIT_SEEN = {"D", "the number is D", "D please", "um D", "it is D", "dial D"};
    static final String[] DIGIT_HELD_OUT = {"my code is D", "so that is D , thanks", "D is my number"};

    /** The canonical gloss of a digit string: one upper-case word per digit ({@code THREE SEVEN ONE}). */
    public static String digitGloss(int[] digits) {
        StringBuilder sb = new StringBuilder();
        for (int d : digits) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(org.bgtai.data.Words.digitGloss(d));
        }
        return sb.toString();
    }

    /**
     * A spoken-style text of {@code digits}: digit words (synonyms such as "oh" for zero), a run of
     * two equal digits sometimes said "double X" (seen) or "X twice" (held out), separators
     * ("and", commas) and a wrapper sentence.
     */
    public static String digitText(int[] digits, Pool pool, Rng rng) {
        Pool p = pool == Pool.ANY ? (rng.nextInt(2) == 0 ? Pool.SEEN : Pool.HELD_OUT) : pool;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < digits.length; i++) {
            String w = DIGIT[digits[i]].draw(p, rng);
            boolean pair = i + 1 < digits.length && digits[i + 1] == digits[i] && rng.nextInt(2) == 0;
            if (pair) {
                words.add(p == Pool.HELD_OUT ? w + " twice" : "double " + w);
                i++;
            } else {
                words.add(w);
            }
        }
        StringBuilder body = new StringBuilder();
        int sep = rng.nextInt(3);   // 0: spaces, 1: commas, 2: "and" before the last
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) body.append(sep == 1 ? " , " : sep == 2 && i == words.size() - 1 ? " and " : " ");
            body.append(words.get(i));
        }
        String[] templates = p == Pool.HELD_OUT ? DIGIT_HELD_OUT : DIGIT_SEEN;
        return templates[rng.nextInt(templates.length)].replace("D", body);
    }

    /** "a" before a word that starts with a vowel sound becomes "an". */
    static String articles(String s) {
        String[] w = s.split(" ");
        for (int i = 0; i + 1 < w.length; i++)
            if (w[i].equals("a") && !w[i + 1].isEmpty() && "aeiou".indexOf(w[i + 1].charAt(0)) >= 0) w[i] = "an";
        return String.join(" ", w);
    }
}
