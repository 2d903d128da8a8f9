package org.bgtai.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bgtai.audio.Audio;
import org.bgtai.audio.WavReader;
import org.bgtai.audio.data.Csv;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.Json;

/**
 * A user's own paired data: a CSV (header {@code audio,image,text[,gloss][,label][,split]}) or
 * JSONL file ({@code {"audio": "a/1.wav", "image": "i/1.png", "text": "a dog barks"}} per line)
 * whose paths are relative to the file's folder. Real folders have missing and broken files, so
 * a row that cannot be used is skipped and counted in the {@link Report} (why, and the first
 * example of each reason) rather than failing the whole load; only when nothing usable is left
 * does loading fail.
 *
 * <ul>
 *   <li>Images of any size are resized ({@link ImageFiles#resize}) to the model's input.</li>
 *   <li>Audio is mixed to mono and kept at its rate (the model's front end resamples it); a clip
 *       longer than the model takes is cut to its first {@code maxSeconds}.</li>
 *   <li>Label: the {@code label} column, else the text. Class indices follow the sorted label names;
 *       zero-shot prompts are the label names.</li>
 *   <li>Split: the {@code split} column (train, val or test), else a seeded 80/10/10.</li>
 *   <li>Gloss: the {@code gloss} column, else {@link #glossOf derived} from the text: its content
 *       words upper-cased ("a dog barks" -> "DOG BARKS"), a stand-in for a real sign gloss.</li>
 * </ul>
 *
 * <pre>{@code
 * PairsFile.Loaded p = PairsFile.read(Path.of("pairs.csv"), 3, 32, 32, 20.0, 1);
 * System.err.println(p.report());   // loaded 18 pairs (train 14 / val 2 / test 2), skipped 2: ...
 * }</pre>
 */
public final class PairsFile {
    private PairsFile() {}

    /** Why rows are skipped, in report order. */
    public enum Reason {
        BAD_ROW("bad row", "bad rows"), MISSING_FILE("missing file", "missing files"), UNREADABLE_WAV("unreadable WAV", "unreadable WAV"),
        UNREADABLE_IMAGE("unreadable image", "unreadable images");

        final String one, many;

        Reason(String one, String many) {
            this.one = one;
            this.many = many;
        }
    }

    /** A row that was not used: where (file:line), and why. */
    public record Skipped(Reason reason, String where, String detail) {}

    /**
     * What a load did.
     *
     * @param file    the pairs file
     * @param train   pairs in each split ({@code train}, {@code val}, {@code test})
     * @param cut     clips cut to the model's longest input
     * @param skipped rows not used, in file order
     */
    public record Report(Path file, int train, int val, int test, int cut, double maxSeconds, List<Skipped> skipped) {
        public Report {
            skipped = List.copyOf(skipped);
        }

        public int loaded() {
            return train + val + test;
        }

        /** Skipped rows of one reason. */
        public int count(Reason r) {
            return (int) skipped.stream().filter(s -> s.reason() == r).count();
        }

        /** {@code loaded N pairs from F (train a / val b / test c), skipped M: K missing files (first: ...), ...}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "loaded %d pairs from %s (train %d / val %d / test %d), skipped %d", loaded(), file,
                train, val, test, skipped.size()));
            String sep = ": ";
            for (Reason r : Reason.values()) {
                int k = count(r);
                if (k == 0) continue;
                Skipped first = skipped.stream().filter(s -> s.reason() == r).findFirst().orElseThrow();
                sb.append(sep).append(k).append(' ').append(k == 1 ? r.one : r.many).append(" (first: ").append(first.where()).append(": ")
                    .append(first.detail()).append(')');
                sep = ", ";
            }
            if (cut > 0) sb.append(String.format(Locale.ROOT, "; %d clips cut to the model's longest input, %.1f s", cut, maxSeconds));
            return sb.toString();
        }
    }

    /**
     * The usable pairs by split.
     *
     * @param labels     class names, sorted; a sample's label indexes this list
     * @param classTexts one zero-shot prompt per class (the label names)
     */
    public record Loaded(List<Sample> train, List<Sample> val, List<Sample> test, List<String> labels, List<String> classTexts, Report report) {}

    /** A row as read from the file, before any audio or image is. */
    private record Row(String where, String audio, String image, String text, String gloss, String label, String split) {}

    private static final Set<String> STOP = Set.of("a", "an", "the", "is", "are", "was", "were", "be", "been", "am", "of", "to", "and", "or", "in", "on",
        "at", "by", "for", "with", "from", "as", "this", "that", "these", "those", "it", "its", "there", "here", "i", "you", "he", "she", "we", "they",
        "my", "your", "his", "her", "our", "their", "me", "him", "us", "them", "some", "very", "just", "so", "then", "than", "into", "onto");

