package org.bgtai.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bgtai.align.AlignFeatures;
import org.bgtai.align.AlignMetrics;
import org.bgtai.align.AlignPair;
import org.bgtai.align.DictionaryAligner;
import org.bgtai.align.DsNet;
import org.bgtai.align.DsNetRecipe;
import org.bgtai.audio.data.Fsdd;
import org.bgtai.data.AvDigits;
import org.bgtai.data.Dataset;
import org.bgtai.data.DigitString;
import org.bgtai.data.DigitStrings;
import org.bgtai.data.Image;
import org.bgtai.data.Sample;
import org.bgtai.data.Words;
import org.bgtai.nn.align.MonotonicViterbi;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.SharedFiles;

/**
 * Aligning a spoken digit string with DS-Net: which stretch of the recording says which digit.
 * Strings of 1-5 Free Spoken Digit Dataset clips of one speaker, each at its own speaking rate,
 * joined by silences of 0-1.5 s ({@link DigitStrings}), are the data; the true clip boundaries are
 * known, so the alignment can be scored. The steps:
 * <ol>
 * <li>features: standardised log-mel frames (20 ms hop, {@link AlignFeatures}) fitted on single clips;
 * <li>the teacher: a sequence dictionary ({@link DictionaryAligner#fitSequences}: every digit's clips
 *     resampled to 4 frames and averaged, plus a silence frame that may sit between digits) aligned
 *     with each training string by DTW gives a sparse target path A*: the frames each digit takes,
 *     and the silence it skips;
 * <li>DS-Net ({@link DsNet}, with a skip row and multi-scale context) learns to predict that path
 *     from the frames and the digits with the alignment cross-entropy (the Result Filter recipe,
 *     {@link DsNetRecipe});
 * <li>on held-out 3-digit strings (FSDD's test takes 0-4) it segments each string into one span
 *     per digit (a silence between two digits split at its middle); the program prints the first
 *     string's boundaries against the true silences, and the frame accuracy of DS-Net, the
 *     untrained network, the DTW teacher and the uniform split (three equal spans).
 * </ol>
 * With silences of up to 1.5 s the uniform split is a poor guess; the teacher finds the silences
 * and DS-Net learns it, see {@code bin/bgtai experiments alignment} for the full comparison (also
 * on the strings' image strips).
 *
 * <p>Needs FSDD: {@code ../shared/data/fsdd} by default, or the folder given as the first argument
 * (holding {@code recordings/}). Without it the program says where it looked and exits (status 0).
 *
 * <p>Run it with {@code bin/bgtai example AlignDigitString [FSDD_DIR]}, or after {@code mvn package}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "examples/target/classes:cli/target/lib/*" org.bgtai.examples.AlignDigitString
 * </pre>
 * Time: 14 s: 900 clips read, 150 training strings, 6 epochs (JVM start included, 2 cores shared with other jobs).
 * Prints, e.g., frame accuracy DS-Net 0.998, untrained 0.749, DTW teacher 0.997, uniform split 0.875.
 */
public final class AlignDigitString {
    private AlignDigitString() {}

    static final int TRAIN_TAKES = 10, TRAIN_STRINGS = 150, TEST_STRINGS = 30, DIGITS = 3, EPOCHS = 6, TEMPLATE = 4;
    /** The clips' image: DigitStrings joins images too (the strips); this program aligns the audio only. */
    private static final Image BLANK = new Image(1, 1, 1, new float[1]);

    /**
     * What the program computed (frame accuracies are means over the {@value #TEST_STRINGS} test strings).
     *
     * @param dsNet      DS-Net, trained
     * @param untrained  the same network before training
     * @param teacher    the DTW teacher it learned from
     * @param uniform    equal spans
     * @param boundaryErrorMs DS-Net's mean distance from a predicted boundary to the true silence between the two digits (0 inside it)
     * @param digits     the first test string's digits
     * @param trueGapsMs the first test string's true silences between digits, {@code [q][start, end]} in ms
     * @param boundaryMs DS-Net's boundaries on it (ms)
     */
    public record Result(double dsNet, double untrained, double teacher, double uniform, double boundaryErrorMs, int[] digits, double[][] trueGapsMs,
                         double[] boundaryMs) {}

    public static void main(String[] args) throws IOException {
        Path fsdd = args.length > 0 ? Path.of(args[0]) : SharedFiles.find("data/fsdd");
        if (fsdd == null || !Files.isDirectory(fsdd)) {
            System.out.println("AlignDigitString needs the Free Spoken Digit Dataset (https://github.com/Jakobovski/free-spoken-digit-dataset); looked in "
                + (fsdd != null ? fsdd : "../shared/data/fsdd (or $BGTAI_SHARED/data/fsdd)") + ". Pass its folder as the first argument.");
            return;
        }
        run(fsdd, System.out);
    }

