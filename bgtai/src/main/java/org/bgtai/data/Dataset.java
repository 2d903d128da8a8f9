package org.bgtai.data;

import java.util.AbstractList;
import java.util.List;

/**
 * A finite, indexable data set of samples of type {@code T} (AV-Digits pairs, digit strings, the
 * built-in world). Implementations hold their samples in memory; {@link #get} is cheap.
 *
 * <pre>{@code
 * Dataset<Sample> train = BuiltinWorld.generate(WorldConfig.DEFAULT, Split.TRAIN, 7);
 * for (Sample s : train.items()) { s.audio(); s.image(); s.gloss(); }
 * }</pre>
 */
public interface Dataset<T> {
    /** Number of samples. */
    int size();

    /** Sample {@code i}, {@code 0 <= i < size()}. */
    T get(int i);

    /** A short human-readable name ("builtin-world/train"). */
    String name();

    /** Read-only list view of the samples. */
    default List<T> items() {
        return new AbstractList<>() {
            @Override
            public T get(int i) {
                return Dataset.this.get(i);
            }

            @Override
            public int size() {
                return Dataset.this.size();
            }
        };
    }

    /** A data set over a fixed list. */
    static <T> Dataset<T> of(String name, List<T> samples) {
        List<T> copy = List.copyOf(samples);
        return new Dataset<>() {
            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public T get(int i) {
                return copy.get(i);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public List<T> items() {
                return copy;
            }
        };
    }
}
