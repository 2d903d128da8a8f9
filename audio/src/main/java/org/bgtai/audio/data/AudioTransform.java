package org.bgtai.audio.data;

import java.io.IOException;
import org.bgtai.audio.Audio;

/**
 * Turns a decoded clip into the value a loader keeps, e.g. {@code a -> logMel.apply(a)} for
 * features. Runs on {@code Parallel}'s threads, so it must be thread-safe.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface AudioTransform<T> {
    T apply(Audio audio) throws IOException;
}
