package org.bgtai.audio;

import java.util.Arrays;

/**
 * A multi-channel waveform: {@code channels[c][t]} float samples in [-1, 1] (nominal) at
 * {@code sampleRate} Hz; layout [channels, frames].
 *
 * <p>The arrays are held, not copied (a record over arrays; {@code equals} compares identity).
 *
 * <pre>{@code
 * Audio a = WavReader.read(Path.of("0_george_0.wav"));   // 8000 Hz, 1 channel
 * float[] x = a.mono();                                   // [frames]
 * }</pre>
 *
 * @param sampleRate samples per second per channel, positive
 * @param channels   [channels, frames], at least one channel, all the same length
 */
public record Audio(int sampleRate, float[][] channels) {
    public Audio {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        if (channels == null || channels.length == 0) throw new IllegalArgumentException("audio needs at least one channel, got 0");
        for (int c = 0; c < channels.length; c++) {
            if (channels[c] == null || channels[c].length != channels[0].length) {
                throw new IllegalArgumentException("all channels must have the same length; channel 0 has "
                    + channels[0].length + " frames, channel " + c + " has " + (channels[c] == null ? "null" : channels[c].length));
            }
        }
    }

    /** One channel: {@code samples} [frames] at {@code sampleRate} Hz (not copied). */
    public static Audio mono(int sampleRate, float[] samples) {
        return new Audio(sampleRate, new float[][] {samples});
    }

    /** Number of channels. */
    public int channelCount() {
        return channels.length;
    }

    /** Samples per channel. */
    public int frames() {
        return channels[0].length;
    }

    /** Duration in seconds. */
    public double seconds() {
        return frames() / (double) sampleRate;
    }

    /** Channel {@code c}, [frames] (not copied). */
    public float[] channel(int c) {
        return channels[c];
    }

    /**
     * The mean of all channels, [frames]. For one channel this is that channel's array itself
     * (not a copy).
     */
    public float[] mono() {
        if (channels.length == 1) return channels[0];
        float[] m = new float[frames()];
        for (float[] ch : channels) {
            for (int t = 0; t < m.length; t++) m[t] += ch[t];
        }
        float s = 1f / channels.length;
        for (int t = 0; t < m.length; t++) m[t] *= s;
        return m;
    }

    @Override
    public String toString() {
        return "Audio[" + sampleRate + " Hz, " + channels.length + " ch, " + frames() + " frames]";
    }

    /** True when both have the same rate and bit-identical samples. */
    public boolean sameSamples(Audio o) {
        return o != null && sampleRate == o.sampleRate && Arrays.deepEquals(channels, o.channels);
    }
}
