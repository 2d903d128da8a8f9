package org.bgtai.joint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bgtai.audio.data.Fsdd;
import org.bgtai.data.AvDigits;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Dataset;
import org.bgtai.data.DigitString;
import org.bgtai.data.DigitStrings;
import org.bgtai.data.Image;
import org.bgtai.data.Mnist;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.data.Words;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.tensor.io.SharedFiles;
import org.bgtai.text.Vocab;

/**
 * Where a {@link Run} gets its data: the built-in world, AV-Digits single digits (FSDD x MNIST) or
 * spoken digit strings with image strips. Each source loads its three splits, builds the
 * vocabularies and prepares the model inputs ({@link Prepared}) once.
 *
 * <pre>{@code
 * DataSource src = DataSource.digits(DataSource.dataRoot(null));        // ../shared/data or $BGTAI_SHARED/data
 * DataSource.Loaded d = src.load(ModelConfig.digits(Variant.BGTAI), 1);
 * d.train().length;   // 2400 prepared pairs (FSDD takes 5-44)
 * }</pre>
 *
 * <p>Labels: the class for the world and single digits; for digit strings the code
 * {@link #stringLabel} of the digit sequence, so that retrieval counts a gallery item as relevant
 * when it says the same digits in the same order.
 */
public sealed interface DataSource {
    /** The three prepared splits and what evaluation needs to know about them. */
    record Loaded(String name, Vocab textVocab, Vocab glossVocab, Prepared[] train, Prepared[] val, Prepared[] test,
                  int height, int width, List<String> classTexts, List<Image> testImages, List<String> testTexts) {
        /** True when image widths vary by sample (digit strips); batches then pad and mask. */
        public boolean variableWidth() {
            return width <= 0;
        }
    }

    /** Loads and prepares the splits for model config {@code mc}; {@code seed} fixes every random choice of the data. */
    Loaded load(ModelConfig mc, long seed) throws IOException;

    /** Short name for reports and file names. */
    String id();

    /** The built-in procedural world (no files). */
    record World(WorldConfig config) implements DataSource {
        @Override
        public String id() {
            return "world";
        }

        @Override
        public Loaded load(ModelConfig mc, long seed) {
            Dataset<Sample> train = BuiltinWorld.generate(config, Split.TRAIN, seed);
            Dataset<Sample> val = BuiltinWorld.generate(config, Split.VAL, seed);
            Dataset<Sample> test = BuiltinWorld.generate(config, Split.TEST, seed);
            List<String> texts = new ArrayList<>(), glosses = new ArrayList<>();
            for (int i = 0; i < BuiltinWorld.numClasses(); i++) {
                texts.add(BuiltinWorld.caption(i));
                glosses.add(BuiltinWorld.gloss(i));
            }
            return prepared("builtin-world", train.items(), val.items(), test.items(), texts, glosses, texts, mc, config.canvas(), config.canvas());
        }
    }

    /**
     * AV-Digits single digits: FSDD takes 5-44 train, 45-49 val, 0-4 test, each clip with a seeded
     * MNIST image of its digit (MNIST indices 0-7999 / 8000-8999 / 9000-9999).
     *
     * @param fsdd  FSDD folder (holding {@code recordings/})
     * @param mnist MNIST folder (IDX files)
     * @param limit at most this many samples per split, spread evenly over speakers and digits (0 = all)
     */
    record Digits(Path fsdd, Path mnist, int limit) implements DataSource {
        @Override
        public String id() {
            return "avdigits";
        }

        @Override
        public Loaded load(ModelConfig mc, long seed) throws IOException {
            Sources s = Sources.open(fsdd, mnist);
            List<Sample> tr = thin(AvDigits.load(s.fsdd(), s.mnist(), Split.TRAIN, seed).items(), limit);
            List<Sample> va = thin(AvDigits.load(s.fsdd(), s.mnist(), Split.VAL, seed).items(), limit);
            List<Sample> te = thin(AvDigits.load(s.fsdd(), s.mnist(), Split.TEST, seed).items(), limit);
            return prepared("av-digits", tr, va, te, digitWords(), digitGlosses(), digitWords(), mc, 28, 28);
        }
    }

