package org.bgtai.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bgtai.audio.Audio;
import org.bgtai.audio.Resampler;
import org.bgtai.audio.WavReader;
import org.bgtai.audio.data.Fsdd;
import org.bgtai.tensor.Rng;

/**
 * AV-Digits: every FSDD clip paired with a seeded random MNIST image of the same digit from the
 * matching split, the text {@code seven} and the gloss {@code SEVEN}.
 *
 * <p>Splits: FSDD takes 0-4 are TEST (official), takes {@code 5 .. 49 - valTakes} TRAIN and the last
 * {@code valTakes} takes (default 45-49) VAL; MNIST indices 0-7999 train, 8000-8999 val, 9000-9999
 * test. Clips are in (speaker, digit, take) order; the image choice depends only on the seed.
 *
 * <pre>{@code
 * Dataset<Sample> test = AvDigits.load(Path.of("shared/data/fsdd"), Path.of("shared/data/mnist"), Split.TEST, 0);
 * test.get(0).audio();   // 8 kHz waveform; test.get(0).image() is [1, 28, 28]
 * }</pre>
 */
public final class AvDigits {
    public static final int SAMPLE_RATE = 8000;
    /** Number of final training takes held out for validation (45-49). */
    public static final int VAL_TAKES = 5;

    private AvDigits() {}

    /** Split of an FSDD take: 0-4 test, 45-49 val, else train. */
    public static Split splitOf(int take) {
        if (take < 5) return Split.TEST;
        return take >= 50 - VAL_TAKES ? Split.VAL : Split.TRAIN;
    }

    /** The FSDD clips of one split, sorted by (speaker, digit, take). */
    public static List<Fsdd.Clip> clips(Fsdd fsdd, Split split) {
        List<Fsdd.Clip> out = new ArrayList<>();
        for (Fsdd.Clip c : fsdd.clips()) if (splitOf(c.take()) == split) out.add(c);
        out.sort(Comparator.comparing(Fsdd.Clip::speaker).thenComparingInt(Fsdd.Clip::digit).thenComparingInt(Fsdd.Clip::take));
        return out;
    }

    /** Loads one split; {@code seed} picks the MNIST partner of each clip. */
    public static Dataset<Sample> load(Path fsddRoot, Path mnistDir, Split split, long seed) throws IOException {
        return load(Fsdd.open(checkDir(fsddRoot, "FSDD")), Mnist.open(checkDir(mnistDir, "MNIST")), split, seed);
    }

    /** Loads one split from opened sources. */
    public static Dataset<Sample> load(Fsdd fsdd, Mnist mnist, Split split, long seed) throws IOException {
        List<Fsdd.Clip> clips = clips(fsdd, split);
        if (clips.isEmpty()) throw new IOException("FSDD at " + fsdd.recordings() + " has no clips in split " + split);
        int[][] byDigit = new int[10][];
        for (int d = 0; d < 10; d++) {
            byDigit[d] = mnist.indicesOf(split, d);
            if (byDigit[d].length == 0) throw new IOException("MNIST has no image of digit " + d + " in split " + split + " (index range " + java.util.Arrays.toString(mnist.range(split)) + ")");
        }
        Rng rng = new Rng(seed * 31 + split.ordinal());
        List<Sample> out = new ArrayList<>(clips.size());
        for (Fsdd.Clip c : clips) {
            int[] pool = byDigit[c.digit()];
            int idx = pool[rng.nextInt(pool.length)];
            out.add(new Sample(readMono8k(c.file()), SAMPLE_RATE, mnist.image(idx), Words.digit(c.digit()), Words.digitGloss(c.digit()), c.digit(), c.speaker()));
        }
        return Dataset.of("av-digits/" + split.id(), out);
    }

    /** A WAV file as mono at 8 kHz (resampled when needed). */
    public static float[] readMono8k(Path wav) throws IOException {
        Audio a = WavReader.read(wav);
        float[] x = a.mono();
        return a.sampleRate() == SAMPLE_RATE ? x : Resampler.of(a.sampleRate(), SAMPLE_RATE).apply(x);
    }

    static Path checkDir(Path p, String what) throws IOException {
        if (!Files.isDirectory(p)) throw new IOException(what + " folder " + p + " does not exist; pass the folder of the " + what + " download");
        return p;
    }
}
