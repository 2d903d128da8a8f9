package org.bgtai.audio.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.bgtai.audio.Audio;

/**
 * A folder of WAV files labelled by a CSV (the ESC-50 / UrbanSound8K layout).
 * Label indices follow the sorted order of the distinct labels in the CSV.
 *
 * <pre>{@code
 * WavFolderDataset ds = WavFolderDataset.open(CsvLabels.esc50(Path.of("ESC-50-master")));
 * LoadResult<Audio> fold1 = ds.whereGroup("1"::equals).waveforms(false);
 * System.out.println(fold1.report());   // loaded N files, skipped M (with reasons)
 * }</pre>
 */
public final class WavFolderDataset {
    private final CsvLabels spec;
    private final List<Loading.Entry> entries;
    private final List<String> labels;

    private WavFolderDataset(CsvLabels spec, List<Loading.Entry> entries, List<String> labels) {
        this.spec = spec;
        this.entries = entries;
        this.labels = labels;
    }

    /** Reads the CSV and resolves file names (no audio is read). */
    public static WavFolderDataset open(CsvLabels spec) throws IOException {
        if (!Files.isRegularFile(spec.csv())) throw new java.nio.file.NoSuchFileException(spec.csv().toString(), null, "labels CSV not found");
        if (!Files.isDirectory(spec.audioDir())) throw new java.nio.file.NoSuchFileException(spec.audioDir().toString(), null, "audio folder not found");
        Csv csv = Csv.read(spec.csv());
        int fc = csv.column(spec.fileColumn()), lc = csv.column(spec.labelColumn());
        int gc = spec.groupColumn() == null ? -1 : csv.column(spec.groupColumn());
        TreeSet<String> distinct = new TreeSet<>();
        for (List<String> row : csv.rows()) if (row.size() > lc) distinct.add(row.get(lc).trim());
        List<String> labels = List.copyOf(distinct);
        Map<String, Path> nested = null;
        List<Loading.Entry> entries = new ArrayList<>();
        int line = 1;
        for (List<String> row : csv.rows()) {
            line++;
            int need = Math.max(fc, Math.max(lc, gc)) + 1;
            if (row.size() < need) {
                Path where = spec.csv();
                entries.add(new Loading.Entry(where, "", -1, "", "CSV line " + line + " has " + row.size() + " fields, needs " + need));
                continue;
            }
            String name = row.get(fc).trim();
            String label = row.get(lc).trim();
            String group = gc < 0 ? "" : row.get(gc).trim();
            Path file = spec.audioDir().resolve(name);
            String problem = null;
            if (!Files.isRegularFile(file)) {
                if (nested == null) nested = indexSubfolders(spec.audioDir());
                Path alt = nested.get(name);
                if (alt != null) file = alt;
                else problem = "listed in " + spec.csv().getFileName() + " (line " + line + ") but not found in " + spec.audioDir() + " or its subfolders";
            }
            entries.add(new Loading.Entry(file, label, labels.indexOf(label), group, problem));
        }
        return new WavFolderDataset(spec, List.copyOf(entries), labels);
    }

    private static Map<String, Path> indexSubfolders(Path dir) throws IOException {
        Map<String, Path> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir, 2)) {
            s.filter(Files::isRegularFile).forEach(p -> m.putIfAbsent(p.getFileName().toString(), p));
        }
        return m;
    }

    /** Distinct labels, sorted; {@code labelIndex} indexes this list. */
    public List<String> labels() {
        return labels;
    }

    /** Number of CSV rows (files) in this view. */
    public int size() {
        return entries.size();
    }

    /** The rows whose group (e.g. fold) passes {@code keep}. */
    public WavFolderDataset whereGroup(Predicate<String> keep) {
        return new WavFolderDataset(spec, entries.stream().filter(e -> keep.test(e.group())).toList(), labels);
    }

    /** Waveforms with labels; bad or missing files are skipped and reported, or thrown when {@code strict}. */
    public LoadResult<Audio> waveforms(boolean strict) throws IOException {
        return load(a -> a, strict);
    }

    /** Loads every file through {@code transform} on {@code Parallel}'s threads. */
    public <T> LoadResult<T> load(AudioTransform<T> transform, boolean strict) throws IOException {
        return Loading.load(entries, transform, strict);
    }
}
