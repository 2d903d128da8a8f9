package org.bgtai.audio.data;

import java.nio.file.Path;

/**
 * Where a WAV-folder data set keeps its audio and labels: a CSV with a file-name column and a
 * label column (and optionally a group column such as a fold or speaker), and the folder the
 * file names are relative to. Files not directly in {@code audioDir} are looked up one folder
 * level down (e.g. UrbanSound8K's {@code audio/fold1/...}).
 *
 * @param csv         the labels file
 * @param audioDir    folder holding the WAV files
 * @param fileColumn  header name of the file-name column
 * @param labelColumn header name of the label column
 * @param groupColumn header name of the group column, or {@code null}
 */
public record CsvLabels(Path csv, Path audioDir, String fileColumn, String labelColumn, String groupColumn) {
    public CsvLabels {
        if (csv == null || audioDir == null || fileColumn == null || labelColumn == null) {
            throw new IllegalArgumentException("csv, audioDir, fileColumn and labelColumn are required");
        }
    }

    /** ESC-50 layout: {@code meta/esc50.csv} (filename, category, fold) and {@code audio/}. */
    public static CsvLabels esc50(Path root) {
        return new CsvLabels(root.resolve("meta/esc50.csv"), root.resolve("audio"), "filename", "category", "fold");
    }

    /** UrbanSound8K layout: {@code metadata/UrbanSound8K.csv} (slice_file_name, class, fold) and {@code audio/fold*}. */
    public static CsvLabels urbanSound8k(Path root) {
        return new CsvLabels(root.resolve("metadata/UrbanSound8K.csv"), root.resolve("audio"), "slice_file_name", "class", "fold");
    }
}
