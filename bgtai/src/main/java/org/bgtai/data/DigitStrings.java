package org.bgtai.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bgtai.audio.Resampler;
import org.bgtai.tensor.Rng;

/**
 * Spoken digit strings built from AV-Digits: 1-5 clips of one speaker, each read at its own
 * speaking rate, joined by random silences (also before the first and after the last clip),
 * paired with a strip of the clips' MNIST images in which every digit has its own width and
 * spacing, a spoken-style text ({@link Phrasing#digitText}), the gloss
 * ({@link Phrasing#digitGloss}, {@code THREE SEVEN ONE}), and the ground truth of both: the
 * sample range {@code [starts[i], ends[i])} of every clip and the column range
 * {@code [colStarts[i], colEnds[i])} of every digit's ink.
 *
 * <p>The layout is an {@link Options}. {@link Options#HONEST} (the default of {@link #generate})
 * is built so that cutting a string into equal parts is a poor alignment:
 * <ul>
 *   <li>silences drawn uniformly from 0 to 1500 ms;</li>
 *   <li>each clip time-stretched by a speaking-rate factor r drawn from [0.75, 1.3]
 *       ({@link #stretch}: a tape-speed change, so duration scales by 1/r and pitch and formants by r);</li>
 *   <li>each digit image scaled horizontally so its 28-column cell spans 16-44 columns, cropped to
 *       its ink (the columns with a non-zero pixel) and set 0-24 background columns from its
 *       neighbours (and from the strip's ends).</li>
 * </ul>
 * {@link Options#EVEN} is the earlier layout: 50-300 ms silences, recorded rate, 28-column cells
 * side by side, digit words as text.
 *
 * <pre>{@code
 * Dataset<DigitString> s = DigitStrings.generate(avTest, 200, 1, 5, 0);   // Options.HONEST
 * s.get(0).starts();      // first sample of each clip
 * s.get(0).colStarts();   // first ink column of each digit in the strip
 * }</pre>
 */
public final class DigitStrings {
    /** The silence range of {@link Options#EVEN}. */
    public static final int MIN_SILENCE_MS = 50, MAX_SILENCE_MS = 300;
    /** Stretched clips are resampled to a multiple of this rate (Hz), so a handful of resamplers serve every factor. */
    static final int RATE_STEP_HZ = 80;

    private DigitStrings() {}

    /** What the text of a string is. */
    public enum Text {
        /** {@link Phrasing#digitText}: wrappers, separators, "double three", synonyms ("oh" for zero). */
        PHRASED,
        /** The digit words joined by spaces ("three seven one"), as the single clips' texts. */
        PLAIN
    }

