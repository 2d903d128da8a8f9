package org.bgtai.audio.data;

import java.nio.file.Path;

/**
 * One example of an audio data set.
 *
 * @param file       where it came from
 * @param value      the waveform ({@code Audio}) or features ({@code Spectrogram})
 * @param label      class name as in the data set (e.g. "3", "dog")
 * @param labelIndex class index in [0, number of classes)
 * @param group      speaker (FSDD), fold (ESC-50, UrbanSound8K), or "" when none
 * @param <T>        the value type
 */
public record Labeled<T>(Path file, T value, String label, int labelIndex, String group) {}
