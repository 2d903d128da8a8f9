package org.bgtai.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Streaming reader for RIFF WAVE files, decoding to float in [-1, 1].
 *
 * <p>Reads PCM 8 (unsigned), 16, 24 and 32-bit, IEEE float 32 and 64-bit, the same inside
 * WAVE_FORMAT_EXTENSIBLE, any channel count and sample rate. Chunks other than {@code fmt } and
 * {@code data} are skipped (odd-sized chunks are followed by one pad byte, as RIFF requires).
 * The header is parsed on {@link #open}; samples are decoded block by block with
 * {@link #read(float[], int)}, so files longer than memory can be processed.
 *
 * <p>Every problem is a {@link WavFormatException} naming the file: not RIFF/WAVE, truncated,
 * a chunk or data size larger than the file, zero channels or sample rate, inconsistent block
 * alignment, unsupported codecs (ADPCM, A-law, MP3 in WAV, ...). Sizes are checked against the
 * file length before anything is allocated, so a corrupt size cannot cause an out-of-memory
 * error or a long skip. A data chunk whose size is not a multiple of the frame size has its last
 * partial frame ignored. A float file holding a NaN or an infinite sample is refused with the
 * sample's index ({@link NonFinite#REJECT}) unless it is opened with {@link NonFinite#ZERO},
 * which replaces such samples with 0 and counts them ({@link #replacedSamples()}).
 *
 * <pre>{@code
 * Audio a = WavReader.read(Path.of("clip.wav"));               // whole file
 * try (WavReader r = WavReader.open(Path.of("long.wav"))) {    // streaming
 *     float[] block = new float[4096 * r.info().channels()];
 *     for (int n; (n = r.read(block, 4096)) > 0; ) process(block, n);   // n frames, interleaved
 * }
 * }</pre>
 */
public final class WavReader implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    /** What reading does with a NaN or infinite sample (only float WAV files can hold one). */
    public enum NonFinite {
        /** Fail with a {@link WavFormatException} naming the file and the sample (the default). */
        REJECT,
        /** Replace it with 0 and count it ({@link WavReader#replacedSamples()}). */
        ZERO
    }

    private final InputStream in;
    private final String name;
    private final long length; // total bytes of the stream, or -1 when unknown
    private final byte[] buf;
    private long pos; // bytes consumed from the stream
    private WavInfo info;
    private long framesLeft;
    private final NonFinite nonFinite;
    private long replaced;

    private WavReader(InputStream in, String name, long length, NonFinite nonFinite) {
        this.in = in;
        this.name = name;
        this.length = length;
        this.nonFinite = java.util.Objects.requireNonNull(nonFinite, "nonFinite");
        this.buf = new byte[(int) Math.max(64, Math.min(BUFFER_BYTES, length < 0 ? BUFFER_BYTES : length))];
    }

    /** Opens {@code file} and parses its header; a non-finite sample fails the read. */
    public static WavReader open(Path file) throws IOException {
        return open(file, NonFinite.REJECT);
    }

    /** Opens {@code file} and parses its header; {@code nonFinite} says what a NaN or infinite sample does. */
    public static WavReader open(Path file, NonFinite nonFinite) throws IOException {
        String name = file.toString();
        if (!Files.exists(file)) throw new NoSuchFileException(name, null, "WAV file not found");
        if (Files.isDirectory(file)) throw new WavFormatException(name, "is a directory, not a WAV file");
        long size = Files.size(file);
        InputStream s = Files.newInputStream(file);
        try {
            WavReader r = new WavReader(s, name, size, nonFinite);
            r.parseHeader();
            return r;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Parses the header from a stream of unknown length (a truncated stream is reported when
     * the read reaches its end). The stream is closed by {@link #close()}.
     *
     * @param name used in error messages
     */
    public static WavReader open(InputStream in, String name) throws IOException {
        return open(in, name, NonFinite.REJECT);
    }

    /** As {@link #open(InputStream, String)}; {@code nonFinite} says what a NaN or infinite sample does. */
    public static WavReader open(InputStream in, String name, NonFinite nonFinite) throws IOException {
        WavReader r = new WavReader(in, name, -1, nonFinite);
        r.parseHeader();
        return r;
    }

    /** Reads the whole of {@code file}; a NaN or infinite sample fails with its index. */
    public static Audio read(Path file) throws IOException {
        try (WavReader r = open(file)) {
            return r.readAll();
        }
    }

    /** Samples replaced with 0 so far under {@link NonFinite#ZERO} (always 0 under {@link NonFinite#REJECT}). */
    public long replacedSamples() {
        return replaced;
    }

    /** Only the header of {@code file}. */
    public static WavInfo probe(Path file) throws IOException {
        try (WavReader r = open(file)) {
            return r.info();
        }
    }

    /** The parsed header. */
    public WavInfo info() {
        return info;
    }

    /** Frames not read yet. */
    public long framesRemaining() {
        return framesLeft;
    }

    /**
     * Decodes up to {@code maxFrames} frames into {@code interleaved} [frames, channels] (frame
     * major, as stored).
     *
     * @return frames read, 0 at the end of the data
     */
    public int read(float[] interleaved, int maxFrames) throws IOException {
        int ch = info.channels();
        if (maxFrames < 0 || (long) maxFrames * ch > interleaved.length) {
            throw new IllegalArgumentException("buffer of " + interleaved.length + " floats cannot hold " + maxFrames
                + " frames of " + ch + " channels");
        }
        int frameBytes = info.blockAlign();
        int want = (int) Math.min(maxFrames, framesLeft);
        byte[] b = frameBytes <= buf.length ? buf : new byte[frameBytes];
        int perBlock = b.length / frameBytes;
        int done = 0;
        while (done < want) {
            int n = Math.min(want - done, perBlock);
            readFully(b, n * frameBytes, "sample data");
            decode(b, n * ch, interleaved, done * ch, info.encoding());
            checkFinite(interleaved, done * ch, n * ch, (info.frames() - framesLeft + done) * ch);
            done += n;
        }
        framesLeft -= done;
        return done;
    }

    /**
     * Decodes up to {@code maxFrames} frames into {@code channels[c][offset ..]} (planar).
     *
     * @param channels [channels, >= offset + maxFrames]
     * @return frames read, 0 at the end of the data
     */
    public int read(float[][] channels, int offset, int maxFrames) throws IOException {
        int ch = info.channels();
        if (channels.length != ch) {
            throw new IllegalArgumentException("expected " + ch + " channel buffers, got " + channels.length);
        }
        int block = Math.max(1, Math.min(maxFrames, 4096));
        float[] tmp = new float[block * ch];
        int total = 0;
        while (total < maxFrames) {
            int n = read(tmp, Math.min(block, maxFrames - total));
            if (n == 0) break;
            for (int t = 0; t < n; t++) {
                for (int c = 0; c < ch; c++) channels[c][offset + total + t] = tmp[t * ch + c];
            }
            total += n;
        }
        return total;
    }

    /** Reads all remaining frames. */
    public Audio readAll() throws IOException {
        int ch = info.channels();
        if (framesLeft * ch > Integer.MAX_VALUE - 8) {
            throw new WavFormatException(name, framesLeft + " frames x " + ch
                + " channels do not fit in one Java array; read it in blocks with WavReader.read(buffer, frames)");
        }
        if (length < 0) return readAllGrowing();
        int frames = (int) framesLeft;
        float[][] out = new float[ch][frames];
        if (ch == 1) {
            int got = 0;
            while (got < frames) got += readMono(out[0], got, frames - got);
        } else {
            read(out, 0, frames);
        }
        return new Audio(info.sampleRate(), out);
    }

    /**
     * For streams of unknown length the declared size cannot be checked up front, so memory grows
     * with what actually arrives: a corrupt huge size ends in a truncation error, not an OOM.
     */
    private Audio readAllGrowing() throws IOException {
        int ch = info.channels();
        int block = 1 << 16;
        java.util.List<float[]> blocks = new java.util.ArrayList<>();
        int[] counts = new int[16];
        long total = 0;
        while (framesLeft > 0) {
            float[] b = new float[block * ch];
            int n = read(b, block);
            if (blocks.size() == counts.length) counts = java.util.Arrays.copyOf(counts, counts.length * 2);
            counts[blocks.size()] = n;
            blocks.add(b);
            total += n;
        }
        float[][] out = new float[ch][(int) total];
        int t = 0;
        for (int k = 0; k < blocks.size(); k++) {
            float[] b = blocks.get(k);
            for (int i = 0; i < counts[k]; i++) {
                for (int c = 0; c < ch; c++) out[c][t + i] = b[i * ch + c];
            }
            t += counts[k];
        }
        return new Audio(info.sampleRate(), out);
    }

    private int readMono(float[] mono, int offset, int maxFrames) throws IOException {
        // mono fast path: decode straight into the destination
        int n = (int) Math.min(maxFrames, framesLeft);
        int bytes = info.encoding().bytes();
        int done = 0;
        while (done < n) {
            int k = Math.min(n - done, buf.length / bytes);
            readFully(buf, k * bytes, "sample data");
            decode(buf, k, mono, offset + done, info.encoding());
            checkFinite(mono, offset + done, k, info.frames() - framesLeft + done);
            done += k;
        }
        framesLeft -= done;
        return done;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * Applies the {@link NonFinite} policy to {@code n} just-decoded samples at {@code x[off ..]},
     * the first of which is interleaved sample {@code first} of the file (frame * channels + channel).
     */
    private void checkFinite(float[] x, int off, int n, long first) throws WavFormatException {
        if (info.encoding() != WavEncoding.FLOAT32 && info.encoding() != WavEncoding.FLOAT64) return;   // PCM is always finite
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            if (Float.isFinite(v)) continue;
            if (nonFinite == NonFinite.ZERO) {
                x[off + i] = 0;
                replaced++;
                continue;
            }
            long s = first + i;
            int ch = info.channels();
            throw new WavFormatException(name, "sample " + s + (ch > 1 ? " (frame " + s / ch + ", channel " + s % ch + ")" : "")
                + " is " + v + "; non-finite samples would turn every feature and embedding into NaN. Re-export the audio, or replace them with 0"
                + " (bin/bgtai: --repair-nonfinite; WavReader.open(file, NonFinite.ZERO))");
        }
    }

    // ---------------------------------------------------------------- header

    private void parseHeader() throws IOException {
        if (length >= 0 && length < 12) {
            throw new WavFormatException(name, "file has only " + length + " bytes; a WAV file starts with a 12-byte RIFF header (empty or truncated file?)");
        }
        readFully(buf, 12, "RIFF header");
        String riff = fourCc(buf, 0);
        if (!riff.equals("RIFF")) {
            String hint = riff.equals("RIFX") ? " (big-endian RIFX is not supported)"
                : riff.equals("RF64") ? " (RF64 files over 4 GB are not supported)"
                : riff.startsWith("ID3") || (buf[0] & 0xFF) == 0xFF ? " (looks like an MP3 file)"
                : riff.equals("fLaC") ? " (looks like a FLAC file)"
                : riff.equals("OggS") ? " (looks like an Ogg file)" : "";
            throw new WavFormatException(name, "not a WAV file: starts with " + printable(buf, 0, 4) + ", expected 'RIFF'" + hint);
        }
        String wave = fourCc(buf, 8);
        if (!wave.equals("WAVE")) {
            throw new WavFormatException(name, "not a WAV file: RIFF form type is " + printable(buf, 8, 4) + ", expected 'WAVE'");
        }
        Fmt fmt = null;
        while (true) {
            if (length >= 0 && length - pos < 8) {
                throw new WavFormatException(name, fmt == null ? "no 'fmt ' chunk before the end of the file (truncated file?)"
                    : "no 'data' chunk before the end of the file (truncated file?)");
            }
            readFully(buf, 8, "chunk header");
            String id = fourCc(buf, 0);
            long size = u32(buf, 4);
            long remaining = length < 0 ? Long.MAX_VALUE : length - pos;
            if (id.equals("data")) {
                if (fmt == null) throw new WavFormatException(name, "'data' chunk comes before the 'fmt ' chunk; the header is damaged");
                if (size > remaining) {
                    throw new WavFormatException(name, "data chunk declares " + size + " bytes but only " + remaining
                        + " bytes follow in the file (truncated file or corrupt size)");
                }
                int align = fmt.channels * fmt.encoding.bytes();
                info = new WavInfo(name, fmt.encoding, fmt.channels, fmt.sampleRate, size / align, fmt.extensible);
                framesLeft = info.frames();
                return;
            }
            if (size > remaining) {
                throw new WavFormatException(name, "chunk '" + printableId(id) + "' declares " + size + " bytes but only " + remaining
                    + " bytes follow in the file (truncated file or corrupt size)");
            }
            if (id.equals("fmt ")) {
                fmt = parseFmt(size);
            } else {
                skip(size, "chunk '" + printableId(id) + "'");
            }
            if ((size & 1) == 1 && (length < 0 || pos < length)) skip(1, "pad byte");
        }
    }

    private record Fmt(WavEncoding encoding, int channels, int sampleRate, boolean extensible) {}

    private Fmt parseFmt(long size) throws IOException {
        if (size < 16) throw new WavFormatException(name, "'fmt ' chunk has " + size + " bytes, needs at least 16");
        if (size > 4096) throw new WavFormatException(name, "'fmt ' chunk has " + size + " bytes, more than any valid format (corrupt header)");
        byte[] f = new byte[(int) size];
        readFully(f, f.length, "'fmt ' chunk");
        int tag = u16(f, 0);
        int channels = u16(f, 2);
        long rate = u32(f, 4);
        int blockAlign = u16(f, 12);
        int bits = u16(f, 14);
        boolean extensible = tag == WavEncoding.TAG_EXTENSIBLE;
        if (extensible) {
            if (size < 40 || u16(f, 16) < 22) {
                throw new WavFormatException(name, "WAVE_FORMAT_EXTENSIBLE header is too short (" + size + "-byte 'fmt ' chunk, needs 40)");
            }
            tag = u16(f, 24); // first two bytes of the sub-format GUID
        }
        if (tag != WavEncoding.TAG_PCM && tag != WavEncoding.TAG_FLOAT) {
            throw new WavFormatException(name, "unsupported WAV codec " + codecName(tag) + String.format(" (format tag 0x%04X)", tag)
                + "; only PCM and IEEE float are read; convert the file to PCM WAV first (e.g. ffmpeg -i in.wav -c:a pcm_s16le out.wav)");
        }
        if (channels == 0) throw new WavFormatException(name, "header declares 0 channels");
        if (rate == 0 || rate > Integer.MAX_VALUE) throw new WavFormatException(name, "header declares sample rate " + rate + " Hz");
        WavEncoding enc = WavEncoding.of(tag, bits);
        if (enc == null) {
            String kinds = tag == WavEncoding.TAG_PCM ? "8, 16, 24 or 32-bit PCM" : "32 or 64-bit float";
            throw new WavFormatException(name, "expected " + kinds + ", got " + bits + "-bit " + (tag == WavEncoding.TAG_PCM ? "PCM" : "float"));
        }
        if (blockAlign != channels * enc.bytes()) {
            throw new WavFormatException(name, "block align is " + blockAlign + " bytes but " + channels + " channels of "
                + bits + "-bit samples need " + channels * enc.bytes() + " (corrupt header)");
        }
        return new Fmt(enc, channels, (int) rate, extensible);
    }

    static String codecName(int tag) {
        return switch (tag) {
            case 0x0002 -> "Microsoft ADPCM";
            case 0x0006 -> "A-law";
            case 0x0007 -> "mu-law";
            case 0x0011 -> "IMA ADPCM";
            case 0x0031 -> "GSM 6.10";
            case 0x0050 -> "MPEG";
            case 0x0055 -> "MPEG Layer 3 (MP3)";
            case 0x0092 -> "Dolby AC-3";
            case 0x00FF, 0x1610 -> "AAC";
            case 0xF1AC -> "FLAC";
            default -> "unknown";
        };
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes {@code n} little-endian samples of {@code enc} from {@code b} into {@code out[off ..]}. */
    static void decode(byte[] b, int n, float[] out, int off, WavEncoding enc) {
        switch (enc) {
            case PCM_U8 -> {
                for (int i = 0; i < n; i++) out[off + i] = ((b[i] & 0xFF) - 128) * (1f / 128);
            }
            case PCM_S16 -> {
                for (int i = 0, j = 0; i < n; i++, j += 2) out[off + i] = (short) ((b[j] & 0xFF) | (b[j + 1] << 8)) * (1f / 32768);
            }
            case PCM_S24 -> {
                for (int i = 0, j = 0; i < n; i++, j += 3) {
                    int v = (b[j] & 0xFF) | (b[j + 1] & 0xFF) << 8 | b[j + 2] << 16;
                    out[off + i] = v * (1f / 8388608);
                }
            }
            case PCM_S32 -> {
                for (int i = 0, j = 0; i < n; i++, j += 4) out[off + i] = (float) (s32(b, j) * (1.0 / 2147483648.0));
            }
            case FLOAT32 -> {
                for (int i = 0, j = 0; i < n; i++, j += 4) out[off + i] = Float.intBitsToFloat(s32(b, j));
            }
            case FLOAT64 -> {
                for (int i = 0, j = 0; i < n; i++, j += 8) {
                    long v = (s32(b, j) & 0xFFFFFFFFL) | ((long) s32(b, j + 4) << 32);
                    out[off + i] = (float) Double.longBitsToDouble(v);
                }
            }
        }
    }

    // ---------------------------------------------------------------- bytes

    private void readFully(byte[] dst, int n, String what) throws IOException {
        int got = 0;
        while (got < n) {
            int k = in.read(dst, got, n - got);
            if (k < 0) {
                throw new WavFormatException(name, "file ends inside the " + what + " (byte " + (pos + got) + "; truncated file?)");
            }
            got += k;
        }
        pos += n;
    }

    private void skip(long n, String what) throws IOException {
        long left = n;
        while (left > 0) {
            long k = in.skip(left);
            if (k <= 0) {
                if (in.read() < 0) throw new WavFormatException(name, "file ends inside " + what + " (truncated file?)");
                k = 1;
            }
            left -= k;
        }
        pos += n;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static int s32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | b[i + 3] << 24;
    }

    private static long u32(byte[] b, int i) {
        return s32(b, i) & 0xFFFFFFFFL;
    }

    private static String fourCc(byte[] b, int i) {
        char[] c = new char[4];
        for (int k = 0; k < 4; k++) c[k] = (char) (b[i + k] & 0xFF);
        return new String(c);
    }

    private static String printableId(String id) {
        StringBuilder sb = new StringBuilder();
        for (char c : id.toCharArray()) sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02X", (int) c));
        return sb.toString();
    }

    private static String printable(byte[] b, int i, int n) {
        return "'" + printableId(fourCc(b, i).substring(0, n)) + "'";
    }

}
