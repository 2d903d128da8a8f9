package org.bgtai.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corpus of broken and hostile files, each rejected with a message that names the problem. */
class SafetensorsCorruptFilesTest {
    @TempDir
    Path dir;

    private static byte[] withLength(long n, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(n).put(rest);
        return b.array();
    }

    private static byte[] valid(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return withLength(h.length, Arrays.copyOf(h, h.length + dataBytes));
    }

    private String rejected(String caseName, byte[] content, String... keywords) throws IOException {
        Path p = dir.resolve(caseName + ".safetensors");
        Files.write(p, content);
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> {
            try (SafetensorsFile f = SafetensorsFile.open(p)) {
                f.names();
            }
        }, caseName);
        String msg = e.getMessage();
        assertTrue(msg.contains(p.toString()), caseName + ": message should name the file: " + msg);
        for (String k : keywords) assertTrue(msg.contains(k), caseName + ": expected '" + k + "' in: " + msg);
        return msg;
    }

    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void tooShortFiles() throws IOException {
        rejected("empty", new byte[0], "0 bytes", "expected at least 8 bytes, got 0");
        rejected("seven", new byte[7], "7 bytes", "truncated");
    }

    @Test
    void hostileHeaderLengths() throws IOException {
        rejected("len2pow63", withLength(Long.MIN_VALUE, new byte[16]), "header length 9223372036854775808", "truncated");
        rejected("lenAllOnes", withLength(-1L, new byte[16]), "header length 18446744073709551615");
        rejected("lenPastEnd", withLength(100, "{}".getBytes(StandardCharsets.UTF_8)), "header length 100",
            "expected at least 108 bytes, got 10");
    }

    @Test
    void headerLongerThanTheLimitIsRefusedBeforeReadingIt() throws IOException {
        Path p = dir.resolve("huge.safetensors");
        long n = SafetensorsFile.MAX_HEADER_BYTES + 1;
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(8 + n); // sparse: no disk space used
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array());
        }
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(p));
        assertTrue(e.getMessage().contains("exceeds the limit of 100000000 bytes"), e.getMessage());
    }

    @Test
    void headerNotJsonObject() throws IOException {
        rejected("badJson", valid("{\"a\":", 0), "not valid JSON", "offset 5");
        rejected("notUtf8", withLength(4, new byte[] {'{', (byte) 0xFF, ' ', '}'}), "UTF-8");
        rejected("array", valid("[]      ", 0), "must be a JSON object", "got array");
        rejected("string", valid("\"x\"", 0), "must be a JSON object");
        rejected("duplicate", valid("{" + t("a", "F32", "[1]", 0, 4) + "," + t("a", "F32", "[1]", 4, 8) + "}", 8),
            "duplicate object key \"a\"");
        rejected("deep", valid("{\"a\":" + "[".repeat(600) + "]".repeat(600) + "}", 0), "nesting deeper");
        rejected("nulHeader", withLength(8, new byte[8]), "not valid JSON");
        // 2 MB of "0," is only a small file but would be millions of objects in memory
        rejected("tooManyValues", valid("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":["
            + "0,".repeat((int) SafetensorsFile.MAX_HEADER_VALUES) + "0]}}", 4), "more than 2000000 values");
    }

    @Test
    void badEntries() throws IOException {
        rejected("entryNotObject", valid("{\"w\":[1,2]}", 0), "tensor \"w\"", "expected an object");
        rejected("missingDtype", valid("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor \"w\"", "missing \"dtype\"");
        rejected("missingShape", valid("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "missing \"shape\"");
        rejected("missingOffsets", valid("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "missing \"data_offsets\"");
        rejected("dtypeNumber", valid("{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "\"dtype\" must be a string");
        rejected("unknownDtype", valid("{" + t("w", "F8_E4M3", "[4]", 0, 4) + "}", 4), "unknown dtype \"F8_E4M3\"", "BF16");
        rejected("lowercaseDtype", valid("{" + t("w", "f32", "[1]", 0, 4) + "}", 4), "unknown dtype");
        rejected("shapeNotArray", valid("{" + t("w", "F32", "4", 0, 16) + "}", 16), "\"shape\" must be an array");
        rejected("shapeFloat", valid("{" + t("w", "F32", "[2.0]", 0, 8) + "}", 8), "shape dimension 0 must be an integer");
        rejected("negativeShape", valid("{" + t("w", "F32", "[2,-3]", 0, 24) + "}", 24), "negative dimension -3");
        rejected("hugeDim", valid("{" + t("w", "F32", "[3000000000]", 0, 4) + "}", 4), "larger than 2147483647");
        rejected("shapeOverflow", valid("{" + t("w", "F32", "[2147483647,2147483647,2147483647]", 0, 4) + "}", 4),
            "overflow");
        rejected("offsetsOne", valid("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", 4), "data_offsets");
        rejected("offsetsNegative", valid("{" + t("w", "F32", "[1]", -4, 0) + "}", 4), "non-negative");
        rejected("offsetsBig", valid("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,1e30]}}", 4), "data_offsets");
        rejected("beginAfterEnd", valid("{" + t("w", "F32", "[1]", 8, 4) + "}", 8), "begin > end");
        rejected("metadataNotObject", valid("{\"__metadata__\":[1]}", 0), "__metadata__", "object of strings");
        rejected("metadataNumber", valid("{\"__metadata__\":{\"lr\":0.1}}", 0), "__metadata__", "\"lr\"", "must be a string");
    }

    @Test
    void sizesAndRanges() throws IOException {
        rejected("bytesMismatch", valid("{" + t("w", "F32", "[2,3]", 0, 20) + "}", 20), "needs 24 bytes", "span 20 bytes",
            "disagree");
        rejected("dtypeMismatch", valid("{" + t("w", "F16", "[4]", 0, 16) + "}", 16), "needs 8 bytes");
        rejected("offsetsPastEnd", valid("{" + t("w", "F32", "[4]", 0, 16) + "}", 12), "past the end", "truncated");
        rejected("overlap", valid("{" + t("a", "F32", "[4]", 0, 16) + "," + t("b", "F32", "[2]", 8, 16) + "}", 16),
            "overlap", "\"a\"", "\"b\"");
        rejected("sameRange", valid("{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 0, 4) + "}", 4), "overlap");
        rejected("gap", valid("{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 8, 12) + "}", 12),
            "gap of 4 bytes", "\"b\"");
        rejected("gapAtStart", valid("{" + t("a", "F32", "[1]", 4, 8) + "}", 8), "gap of 4 bytes", "first tensor");
        rejected("trailing", valid("{" + t("a", "F32", "[1]", 0, 4) + "}", 9), "5 trailing bytes");
        rejected("dataWithoutTensors", valid("{}", 3), "3 trailing bytes");
    }

    @Test
    void truncatedDataOfAValidFile() throws IOException {
        byte[] ok = new SafetensorsWriter().add("w", new int[] {4, 4}, new float[16]).add("b", new int[] {4}, new float[4]).toBytes();
        for (int cut : new int[] {ok.length - 1, ok.length - 40, ok.length - 79}) {
            rejected("cut" + cut, Arrays.copyOf(ok, cut), "truncated");
        }
    }

    @Test
    void edgeCasesThatAreValid() throws IOException {
        // scalar, empty tensor (zero-size at the same offset as another tensor), metadata only, unknown extra keys
        String header = "{\"__metadata__\":{\"k\":\"v\"}," + t("s", "F32", "[]", 0, 4) + ","
            + "\"e\":{\"dtype\":\"I64\",\"shape\":[3,0],\"data_offsets\":[4,4],\"extra\":true},"
            + t("z", "U8", "[2]", 4, 6) + "}";
        byte[] bytes = valid(header, 6);
        int dataStart = bytes.length - 6;
        ByteBuffer.wrap(bytes, dataStart, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(2.5f);
        bytes[dataStart + 4] = (byte) 200;
        bytes[dataStart + 5] = 7;
        Path p = dir.resolve("edge.safetensors");
        Files.write(p, bytes);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(List.of("s", "e", "z"), f.names());
            assertArrayEquals(new int[0], f.get("s").shape());
            assertEquals(1, f.get("s").numel());
            assertArrayEquals(new float[] {2.5f}, f.get("s").toFloatArray());
            assertEquals(0, f.get("e").numel());
            assertArrayEquals(new long[0], f.get("e").toLongArray());
            assertArrayEquals(new int[] {200, 7}, f.get("z").toIntArray());
            assertEquals("v", f.metadata().get("k"));
        }
        Path empty = dir.resolve("empty.safetensors");
        Files.write(empty, valid("{}", 0));
        try (SafetensorsFile f = SafetensorsFile.open(empty)) {
            assertEquals(List.of(), f.names());
        }
    }

    @Test
    void filesLargerThan2GiBAreMappedPerTensor() throws IOException {
        long big = (1L << 31) + 8; // one U8 tensor too large for a ByteBuffer or array, then a small one
        // dimensions are ints, so the big tensor is [2, 2^30 + 4]
        String header = "{" + t("big", "U8", "[2," + (big / 2) + "]", 0, big) + "," + t("small", "F32", "[2]", big, big + 8) + "}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path p = dir.resolve("sparse.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(8 + h.length + big + 8); // sparse: no disk space used for the zeros
            raf.write(withLength(h.length, h));
            raf.seek(8 + h.length + big);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-3f).array());
        }
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new float[] {1.5f, -3f}, f.get("small").toFloatArray());
            assertEquals(big, f.get("big").numel());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> f.get("big").toIntArray());
            assertTrue(e.getMessage().contains("more than a Java array holds"), e.getMessage());
            e = assertThrows(UnsupportedOperationException.class, () -> f.get("big").buffer());
            assertTrue(e.getMessage().contains("2 GiB"), e.getMessage());
        }
    }

    @Test
    void intConversionRangeCheck() throws IOException {
        Path p = dir.resolve("big.safetensors");
        new SafetensorsWriter().addLong("ids", new int[] {3}, new long[] {1, 1L << 40, -2}).write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> f.get("ids").toIntArray());
            assertTrue(e.getMessage().contains("1099511627776") && e.getMessage().contains("index 1")
                && e.getMessage().contains("\"ids\""), e.getMessage());
            assertArrayEquals(new long[] {1, 1L << 40, -2}, f.get("ids").toLongArray());
        }
    }
}