    /**
     * The gloss derived from a text when the file has none: its words (letters and digits) without
     * function words ("a", "the", "is", ...), upper-cased; all words when only function words remain.
     */
    public static String glossOf(String text) {
        List<String> all = new ArrayList<>(), content = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.isEmpty()) continue;
            all.add(w.toUpperCase(Locale.ROOT));
            if (!STOP.contains(w)) content.add(w.toUpperCase(Locale.ROOT));
        }
        return String.join(" ", content.isEmpty() ? all : content);
    }

    /**
     * Reads the pairs of {@code file}; fails when no usable pair is left, or when a split it needs is empty.
     *
     * @param channels   image channels of the model (1 grey, 3 RGB)
     * @param height     image rows of the model
     * @param width      image columns of the model
     * @param maxSeconds longer clips are cut to this
     * @param seed       fixes the 80/10/10 split of rows without a {@code split}
     */
    public static Loaded read(Path file, int channels, int height, int width, double maxSeconds, long seed) throws IOException {
        if (!Files.isRegularFile(file))
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "pairs file not found; give a CSV (audio,image,text) or JSONL file of paired captions");
        Path base = file.toAbsolutePath().getParent();
        List<Row> rows = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        boolean jsonl = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
        if (jsonl) readJsonl(file, rows, skipped);
        else readCsv(file, rows, skipped);

        int n = rows.size();
        Sample[] samples = new Sample[n];
        Skipped[] problems = new Skipped[n];
        boolean[] cut = new boolean[n];
        for (int i = 0; i < n; i++) problems[i] = check(rows.get(i), base);
        Parallel.forRange(n, 4, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                if (problems[i] != null) continue;
                Row r = rows.get(i);
                Path a = base.resolve(r.audio()), im = base.resolve(r.image());
                float[] wave;
                int rate;
                try {
                    Audio au = WavReader.read(a);
                    wave = au.mono();
                    rate = au.sampleRate();
                    if (wave.length < rate / 20) throw new IOException("only " + wave.length + " samples, shorter than 0.05 s");
                } catch (IOException | RuntimeException e) {
                    problems[i] = new Skipped(Reason.UNREADABLE_WAV, r.where(), r.audio() + ": " + message(e).replace(a + ": ", ""));
                    continue;
                }
                int most = (int) Math.min(Integer.MAX_VALUE, (long) (maxSeconds * rate));
                if (wave.length > most) {
                    wave = java.util.Arrays.copyOf(wave, most);
                    cut[i] = true;
                }
                Image img;
                try {
                    img = ImageFiles.read(im, channels, height, width);
                } catch (IOException | RuntimeException e) {
                    problems[i] = new Skipped(Reason.UNREADABLE_IMAGE, r.where(), r.image() + ": " + message(e).replace(im + ": ", ""));
                    continue;
                }
                samples[i] = new Sample(wave, rate, img, r.text(), r.gloss() != null ? r.gloss() : glossOf(r.text()), -1, "");
            }
        });
        TreeSet<String> names = new TreeSet<>();
        List<Integer> ok = new ArrayList<>();
        int cuts = 0;
        for (int i = 0; i < n; i++) {
            if (problems[i] != null) skipped.add(problems[i]);
            else {
                ok.add(i);
                names.add(labelOf(rows.get(i)));
                if (cut[i]) cuts++;
            }
        }
        skipped.sort(java.util.Comparator.comparingInt(s -> lineOf(s.where())));
        List<String> labels = List.copyOf(names);
        // splits: the split column, else a seeded 80/10/10 of the rows that have none
        List<List<Sample>> split = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Integer> unassigned = new ArrayList<>();
        for (int i : ok) {
            Row r = rows.get(i);
            Sample s = samples[i];
            Sample x = new Sample(s.audio(), s.sampleRate(), s.image(), s.text(), s.gloss(), labels.indexOf(labelOf(r)), "");
            samples[i] = x;
            if (r.split() == null) unassigned.add(i);
            else split.get(splitIndex(r.split())).add(x);
        }
        if (!unassigned.isEmpty()) {
            int[] perm = new Rng(seed * 1_000_003L + 29L).permutation(unassigned.size());
            int m = unassigned.size(), nVal = m >= 3 ? Math.max(1, (int) Math.round(0.1 * m)) : 0, nTest = m >= 3 ? Math.max(1, (int) Math.round(0.1 * m)) : 0;
            for (int j = 0; j < m; j++) {
                int which = j < nVal ? 1 : j < nVal + nTest ? 2 : 0;
                split.get(which).add(samples[unassigned.get(perm[j])]);
            }
        }
        Report report = new Report(file, split.get(0).size(), split.get(1).size(), split.get(2).size(), cuts, maxSeconds, skipped);
        if (ok.isEmpty())
            throw new IOException("no usable pairs in " + file + " (" + report + "); fix the listed files or paths (relative to " + base
                + "), or give a CSV with columns audio,image,text or JSONL lines {\"audio\":..,\"image\":..,\"text\":..}");
        String[] splitNames = {"train", "val", "test"};
        for (int k = 0; k < 3; k++)
            if (split.get(k).isEmpty())
                throw new IOException("no " + splitNames[k] + " pairs in " + file + " (" + report + "); "
                    + (unassigned.isEmpty() ? "give some rows split=" + splitNames[k] : "need at least 3 usable pairs, or a split column with train, val and test rows"));
        return new Loaded(split.get(0), split.get(1), split.get(2), labels, labels, report);
    }

    private static String labelOf(Row r) {
        return r.label() != null ? r.label() : r.text();
    }

    private static int splitIndex(String s) {
        return switch (s) {
            case "train" -> 0;
            case "val", "valid", "validation", "dev" -> 1;
            default -> 2;   // "test": check() refused anything else
        };
    }

    private static int lineOf(String where) {
        int c = where.lastIndexOf(':');
        try {
            return Integer.parseInt(where.substring(c + 1).replaceAll("[^0-9]", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String message(Throwable e) {
        Throwable c = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
        String m = c.getMessage() == null ? c.toString() : c.getMessage();
        return m.replace("\n", " ");
    }

    /** A problem known before reading any audio or image: an incomplete row, a bad split, a missing file. */
    private static Skipped check(Row r, Path base) {
        if (r.audio() == null || r.image() == null || r.text() == null)
            return new Skipped(Reason.BAD_ROW, r.where(), "needs audio, image and text, got " + (r.audio() == null ? "no audio" : r.image() == null ? "no image" : "no text"));
        if (r.split() != null && !Set.of("train", "val", "valid", "validation", "dev", "test").contains(r.split()))
            return new Skipped(Reason.BAD_ROW, r.where(), "split '" + r.split() + "' is not train, val or test");
        for (String p : new String[] {r.audio(), r.image()})
            if (!Files.isRegularFile(base.resolve(p))) return new Skipped(Reason.MISSING_FILE, r.where(), base.resolve(p) + " not found");
        return null;
    }

    private static String blankToNull(String s) {
        if (s == null) return null;
        s = s.trim();
        return s.isEmpty() ? null : s;
    }

    private static void readCsv(Path file, List<Row> rows, List<Skipped> skipped) throws IOException {
        Csv csv = Csv.read(file);
        int ac = csv.optionalColumn("audio"), ic = csv.optionalColumn("image"), tc = csv.optionalColumn("text", "caption");
        if (ac < 0 || ic < 0 || tc < 0)
            throw new IOException(file + ": a pairs CSV needs the columns audio, image and text (optional: gloss, label, split); its header is " + csv.header());
        int gc = csv.optionalColumn("gloss"), lc = csv.optionalColumn("label"), sc = csv.optionalColumn("split");
        int line = 1;
        for (List<String> row : csv.rows()) {
            line++;
            String where = file.getFileName() + ":" + line;
            if (row.size() < csv.header().size()) {
                skipped.add(new Skipped(Reason.BAD_ROW, where, row.size() + " fields, the header has " + csv.header().size()));
                continue;
            }
            String split = blankToNull(field(row, sc));
            rows.add(new Row(where, blankToNull(field(row, ac)), blankToNull(field(row, ic)), blankToNull(field(row, tc)), blankToNull(field(row, gc)),
                blankToNull(field(row, lc)), split == null ? null : split.toLowerCase(Locale.ROOT)));
        }
    }

    private static String field(List<String> row, int c) {
        return c < 0 ? null : row.get(c);
    }

    private static void readJsonl(Path file, List<Row> rows, List<Skipped> skipped) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.isEmpty()) continue;
            String where = file.getFileName() + ":" + (i + 1);
            Object o;
            try {
                o = Json.parse(s);
            } catch (RuntimeException e) {
                skipped.add(new Skipped(Reason.BAD_ROW, where, "not a JSON object (" + message(e) + ")"));
                continue;
            }
            if (!(o instanceof Map<?, ?> m)) {
                skipped.add(new Skipped(Reason.BAD_ROW, where, "not a JSON object"));
                continue;
            }
            Map<String, String> f = new LinkedHashMap<>();
            for (String k : new String[] {"audio", "image", "text", "gloss", "label", "split"})
                f.put(k, m.get(k) == null ? null : blankToNull(String.valueOf(m.get(k) instanceof Number x && x.doubleValue() == Math.rint(x.doubleValue())
                    ? String.valueOf(x.longValue()) : m.get(k))));
            if (f.get("text") == null && m.get("caption") != null) f.put("text", blankToNull(String.valueOf(m.get("caption"))));
            rows.add(new Row(where, f.get("audio"), f.get("image"), f.get("text"), f.get("gloss"), f.get("label"),
                f.get("split") == null ? null : f.get("split").toLowerCase(Locale.ROOT)));
        }
    }
}
