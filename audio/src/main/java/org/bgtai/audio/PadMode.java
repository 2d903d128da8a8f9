package org.bgtai.audio;

/**
 * How a centered STFT extends the signal by {@code n_fft / 2} samples on both sides.
 *
 * <p>{@code REFLECT} mirrors without repeating the edge sample ({@code [c b | a b c d | c b]},
 * numpy/torch "reflect"); when the pad is longer than the signal the reflection repeats, as in
 * {@code numpy.pad}. {@code CONSTANT} pads zeros; {@code REPLICATE} repeats the edge sample.
 */
public enum PadMode {
    REFLECT, CONSTANT, REPLICATE;

    /** The sample of {@code x} that lands at index {@code i} (which may be outside [0, n)). */
    float sample(float[] x, int i) {
        int n = x.length;
        if (i >= 0 && i < n) return x[i];
        return switch (this) {
            case CONSTANT -> 0f;
            case REPLICATE -> n == 0 ? 0f : x[i < 0 ? 0 : n - 1];
            case REFLECT -> {
                if (n == 0) yield 0f;
                if (n == 1) yield x[0];
                int period = 2 * (n - 1);
                int j = Math.floorMod(i, period);
                yield x[j < n ? j : period - j];
            }
        };
    }
}