    /**
     * The layout of generated strings.
     *
     * @param minSilenceMs shortest silence between (and around) clips, >= 0
     * @param maxSilenceMs longest silence
     * @param minRate      slowest speaking-rate factor (> 0; 1 = as recorded)
     * @param maxRate      fastest speaking-rate factor
     * @param minCell      narrowest width (columns) of a digit's 28-column cell after horizontal scaling, >= 1
     * @param maxCell      widest cell
     * @param minSpacing   fewest background columns between two digits' ink (and at the strip's ends), >= 0
     * @param maxSpacing   most background columns
     * @param cropToInk    crop every scaled digit to its ink columns (false: keep the whole cell)
     * @param text         the text of a string
     * @param pool         the phrasings {@link Text#PHRASED} draws from; null: by the source's split,
     *                     {@link Phrasing.Pool#ANY} for a source named {@code .../test} (as {@link AvDigits} names its test split),
     *                     else {@link Phrasing.Pool#SEEN}
     */
    public record Options(int minSilenceMs, int maxSilenceMs, double minRate, double maxRate, int minCell, int maxCell, int minSpacing, int maxSpacing,
                          boolean cropToInk, Text text, Phrasing.Pool pool) {
        /** Silences 0-1500 ms, rates 0.75-1.3, cells 16-44 columns cropped to ink, spacing 0-24 columns, phrased text. */
        public static final Options HONEST = new Options(0, 1500, 0.75, 1.3, 16, 44, 0, 24, true, Text.PHRASED, null);
        /** The earlier, even layout: silences 50-300 ms, recorded rate, 28-column cells side by side, digit words. */
        public static final Options EVEN = new Options(MIN_SILENCE_MS, MAX_SILENCE_MS, 1, 1, 28, 28, 0, 0, false, Text.PLAIN, null);

        public Options {
            if (minSilenceMs < 0 || maxSilenceMs < minSilenceMs)
                throw new IllegalArgumentException("silence range must satisfy 0 <= min <= max ms, got " + minSilenceMs + ".." + maxSilenceMs);
            if (!(minRate > 0) || !(maxRate >= minRate) || maxRate > 4)
                throw new IllegalArgumentException("speaking-rate range must satisfy 0 < min <= max <= 4, got " + minRate + ".." + maxRate);
            if (minCell < 1 || maxCell < minCell) throw new IllegalArgumentException("cell width range must satisfy 1 <= min <= max, got " + minCell + ".." + maxCell);
            if (minSpacing < 0 || maxSpacing < minSpacing)
                throw new IllegalArgumentException("spacing range must satisfy 0 <= min <= max, got " + minSpacing + ".." + maxSpacing);
            if (text == null) throw new IllegalArgumentException("text is null; use Text.PHRASED or Text.PLAIN");
        }

        public Options withSilenceMs(int min, int max) {
            return new Options(min, max, minRate, maxRate, minCell, maxCell, minSpacing, maxSpacing, cropToInk, text, pool);
        }

        public Options withRates(double min, double max) {
            return new Options(minSilenceMs, maxSilenceMs, min, max, minCell, maxCell, minSpacing, maxSpacing, cropToInk, text, pool);
        }

        public Options withCells(int min, int max) {
            return new Options(minSilenceMs, maxSilenceMs, minRate, maxRate, min, max, minSpacing, maxSpacing, cropToInk, text, pool);
        }

        public Options withSpacing(int min, int max) {
            return new Options(minSilenceMs, maxSilenceMs, minRate, maxRate, minCell, maxCell, min, max, cropToInk, text, pool);
        }

        public Options withText(Text t) {
            return new Options(minSilenceMs, maxSilenceMs, minRate, maxRate, minCell, maxCell, minSpacing, maxSpacing, cropToInk, t, pool);
        }

        public Options withPool(Phrasing.Pool p) {
            return new Options(minSilenceMs, maxSilenceMs, minRate, maxRate, minCell, maxCell, minSpacing, maxSpacing, cropToInk, text, p);
        }

        /** The widest strip of {@code digits} 28-column digits (every cell and spacing at its maximum). */
        public int maxStripWidth(int digits) {
            return digits * maxCell + (digits + 1) * maxSpacing;
        }
    }

    /** {@link #generate(Dataset, int, int, int, long, Options)} with {@link Options#HONEST}. */
    public static Dataset<DigitString> generate(Dataset<Sample> source, int count, int minDigits, int maxDigits, long seed) {
        return generate(source, count, minDigits, maxDigits, seed, Options.HONEST);
    }