    /**
     * Spoken digit strings: {@code minDigits..maxDigits} clips of one speaker with random silences
     * and the strip of their MNIST images {@code [1, 28, 28 k]}, built from the AV-Digits split of
     * the same name (so no test clip or test image is ever seen in training).
     *
     * @param fsdd         FSDD folder
     * @param mnist        MNIST folder
     * @param trainStrings strings generated from the train split
     * @param evalStrings  strings generated from each of val and test
     * @param minDigits    shortest string (>= 1)
     * @param maxDigits    longest string
     * @param withSingles  also train on every single AV-Digits training pair (and validate on the single val pairs)
     */
    record Strings(Path fsdd, Path mnist, int trainStrings, int evalStrings, int minDigits, int maxDigits, boolean withSingles) implements DataSource {
        /** Honest strings with the digit words as text (the text vocabulary here is the ten digit words). */
        static final DigitStrings.Options LAYOUT = DigitStrings.Options.HONEST.withText(DigitStrings.Text.PLAIN);

        public Strings {
            if (trainStrings < 0 || evalStrings < 1) throw new IllegalArgumentException("need >= 0 training and >= 1 evaluation strings, got " + trainStrings + "/" + evalStrings);
            if (minDigits < 1 || maxDigits < minDigits) throw new IllegalArgumentException("digit count range must satisfy 1 <= min <= max, got " + minDigits + ".." + maxDigits);
        }

        @Override
        public String id() {
            return "strings";
        }

        @Override
        public Loaded load(ModelConfig mc, long seed) throws IOException {
            if (mc.maxText() < maxDigits || mc.maxGloss() < maxDigits)
                throw new IllegalArgumentException("strings of up to " + maxDigits + " digits need maxText and maxGloss >= " + maxDigits + " (config has "
                    + mc.maxText() + "/" + mc.maxGloss() + ")");
            Sources s = Sources.open(fsdd, mnist);
            Dataset<Sample> tr = AvDigits.load(s.fsdd(), s.mnist(), Split.TRAIN, seed);
            Dataset<Sample> va = AvDigits.load(s.fsdd(), s.mnist(), Split.VAL, seed);
            Dataset<Sample> te = AvDigits.load(s.fsdd(), s.mnist(), Split.TEST, seed);
            List<Sample> train = new ArrayList<>(samples(DigitStrings.generate(tr, trainStrings, minDigits, maxDigits, seed * 7 + 1, LAYOUT)));
            List<Sample> val = withSingles ? new ArrayList<>(va.items()) : samples(DigitStrings.generate(va, evalStrings, minDigits, maxDigits, seed * 7 + 2, LAYOUT));
            if (withSingles) train.addAll(tr.items());
            if (train.isEmpty()) throw new IllegalArgumentException("no training data: trainStrings is 0 and withSingles is off");
            List<Sample> test = samples(DigitStrings.generate(te, evalStrings, minDigits, maxDigits, seed * 7 + 3, LAYOUT));
            return prepared("digit-strings", train, val, test, null, digitGlosses(), null, mc, 28, -1);
        }
    }

    /** {@code Digits} on all of FSDD/MNIST under {@code root} ({@code root/fsdd}, {@code root/mnist}). */
    static Digits digits(Path root) {
        return new Digits(root.resolve("fsdd"), root.resolve("mnist"), 0);
    }

    /** The code of a digit sequence: the number written {@code 1 d_1 d_2 ... d_k} (distinct for every sequence of up to 9 digits). */
    static int stringLabel(int[] digits) {
        if (digits.length == 0 || digits.length > 9) throw new IllegalArgumentException("a digit string has 1-9 digits, got " + digits.length);
        int code = 1;
        for (int d : digits) code = code * 10 + d;
        return code;
    }

    /** A digit string as a {@link Sample} (label {@link #stringLabel}). */
    static Sample sample(DigitString s) {
        return new Sample(s.audio(), s.sampleRate(), s.image(), s.text(), s.gloss(), stringLabel(s.digits()), s.speaker());
    }

