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
import org.bgtai.data.WeatherMaps;
import org.bgtai.data.Words;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.tensor.io.SharedFiles;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;

/**
 * Where a {@link Run} gets its data: the built-in world, AV-Digits single digits (FSDD x MNIST),
 * spoken digit strings with image strips, or PHOENIX-2014T sentences with weather maps (text only). Each source loads its three splits, builds the
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
    /**
     * @param classTexts       one prompt per class for zero-shot classification, or null
     * @param testTexts        the test samples' texts (seen phrasings)
     * @param testTextsHeldOut the same test samples said in held-out phrasings (templates and synonyms no training text uses), or null
     * @param novelLabels      classes of the test split never seen in training (held-out combinations); empty when none
     * @param corpus           a language corpus: text-to-gloss pairs without audio or images (every phrasing, seen and
     *                         held out, of the training classes), or null
     * @param dictionary       prepared clips of one gloss token each (the DTW teacher's dictionary of the alignment terms), or null
     * @param extraTests       further test sets by name (e.g. {@code unseen_speakers}), evaluated like {@code test}; empty when none
     */
    record Loaded(String name, Tokenizer textTokenizer, Tokenizer glossTokenizer, Prepared[] train, Prepared[] val, Prepared[] test,
                  int height, int width, List<String> classTexts, List<Image> testImages, List<String> testTexts, List<String> testTextsHeldOut,
                  java.util.Set<Integer> novelLabels, Corpus corpus, Prepared[] dictionary, java.util.Map<String, Prepared[]> extraTests) {
        /** This data with a dictionary of one-gloss clips. */
        public Loaded withDictionary(Prepared[] d) {
            return new Loaded(name, textTokenizer, glossTokenizer, train, val, test, height, width, classTexts, testImages, testTexts, testTextsHeldOut,
                novelLabels, corpus, d, extraTests);
        }

        /** This data with other training pairs (e.g. {@link Corruption#apply corrupted} ones). */
        public Loaded withTrain(Prepared[] t) {
            return new Loaded(name, textTokenizer, glossTokenizer, t, val, test, height, width, classTexts, testImages, testTexts, testTextsHeldOut,
                novelLabels, corpus, dictionary, extraTests);
        }

        /** True when image widths vary by sample (digit strips); batches then pad and mask. */
        public boolean variableWidth() {
            return width <= 0;
        }
    }

    /** Loads and prepares the splits for model config {@code mc}; {@code seed} fixes every random choice of the data. */
    Loaded load(ModelConfig mc, long seed) throws IOException;

    /** Short name for reports and file names. */
    String id();

    /**
     * Text-to-gloss pairs with no audio or image, as ids padded to the model's lengths.
     * @param text  [n][maxText] @param gloss [n][maxGloss]
     */
    record Corpus(int[][] text, int[][] gloss) {
        public int size() {
            return text.length;
        }
    }

    /**
     * The built-in procedural world (no files).
     * @param corpusPerClass sentences per training class in the language corpus (0 = no corpus)
     */
    record World(WorldConfig config, int corpusPerClass) implements DataSource {
        /** With a language corpus of 16 sentences per training class. */
        public World(WorldConfig config) {
            this(config, 16);
        }

        @Override
        public String id() {
            return "world";
        }

        /**
         * Texts are tokenized with a vocabulary of the training captions only (a word that only
         * held-out phrasings use is {@code <unk>}); the gloss vocabulary is the world's sign
         * vocabulary. Zero-shot prompts are the canonical captions ("big red circle").
         */
        @Override
        public Loaded load(ModelConfig mc, long seed) {
            Dataset<Sample> train = BuiltinWorld.generate(config, Split.TRAIN, seed);
            Dataset<Sample> val = BuiltinWorld.generate(config, Split.VAL, seed);
            Dataset<Sample> test = BuiltinWorld.generate(config, Split.TEST, seed);
            java.util.Set<Integer> novel = BuiltinWorld.heldOut(config.heldOutCombinations());
            List<String> corpusTexts = new ArrayList<>(), corpusGlosses = new ArrayList<>();
            org.bgtai.tensor.Rng words = new org.bgtai.tensor.Rng(seed * 1_000_037L + 4421L);
            for (int r = 0; r < corpusPerClass; r++)
                for (int c = 0; c < BuiltinWorld.numClasses(); c++)
                    if (!novel.contains(c)) {
                        corpusTexts.add(org.bgtai.data.Phrasing.worldCaption(c, org.bgtai.data.Phrasing.Pool.ANY, words));
                        corpusGlosses.add(BuiltinWorld.gloss(c));
                    }
            List<String> texts = new ArrayList<>(corpusTexts), glosses = new ArrayList<>(), prompts = new ArrayList<>();
            for (Sample x : train.items()) texts.add(x.text());
            for (int i = 0; i < BuiltinWorld.numClasses(); i++) {
                glosses.add(BuiltinWorld.gloss(i));
                prompts.add(BuiltinWorld.caption(i));
            }
            Loaded l = prepared("builtin-world", train.items(), val.items(), test.items(), texts, glosses, prompts, mc, config.canvas(), config.canvas());
            List<String> heldOut = BuiltinWorld.captions(test.items(), Split.TEST, seed, org.bgtai.data.Phrasing.Pool.HELD_OUT);
            Corpus corpus = corpusPerClass == 0 ? null : corpus(corpusTexts, corpusGlosses, l.textTokenizer(), l.glossTokenizer(), mc);
            Prepared[] dictionary = Prepared.prepare(BuiltinWorld.notes(config, 8, seed), mc, l.textTokenizer(), l.glossTokenizer());
            return new Loaded(l.name(), l.textTokenizer(), l.glossTokenizer(), l.train(), l.val(), l.test(), l.height(), l.width(), l.classTexts(),
                l.testImages(), l.testTexts(), heldOut, novel, corpus, dictionary, java.util.Map.of());
        }
    }

    /**
     * AV-Digits single digits: FSDD takes 5-44 train, 45-49 val, 0-4 test, each clip with a seeded
     * MNIST image of its digit (MNIST indices 0-7999 / 8000-8999 / 9000-9999) and a text said the
     * way people say a number ({@link org.bgtai.data.Phrasing#digitText}: "it is seven", "oh please";
     * seen phrasings in training, held-out ones as a second test of text). With held-out speakers,
     * their clips leave train and val and their takes 0-4 form the extra test set
     * {@code unseen_speakers}. A language corpus of digit texts (seen and held-out phrasings) goes
     * with the pairs.
     *
     * @param fsdd           FSDD folder (holding {@code recordings/})
     * @param mnist          MNIST folder (IDX files)
     * @param limit          at most this many samples per split, spread evenly over speakers and digits (0 = all)
     * @param heldOutSpeakers FSDD speakers kept out of training (empty = none)
     */
    record Digits(Path fsdd, Path mnist, int limit, java.util.Set<String> heldOutSpeakers) implements DataSource {
        /** Every speaker in training. */
        public Digits(Path fsdd, Path mnist, int limit) {
            this(fsdd, mnist, limit, java.util.Set.of());
        }

        /** Two FSDD speakers (different accents) held out for the unseen-speaker test. */
        public static final java.util.Set<String> UNSEEN = java.util.Set.of("george", "nicolas");

        @Override
        public String id() {
            return "avdigits";
        }

        @Override
        public Loaded load(ModelConfig mc, long seed) throws IOException {
            Sources s = Sources.open(fsdd, mnist);
            List<Sample> trAll = AvDigits.load(s.fsdd(), s.mnist(), Split.TRAIN, seed).items(), vaAll = AvDigits.load(s.fsdd(), s.mnist(), Split.VAL, seed).items(),
                teAll = AvDigits.load(s.fsdd(), s.mnist(), Split.TEST, seed).items();
            org.bgtai.tensor.Rng words = new org.bgtai.tensor.Rng(seed * 1_000_041L + 17L);
            List<Sample> tr = thin(phrased(seen(trAll, true), org.bgtai.data.Phrasing.Pool.SEEN, words), limit);
            List<Sample> va = thin(phrased(seen(vaAll, true), org.bgtai.data.Phrasing.Pool.SEEN, words), limit);
            List<Sample> te = thin(phrased(seen(teAll, true), org.bgtai.data.Phrasing.Pool.SEEN, words), limit);
            List<String> texts = new ArrayList<>(), corpusTexts = new ArrayList<>(), corpusGlosses = new ArrayList<>();
            for (int r = 0; r < 40; r++)
                for (int d = 0; d < 10; d++) {
                    corpusTexts.add(org.bgtai.data.Phrasing.digitText(new int[] {d}, org.bgtai.data.Phrasing.Pool.ANY, words));
                    corpusGlosses.add(org.bgtai.data.Words.digitGloss(d));
                }
            texts.addAll(corpusTexts);
            for (Sample x : tr) texts.add(x.text());
            Loaded l = prepared("av-digits", tr, va, te, texts, digitGlosses(), digitWords(), mc, 28, 28);
            List<String> heldOut = new ArrayList<>();
            for (Sample x : te) heldOut.add(org.bgtai.data.Phrasing.digitText(new int[] {x.label()}, org.bgtai.data.Phrasing.Pool.HELD_OUT, words));
            java.util.Map<String, Prepared[]> extra = new java.util.LinkedHashMap<>();
            if (!heldOutSpeakers.isEmpty())
                extra.put("unseen_speakers", Prepared.prepare(phrased(seen(teAll, false), org.bgtai.data.Phrasing.Pool.SEEN, words), mc, l.textTokenizer(),
                    l.glossTokenizer()));
            return new Loaded(l.name(), l.textTokenizer(), l.glossTokenizer(), l.train(), l.val(), l.test(), l.height(), l.width(), l.classTexts(),
                l.testImages(), l.testTexts(), heldOut, java.util.Set.of(), corpus(corpusTexts, corpusGlosses, l.textTokenizer(), l.glossTokenizer(), mc),
                dictionary(tr, l, mc), extra);
        }

        /** The samples of training speakers ({@code seen}) or of the held-out speakers. */
        private List<Sample> seen(List<Sample> all, boolean seen) {
            List<Sample> out = new ArrayList<>();
            for (Sample x : all) if (heldOutSpeakers.contains(x.speaker()) != seen) out.add(x);
            return out;
        }
    }

    /**
     * A user's own paired data: a CSV or JSONL file of audio, image and text ({@link org.bgtai.data.PairsFile}:
     * paths relative to the file, images resized to {@code height x width}, label = the label
     * column or the text, split = the split column or a seeded 80/10/10, gloss = the gloss column
     * or the text's content words upper-cased). The load report (loaded, skipped and why) goes to
     * standard error. The vocabularies are those of the training texts and the class names; the
     * one-gloss training pairs, if any, are the DTW teacher's dictionary.
     *
     * @param file the pairs file
     */
    record Pairs(Path file, int height, int width) implements DataSource {
        /** Images at 32 x 32, the input of {@link ModelConfig#pairs}. */
        public Pairs(Path file) {
            this(file, 32, 32);
        }

        @Override
        public String id() {
            return "pairs";
        }

        @Override
        public Loaded load(ModelConfig mc, long seed) throws IOException {
            double maxSeconds = (4.0 * mc.maxLen() - 8) * mc.hop() / mc.sampleRate();
            org.bgtai.data.PairsFile.Loaded p = org.bgtai.data.PairsFile.read(file, mc.imageChannels(), height, width, maxSeconds, seed);
            System.err.println(p.report());
            List<String> texts = new ArrayList<>(p.classTexts()), glosses = new ArrayList<>();
            for (Sample x : p.train()) {
                texts.add(x.text());
                glosses.add(x.gloss());
            }
            for (String c : p.classTexts()) glosses.add(org.bgtai.data.PairsFile.glossOf(c));
            String name = "pairs:" + file.getFileName();
            Loaded l = prepared(name, p.train(), p.val(), p.test(), texts, glosses, p.classTexts(), mc, height, width);
            java.util.Map<String, Integer> seen = new java.util.HashMap<>();
            List<Sample> one = new ArrayList<>();
            for (Sample x : p.train())
                if (!x.gloss().isBlank() && !x.gloss().contains(" ") && seen.merge(x.gloss(), 1, Integer::sum) <= 20) one.add(x);
            Prepared[] dictionary = one.isEmpty() ? null : Prepared.prepare(one, mc, l.textTokenizer(), l.glossTokenizer());
            return new Loaded(name, l.textTokenizer(), l.glossTokenizer(), l.train(), l.val(), l.test(), l.height(), l.width(), l.classTexts(),
                l.testImages(), l.testTexts(), null, java.util.Set.of(), null, dictionary, java.util.Map.of());
        }
    }

    /** The samples with their text said in a phrasing of {@code pool} (digit words of the label). */
    private static List<Sample> phrased(List<Sample> samples, org.bgtai.data.Phrasing.Pool pool, org.bgtai.tensor.Rng words) {
        List<Sample> out = new ArrayList<>(samples.size());
        for (Sample x : samples)
            out.add(new Sample(x.audio(), x.sampleRate(), x.image(), org.bgtai.data.Phrasing.digitText(new int[] {x.label()}, pool, words), x.gloss(), x.label(),
                x.speaker()));
        return out;
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
            Loaded l = prepared("digit-strings", train, val, test, null, digitGlosses(), null, mc, 28, -1);
            return l.withDictionary(dictionary(tr.items(), l, mc));
        }
    }

    /**
     * PHOENIX-2014T German weather-forecast sentences, each with its real DGS gloss and a weather
     * map rendered from that gloss ({@link WeatherMaps}: regions, sun/rain/snow/... symbols,
     * temperature, day): real spoken German, real gloss and an image in one text-only data set
     * (no audio). Splits are PHOENIX's train/dev/test; only sentences whose gloss draws something
     * are kept (about 84 %: 5987 / 439 / 530). The label is the map's content key, numbered in
     * order of first appearance over train, dev, test, so sentences with identical maps are
     * relevant to each other in retrieval.
     *
     * <p>The image is a deterministic function of the gloss, so a model that goes through the gloss
     * has an advantage by construction: this data shows that a PHOENIX text-to-gloss model plugs
     * into the gloss-image bridge on real German, not anything about sign video or real weather charts.
     *
     * @param dir            the {@code phoenix14t-text2gloss} folder ({@code spoken_<split>.txt}, {@code glosses_<split>.txt})
     * @param limit          at most this many pairs per split, every k-th (0 = all)
     * @param textTokenizer  the text tokenizer to use (e.g. a trained Langue2Gloss model's), or null for words of the training sentences
     * @param glossTokenizer the gloss tokenizer to use, or null for the training glosses' words
     */
    record Weather(Path dir, int limit, Tokenizer textTokenizer, Tokenizer glossTokenizer) implements DataSource {
        public Weather {
            if ((textTokenizer == null) != (glossTokenizer == null))
                throw new IllegalArgumentException("give both the text and the gloss tokenizer (of one Langue2Gloss model) or neither");
        }

        /** All pairs, word tokenizers of the training split. */
        public Weather(Path dir) {
            this(dir, 0, null, null);
        }

        /** This source with the tokenizers of a trained Langue2Gloss model. */
        public Weather withTokenizers(Tokenizer text, Tokenizer gloss) {
            return new Weather(dir, limit, text, gloss);
        }

        @Override
        public String id() {
            return "weather";
        }

        /** {@code seed} is unused: the data has no random choice. */
        @Override
        public Loaded load(ModelConfig mc, long seed) throws IOException {
            if (!Files.isDirectory(dir))
                throw new IOException("PHOENIX-2014T text2gloss folder " + dir.toAbsolutePath().normalize() + " not found: it must hold spoken_{train,dev,test}.txt "
                    + "and glosses_{train,dev,test}.txt; put the shared data folder at ../shared/data (data/phoenix14t-text2gloss), set BGTAI_SHARED or pass --data-dir DIR");
            if (mc.imageChannels() != 3) throw new IllegalArgumentException("weather maps are RGB: the model config needs 3 image channels, has " + mc.imageChannels());
            java.util.Map<String, Integer> labels = new java.util.HashMap<>();
            List<List<Sample>> splits = new ArrayList<>();
            org.bgtai.langue2gloss.ParallelCorpus train = null;
            for (String split : List.of("train", "dev", "test")) {
                org.bgtai.langue2gloss.ParallelCorpus c = org.bgtai.langue2gloss.ParallelCorpus.load(dir, split);
                if (train == null) train = c;
                List<Sample> out = new ArrayList<>();
                for (int i = 0; i < c.size(); i++) {
                    WeatherMaps.Scene sc = WeatherMaps.parse(c.target().get(i));
                    if (sc.isEmpty()) continue;
                    int label = labels.computeIfAbsent(sc.key(), k -> labels.size());
                    out.add(new Sample(null, 0, WeatherMaps.render(sc), c.source().get(i), c.target().get(i), label, ""));
                }
                splits.add(thin(out, limit));
            }
            // the vocabularies cover every training sentence, also those whose gloss draws no map
            Tokenizer tv = textTokenizer != null ? textTokenizer : WordTokenizer.train(train.source(), 1, true);
            Tokenizer gv = glossTokenizer != null ? glossTokenizer : WordTokenizer.train(train.target(), 1, false);
            return prepared("phoenix-weather", splits.get(0), splits.get(1), splits.get(2), tv, gv, null, mc, WeatherMaps.SIZE, WeatherMaps.SIZE);
        }
    }

    /**
     * {@link Weather} on all of PHOENIX-2014T under {@code root} ({@code root/phoenix14t-text2gloss});
     * {@code root} null = the shared data folder.
     */
    static Weather weather(Path root) throws IOException {
        Path r = root != null ? root : SharedFiles.resolve("data");
        return new Weather(r.resolve("phoenix14t-text2gloss"));
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

    /** At most 20 single-digit clips of every digit, prepared: the DTW teacher's dictionary. */
    private static Prepared[] dictionary(List<Sample> singles, Loaded l, ModelConfig mc) {
        int[] seen = new int[10];
        List<Sample> d = new ArrayList<>();
        for (Sample x : singles) if (x.label() >= 0 && x.label() < 10 && seen[x.label()]++ < 20) d.add(x);
        return Prepared.prepare(d, mc, l.textTokenizer(), l.glossTokenizer());
    }

    /** Text and gloss lines as padded ids. */
    private static Corpus corpus(List<String> texts, List<String> glosses, Tokenizer tv, Tokenizer gv, ModelConfig mc) {
        int[][] t = new int[texts.size()][], g = new int[texts.size()][];
        for (int i = 0; i < t.length; i++) {
            t[i] = Prepared.ids(tv, texts.get(i), mc.maxText());
            g[i] = Prepared.ids(gv, glosses.get(i), mc.maxGloss());
        }
        return new Corpus(t, g);
    }

    /** Every k-th item so that at most {@code limit} remain (0 = all): spread over speakers and digits as clips are sorted. */
    static <T> List<T> thin(List<T> items, int limit) {
        if (limit <= 0 || items.size() <= limit) return items;
        List<T> out = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) out.add(items.get((int) ((long) i * items.size() / limit)));
        return out;
    }

    private static Loaded prepared(String name, List<Sample> train, List<Sample> val, List<Sample> test, List<String> texts, List<String> glosses,
                                   List<String> classTexts, ModelConfig mc, int height, int width) {
        List<String> t = texts != null ? texts : digitWords();
        return prepared(name, train, val, test, WordTokenizer.train(t, 1, true), WordTokenizer.train(glosses, 1, false), classTexts, mc, height, width);
    }

    /** The three splits prepared with vocabularies {@code tv} (text) and {@code gv} (gloss), and the test images and texts. */
    private static Loaded prepared(String name, List<Sample> train, List<Sample> val, List<Sample> test, Tokenizer tv, Tokenizer gv,
                                   List<String> classTexts, ModelConfig mc, int height, int width) {
        Prepared[] pt = Prepared.prepare(train, mc, tv, gv), pv = Prepared.prepare(val, mc, tv, gv), pe = Prepared.prepare(test, mc, tv, gv);
        List<Image> images = new ArrayList<>(test.size());
        List<String> testTexts = new ArrayList<>(test.size());
        for (Sample s : test) {
            images.add(s.image());
            testTexts.add(s.text());
        }
        return new Loaded(name, tv, gv, pt, pv, pe, height, width, classTexts, images, testTexts, null, java.util.Set.of(), null, null, java.util.Map.of());
    }
}
