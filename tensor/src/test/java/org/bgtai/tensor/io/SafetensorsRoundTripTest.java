package org.bgtai.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void writerLayoutMatchesTheReferenceByteForByte() {
        byte[] bytes = new SafetensorsWriter()
            .add("b", new int[] {2}, new float[] {1f, 2f})
            .addLong("a", new int[] {1}, new long[] {7})
            .metadata("k", "v")
            .toBytes();
        // written by hand following huggingface/safetensors: metadata first, I64 before F32,
        // compact JSON padded with spaces to a multiple of 8 (133 -> 136 bytes)
        String header = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}   ";
        ByteBuffer expected = ByteBuffer.allocate(8 + 136 + 16).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(136).put(header.getBytes(StandardCharsets.US_ASCII));
        expected.put(new byte[] {7, 0, 0, 0, 0, 0, 0, 0});                  // 7L
        expected.put(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, 0x40});  // 1.0f, 2.0f
        assertArrayEquals(expected.array(), bytes);
    }

    @Test
    void tensorsAreSortedByDtypeDescendingThenUtf8Name(@TempDir Path d) throws IOException {
        Path p = d.resolve("order.safetensors");
        new SafetensorsWriter()
            .addBool("a", new int[] {1}, new boolean[] {true})
            .addF16("z", new int[] {1}, new float[] {1})
            .add("\uD83D\uDE00", new int[] {1}, new float[] {1})   // U+1F600: after U+FF01 in UTF-8 order
            .add("\uFF01", new int[] {1}, new float[] {1})
            .add("c", new int[] {1}, new float[] {1})
            .addLong("x", new int[] {1}, new long[] {1})
            .addBF16("y", new int[] {1}, new float[] {1})
            .addDouble("w", new int[] {1}, new double[] {1})
            .addInt("v", new int[] {1}, new int[] {1})
            .addShort("u", new int[] {1}, new short[] {1})
            .addByte("t", new int[] {1}, new byte[] {1})
            .addUnsignedByte("s", new int[] {1}, new byte[] {1})
            .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(List.of("x", "w", "c", "\uFF01", "\uD83D\uDE00", "v", "y", "z", "u", "t", "s", "a"), f.names());
        }
    }

    @Test
    void everyDtypeRoundTrips() throws IOException {
        Path p = dir.resolve("all.safetensors");
        float[] f32 = {0f, -1.5f, 3.4e38f, 1e-45f, Float.NaN, Float.NEGATIVE_INFINITY};
        double[] f64 = {Math.PI, -1e300, 5e-324};
        long[] i64 = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        int[] i32 = {Integer.MIN_VALUE, -7, Integer.MAX_VALUE};
        short[] i16 = {Short.MIN_VALUE, -1, Short.MAX_VALUE};
        byte[] i8 = {-128, -1, 0, 127};
        byte[] u8 = {0, 1, (byte) 255, (byte) 128};
        boolean[] bool = {true, false, true};
        new SafetensorsWriter()
            .add("f32", new int[] {2, 3}, f32)
            .addF16("f16", new int[] {4}, new float[] {1f, -2.5f, 65504f, 1f + 0x1p-11f})
            .addBF16("bf16", new int[] {2, 1}, new float[] {1f, 65504f})
            .addDouble("f64", new int[] {3}, f64)
            .addLong("i64", new int[] {2, 2}, i64)
            .addInt("i32", new int[] {3}, i32)
            .addShort("i16", new int[] {3}, i16)
            .addByte("i8", new int[] {4}, i8)
            .addUnsignedByte("u8", new int[] {2, 2}, u8)
            .addBool("bool", new int[] {3}, bool)
            .metadata(Map.of("format", "pt"))
            .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertArrayEquals(new int[] {2, 3}, f.get("f32").shape());
            assertArrayEquals(f32, f.get("f32").toFloatArray());
            assertArrayEquals(new float[] {1f, -2.5f, 65504f, 1f}, f.get("f16").toFloatArray());
            assertArrayEquals(new float[] {1f, 65536f}, f.get("bf16").toFloatArray());
            assertArrayEquals(f64, f.get("f64").toDoubleArray());
            assertArrayEquals(new float[] {(float) Math.PI, Float.NEGATIVE_INFINITY, 0f}, f.get("f64").toFloatArray());
            assertArrayEquals(i64, f.get("i64").toLongArray());
            assertArrayEquals(i32, f.get("i32").toIntArray());
            assertArrayEquals(new long[] {Integer.MIN_VALUE, -7, Integer.MAX_VALUE}, f.get("i32").toLongArray());
            assertArrayEquals(new int[] {Short.MIN_VALUE, -1, Short.MAX_VALUE}, f.get("i16").toIntArray());
            assertArrayEquals(new int[] {-128, -1, 0, 127}, f.get("i8").toIntArray());
            assertArrayEquals(new int[] {0, 1, 255, 128}, f.get("u8").toIntArray());
            assertArrayEquals(new float[] {0, 1, 255, 128}, f.get("u8").toFloatArray());
            assertArrayEquals(new long[] {1, 0, 1}, f.get("bool").toLongArray());
            assertArrayEquals(new float[] {1, 0, 1}, f.get("bool").toFloatArray());
            assertArrayEquals(new double[] {1, 0, 1}, f.get("bool").toDoubleArray());
            for (String n : f.names()) assertEquals(DType.valueOf(n.toUpperCase()), f.get(n).dtype());
            ByteBuffer raw = f.get("i32").buffer();
            assertEquals(ByteOrder.LITTLE_ENDIAN, raw.order());
            assertTrue(raw.isReadOnly());
            assertEquals(12, raw.remaining());
            assertEquals(-7, raw.getInt(4));
        }
    }

    @Test
    void halfPrecisionBytesWrittenByHandDecode() throws IOException {
        Path p = dir.resolve("half.safetensors");
        new SafetensorsWriter()
            .addRaw("h", DType.F16, new int[] {4}, new byte[] {0x00, 0x3C, 0x00, (byte) 0xC1, (byte) 0xFF, 0x7B, 0x01, 0x00})
            .addRaw("b", DType.BF16, new int[] {3}, new byte[] {(byte) 0x80, 0x3F, 0x20, (byte) 0xC0, 0x49, 0x40})
            .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new float[] {1f, -2.5f, 65504f, 0x1p-24f}, f.get("h").toFloatArray());
            assertArrayEquals(new float[] {1f, -2.5f, 3.140625f}, f.get("b").toFloatArray());
            assertThrows(UnsupportedOperationException.class, () -> f.get("h").toIntArray());
        }
    }

    @Test
    void writerValidatesItsInput() {
        SafetensorsWriter w = new SafetensorsWriter().add("w", new int[] {2}, new float[2]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> w.add("x", new int[] {3, 4}, new float[10]));
        assertTrue(e.getMessage().contains("shape [3, 4] has 12 elements but the data has 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.add("w", new int[] {1}, new float[1]));
        assertTrue(e.getMessage().contains("already added"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.add("__metadata__", new int[] {1}, new float[1]));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.addLong("n", new int[] {-1}, new long[0]));
        assertTrue(e.getMessage().contains("negative dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.addRaw("r", DType.F32, new int[] {1}, new byte[3]));
        assertTrue(e.getMessage().contains("not a whole number of F32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.add("big", new int[] {1 << 16, 1 << 16}, new float[0]));
        assertTrue(e.getMessage().contains("more elements than a Java array"), e.getMessage());
    }

    @Test
    void writeReplacesAnExistingFileLeavingNoTemporaryFile() throws IOException {
        Path p = dir.resolve("ckpt.safetensors");
        new SafetensorsWriter().add("w", new int[] {1}, new float[] {42f}).write(p);
        new SafetensorsWriter().add("w", new int[] {2}, new float[] {1f, 2f}).write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new float[] {1f, 2f}, f.get("w").toFloatArray());
        }
        try (var s = Files.list(dir)) {
            assertEquals(List.of(p), s.toList());
        }
    }

    // ---- properties ---------------------------------------------------------------------------

    /** One random tensor: the data is derived from {@code seed}. */
    record Case(String name, DType dtype, int[] shape, long seed) {
        @Override
        public String toString() {
            return name + " " + dtype + " " + Arrays.toString(shape) + " seed " + seed;
        }

        int numel() {
            return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
    }

    @Provide
    Arbitrary<List<Case>> tensorLists() {
        Arbitrary<Case> one = Combinators.combine(
            Arbitraries.strings().withChars("abc.01_\u00e9").ofMinLength(0).ofMaxLength(6),
            Arbitraries.of(DType.values()),
            Arbitraries.integers().between(0, 5).array(int[].class).ofMaxSize(4),
            Arbitraries.longs()).as(Case::new);
        return one.list().ofMaxSize(6).uniqueElements(Case::name);
    }

    /** Writes a case with the typed adder for its dtype; returns the expected values as doubles (raw bits for floats). */
    private static long[] add(SafetensorsWriter w, Case c) {
        Random r = new Random(c.seed());
        int n = c.numel();
        long[] expected = new long[n];
        switch (c.dtype()) {
            case F32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Float.intBitsToFloat(r.nextInt());
                    expected[i] = Float.floatToIntBits(v[i]);
                }
                w.add(c.name(), c.shape(), v);
            }
            case F16, BF16 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    short bits = (short) r.nextInt();
                    v[i] = c.dtype() == DType.F16 ? HalfFloats.f16ToFloat(bits) : HalfFloats.bf16ToFloat(bits);
                    expected[i] = Float.floatToIntBits(v[i]);
                }
                if (c.dtype() == DType.F16) w.addF16(c.name(), c.shape(), v);
                else w.addBF16(c.name(), c.shape(), v);
            }
            case F64 -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Double.longBitsToDouble(r.nextLong());
                    expected[i] = Double.doubleToLongBits(v[i]);
                }
                w.addDouble(c.name(), c.shape(), v);
            }
            case I64 -> {
                long[] v = r.longs(n).toArray();
                System.arraycopy(v, 0, expected, 0, n);
                w.addLong(c.name(), c.shape(), v);
            }
            case I32 -> {
                int[] v = r.ints(n).toArray();
                for (int i = 0; i < n; i++) expected[i] = v[i];
                w.addInt(c.name(), c.shape(), v);
            }
            case I16 -> {
                short[] v = new short[n];
                for (int i = 0; i < n; i++) expected[i] = v[i] = (short) r.nextInt();
                w.addShort(c.name(), c.shape(), v);
            }
            case I8, U8 -> {
                byte[] v = new byte[n];
                r.nextBytes(v);
                for (int i = 0; i < n; i++) expected[i] = c.dtype() == DType.U8 ? v[i] & 0xFF : v[i];
                if (c.dtype() == DType.I8) w.addByte(c.name(), c.shape(), v);
                else w.addUnsignedByte(c.name(), c.shape(), v);
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) expected[i] = (v[i] = r.nextBoolean()) ? 1 : 0;
                w.addBool(c.name(), c.shape(), v);
            }
        }
        return expected;
    }

    @Property(tries = 60)
    void randomValidFilesRoundTrip(@ForAll("tensorLists") List<Case> cases) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().metadata("n", String.valueOf(cases.size()));
        Map<String, long[]> expected = new LinkedHashMap<>();
        for (Case c : cases) expected.put(c.name(), add(w, c));
        Path p = Files.createTempFile("roundtrip", ".safetensors");
        try {
            w.write(p);
            long headerLength = ByteBuffer.wrap(Files.readAllBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, headerLength % 8, "header padded to a multiple of 8 bytes");
            assertEquals(Files.size(p), 8 + headerLength + totalBytes(cases));
            try (SafetensorsFile f = SafetensorsFile.open(p)) {
                assertEquals(Map.of("n", String.valueOf(cases.size())), f.metadata());
                List<Case> sorted = new ArrayList<>(cases);
                // UTF-8 bytes read as Latin-1 chars compare like unsigned bytes
                sorted.sort(Comparator.comparing(Case::dtype).reversed().thenComparing(c -> new String(
                    c.name().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
                assertEquals(sorted.stream().map(Case::name).toList(), f.names());
                for (Case c : cases) {
                    SafetensorsFile.Entry e = f.get(c.name());
                    assertEquals(c.dtype(), e.dtype());
                    assertArrayEquals(c.shape(), e.shape());
                    assertEquals(c.numel(), e.numel());
                    assertArrayEquals(expected.get(c.name()), decodeBits(e), c.toString());
                }
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static long totalBytes(List<Case> cases) {
        return cases.stream().mapToLong(c -> (long) c.numel() * c.dtype().size()).sum();
    }

    /** Values as long bits: float bit patterns for floats (so NaN payloads count), values for integers. */
    private static long[] decodeBits(SafetensorsFile.Entry e) {
        return switch (e.dtype()) {
            case F32, F16, BF16 -> {
                float[] v = e.toFloatArray();
                long[] out = new long[v.length];
                for (int i = 0; i < v.length; i++) out[i] = Float.floatToIntBits(v[i]);
                yield out;
            }
            case F64 -> Arrays.stream(e.toDoubleArray()).mapToLong(Double::doubleToLongBits).toArray();
            default -> e.toLongArray();
        };
    }

    private static final byte[] BASE = new SafetensorsWriter()
        .add("layer.weight", new int[] {3, 4}, new float[12])
        .addLong("ids", new int[] {5}, new long[] {1, 2, 3, 4, 5})
        .addF16("half", new int[] {2, 2}, new float[] {1, 2, 3, 4})
        .addBool("mask", new int[] {3}, new boolean[] {true, false, true})
        .metadata("note", "corruption target")
        .toBytes();

    private static final int HEADER_END = 8 + (int) ByteBuffer.wrap(BASE).order(ByteOrder.LITTLE_ENDIAN).getLong(0);

    @Property(tries = 200)
    void singleByteHeaderCorruptionOnlyEverGivesTheFormatException(
        @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll byte value) throws IOException {
        byte[] bytes = BASE.clone();
        bytes[where % HEADER_END] = value;
        openAndReadEverything(bytes);
    }

    @Property(tries = 80)
    void randomBytesOnlyEverGiveTheFormatException(@ForAll("garbage") byte[] bytes) throws IOException {
        openAndReadEverything(bytes);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        // a plausible small length prefix followed by random bytes
        Arbitrary<byte[]> prefixed = Combinators.combine(Arbitraries.integers().between(0, 56), random).as((n, rest) -> {
            ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
            return b.putLong(n).put(rest).array();
        });
        return Arbitraries.oneOf(random, prefixed);
    }

    private static void openAndReadEverything(byte[] bytes) throws IOException {
        Path p = Files.createTempFile("corrupt", ".safetensors");
        try {
            Files.write(p, bytes);
            try (SafetensorsFile f = SafetensorsFile.open(p)) {
                // whatever survived validation must be readable without surprises
                for (SafetensorsFile.Entry e : f.entries()) {
                    assertEquals(e.byteSize(), e.buffer().remaining());
                    assertEquals(e.numel(), e.toFloatArray().length);
                    if (!e.dtype().isFloatingPoint()) assertEquals(e.numel(), e.toLongArray().length);
                }
            } catch (SafetensorsFormatException expected) {
                assertTrue(expected.getMessage().startsWith(p.toString()), expected.getMessage());
            } catch (Throwable t) {
                fail("expected only SafetensorsFormatException for a corrupt file, got " + t, t);
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
