package org.bgtai.audio;

/**
 * A real time-frequency matrix, layout [bins, frames] row-major ({@code data[b * frames + t]}),
 * the layout of {@code torch.stft}, {@code torchaudio} and {@code librosa} (one row per frequency
 * bin, mel band or cepstral coefficient). The array is held, not copied.
 *
 * @param bins   rows: frequency bins, mel bands or coefficients
 * @param frames columns: time frames
 * @param data   [bins, frames]
 */
public record Spectrogram(int bins, int frames, float[] data) {
    public Spectrogram {
        if (bins < 0 || frames < 0 || data == null || data.length != (long) bins * frames) {
            throw new IllegalArgumentException("spectrogram data must have bins x frames = " + bins + " x " + frames
                + " values, got " + (data == null ? "null" : data.length));
        }
    }

    /** A zero spectrogram [bins, frames]. */
    public static Spectrogram zeros(int bins, int frames) {
        return new Spectrogram(bins, frames, new float[bins * frames]);
    }

    /** Value at (bin, frame). */
    public float get(int bin, int frame) {
        return data[bin * frames + frame];
    }

    /** A copy as [bins][frames]. */
    public float[][] toArray() {
        float[][] a = new float[bins][frames];
        for (int b = 0; b < bins; b++) System.arraycopy(data, b * frames, a[b], 0, frames);
        return a;
    }

    /** A copy transposed to [frames, bins] (time-major), flat. */
    public float[] timeMajor() {
        float[] out = new float[data.length];
        for (int b = 0; b < bins; b++) {
            for (int t = 0; t < frames; t++) out[t * bins + b] = data[b * frames + t];
        }
        return out;
    }

    /** A deep copy. */
    public Spectrogram copy() {
        return new Spectrogram(bins, frames, data.clone());
    }
}
