package org.bgtai.audio;

/**
 * What a WAV header says.
 *
 * @param name        the file or stream name (used in error messages)
 * @param encoding    how samples are stored
 * @param channels    channel count, at least 1
 * @param sampleRate  samples per second per channel
 * @param frames      number of sample frames (one sample per channel) in the data chunk
 * @param extensible  true when the header used WAVE_FORMAT_EXTENSIBLE
 */
public record WavInfo(String name, WavEncoding encoding, int channels, int sampleRate, long frames, boolean extensible) {
    /** Bytes per frame (all channels). */
    public int blockAlign() {
        return channels * encoding.bytes();
    }

    /** Duration in seconds. */
    public double seconds() {
        return frames / (double) sampleRate;
    }
}