    /**
     * @param source    AV-Digits samples of one split (clips and images are drawn from it)
     * @param count     number of strings
     * @param minDigits shortest string, >= 1
     * @param maxDigits longest string, >= minDigits
     * @param seed      everything random (speaker, digits, clips, rates, silences, widths, spacings, text) follows from it
     * @param options   the layout
     */
    public static Dataset<DigitString> generate(Dataset<Sample> source, int count, int minDigits, int maxDigits, long seed, Options options) {
        if (minDigits < 1 || maxDigits < minDigits)
            throw new IllegalArgumentException("digit count range must satisfy 1 <= min <= max, got " + minDigits + ".." + maxDigits);
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        Options o = options.pool() != null ? options : options.withPool(source.name().endsWith("/test") ? Phrasing.Pool.ANY : Phrasing.Pool.SEEN);
        // speaker -> digit -> samples
        Map<String, List<List<Sample>>> bySpeaker = new HashMap<>();
        for (Sample s : source.items()) {
            var lists = bySpeaker.computeIfAbsent(s.speaker(), k -> {
                List<List<Sample>> l = new ArrayList<>();
                for (int d = 0; d < 10; d++) l.add(new ArrayList<>());
                return l;
            });
            lists.get(s.label()).add(s);
        }
        List<String> speakers = new ArrayList<>();
        for (var e : bySpeaker.entrySet()) {
            boolean all = e.getValue().stream().noneMatch(List::isEmpty);
            if (all) speakers.add(e.getKey());
        }
        speakers.sort(null);
        if (speakers.isEmpty()) throw new IllegalArgumentException(source.name() + " has no speaker with clips of all ten digits");
        Rng rng = new Rng(seed);
        List<DigitString> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            String spk = speakers.get(rng.nextInt(speakers.size()));
            int k = minDigits + rng.nextInt(maxDigits - minDigits + 1);
            List<Sample> parts = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                List<Sample> pool = bySpeaker.get(spk).get(rng.nextInt(10));
                parts.add(pool.get(rng.nextInt(pool.size())));
            }
            out.add(join(parts, rng, o));
        }
        return Dataset.of("digit-strings/" + source.name(), out);
    }

    /** {@link #join(List, Rng, Options)} with {@link Options#HONEST} (phrasings of {@link Phrasing.Pool#SEEN}). */
    public static DigitString join(List<Sample> parts, Rng rng) {
        return join(parts, rng, Options.HONEST);
    }

    /**
     * Joins clips (all at one sample rate) and their images with the random rates, silences,
     * widths and spacings of {@code o}, drawn from {@code rng}.
     */
    public static DigitString join(List<Sample> parts, Rng rng, Options o) {
        if (parts.isEmpty()) throw new IllegalArgumentException("a digit string needs at least one clip");
        int k = parts.size(), sr = parts.get(0).sampleRate();
        for (Sample p : parts)
            if (p.sampleRate() != sr) throw new IllegalArgumentException("clips have different sample rates: " + p.sampleRate() + " vs " + sr);
        int[] digits = new int[k];
        for (int i = 0; i < k; i++) digits[i] = parts.get(i).label();
        // audio: rates, then silences
        double[] rates = new double[k];
        float[][] clips = new float[k][];
        for (int i = 0; i < k; i++) {
            double r = o.minRate() + rng.nextDouble() * (o.maxRate() - o.minRate());
            clips[i] = stretch(parts.get(i).audio(), sr, r);
            rates[i] = effectiveRate(sr, r);
        }
        int[] sil = new int[k + 1];
        long total = 0;
        for (int i = 0; i <= k; i++) {
            int ms = o.minSilenceMs() + rng.nextInt(o.maxSilenceMs() - o.minSilenceMs() + 1);
            sil[i] = (int) ((long) ms * sr / 1000);
            total += sil[i];
        }
        for (float[] c : clips) total += c.length;
        float[] audio = new float[Math.toIntExact(total)];
        int[] starts = new int[k], ends = new int[k];
        int pos = sil[0];
        for (int i = 0; i < k; i++) {
            System.arraycopy(clips[i], 0, audio, pos, clips[i].length);
            starts[i] = pos;
            ends[i] = pos + clips[i].length;
            pos = ends[i] + sil[i + 1];
        }
        // image: scaled cells cropped to ink, separated by background
        List<Image> imgs = new ArrayList<>();
        List<Integer> gaps = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Image im = parts.get(i).image();
            int cell = o.minCell() + rng.nextInt(o.maxCell() - o.minCell() + 1);
            int w = Math.max(1, (int) Math.round(im.width() * cell / 28.0));
            Image scaled = scaleWidth(im, w);
            imgs.add(o.cropToInk() ? cropToInk(scaled) : scaled);
        }
        for (int i = 0; i <= k; i++) gaps.add(o.minSpacing() + rng.nextInt(o.maxSpacing() - o.minSpacing() + 1));
        int[] colStarts = new int[k], colEnds = new int[k];
        Image strip = layout(imgs, gaps, colStarts, colEnds);
        String text;
        if (o.text() == Text.PLAIN) {
            StringBuilder sb = new StringBuilder();
            for (Sample p : parts) sb.append(sb.length() > 0 ? " " : "").append(p.text());
            text = sb.toString();
        } else {
            text = Phrasing.digitText(digits, o.pool() != null ? o.pool() : Phrasing.Pool.SEEN, rng);
        }
        return new DigitString(audio, sr, strip, text, Phrasing.digitGloss(digits), digits, parts.get(0).speaker(), starts, ends, colStarts, colEnds, rates);
    }

    private static final Map<Long, Resampler> RESAMPLERS = new ConcurrentHashMap<>();

    /** The rate {@link #stretch} applies for a requested factor: {@code sampleRate / to}, {@code to} rounded to a multiple of 80 Hz. */
    public static double effectiveRate(int sampleRate, double rate) {
        return rate == 1 ? 1 : (double) sampleRate / targetRate(sampleRate, rate);
    }

    private static int targetRate(int sampleRate, double rate) {
        return Math.max(RATE_STEP_HZ, (int) Math.round(sampleRate / rate / RATE_STEP_HZ) * RATE_STEP_HZ);
    }

    /**
     * A speaking-rate change by resampling: the clip is resampled from {@code sampleRate} to
     * {@code sampleRate / rate} (rounded to a multiple of 80 Hz, {@link #effectiveRate}) and
     * played at {@code sampleRate}, like a tape run {@code rate} times faster. Duration scales by
     * {@code 1 / rate}; pitch and formants scale by {@code rate} (1.3 raises them by 4.5
     * semitones, 0.75 lowers them by 5). Rate 1 returns the clip itself.
     */
    public static float[] stretch(float[] clip, int sampleRate, double rate) {
        if (!(rate > 0)) throw new IllegalArgumentException("rate must be > 0, got " + rate);
        if (rate == 1) return clip;
        int to = targetRate(sampleRate, rate);
        if (to == sampleRate) return clip;
        return RESAMPLERS.computeIfAbsent(((long) sampleRate << 32) | to, key -> Resampler.of(sampleRate, to)).apply(clip);
    }

    /**
     * The image resampled to {@code width} columns by area averaging: output column x covers the
     * input interval {@code [x W / width, (x + 1) W / width)}, each input column weighted by its
     * overlap (a column of background stays background, a column touching ink gets ink).
     */
    public static Image scaleWidth(Image im, int width) {
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
        int c = im.channels(), h = im.height(), w0 = im.width();
        if (width == w0) return im;
        float[] out = new float[c * h * width];
        double step = (double) w0 / width;
        for (int x = 0; x < width; x++) {
            double lo = x * step, hi = (x + 1) * step;
            for (int s = (int) Math.floor(lo); s < Math.min(w0, (int) Math.ceil(hi)); s++) {
                double wgt = (Math.min(hi, s + 1) - Math.max(lo, s)) / step;
                if (wgt <= 0) continue;
                for (int ch = 0; ch < c; ch++)
                    for (int y = 0; y < h; y++) out[(ch * h + y) * width + x] += (float) (wgt * im.data()[(ch * h + y) * w0 + s]);
            }
        }
        return new Image(c, h, width, out);
    }

    /** Whether column {@code x} of the image has a non-zero pixel. */
    public static boolean hasInk(Image im, int x) {
        for (int ch = 0; ch < im.channels(); ch++)
            for (int y = 0; y < im.height(); y++) if (im.get(ch, y, x) != 0) return true;
        return false;
    }

    /** The image cut to its first through last column with ink (the whole image when it has none). */
    public static Image cropToInk(Image im) {
        int lo = 0, hi = im.width();
        while (lo < hi && !hasInk(im, lo)) lo++;
        while (hi > lo && !hasInk(im, hi - 1)) hi--;
        if (lo == hi) return im;
        if (lo == 0 && hi == im.width()) return im;
        int c = im.channels(), h = im.height(), w = hi - lo;
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++) System.arraycopy(im.data(), (ch * h + y) * im.width() + lo, out, (ch * h + y) * w, w);
        return new Image(c, h, w, out);
    }

    /** Digits left to right with {@code gaps[i]} background columns before digit i and {@code gaps[k]} after the last; fills the spans. */
    static Image layout(List<Image> digits, List<Integer> gaps, int[] colStarts, int[] colEnds) {
        int c = digits.get(0).channels(), h = digits.get(0).height(), w = 0;
        for (Image d : digits) {
            if (d.channels() != c || d.height() != h)
                throw new IllegalArgumentException("strip digits need equal channels/height, got " + d.channels() + "x" + d.height() + " vs " + c + "x" + h);
            w += d.width();
        }
        for (int g : gaps) w += g;
        float[] out = new float[c * h * w];
        int x = 0;
        for (int i = 0; i < digits.size(); i++) {
            Image d = digits.get(i);
            x += gaps.get(i);
            colStarts[i] = x;
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++) System.arraycopy(d.data(), (ch * h + y) * d.width(), out, (ch * h + y) * w + x, d.width());
            x += d.width();
            colEnds[i] = x;
        }
        return new Image(c, h, w, out);
    }
}
