package org.bgtai.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.bgtai.tensor.io.AtomicFiles;

/**
 * Writes RIFF WAVE files: a canonical 44-byte header for PCM ({@code fmt } of 16 bytes), and for
 * float a 18-byte {@code fmt } plus a {@code fact} chunk, as the WAVE spec asks for non-PCM
 * data. Any {@link WavEncoding} can be written; 16-bit PCM and float32 are the usual choices.
 *
 * <p>Integer encodings clip to [-1, 1) (see {@link WavEncoding} for the exact rounding); NaN
 * samples are written as 0 for integer encodings.
 *
 * <pre>{@code
 * WavWriter.write(Path.of("out.wav"), Audio.mono(16000, x), WavEncoding.PCM_S16);
 * }</pre>
 */
public final class WavWriter {
    private WavWriter() {}

    /** Writes {@code audio} to {@code file} (created or replaced atomically, {@link AtomicFiles}). */
    public static void write(Path file, Audio audio, WavEncoding encoding) throws IOException {
        AtomicFiles.write(file, out -> write(out, audio, encoding));
    }

    /** The bytes of a WAV file holding {@code audio}. */
    public static byte[] toBytes(Audio audio, WavEncoding encoding) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            write(bos, audio, encoding);
        } catch (IOException e) {
            throw new IllegalStateException(e); // not thrown by a ByteArrayOutputStream
        }
        return bos.toByteArray();
    }

    /** Writes {@code audio} as a WAV file to {@code out} (not closed). */
    public static void write(OutputStream out, Audio audio, WavEncoding encoding) throws IOException {
        int ch = audio.channelCount();
        if (ch > 65535) throw new IllegalArgumentException("WAV holds at most 65535 channels, got " + ch);
        long frames = audio.frames();
        long dataBytes = frames * ch * encoding.bytes();
        boolean isFloat = encoding.formatTag() == WavEncoding.TAG_FLOAT;
        int fmtBytes = isFloat ? 18 : 16;
        long riffBytes = 4 + (8 + fmtBytes) + (isFloat ? 12 : 0) + 8 + dataBytes + (dataBytes & 1);
        if (riffBytes > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("audio of " + frames + " frames x " + ch + " channels needs " + dataBytes
                + " data bytes, more than a WAV file can hold (4 GB); split it or use fewer bits");
        }
        ByteArrayOutputStream h = new ByteArrayOutputStream(64);
        h.writeBytes("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        le(h, riffBytes, 4);
        h.writeBytes("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        le(h, fmtBytes, 4);
        le(h, encoding.formatTag(), 2);
        le(h, ch, 2);
        le(h, audio.sampleRate(), 4);
        le(h, (long) audio.sampleRate() * ch * encoding.bytes(), 4);
        le(h, ch * encoding.bytes(), 2);
        le(h, encoding.bits(), 2);
        if (isFloat) {
            le(h, 0, 2); // cbSize
            h.writeBytes("fact".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            le(h, 4, 4);
            le(h, frames, 4);
        }
        h.writeBytes("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        le(h, dataBytes, 4);
        out.write(h.toByteArray());

        int block = 4096;
        byte[] b = new byte[block * ch * encoding.bytes()];
        float[][] x = audio.channels();
        for (int t0 = 0; t0 < frames; t0 += block) {
            int n = (int) Math.min(block, frames - t0);
            int j = 0;
            for (int t = t0; t < t0 + n; t++) {
                for (int c = 0; c < ch; c++) j = encode(x[c][t], encoding, b, j);
            }
            out.write(b, 0, j);
        }
        if ((dataBytes & 1) == 1) out.write(0); // RIFF pad byte
    }

    /** Encodes one sample at {@code b[j]}; returns the next write position. */
    static int encode(float v, WavEncoding enc, byte[] b, int j) {
        switch (enc) {
            case PCM_U8 -> b[j++] = (byte) (quantize(v, 8) + 128);
            case PCM_S16 -> {
                int q = (int) quantize(v, 16);
                b[j++] = (byte) q;
                b[j++] = (byte) (q >> 8);
            }
            case PCM_S24 -> {
                int q = (int) quantize(v, 24);
                b[j++] = (byte) q;
                b[j++] = (byte) (q >> 8);
                b[j++] = (byte) (q >> 16);
            }
            case PCM_S32 -> {
                int q = (int) quantize(v, 32);
                for (int k = 0; k < 4; k++) b[j++] = (byte) (q >> (8 * k));
            }
            case FLOAT32 -> {
                int q = Float.floatToRawIntBits(v);
                for (int k = 0; k < 4; k++) b[j++] = (byte) (q >> (8 * k));
            }
            case FLOAT64 -> {
                long q = Double.doubleToRawLongBits(v);
                for (int k = 0; k < 8; k++) b[j++] = (byte) (q >> (8 * k));
            }
        }
        return j;
    }

    /** {@code round(v * 2^(bits-1))} clipped to the signed range; NaN gives 0. */
    static long quantize(float v, int bits) {
        if (Float.isNaN(v)) return 0;
        double full = Math.scalb(1.0, bits - 1);
        double q = Math.rint(v * full);
        return (long) Math.max(-full, Math.min(full - 1, q));
    }

    private static void le(ByteArrayOutputStream o, long v, int bytes) {
        for (int k = 0; k < bytes; k++) o.write((int) (v >> (8 * k)) & 0xFF);
    }
}
