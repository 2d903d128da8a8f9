package org.bgtai.data;

import java.util.ArrayList;
import java.util.List;
import org.bgtai.tensor.Rng;

/**
 * The built-in procedural world: coloured shapes on small RGB canvases paired with tones whose
 * pitch, timbre and loudness encode colour, shape and size, a caption said the way people say it
 * ({@link Phrasing}: "there is a tiny scarlet ring", "the box is navy and large") and the
 * canonical gloss in sign order ({@code CIRCLE RED SMALL}). Needs no files; everything follows
 * from the seed. Some size/colour/shape combinations can be held out of training and validation
 * ({@link WorldConfig#heldOutCombinations}): the test split then asks for combinations never seen.
 *
 * <pre>
 * class  = (size * COLOURS + colour) * SHAPES + shape          (2 x 6 x 4 = 48 classes)
 * audio  = three notes in gloss order, each a word of a sound language, then silence:
 *          shape  (timbre at A3 220 Hz)  circle k=1 only, square odd 1/k, triangle odd 1/k^2, cross (sawtooth) all 1/k
 *          colour (pitch)                C4 E4 G4 B4 D5 F5, sine + 0.3 second harmonic
 *          size   (loudness of E3 165 Hz, harmonics 1, 1/2, 1/4)   small 0.15, big 0.6
 *          note lengths 10-20 %, pauses 1-9 % of the clip; jitter: f0 +-3 %, amplitude +-15 %
 * image  = the shape (radius 4-6 small, 9-12 big) at a random place, colour +-0.08, on noisy grey
 * </pre>
 * The notes' sample ranges are the ground truth of aligning the gloss with the audio ({@link Phrase}).
 *
 * <pre>{@code
 * Dataset<Sample> train = BuiltinWorld.generate(WorldConfig.DEFAULT, Split.TRAIN, 1);
 * train.get(0).text();   // e.g. "big red circle"
 * }</pre>
 */
public final class BuiltinWorld {
    public static final String[] SHAPES = {"circle", "square", "triangle", "cross"};
    public static final String[] COLOURS = {"red", "green", "blue", "yellow", "purple", "orange"};
    public static final String[] SIZES = {"small", "big"};
    static final float[][] RGB = {{0.9f, 0.15f, 0.1f}, {0.15f, 0.8f, 0.2f}, {0.15f, 0.3f, 0.95f},
        {0.95f, 0.9f, 0.1f}, {0.6f, 0.2f, 0.8f}, {1.0f, 0.55f, 0.05f}};
    static final double[] F0 = {261.63, 329.63, 392.00, 493.88, 587.33, 698.46};
    static final float[] AMP = {0.15f, 0.6f};

    /**
     * @param canvas      image side (pixels)
     * @param sampleRate  audio rate (Hz)
     * @param seconds     clip length
     * @param perClass    samples per class for TRAIN; VAL and TEST get {@code evalPerClass}
     * @param evalPerClass samples per class for VAL and TEST
     * @param heldOutCombinations classes (size, colour, shape combinations) left out of TRAIN and VAL ({@link #heldOut}); TEST has every class
     */
    public record WorldConfig(int canvas, int sampleRate, double seconds, int perClass, int evalPerClass, int heldOutCombinations) {
        public static final WorldConfig DEFAULT = new WorldConfig(32, 8000, 0.8, 24, 4, 0);

        /** No held-out combinations. */
        public WorldConfig(int canvas, int sampleRate, double seconds, int perClass, int evalPerClass) {
            this(canvas, sampleRate, seconds, perClass, evalPerClass, 0);
        }

        public WorldConfig withHeldOutCombinations(int n) {
            return new WorldConfig(canvas, sampleRate, seconds, perClass, evalPerClass, n);
        }

        public WorldConfig {
            if (heldOutCombinations < 0 || heldOutCombinations > COLOURS.length)
                throw new IllegalArgumentException("held-out combinations must be in [0, " + COLOURS.length + "], got " + heldOutCombinations);
            if (canvas < 16) throw new IllegalArgumentException("canvas must be >= 16 pixels, got " + canvas);
            if (sampleRate < 4000) throw new IllegalArgumentException("sample rate must be >= 4000 Hz, got " + sampleRate);
            if (!(seconds >= 0.1)) throw new IllegalArgumentException("clip length must be >= 0.1 s, got " + seconds);
            if (perClass < 1 || evalPerClass < 1) throw new IllegalArgumentException("samples per class must be >= 1, got " + perClass + "/" + evalPerClass);
        }
    }

