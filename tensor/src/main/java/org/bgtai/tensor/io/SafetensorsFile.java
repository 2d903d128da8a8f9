package org.bgtai.tensor.io;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.StringJoiner;

/**
 * A read-only, memory-mapped safetensors file (the format of huggingface/safetensors).
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8
 * JSON {@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}}; then the data section, where tensor {@code name} occupies
 * bytes {@code [begin, end)} counted from the start of the data section, row-major and
 * little-endian.
 *
 * <p>{@link #open} validates the whole header before returning, as strictly as the reference
 * implementation: the header length must fit the file and be at most {@link #MAX_HEADER_BYTES};
 * the header must be a UTF-8 JSON object without duplicate keys; every tensor needs a known
 * {@link DType}, a shape of non-negative ints whose element count does not overflow, and
 * {@code data_offsets} with {@code begin <= end <= data size} spanning exactly
 * {@code numel * dtype size} bytes; tensors may not overlap, and together they must cover the
 * data section with no gap and no trailing bytes (the reference rejects such files too, so a gap
 * is an error here, not a warning). Unknown extra keys inside a tensor entry are ignored, as in
 * the reference. Each problem is a {@link SafetensorsFormatException} naming the file, the tensor
 * and the fix; no header, however hostile, leads to an allocation larger than the header itself.
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(Path.of("linear.safetensors"))) {
 *     SafetensorsFile.Entry w = f.get("weight");   // F32 [5, 7]
 *     float[] weight = w.toFloatArray();           // 35 values, row-major
 * }
 * }</pre>
 *
 * <p>The mapping is read-only. Files up to 2 GiB are mapped once; larger files are mapped one
 * tensor at a time when a tensor is read. After {@link #close()} entries can no longer be read
 * (their methods throw {@link IllegalStateException}); copy what you need first. The file must not
 * be truncated by another process while it is open. Safe to read from several threads.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Largest header accepted, in bytes (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Key of the optional string-to-string metadata object in the header. */
    public static final String METADATA_KEY = "__metadata__";

    /**
     * Most JSON values a header may hold (about 9 per tensor, so room for 200,000+ tensors); keeps
     * the memory a hostile header can take to about 150 MB (measured: 2M empty objects).
     */
    public static final long MAX_HEADER_VALUES = 2_000_000L;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final ByteBuffer mapped;          // the whole file, or null when larger than 2 GiB
    private final Map<String, Entry> entries; // file order
    private final Map<String, String> metadata;
    private volatile boolean closed;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, ByteBuffer mapped,
                            List<Entry.Spec> specs, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.mapped = mapped;
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry.Spec s : specs) m.put(s.name(), new Entry(this, s));
        this.entries = Collections.unmodifiableMap(m);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Opens and validates {@code file}; see the class comment for what is checked.
     *
     * @throws SafetensorsFormatException when the file is not valid safetensors
     * @throws IOException when it cannot be read
     */
    public static SafetensorsFile open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a safetensors file");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw new SafetensorsFormatException(file, "file is " + size + " bytes, shorter than the 8-byte header"
                    + " length prefix; file truncated or not a safetensors file? expected at least 8 bytes, got " + size);
            }
            ByteBuffer prefix = readFully(channel, 0, 8);
            long n = prefix.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (Long.compareUnsigned(n, size - 8) > 0) {
                throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(n)
                    + " (first 8 bytes, little-endian) is larger than the rest of the file; file truncated or not a"
                    + " safetensors file? expected at least "
                    + new BigInteger(Long.toUnsignedString(n)).add(BigInteger.valueOf(8)) + " bytes, got " + size);
            }
            if (n > MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException(file, "header length " + n + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes; corrupted or not a safetensors file");
            }
            byte[] headerBytes = new byte[(int) n];
            readFully(channel, 8, (int) n).get(headerBytes);
            long dataStart = 8 + n;
            Layout layout = parseHeader(file, headerBytes, size - dataStart);
            ByteBuffer mapped = size <= Integer.MAX_VALUE ? channel.map(FileChannel.MapMode.READ_ONLY, 0, size) : null;
            return new SafetensorsFile(file, channel, dataStart, mapped, layout.specs, layout.metadata);
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            int r = ch.read(b, position + b.position());
            if (r < 0) throw new EOFException("unexpected end of file at byte " + (position + b.position()));
        }
        return b.flip();
    }

    /** The validated header: tensors in file order and metadata. */
    record Layout(List<Entry.Spec> specs, Map<String, String> metadata) {}

    /**
     * Parses and validates a header for a data section of {@code dataLength} bytes.
     * Package-private so the checks can be tested without files.
     */
    static Layout parseHeader(Path file, byte[] headerBytes, long dataLength) throws SafetensorsFormatException {
        Object root;
        try {
            root = Json.parse(Json.decodeUtf8(headerBytes, 0, headerBytes.length), MAX_HEADER_VALUES);
        } catch (JsonParseException e) {
            throw new SafetensorsFormatException(file, "header is not valid JSON/UTF-8 (" + e.getMessage()
                + "); corrupted file or wrong header length?", e);
        }
        if (!(root instanceof Map<?, ?> header)) {
            throw new SafetensorsFormatException(file, "header must be a JSON object"
                + " {\"name\": {\"dtype\": ..., \"shape\": [...], \"data_offsets\": [begin, end]}}, got " + kind(root));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry.Spec> specs = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                specs.add(readSpec(file, name, e.getValue(), dataLength));
            }
        }
        checkCoverage(file, specs, dataLength);
        return new Layout(List.copyOf(specs), metadata);
    }

    private static void readMetadata(Path file, Object value, Map<String, String> out) throws SafetensorsFormatException {
        if (!(value instanceof Map<?, ?> m)) {
            throw new SafetensorsFormatException(file, "\"" + METADATA_KEY + "\" must be an object of strings to strings, got "
                + kind(value));
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafetensorsFormatException(file, "\"" + METADATA_KEY + "\" value for key " + quote((String) e.getKey())
                    + " must be a string, got " + kind(e.getValue()) + "; safetensors metadata is string to string");
            }
            out.put((String) e.getKey(), s);
        }
    }

    private static Entry.Spec readSpec(Path file, String name, Object value, long dataLength) throws SafetensorsFormatException {
        String t = "tensor " + quote(name) + ": ";
        if (!(value instanceof Map<?, ?> info)) {
            throw new SafetensorsFormatException(file, t + "expected an object {\"dtype\", \"shape\", \"data_offsets\"}, got "
                + kind(value));
        }
        for (String key : List.of("dtype", "shape", "data_offsets")) {
            if (!info.containsKey(key)) {
                throw new SafetensorsFormatException(file, t + "missing \"" + key + "\"; every tensor entry needs"
                    + " \"dtype\", \"shape\" and \"data_offsets\"");
            }
        }
        if (!(info.get("dtype") instanceof String dtypeName)) {
            throw new SafetensorsFormatException(file, t + "\"dtype\" must be a string such as \"F32\", got "
                + kind(info.get("dtype")));
        }
        DType dtype = DType.fromName(dtypeName);
        if (dtype == null) {
            throw new SafetensorsFormatException(file, t + "unknown dtype " + quote(dtypeName) + "; supported dtypes are "
                + Arrays.toString(DType.values()));
        }
        if (!(info.get("shape") instanceof List<?> dims)) {
            throw new SafetensorsFormatException(file, t + "\"shape\" must be an array of integers, got " + kind(info.get("shape")));
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            Object d = dims.get(i);
            if (!(d instanceof Long dim)) {
                throw new SafetensorsFormatException(file, t + "shape dimension " + i + " must be an integer, got " + kind(d));
            }
            if (dim < 0) {
                throw new SafetensorsFormatException(file, t + "negative dimension " + dim + " at index " + i + " of shape "
                    + dims + "; dimensions must be >= 0");
            }
            if (dim > Integer.MAX_VALUE) {
                throw new SafetensorsFormatException(file, t + "dimension " + dim + " at index " + i + " of shape " + dims
                    + " is larger than " + Integer.MAX_VALUE + " (the largest supported dimension)");
            }
            shape[i] = (int) (long) dim;
        }
        long numel = 1;
        for (int dim : shape) {
            try {
                numel = Math.multiplyExact(numel, dim);
            } catch (ArithmeticException e) {
                if (Arrays.stream(shape).anyMatch(x -> x == 0)) {
                    numel = 0;
                    break;
                }
                throw new SafetensorsFormatException(file, t + "shape " + dims + " has more than 2^63 elements (overflow);"
                    + " corrupted header");
            }
        }
        if (!(info.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
            || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end) || begin < 0 || end < 0) {
            throw new SafetensorsFormatException(file, t + "\"data_offsets\" must be two non-negative integers [begin, end],"
                + " got " + kind(info.get("data_offsets")));
        }
        if (begin > end) {
            throw new SafetensorsFormatException(file, t + "data_offsets [" + begin + ", " + end + "] has begin > end");
        }
        if (end > dataLength) {
            throw new SafetensorsFormatException(file, t + "data_offsets end " + end + " is past the end of the data section ("
                + dataLength + " bytes after the header); file truncated? expected at least " + (end - dataLength)
                + " more bytes");
        }
        long expected;
        try {
            expected = Math.multiplyExact(numel, dtype.size());
        } catch (ArithmeticException e) {
            expected = -1;
        }
        if (expected != end - begin) {
            throw new SafetensorsFormatException(file, t + "shape " + Arrays.toString(shape) + " of " + dtype + " ("
                + dtype.size() + " byte(s) each) needs " + (expected < 0 ? "more than 2^63" : String.valueOf(expected))
                + " bytes, but data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                + " bytes; the shape, dtype and data_offsets disagree");
        }
        return new Entry.Spec(name, dtype, shape, numel, begin, end);
    }

    /** Tensors must tile the data section: sorted by offsets, each begins where the previous ended. */
    private static void checkCoverage(Path file, List<Entry.Spec> specs, long dataLength) throws SafetensorsFormatException {
        List<Entry.Spec> sorted = new ArrayList<>(specs);
        sorted.sort(Comparator.comparingLong(Entry.Spec::begin).thenComparingLong(Entry.Spec::end));
        long cursor = 0;
        Entry.Spec previous = null;
        for (Entry.Spec s : sorted) {
            if (s.begin() < cursor) {
                throw new SafetensorsFormatException(file, "tensors " + quote(previous.name()) + " " + range(previous) + " and "
                    + quote(s.name()) + " " + range(s) + " overlap in the data section; each byte must belong to one tensor");
            }
            if (s.begin() > cursor) {
                throw new SafetensorsFormatException(file, "gap of " + (s.begin() - cursor) + " bytes in the data section before"
                    + " tensor " + quote(s.name()) + " " + range(s) + (previous == null ? " (the first tensor)"
                    : " after " + quote(previous.name()) + " " + range(previous))
                    + "; safetensors requires tensors to cover the data section without holes");
            }
            cursor = s.end();
            previous = s;
        }
        if (cursor != dataLength) {
            throw new SafetensorsFormatException(file, "gap of " + (dataLength - cursor) + " trailing bytes at the end of the"
                + " data section (bytes " + cursor + " to " + dataLength + " are not covered by any tensor); wrong header"
                + " or extra data appended to the file?");
        }
    }

    private static String range(Entry.Spec s) {
        return "[" + s.begin() + ", " + s.end() + ")";
    }

    private static String kind(Object v) {
        String text = v == null ? "null" : v instanceof String s ? quote(s) : String.valueOf(v);
        if (text.length() > 60) text = text.substring(0, 57) + "...";
        String type = v == null ? "" : v instanceof Map ? "object " : v instanceof List ? "array " : v instanceof String
            ? "string " : v instanceof Boolean ? "boolean " : "number ";
        return type + text;
    }

    /** A name as a JSON string (control characters escaped), shortened when very long. */
    static String quote(String name) {
        String n = name;
        if (n.length() > 80) {
            int cut = Character.isHighSurrogate(n.charAt(76)) ? 76 : 77;
            n = n.substring(0, cut) + "...";
        }
        return Json.write(n);
    }

    // ------------------------------------------------------------------------------------------

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** Tensor names in the order of the header (the file order). */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** All entries in file order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** The {@code __metadata__} object (empty when absent), in file order; unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Whether a tensor with this name exists. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws NoSuchElementException listing the available names when there is none
     */
    public Entry get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            StringJoiner available = new StringJoiner(", ");
            int shown = 0;
            for (String n : entries.keySet()) {
                if (shown++ == 30) {
                    available.add("... (" + entries.size() + " in all)");
                    break;
                }
                available.add(quote(n));
            }
            throw new NoSuchElementException("no tensor " + quote(name) + " in " + path + "; available: ["
                + available + "]");
        }
        return e;
    }

    /** Releases the file. Entries of this file can no longer be read afterwards. */
    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + entries.size() + " tensors]";
    }

    ByteBuffer bytes(Entry.Spec s) {
        if (closed) {
            throw new IllegalStateException(path + " is closed; read tensor " + quote(s.name())
                + " (e.g. toFloatArray()) before closing the file");
        }
        long length = s.end() - s.begin();
        if (length > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("tensor " + quote(s.name()) + " in " + path + " is " + length
                + " bytes; a ByteBuffer holds at most 2 GiB");
        }
        ByteBuffer b;
        if (mapped != null) {
            b = mapped.slice((int) (dataStart + s.begin()), (int) length);
        } else {
            try {
                b = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + s.begin(), length);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot map tensor " + quote(s.name()) + " of " + path, e);
            }
        }
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * One tensor of the file: name, dtype, shape and typed copies of its data.
     */
    public static final class Entry {
        /** Header information of one tensor; offsets relative to the data section. */
        record Spec(String name, DType dtype, int[] shape, long numel, long begin, long end) {}

        private final SafetensorsFile file;
        private final Spec spec;

        private Entry(SafetensorsFile file, Spec spec) {
            this.file = file;
            this.spec = spec;
        }

        /** The tensor's name in the header. */
        public String name() {
            return spec.name();
        }

        /** Element type as stored in the file. */
        public DType dtype() {
            return spec.dtype();
        }

        /** The shape (a copy); {@code []} for a scalar. */
        public int[] shape() {
            return spec.shape().clone();
        }

        /** Number of elements: the product of the shape (1 for a scalar). */
        public long numel() {
            return spec.numel();
        }

        /** Size of the data in bytes: {@code numel() * dtype().size()}. */
        public long byteSize() {
            return spec.end() - spec.begin();
        }

        /**
         * A read-only little-endian view of the raw bytes (positions 0 to {@link #byteSize()}),
         * backed by the mapped file: no copy.
         *
         * @throws IllegalStateException when the file is closed
         */
        public ByteBuffer buffer() {
            return file.bytes(spec);
        }

        /**
         * The values as floats, row-major: exact for F32, F16, BF16 and small integers; F64 and
         * large integers are rounded to the nearest float; BOOL gives 0 or 1.
         */
        public float[] toFloatArray() {
            int n = arrayLength();
            ByteBuffer b = buffer();
            float[] out = new float[n];
            switch (spec.dtype()) {
                case F32 -> b.asFloatBuffer().get(out);
                case F64 -> {
                    for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(8 * i);
                }
                case F16 -> {
                    for (int i = 0; i < n; i++) out[i] = HalfFloats.f16ToFloat(b.getShort(2 * i));
                }
                case BF16 -> {
                    for (int i = 0; i < n; i++) out[i] = HalfFloats.bf16ToFloat(b.getShort(2 * i));
                }
                case I64 -> {
                    for (int i = 0; i < n; i++) out[i] = (float) b.getLong(8 * i);
                }
                case I32 -> {
                    for (int i = 0; i < n; i++) out[i] = (float) b.getInt(4 * i);
                }
                case I16 -> {
                    for (int i = 0; i < n; i++) out[i] = b.getShort(2 * i);
                }
                case I8 -> {
                    for (int i = 0; i < n; i++) out[i] = b.get(i);
                }
                case U8 -> {
                    for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xFF;
                }
                case BOOL -> {
                    for (int i = 0; i < n; i++) out[i] = b.get(i) != 0 ? 1f : 0f;
                }
            }
            return out;
        }

        /** The values as doubles, row-major: exact for all float dtypes and integers below 2^53. */
        public double[] toDoubleArray() {
            if (spec.dtype() == DType.F64) {
                double[] out = new double[arrayLength()];
                buffer().asDoubleBuffer().get(out);
                return out;
            }
            if (spec.dtype() == DType.I64) {
                long[] v = toLongArray();
                double[] out = new double[v.length];
                for (int i = 0; i < v.length; i++) out[i] = v[i];
                return out;
            }
            float[] f = toFloatArray(); // exact for every other dtype
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) out[i] = f[i];
            return out;
        }

        /**
         * The values as longs, for integer and BOOL tensors (BOOL gives 0 or 1).
         *
         * @throws UnsupportedOperationException for floating-point tensors
         */
        public long[] toLongArray() {
            requireInteger("toLongArray()");
            int n = arrayLength();
            ByteBuffer b = buffer();
            long[] out = new long[n];
            switch (spec.dtype()) {
                case I64 -> b.asLongBuffer().get(out);
                case I32 -> {
                    for (int i = 0; i < n; i++) out[i] = b.getInt(4 * i);
                }
                case I16 -> {
                    for (int i = 0; i < n; i++) out[i] = b.getShort(2 * i);
                }
                case I8 -> {
                    for (int i = 0; i < n; i++) out[i] = b.get(i);
                }
                case U8 -> {
                    for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xFF;
                }
                case BOOL -> {
                    for (int i = 0; i < n; i++) out[i] = b.get(i) != 0 ? 1 : 0;
                }
                default -> throw new AssertionError(spec.dtype());
            }
            return out;
        }

        /**
         * The values as ints, for integer and BOOL tensors.
         *
         * @throws UnsupportedOperationException for floating-point tensors
         * @throws ArithmeticException naming the index and value when an I64 value does not fit an int
         */
        public int[] toIntArray() {
            requireInteger("toIntArray()");
            int n = arrayLength();
            int[] out = new int[n];
            if (spec.dtype() == DType.I32) {
                buffer().asIntBuffer().get(out);
                return out;
            }
            long[] v = toLongArray();
            for (int i = 0; i < n; i++) {
                if (v[i] != (int) v[i]) {
                    throw new ArithmeticException("tensor " + quote(spec.name()) + " in " + file.path + ": value " + v[i]
                        + " at flat index " + i + " does not fit in an int; use toLongArray()");
                }
                out[i] = (int) v[i];
            }
            return out;
        }

        private void requireInteger(String method) {
            if (spec.dtype().isFloatingPoint()) {
                throw new UnsupportedOperationException("tensor " + quote(spec.name()) + " in " + file.path + " has dtype "
                    + spec.dtype() + "; " + method + " needs an integer or BOOL tensor; use toFloatArray()");
            }
        }

        private int arrayLength() {
            if (spec.numel() > Integer.MAX_VALUE - 8) {
                throw new UnsupportedOperationException("tensor " + quote(spec.name()) + " in " + file.path + " has "
                    + spec.numel() + " elements, more than a Java array holds; read it through buffer() in parts");
            }
            return (int) spec.numel();
        }

        @Override
        public String toString() {
            return spec.name() + " " + spec.dtype() + " " + Arrays.toString(spec.shape());
        }
    }
}
