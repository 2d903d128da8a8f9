package org.bgtai.audio;

/**
 * Sample encodings the WAV reader decodes (all of them) and the writer encodes.
 *
 * <p>Decoding to float in [-1, 1]: unsigned 8-bit {@code (b - 128) / 128}, signed n-bit
 * integers {@code v / 2^(n-1)}, floats as stored (not clipped). Encoding to n-bit integers is
 * the inverse, {@code round(x * 2^(n-1))} clipped to {@code [-2^(n-1), 2^(n-1) - 1]} (as
 * torchaudio and soundfile do), so every value the reader produces from an integer file is
 * written back bit-exactly; +1.0 becomes the largest positive integer.
 */
public enum WavEncoding {
    /** Unsigned 8-bit PCM (format tag 1, 8 bits). */
    PCM_U8(1, 8),
    /** Signed 16-bit little-endian PCM (format tag 1). */
    PCM_S16(1, 16),
    /** Signed 24-bit little-endian PCM (format tag 1). */
    PCM_S24(1, 24),
    /** Signed 32-bit little-endian PCM (format tag 1). */
    PCM_S32(1, 32),
    /** IEEE 754 float32 (format tag 3). */
    FLOAT32(3, 32),
    /** IEEE 754 float64 (format tag 3). */
    FLOAT64(3, 64);

    /** WAVE_FORMAT_PCM. */
    public static final int TAG_PCM = 1;
    /** WAVE_FORMAT_IEEE_FLOAT. */
    public static final int TAG_FLOAT = 3;
    /** WAVE_FORMAT_EXTENSIBLE: the real format is in the sub-format GUID. */
    public static final int TAG_EXTENSIBLE = 0xFFFE;

    private final int formatTag;
    private final int bits;

    WavEncoding(int formatTag, int bits) {
        this.formatTag = formatTag;
        this.bits = bits;
    }

    /** The WAVE format tag (1 = PCM, 3 = IEEE float). */
    public int formatTag() {
        return formatTag;
    }

    /** Bits per sample as stored. */
    public int bits() {
        return bits;
    }

    /** Bytes per sample as stored. */
    public int bytes() {
        return bits / 8;
    }

    /** The encoding for a format tag (1 or 3) and a bit depth, or {@code null} if there is none. */
    public static WavEncoding of(int formatTag, int bits) {
        for (WavEncoding e : values()) {
            if (e.formatTag == formatTag && e.bits == bits) return e;
        }
        return null;
    }
}