    private BuiltinWorld() {}

    public static int numClasses() {
        return SHAPES.length * COLOURS.length * SIZES.length;
    }

    /** Base note (Hz) of the tones of colour {@code c}: the pitch that encodes it. */
    public static double baseFrequency(int colour) {
        return F0[colour];
    }

    private static void checkLabel(int label) {
        if (label < 0 || label >= numClasses()) throw new IllegalArgumentException("world label must be in [0, " + numClasses() + "), got " + label);
    }

    public static int shapeOf(int label) {
        return label % SHAPES.length;
    }

    public static int colourOf(int label) {
        return label / SHAPES.length % COLOURS.length;
    }

    public static int sizeOf(int label) {
        return label / (SHAPES.length * COLOURS.length);
    }

    /** The class of a size, colour and shape. */
    public static int label(int size, int colour, int shape) {
        return (size * COLOURS.length + colour) * SHAPES.length + shape;
    }

    /** The canonical caption "big red circle" (the class prompt of zero-shot classification). */
    public static String caption(int label) {
        checkLabel(label);
        return SIZES[sizeOf(label)] + " " + COLOURS[colourOf(label)] + " " + SHAPES[shapeOf(label)];
    }

    /** The canonical gloss in sign order, {@code CIRCLE RED BIG} ({@link Phrasing#worldGloss}). */
    public static String gloss(int label) {
        return Phrasing.worldGloss(label);
    }

    /**
     * The first {@code n} held-out classes: colour {@code i} with size {@code i % 2} and shape
     * {@code (3 i + 1) % 4}, so each held-out class has its own colour and every size, colour and
     * shape still occurs in training.
     */
    public static java.util.Set<Integer> heldOut(int n) {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        for (int i = 0; i < n; i++) out.add(label(i % 2, i, (3 * i + 1) % SHAPES.length));
        return out;
    }

    /** Glosses of all classes, index = label. */
    public static List<String> glosses() {
        List<String> g = new ArrayList<>();
        for (int i = 0; i < numClasses(); i++) g.add(gloss(i));
        return g;
    }

    /** Captions of all classes, index = label. */
    public static List<String> captions() {
        List<String> c = new ArrayList<>();
        for (int i = 0; i < numClasses(); i++) c.add(caption(i));
        return c;
    }

    /**
     * A split: classes in round-robin order, {@code perClass} (or {@code evalPerClass}) of each, the
     * held-out combinations left out of TRAIN and VAL. Captions use the {@link Phrasing.Pool#SEEN}
     * phrasings (a separate generator, so captions do not change images or sounds); for test
     * captions in held-out phrasings see {@link #captions}.
     */
    public static Dataset<Sample> generate(WorldConfig cfg, Split split, long seed) {
        int per = split == Split.TRAIN ? cfg.perClass() : cfg.evalPerClass();
        java.util.Set<Integer> skip = split == Split.TEST ? java.util.Set.of() : heldOut(cfg.heldOutCombinations());
        Rng rng = new Rng(seed * 1_000_003L + 17L * (split.ordinal() + 1)), words = languageRng(split, seed, Phrasing.Pool.SEEN);
        List<Sample> out = new ArrayList<>(per * numClasses());
        for (int r = 0; r < per; r++)
            for (int label = 0; label < numClasses(); label++)
                if (!skip.contains(label)) out.add(sample(cfg, label, rng, Phrasing.worldCaption(label, Phrasing.Pool.SEEN, words)));
        return Dataset.of("builtin-world/" + split.id(), out);
    }

    /** One caption per sample of a split, drawn from the phrasings of {@code pool} (e.g. held-out phrasings for the test split). */
    public static List<String> captions(List<Sample> samples, Split split, long seed, Phrasing.Pool pool) {
        Rng words = languageRng(split, seed, pool);
        List<String> out = new ArrayList<>(samples.size());
        for (Sample s : samples) out.add(Phrasing.worldCaption(s.label(), pool, words));
        return out;
    }

    private static Rng languageRng(Split split, long seed, Phrasing.Pool pool) {
        return new Rng(seed * 1_000_033L + 101L * (split.ordinal() + 1) + 7919L * pool.ordinal());
    }

    /** One random sample of class {@code label} with its canonical caption. */
    public static Sample sample(WorldConfig cfg, int label, Rng rng) {
        return sample(cfg, label, rng, caption(label));
    }

