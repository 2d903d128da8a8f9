package org.bgtai.audio.data;

import java.util.List;

/**
 * Examples loaded from a folder, in file order, and the report of what was skipped.
 *
 * @param items  the examples that loaded
 * @param report counts and skipped files with reasons
 * @param <T>    value type
 */
public record LoadResult<T>(List<Labeled<T>> items, LoadReport report) {
    public LoadResult {
        items = List.copyOf(items);
    }
}