    /** Loads FSDD from {@code fsddRoot}, trains DS-Net and aligns held-out strings, printing to {@code out}. */
    public static Result run(Path fsddRoot, PrintStream out) throws IOException {
        // single clips: takes 5-14 for training, the official test takes 0-4 for the test strings
        List<Sample> train = new ArrayList<>(), test = new ArrayList<>();
        for (Fsdd.Clip c : Fsdd.open(fsddRoot).clips()) {
            boolean isTest = c.take() < 5;
            if (!isTest && c.take() >= 5 + TRAIN_TAKES) continue;
            Sample s = new Sample(AvDigits.readMono8k(c.file()), AvDigits.SAMPLE_RATE, BLANK, Words.digit(c.digit()), Words.digitGloss(c.digit()),
                c.digit(), c.speaker());
            (isTest ? test : train).add(s);
        }
        out.printf("FSDD: %d training clips, %d test clips%n", train.size(), test.size());

        // 1. features, 2. the DTW teacher's dictionary, both from single clips
        AlignFeatures features = AlignFeatures.fit(train.stream().map(Sample::audio).toList());
        List<float[]> clipFrames = train.stream().map(s -> features.frames(s.audio())).toList();
        int[] clipDigits = train.stream().mapToInt(Sample::label).toArray();
        float[] silence = features.frames(new float[AvDigits.SAMPLE_RATE / 2]);   // the features of a silent frame
        int mid = silence.length / AlignFeatures.MELS / 2;
        DictionaryAligner teacher = DictionaryAligner.fitSequences(clipFrames, clipDigits, 10, AlignFeatures.MELS, TEMPLATE,
            java.util.Arrays.copyOfRange(silence, mid * AlignFeatures.MELS, (mid + 1) * AlignFeatures.MELS));

        // 3. DS-Net on training strings of 1-5 digits, against the teacher's sparse paths
        List<AlignPair> pairs = new ArrayList<>();
        List<float[]> paths = new ArrayList<>();
        for (DigitString d : DigitStrings.generate(Dataset.of("fsdd-train", train), TRAIN_STRINGS, 1, 5, 1).items()) {
            AlignPair p = features.pair(d);
            pairs.add(p);
            paths.add(teacher.align(p).selectionMatrix(p.length()));
        }
        DsNetRecipe.Config config = DsNetRecipe.Config.resultFilter(EPOCHS, 1).withScales(4, 16, 64).withSkip(true);
        DsNet untrained = new DsNet(10, AlignFeatures.MELS, config.arch(), new Rng(config.seed()));   // what train() starts from
        DsNet net = DsNetRecipe.train(pairs, paths, 10, config).net();
        out.printf("DS-Net trained on %d strings for %d epochs%n", pairs.size(), EPOCHS);

        // 4. held-out strings
        List<AlignPair> held = new ArrayList<>();
        for (DigitString d : DigitStrings.generate(Dataset.of("fsdd-test", test), TEST_STRINGS, DIGITS, DIGITS, 2).items()) held.add(features.pair(d));
        double[] acc = new double[4];
        double boundaryError = 0;
        for (AlignPair p : held) {
            MonotonicViterbi.Segmentation s = net.align(p).segmentation();
            acc[0] += frameAccuracy(s, p);
            boundaryError += AlignMetrics.boundaryErrorMs(s.starts(), p.frameMs(), p.clipStartMs(), p.clipEndMs()) / held.size();
            acc[1] += frameAccuracy(untrained.align(p).segmentation(), p);
            acc[2] += frameAccuracy(teacher.align(p).segmentation(), p);
            acc[3] += frameAccuracy(DictionaryAligner.uniform(p.length(), p.frames()), p);
        }
        for (int i = 0; i < acc.length; i++) acc[i] /= held.size();

        AlignPair first = held.get(0);
        MonotonicViterbi.Segmentation seg = net.align(first).segmentation();
        int q = first.length();
        double[][] gaps = new double[q - 1][];
        double[] bounds = new double[q - 1];
        out.printf("first test string, digits %s (%.0f ms):%n", java.util.Arrays.toString(first.tokens()), first.frames() * first.frameMs());
        for (int i = 0; i < q - 1; i++) {
            gaps[i] = new double[] {first.clipEndMs()[i], first.clipStartMs()[i + 1]};
            bounds[i] = (seg.starts()[i + 1] - 0.5) * first.frameMs();   // between frames start-1 and start
            out.printf(Locale.ROOT, "  boundary %d|%d: DS-Net at %4.0f ms, true silence %4.0f-%4.0f ms%n", first.tokens()[i], first.tokens()[i + 1], bounds[i],
                gaps[i][0], gaps[i][1]);
        }
        out.printf(Locale.ROOT, "frame accuracy on %d held-out %d-digit strings: DS-Net %.3f, untrained %.3f, DTW teacher %.3f, uniform split %.3f%n",
            held.size(), DIGITS, acc[0], acc[1], acc[2], acc[3]);
        out.printf(Locale.ROOT, "DS-Net's boundaries are %.0f ms from the true silences on average%n", boundaryError);
        return new Result(acc[0], acc[1], acc[2], acc[3], boundaryError, first.tokens().clone(), gaps, bounds);
    }

    static double frameAccuracy(MonotonicViterbi.Segmentation s, AlignPair p) {
        return AlignMetrics.frameAccuracy(AlignMetrics.labels(s.starts(), s.ends(), p.frames()), p.truth());
    }
}
