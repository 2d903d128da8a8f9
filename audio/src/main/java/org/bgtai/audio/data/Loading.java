package org.bgtai.audio.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bgtai.audio.WavReader;
import org.bgtai.tensor.Parallel;

/** Parallel loading of a list of files with skip-or-throw error handling (shared by the loaders). */
final class Loading {
    private Loading() {}

    /** A file to load with its label and group, or a problem known before reading (then skipped/thrown). */
    record Entry(Path file, String label, int labelIndex, String group, String problem) {
        Entry(Path file, String label, int labelIndex, String group) {
            this(file, label, labelIndex, group, null);
        }
    }

    /**
     * Loads {@code entries} on {@link Parallel}'s threads. In strict mode the first bad file (in
     * entry order) is thrown; otherwise bad files are listed in the report.
     */
    static <T> LoadResult<T> load(List<Entry> entries, AudioTransform<T> transform, boolean strict) throws IOException {
        int n = entries.size();
        Object[] values = new Object[n];
        String[] errors = new String[n];
        IOException[] firstError = new IOException[n];
        for (int i = 0; i < n; i++) {
            if (entries.get(i).problem() != null) {
                errors[i] = entries.get(i).problem();
                firstError[i] = new IOException(entries.get(i).file() + ": " + errors[i]);
            }
        }
        Parallel.forRange(n, 4, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                Entry e = entries.get(i);
                if (e.problem() != null) continue;
                try {
                    values[i] = transform.apply(WavReader.read(e.file()));
                } catch (IOException ex) {
                    errors[i] = ex.getMessage() == null ? ex.toString() : ex.getMessage();
                    firstError[i] = ex;
                } catch (UncheckedIOException ex) {
                    errors[i] = ex.getCause().getMessage();
                    firstError[i] = ex.getCause();
                } catch (IllegalArgumentException ex) {
                    errors[i] = e.file() + ": " + ex.getMessage();
                    firstError[i] = new IOException(errors[i], ex);
                }
            }
        });
        List<Labeled<T>> items = new ArrayList<>();
        List<LoadReport.Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            if (errors[i] != null) {
                if (strict) throw firstError[i];
                skipped.add(new LoadReport.Skipped(e.file(), errors[i]));
            } else {
                @SuppressWarnings("unchecked")
                T v = (T) values[i];
                items.add(new Labeled<>(e.file(), v, e.label(), e.labelIndex(), e.group()));
            }
        }
        return new LoadResult<>(items, new LoadReport(items.size(), skipped));
    }
}
