package org.bgtai.audio.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bgtai.audio.Audio;
import org.bgtai.audio.LogMel;
import org.bgtai.audio.Spectrogram;

/**
 * The Free Spoken Digit Dataset (Jakobovski/free-spoken-digit-dataset): WAV clips (8 kHz mono
 * 16-bit) named {@code {digit}_{speaker}_{take}.wav} in {@code recordings/}, with
 * {@code speakers.csv} beside it. The official split: takes 0-4 are the test set, takes 5-49
 * training (300 and 2,700 clips for the 3,000-clip release).
 *
 * <pre>{@code
 * Fsdd fsdd = Fsdd.open(Path.of("free-spoken-digit-dataset"));
 * LoadResult<Spectrogram> train = fsdd.features(Fsdd.Split.TRAIN, LogMel.of(16000, 512, 160, 64), false);
 * for (Labeled<Spectrogram> ex : train.items()) { ex.value(); ex.labelIndex(); ex.group(); }  // [64, frames], digit, speaker
 * }</pre>
 */
public final class Fsdd {
    /** Official split by take number. */
    public enum Split {
        /** Takes 5 and up. */
        TRAIN,
        /** Takes 0-4. */
        TEST;

        public boolean contains(int take) {
            return this == TEST ? take < 5 : take >= 5;
        }
    }

    /** One recording, from its file name. */
    public record Clip(Path file, int digit, String speaker, int take) {
        public Split split() {
            return take < 5 ? Split.TEST : Split.TRAIN;
        }
    }

    private static final Pattern NAME = Pattern.compile("([0-9])_([A-Za-z0-9-]+)_([0-9]+)\\.wav");

    private final Path recordings;
    private final List<Clip> clips;
    private final List<LoadReport.Skipped> badNames;
    private final List<String> speakers;

    private Fsdd(Path recordings, List<Clip> clips, List<LoadReport.Skipped> badNames, List<String> speakers) {
        this.recordings = recordings;
        this.clips = clips;
        this.badNames = badNames;
        this.speakers = speakers;
    }

    /**
     * Indexes the data set (no audio is read).
     *
     * @param root the data set folder holding {@code recordings/}, or the recordings folder itself
     */
    public static Fsdd open(Path root) throws IOException {
        Path rec = Files.isDirectory(root.resolve("recordings")) ? root.resolve("recordings") : root;
        if (!Files.isDirectory(rec)) {
            throw new java.nio.file.NoSuchFileException(root.toString(), null,
                "FSDD folder not found; download https://github.com/Jakobovski/free-spoken-digit-dataset and pass its folder");
        }
        List<Clip> clips = new ArrayList<>();
        List<LoadReport.Skipped> bad = new ArrayList<>();
        try (Stream<Path> s = Files.list(rec)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".wav")) continue;
                Matcher m = NAME.matcher(name);
                if (!m.matches()) {
                    bad.add(new LoadReport.Skipped(p, "file name is not {digit}_{speaker}_{take}.wav"));
                    continue;
                }
                clips.add(new Clip(p, Integer.parseInt(m.group(1)), m.group(2), Integer.parseInt(m.group(3))));
            }
        }
        if (clips.isEmpty()) throw new IOException(rec + ": no FSDD recordings ({digit}_{speaker}_{take}.wav) found");
        TreeSet<String> names = new TreeSet<>();
        Path csv = rec.getParent() == null ? null : rec.getParent().resolve("speakers.csv");
        if (csv != null && Files.isRegularFile(csv)) {
            for (List<String> row : Csv.read(csv).rows()) if (!row.isEmpty() && !row.get(0).isBlank()) names.add(row.get(0).trim());
        }
        for (Clip c : clips) names.add(c.speaker());
        return new Fsdd(rec, List.copyOf(clips), List.copyOf(bad), List.copyOf(names));
    }

    /** The recordings folder. */
    public Path recordings() {
        return recordings;
    }

    /** All clips, sorted by file name. */
    public List<Clip> clips() {
        return clips;
    }

    /** The clips of one split. */
    public List<Clip> clips(Split split) {
        return clips.stream().filter(c -> split.contains(c.take())).toList();
    }

    /** Speaker names (from speakers.csv and the file names), sorted. */
    public List<String> speakers() {
        return speakers;
    }

    /** WAV files whose names do not follow the FSDD pattern (they are never loaded). */
    public List<LoadReport.Skipped> badNames() {
        return badNames;
    }

    /** Waveforms of a split (label = digit, group = speaker). */
    public LoadResult<Audio> waveforms(Split split, boolean strict) throws IOException {
        return load(split, a -> a, strict);
    }

    /** Log-mel features of a split, [nMels, frames] each (resampled to the extractor's rate). */
    public LoadResult<Spectrogram> features(Split split, LogMel logMel, boolean strict) throws IOException {
        return load(split, logMel::apply, strict);
    }

    /**
     * Loads a split through {@code transform} on {@code Parallel}'s threads.
     *
     * @param strict throw the first unreadable file's error instead of skipping it
     */
    public <T> LoadResult<T> load(Split split, AudioTransform<T> transform, boolean strict) throws IOException {
        List<Loading.Entry> entries = new ArrayList<>();
        for (Clip c : clips(split)) entries.add(new Loading.Entry(c.file(), Integer.toString(c.digit()), c.digit(), c.speaker()));
        return Loading.load(entries, transform, strict);
    }
}
