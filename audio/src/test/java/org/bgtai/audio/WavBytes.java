package org.bgtai.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-built WAV byte layouts for tests, written from the RIFF/WAVE spec and independent of
 * {@link WavWriter}: {@code riff(fmt(...), chunk("LIST", ...), data(...))}.
 */
final class WavBytes {
    private WavBytes() {}

    /** KSDATAFORMAT_SUBTYPE_* GUID tail after the two-byte format code. */
    private static final byte[] GUID_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ascii("WAVE"));
        for (byte[] c : chunks) body.writeBytes(c);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ascii("RIFF"));
        o.writeBytes(le(body.size(), 4));
        o.writeBytes(body.toByteArray());
        return o.toByteArray();
    }

    /** A chunk with its declared size equal to the payload, plus the pad byte when odd. */
    static byte[] chunk(String id, byte[] payload) {
        return chunk(id, payload.length, payload, true);
    }

    /** A chunk with any declared size (for broken files). */
    static byte[] chunk(String id, long declaredSize, byte[] payload, boolean pad) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ascii(id));
        o.writeBytes(le(declaredSize, 4));
        o.writeBytes(payload);
        if (pad && (payload.length & 1) == 1) o.write(0);
        return o.toByteArray();
    }

    /** A plain 16-byte 'fmt ' chunk. */
    static byte[] fmt(int tag, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        return fmt(tag, channels, rate, bits, align);
    }

    static byte[] fmt(int tag, int channels, int rate, int bits, int blockAlign) {
        return chunk("fmt ", cat(le(tag, 2), le(channels, 2), le(rate, 4), le((long) rate * blockAlign, 4),
            le(blockAlign, 2), le(bits, 2)));
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk with sub-format {@code subTag}. */
    static byte[] fmtExtensible(int subTag, int channels, int rate, int bits, int validBits) {
        int align = channels * bits / 8;
        return chunk("fmt ", cat(le(0xFFFE, 2), le(channels, 2), le(rate, 4), le((long) rate * align, 4),
            le(align, 2), le(bits, 2), le(22, 2), le(validBits, 2), le(0x3, 4), le(subTag, 2), GUID_TAIL));
    }

    static byte[] data(byte[] samples) {
        return chunk("data", samples);
    }

    static byte[] s16(int... v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int x : v) o.writeBytes(le(x, 2));
        return o.toByteArray();
    }

    static byte[] s24(int... v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int x : v) o.writeBytes(le(x, 3));
        return o.toByteArray();
    }

    static byte[] s32(int... v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int x : v) o.writeBytes(le(x, 4));
        return o.toByteArray();
    }

    static byte[] f32(float... v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (float x : v) o.writeBytes(le(Float.floatToIntBits(x), 4));
        return o.toByteArray();
    }

    static byte[] f64(double... v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (double x : v) o.writeBytes(le(Double.doubleToLongBits(x), 8));
        return o.toByteArray();
    }

    static byte[] u8(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    static byte[] le(long v, int bytes) {
        byte[] b = new byte[bytes];
        for (int k = 0; k < bytes; k++) b[k] = (byte) (v >>> (8 * k));
        return b;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }
}
