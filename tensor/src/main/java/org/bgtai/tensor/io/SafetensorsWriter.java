package org.bgtai.tensor.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a safetensors file (format: see {@link SafetensorsFile}) from Java arrays.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *     .add("linear.weight", new int[] {5, 7}, weight)      // F32, weight.length == 35
 *     .addBF16("linear.bias", new int[] {5}, bias)         // rounded to bfloat16
 *     .addLong("target", new int[] {10}, target)           // I64
 *     .metadata("step", "1000")
 *     .write(Path.of("ckpt.safetensors"));                 // atomic: old file kept on failure
 * }</pre>
 *
 * <p>The output is laid out as the reference implementation (huggingface/safetensors) lays it
 * out, so the bytes are deterministic and match what Python's {@code save_file} writes for the
 * same tensors and metadata: tensors sorted by dtype in descending {@link DType} order (I64, F64,
 * F32, I32, BF16, F16, I16, I8, U8, BOOL: wide types first, which keeps every tensor aligned) and
 * then by name (UTF-8 byte order); the header is compact JSON with {@code __metadata__} first
 * (omitted when empty; its keys in insertion order), then each tensor as
 * {@code {"dtype":..,"shape":[..],"data_offsets":[begin,end]}}, padded with spaces to a multiple
 * of 8 bytes.
 *
 * <p>Arrays are not copied: they are read when {@link #write} runs, so do not modify them in
 * between. Narrowing to F16/BF16 rounds to nearest, ties to even ({@link HalfFloats}).
 */
public final class SafetensorsWriter {
    private final List<Pending> tensors = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Writes the little-endian bytes of elements [from, to) into {@code out}. */
    private interface Encoder {
        void encode(ByteBuffer out, int from, int to);
    }

    private record Pending(String name, DType dtype, int[] shape, int numel, Encoder encoder) {
        long byteSize() {
            return (long) numel * dtype.size();
        }
    }

    /** An empty writer. */
    public SafetensorsWriter() {}

    /**
     * Adds an F32 tensor. Every {@code add*} method takes the same arguments:
     *
     * @param name  unique tensor name, e.g. {@code "encoder.layers.0.linear1.weight"}
     * @param shape dimensions, e.g. {@code [out, in]}; {@code []} for a scalar
     * @param data  row-major values, {@code product(shape)} of them
     * @throws IllegalArgumentException for a duplicate or reserved name, a negative dimension or a
     *     data length that does not match the shape
     */
    public SafetensorsWriter add(String name, int[] shape, float[] data) {
        return add(name, DType.F32, shape, data.length, (b, from, to) -> {
            for (int i = from; i < to; i++) b.putFloat(data[i]);
        });
    }

    /** Adds an F16 (IEEE half) tensor, rounding each float to nearest even. */
    public SafetensorsWriter addF16(String name, int[] shape, float[] data) {
        return add(name, DType.F16, shape, data.length, (b, from, to) -> {
            for (int i = from; i < to; i++) b.putShort(HalfFloats.floatToF16(data[i]));
        });
    }

    /** Adds a BF16 tensor, rounding each float to nearest even. */
    public SafetensorsWriter addBF16(String name, int[] shape, float[] data) {
        return add(name, DType.BF16, shape, data.length, (b, from, to) -> {
            for (int i = from; i < to; i++) b.putShort(HalfFloats.floatToBf16(data[i]));
        });
    }

    /** Adds an F64 tensor. */
    public SafetensorsWriter addDouble(String name, int[] shape, double[] data) {
        return add(name, DType.F64, shape, data.length, (b, from, to) -> {
            for (int i = from; i < to; i++) b.putDouble(data[i]);
        });
    }

    /** Adds an I64 tensor (PyTorch's default integer type, e.g. class indices). */
    public SafetensorsWriter addLong(String name, int[] shape, long[] data) {
        return add(name, DType.I64, shape, data.length, (b, from, to) -> {
            for (int i = from; i < to; i++) b.putLong(data[i]);
        });
    }

    /** Adds an I32 tensor. */
    public SafetensorsWriter addInt(String name, int[] shape, int[] data) {
        return add(name, DType.I32, shape, data.length, (b, from, to) -> {
            for (int i = from; i < to; i++) b.putInt(data[i]);
        });
    }

    /** Adds an I16 tensor. */
    public SafetensorsWriter addShort(String name, int[] shape, short[] data) {
        return add(name, DType.I16, shape, data.length, (b, from, to) -> {
            for (int i = from; i < to; i++) b.putShort(data[i]);
        });
    }

    /** Adds an I8 tensor. */
    public SafetensorsWriter addByte(String name, int[] shape, byte[] data) {
        return add(name, DType.I8, shape, data.length, (b, from, to) -> b.put(data, from, to - from));
    }

    /** Adds a U8 tensor: each byte is read as unsigned (0..255). */
    public SafetensorsWriter addUnsignedByte(String name, int[] shape, byte[] data) {
        return add(name, DType.U8, shape, data.length, (b, from, to) -> b.put(data, from, to - from));
    }

    /** Adds a BOOL tensor (one byte per element, 0 or 1). */
    public SafetensorsWriter addBool(String name, int[] shape, boolean[] data) {
        return add(name, DType.BOOL, shape, data.length, (b, from, to) -> {
            for (int i = from; i < to; i++) b.put(data[i] ? (byte) 1 : (byte) 0);
        });
    }

    /**
     * Adds a tensor from its raw little-endian bytes.
     *
     * @param littleEndian {@code product(shape) * dtype.size()} bytes
     */
    public SafetensorsWriter addRaw(String name, DType dtype, int[] shape, byte[] littleEndian) {
        int size = dtype.size();
        if (littleEndian.length % size != 0) {
            throw new IllegalArgumentException("tensor " + SafetensorsFile.quote(name) + ": " + littleEndian.length
                + " bytes is not a whole number of " + dtype + " elements (" + size + " bytes each)");
        }
        return add(name, dtype, shape, littleEndian.length / size,
            (b, from, to) -> b.put(littleEndian, from * size, (to - from) * size));
    }

    /** Adds one {@code __metadata__} entry (replacing an earlier value for the same key). */
    public SafetensorsWriter metadata(String key, String value) {
        if (key == null || value == null) throw new IllegalArgumentException("metadata key and value must not be null");
        Json.write(key); // fails early on strings that cannot be encoded
        Json.write(value);
        metadata.put(key, value);
        return this;
    }

    /** Adds all entries of {@code entries} to {@code __metadata__}. */
    public SafetensorsWriter metadata(Map<String, String> entries) {
        entries.forEach(this::metadata);
        return this;
    }

    private SafetensorsWriter add(String name, DType dtype, int[] shape, int dataLength, Encoder encoder) {
        if (name == null) throw new IllegalArgumentException("tensor name must not be null");
        String q = SafetensorsFile.quote(name);
        if (name.equals(SafetensorsFile.METADATA_KEY)) {
            throw new IllegalArgumentException("tensor name " + q + " is reserved for metadata; use metadata(key, value)");
        }
        for (Pending p : tensors) {
            if (p.name().equals(name)) throw new IllegalArgumentException("tensor " + q + " was already added; names must be unique");
        }
        if (shape == null) throw new IllegalArgumentException("tensor " + q + ": shape must not be null (use new int[0] for a scalar)");
        long numel = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor " + q + ": negative dimension in shape " + Arrays.toString(shape));
            numel *= d;
            if (numel > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor " + q + ": shape " + Arrays.toString(shape)
                    + " has more elements than a Java array holds");
            }
        }
        if (numel != dataLength) {
            throw new IllegalArgumentException("tensor " + q + ": shape " + Arrays.toString(shape) + " has " + numel
                + " elements but the data has " + dataLength + "; pass data of length product(shape)");
        }
        tensors.add(new Pending(name, dtype, shape.clone(), (int) numel, encoder));
        return this;
    }

    /** Tensors in file order: by dtype descending, then by name in UTF-8 byte order. */
    private List<Pending> layout() {
        List<Pending> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing((Pending p) -> p.dtype()).reversed()
            .thenComparing((a, b) -> Arrays.compareUnsigned(utf8(a.name()), utf8(b.name()))));
        return sorted;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The header bytes (without the 8-byte length), padded with spaces to a multiple of 8. */
    byte[] header(List<Pending> sorted) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put(SafetensorsFile.METADATA_KEY, metadata);
        long offset = 0;
        for (Pending p : sorted) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", p.dtype().name());
            info.put("shape", p.shape());
            info.put("data_offsets", new long[] {offset, offset + p.byteSize()});
            offset += p.byteSize();
            header.put(p.name(), info);
        }
        byte[] json = utf8(Json.write(header));
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** Writes the file to {@code out} (not closed). */
    public void writeTo(OutputStream out) throws IOException {
        List<Pending> sorted = layout();
        byte[] header = header(sorted);
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        chunk.putLong(header.length);
        out.write(chunk.array(), 0, 8);
        out.write(header);
        for (Pending p : sorted) {
            int perChunk = chunk.capacity() / p.dtype().size();
            for (int from = 0; from < p.numel(); from += perChunk) {
                int to = Math.min(p.numel(), from + perChunk);
                chunk.clear();
                p.encoder().encode(chunk, from, to);
                out.write(chunk.array(), 0, chunk.position());
            }
        }
        out.flush();
    }

    /** The whole file as bytes (for small files and tests). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new AssertionError("ByteArrayOutputStream does not throw", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes the file atomically ({@link AtomicFiles}): on failure {@code file} keeps its old
     * content.
     */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, this::writeTo);
    }
}