    private static List<Sample> samples(Dataset<DigitString> d) {
        List<Sample> out = new ArrayList<>(d.size());
        for (DigitString s : d.items()) out.add(sample(s));
        return out;
    }

    /** "zero" .. "nine", index = digit. */
    private static List<String> digitWords() {
        return List.of(Words.DIGITS);
    }

    private static List<String> digitGlosses() {
        List<String> g = new ArrayList<>();
        for (int d = 0; d < 10; d++) g.add(Words.digitGloss(d));
        return g;
    }

    /**
     * The data folder: {@code dir} when given, else {@code data/} of the shared folder
     * ({@link SharedFiles}: -Dbgtai.shared, $BGTAI_SHARED, ../shared beside the checkout). It must hold {@code fsdd/} and {@code mnist/}.
     */
    static Path dataRoot(Path dir) throws IOException {
        Path root = dir != null ? dir : SharedFiles.resolve("data");   // -Dbgtai.shared, $BGTAI_SHARED, ../shared, ../../shared
        for (String sub : new String[] {"fsdd", "mnist"})
            if (!Files.isDirectory(root.resolve(sub)))
                throw new IOException("data folder " + root.toAbsolutePath().normalize().resolve(sub) + " not found: AV-Digits needs FSDD ("
                    + root.resolve("fsdd") + ", https://github.com/Jakobovski/free-spoken-digit-dataset) and MNIST IDX files (" + root.resolve("mnist")
                    + "); put the shared data folder at ../shared/data, set BGTAI_SHARED=DIR (DIR/data/fsdd, DIR/data/mnist) or pass --data-dir DIR");
        return root;
    }

    /** Opened FSDD index and MNIST, with folder checks that name the fix. */
    record Sources(Fsdd fsdd, Mnist mnist) {
        public static Sources open(Path fsdd, Path mnist) throws IOException {
            if (!Files.isDirectory(fsdd))
                throw new IOException("FSDD folder " + fsdd + " not found; download https://github.com/Jakobovski/free-spoken-digit-dataset there "
                    + "(it holds recordings/*.wav) or point --data-dir / BGTAI_SHARED at the folder holding fsdd/ and mnist/");
            if (!Files.isDirectory(mnist))
                throw new IOException("MNIST folder " + mnist + " not found; put t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz there "
                    + "or point --data-dir / BGTAI_SHARED at the folder holding fsdd/ and mnist/");
            return new Sources(Fsdd.open(fsdd), Mnist.open(mnist));
        }

        /** {@code fsdd/} and {@code mnist/} of the data folder {@link #dataRoot}{@code (dir)} (null = the shared folder). */
        public static Sources at(Path dir) throws IOException {
            Path root = dataRoot(dir);
            return open(root.resolve("fsdd"), root.resolve("mnist"));
        }
    }

    /** Every k-th item so that at most {@code limit} remain (0 = all). */
    private static <T> List<T> thin(List<T> items, int limit) {
        if (limit <= 0 || items.size() <= limit) return items;
        List<T> out = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) out.add(items.get((int) ((long) i * items.size() / limit)));
        return out;
    }

    private static Loaded prepared(String name, List<Sample> train, List<Sample> val, List<Sample> test, List<String> texts, List<String> glosses,
                                   List<String> classTexts, ModelConfig mc, int height, int width) {
        List<String> t = texts != null ? texts : digitWords();
        Vocab tv = Vocab.build(t), gv = Vocab.build(glosses);
        Prepared[] pt = Prepared.prepare(train, mc, tv, gv), pv = Prepared.prepare(val, mc, tv, gv), pe = Prepared.prepare(test, mc, tv, gv);
        List<Image> images = new ArrayList<>(test.size());
        List<String> testTexts = new ArrayList<>(test.size());
        for (Sample s : test) {
            images.add(s.image());
            testTexts.add(s.text());
        }
        return new Loaded(name, tv, gv, pt, pv, pe, height, width, classTexts, images, testTexts);
    }
}