    /** One random sample of class {@code label} with {@code text} as its caption. */
    public static Sample sample(WorldConfig cfg, int label, Rng rng, String text) {
        checkLabel(label);
        Image img = image(cfg.canvas(), shapeOf(label), colourOf(label), sizeOf(label), rng);
        float[] audio = tone(cfg.sampleRate(), cfg.seconds(), shapeOf(label), colourOf(label), sizeOf(label), rng);
        return new Sample(audio, cfg.sampleRate(), img, text, gloss(label), label, "synth");
    }

    /** [3, n, n] image of one shape. */
    public static Image image(int n, int shape, int colour, int size, Rng rng) {
        float[] d = new float[3 * n * n];
        for (int i = 0; i < d.length; i++) d[i] = 0.2f + 0.04f * (float) rng.nextGaussian();
        double r = size == 0 ? 4 + 2 * rng.nextDouble() : 9 + 3 * rng.nextDouble();
        r *= n / 32.0;
        double cx = r + 1 + rng.nextDouble() * (n - 2 * r - 2), cy = r + 1 + rng.nextDouble() * (n - 2 * r - 2);
        float[] c = new float[3];
        for (int k = 0; k < 3; k++) c[k] = clamp(RGB[colour][k] + 0.08f * (float) (2 * rng.nextDouble() - 1));
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                if (inside(shape, dx, dy, r))
                    for (int k = 0; k < 3; k++) d[(k * n + y) * n + x] = c[k];
            }
        for (int i = 0; i < d.length; i++) d[i] = clamp(d[i]);
        return new Image(3, n, n, d);
    }

    static boolean inside(int shape, double dx, double dy, double r) {
        return switch (shape) {
            case 0 -> dx * dx + dy * dy <= r * r;
            case 1 -> Math.abs(dx) <= 0.85 * r && Math.abs(dy) <= 0.85 * r;
            case 2 -> dy >= -r && dy <= r && Math.abs(dx) <= (dy + r) / 2;
            default -> (Math.abs(dx) <= r / 3 && Math.abs(dy) <= r) || (Math.abs(dy) <= r / 3 && Math.abs(dx) <= r);
        };
    }

    /** Harmonic amplitude of harmonic {@code k} (1-based) for a shape's timbre. */
    static double harmonic(int shape, int k) {
        return switch (shape) {
            case 0 -> k == 1 ? 1 : 0;
            case 1 -> k % 2 == 1 ? 1.0 / k : 0;
            case 2 -> k % 2 == 1 ? 1.0 / (k * k) : 0;
            default -> 1.0 / k;
        };
    }

    static final double SHAPE_F0 = 220.0, SIZE_F0 = 164.81, NOTE_AMP = 0.35;

    /**
     * The sound of a scene and where each of its three notes lies.
     *
     * @param audio  [round(seconds * sampleRate)]
     * @param starts first sample of each note, in gloss order (shape, colour, size)
     * @param ends   one past the last sample of each note
     */
    public record Phrase(float[] audio, int[] starts, int[] ends) {}

    /** The sound of one sample: three notes (shape, colour, size) at random lengths and pauses, [round(seconds * sampleRate)]. */
    public static Phrase phrase(int sampleRate, double seconds, int shape, int colour, int size, Rng rng) {
        int n = (int) Math.round(seconds * sampleRate);
        float[] out = new float[n];
        int[] len = new int[3], gap = new int[4];
        for (int k = 0; k < 3; k++) len[k] = (int) (n * (0.10 + 0.10 * rng.nextDouble()));
        for (int k = 0; k < 4; k++) gap[k] = (int) (n * (0.01 + 0.08 * rng.nextDouble()));
        int[] starts = new int[3], ends = new int[3];
        int pos = gap[0];
        for (int k = 0; k < 3; k++) {
            starts[k] = pos;
            ends[k] = pos + len[k];
            pos = ends[k] + gap[k + 1];
        }
        double jitterF = 1 + 0.03 * (2 * rng.nextDouble() - 1);
        note(out, starts[0], len[0], sampleRate, SHAPE_F0 * jitterF, NOTE_AMP * amp(rng), kk -> harmonic(shape, kk), rng);
        note(out, starts[1], len[1], sampleRate, F0[colour] * (1 + 0.03 * (2 * rng.nextDouble() - 1)), NOTE_AMP * amp(rng), kk -> kk == 1 ? 1 : kk == 2 ? 0.3 : 0, rng);
        note(out, starts[2], len[2], sampleRate, SIZE_F0 * (1 + 0.03 * (2 * rng.nextDouble() - 1)), AMP[size] * amp(rng), kk -> kk > 3 ? 0 : 1.0 / (1 << (kk - 1)), rng);
        for (int i = 0; i < n; i++) out[i] += (float) (0.005 * rng.nextGaussian());
        return new Phrase(out, starts, ends);
    }

    private static double amp(Rng rng) {
        return 1 + 0.15 * (2 * rng.nextDouble() - 1);
    }

    /** Adds one note: harmonics {@code w(k)} of {@code f0} (up to 0.45 of the rate, normalised), with 20 ms ramps. */
    private static void note(float[] out, int start, int len, int sampleRate, double f0, double amp, java.util.function.IntToDoubleFunction w, Rng rng) {
        int ramp = Math.max(1, Math.min(len / 4, sampleRate / 50));
        double norm = 0;
        for (int k = 1; k * f0 < 0.45 * sampleRate; k++) norm += w.applyAsDouble(k);
        double phase0 = 2 * Math.PI * rng.nextDouble();
        for (int i = 0; i < len; i++) {
            double t = (double) i / sampleRate, env = Math.min(1, Math.min((double) i / ramp, (double) (len - 1 - i) / ramp));
            double v = 0;
            for (int k = 1; k * f0 < 0.45 * sampleRate; k++) {
                double wk = w.applyAsDouble(k);
                if (wk != 0) v += wk * Math.sin(2 * Math.PI * k * f0 * t + k * phase0);
            }
            out[start + i] += (float) (amp * env * v / norm);
        }
    }

    /** The audio of one sample ({@link #phrase}). */
    public static float[] tone(int sampleRate, double seconds, int shape, int colour, int size, Rng rng) {
        return phrase(sampleRate, seconds, shape, colour, size, rng).audio();
    }

    /**
     * One note said alone, with its one-token gloss ({@code CIRCLE}, {@code RED}, {@code BIG}): the
     * dictionary of the DTW teacher. {@code kind} 0 = shape, 1 = colour, 2 = size.
     */
    public static Sample note(WorldConfig cfg, int kind, int value, Rng rng) {
        int n = (int) Math.round(cfg.seconds() * cfg.sampleRate()), len = (int) (n * (0.10 + 0.10 * rng.nextDouble()));
        float[] out = new float[Math.max(len + 2, n / 4)];
        int sr = cfg.sampleRate();
        String word = switch (kind) {
            case 0 -> {
                note(out, 1, len, sr, SHAPE_F0 * (1 + 0.03 * (2 * rng.nextDouble() - 1)), NOTE_AMP * amp(rng), kk -> harmonic(value, kk), rng);
                yield SHAPES[value];
            }
            case 1 -> {
                note(out, 1, len, sr, F0[value] * (1 + 0.03 * (2 * rng.nextDouble() - 1)), NOTE_AMP * amp(rng), kk -> kk == 1 ? 1 : kk == 2 ? 0.3 : 0, rng);
                yield COLOURS[value];
            }
            case 2 -> {
                note(out, 1, len, sr, SIZE_F0 * (1 + 0.03 * (2 * rng.nextDouble() - 1)), AMP[value] * amp(rng), kk -> kk > 3 ? 0 : 1.0 / (1 << (kk - 1)), rng);
                yield SIZES[value];
            }
            default -> throw new IllegalArgumentException("note kind must be 0 (shape), 1 (colour) or 2 (size), got " + kind);
        };
        for (int i = 0; i < out.length; i++) out[i] += (float) (0.005 * rng.nextGaussian());
        Image blank = new Image(3, 1, 1, new float[3]);
        return new Sample(out, sr, blank, word, word.toUpperCase(java.util.Locale.ROOT), -1, "synth");
    }

    /** {@code perWord} notes of every gloss word (4 shapes, 6 colours, 2 sizes): the dictionary of the DTW teacher. */
    public static List<Sample> notes(WorldConfig cfg, int perWord, long seed) {
        Rng rng = new Rng(seed * 1_000_039L + 12345L);
        List<Sample> out = new ArrayList<>();
        for (int r = 0; r < perWord; r++)
            for (int kind = 0; kind < 3; kind++)
                for (int v = 0; v < (kind == 0 ? SHAPES.length : kind == 1 ? COLOURS.length : SIZES.length); v++) out.add(note(cfg, kind, v, rng));
        return out;
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
