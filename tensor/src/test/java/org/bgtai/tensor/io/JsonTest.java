package org.bgtai.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {

    @Test
    void parsesAllValueKinds() {
        Object v = Json.parse(" {\"a\": [1, -2.5, \"x\", true, false, null], \"b\": {}, \"c\": []} ");
        Map<?, ?> m = assertInstanceOf(Map.class, v);
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(m.keySet()));
        List<?> a = (List<?>) m.get("a");
        assertEquals(1L, a.get(0));
        assertEquals(-2.5, a.get(1));
        assertEquals("x", a.get(2));
        assertEquals(Boolean.TRUE, a.get(3));
        assertEquals(Boolean.FALSE, a.get(4));
        assertNull(a.get(5));
        assertEquals(Map.of(), m.get("b"));
        assertEquals(List.of(), m.get("c"));
    }

    @Test
    void keepsMemberOrder() {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(m.keySet()));
    }

    @Test
    void numbersAreLongWhenIntegralAndFittingElseDouble() {
        assertEquals(0L, Json.parse("-0"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(9223372036854775808.0, Json.parse("9223372036854775808"));
        assertEquals(1e30, Json.parse("1000000000000000000000000000000"));
        assertEquals(1000.0, Json.parse("1e3"));
        assertEquals(1.0, Json.parse("1.0"));
        assertEquals(-1.5e-7, Json.parse("-1.5E-7"));
        assertEquals(2.0, Json.parse("2e+0"));
    }

    @Test
    void stringEscapes() {
        assertEquals("\"\\/\b\f\n\r\t", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
        assertEquals("é", Json.parse("\"\\u00e9\""));
        assertEquals("é", Json.parse("\"\\u00E9\""));
        assertEquals("\uD83D\uDE00", Json.parse("\"\\uD83D\\uDE00\""));          // U+1F600 as a surrogate pair
        assertEquals("a\uD83D\uDE00b", Json.parse("\"a\uD83D\uDE00b\""));        // raw, not escaped
        assertEquals("\u0000", Json.parse("\"\\u0000\""));
    }

    @Test
    void errorsGiveOffsetLineColumnAndExpectation() {
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse("{\"a\" 1}"));
        assertEquals(5, e.offset());
        assertTrue(e.getMessage().contains("offset 5 (line 1, column 6)"), e.getMessage());
        assertTrue(e.getMessage().contains("expected ':'"), e.getMessage());

        e = assertThrows(JsonParseException.class, () -> Json.parse("[1,\n 2,\n x]"));
        assertTrue(e.getMessage().contains("line 3, column 2"), e.getMessage());
        assertTrue(e.getMessage().contains("got 'x'"), e.getMessage());
    }

    @Test
    void rejectsMalformedDocuments() {
        String[][] cases = {
            {"", "empty document"},
            {"   ", "empty document"},
            {"[1,]", "expected a value"},
            {"{\"a\":1,}", "object key"},
            {"[1 2]", "expected ',' or ']'"},
            {"{\"a\":1 \"b\":2}", "expected ',' or '}'"},
            {"{a:1}", "object key"},
            {"[1] x", "end of input"},
            {"01", "leading zeros"},
            {"-", "digit"},
            {"1.", "decimal point"},
            {".5", "expected a value"},
            {"1e", "exponent"},
            {"+1", "expected a value"},
            {"NaN", "expected a value"},
            {"Infinity", "expected a value"},
            {"1e400", "outside the range"},
            {"tru", "expected 'true'"},
            {"nul", "expected 'null'"},
            {"\"abc", "unterminated string"},
            {"\"a\nb\"", "raw control character"},
            {"\"\\x\"", "invalid escape"},
            {"\"\\u12G4\"", "hex digits"},
            {"\"\\u12\"", "hex digits"},
            {"\"\\uD83D\"", "unpaired high surrogate"},
            {"\"\\uD83Dx\"", "unpaired high surrogate"},
            {"\"\\uD83D\\u0041\"", "not a low surrogate"},
            {"\"\\uDE00\"", "unpaired low surrogate"},
            {"{\"a\":1,\"a\":2}", "duplicate object key \"a\""},
            {"[", "expected a value, got end of input"},
            {"{", "object key"},
            {"'a'", "expected a value"},
        };
        for (String[] c : cases) {
            JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), "for " + c[0] + ": " + e.getMessage());
        }
    }

    @Test
    void depthLimitIsEnforcedWithoutStackOverflow() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertInstanceOf(List.class, Json.parse(ok));
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper than 512"), e.getMessage());
        // a hostile megabyte of brackets fails fast at the limit
        String hostile = "{\"a\":".repeat(200_000);
        assertThrows(JsonParseException.class, () -> Json.parse(hostile));
    }

    @Test
    void sizeLimitsForHostileInput() {
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse("1".repeat(Json.MAX_NUMBER_LENGTH + 1)));
        assertTrue(e.getMessage().contains("longer than the limit of 1024"), e.getMessage());
        assertEquals(1e20, Json.parse("1" + "0".repeat(20)));
        assertEquals(List.of(0L, 0L), Json.parse("[0,0]", 3));
        e = assertThrows(JsonParseException.class, () -> Json.parse("[0,0,0]", 3));
        assertTrue(e.getMessage().contains("more than 3 values"), e.getMessage());
        assertEquals(5, e.offset());
    }

    @Test
    void bytesMustBeValidUtf8AndBomIsSkipped() {
        byte[] bad = {'"', 'a', (byte) 0xC3, '"'}; // 0xC3 starts a 2-byte sequence, '"' is no continuation
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse(bad));
        assertTrue(e.getMessage().contains("invalid UTF-8 at byte offset 2"), e.getMessage());
        assertEquals(2, e.offset());
        byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '[', '1', ']'};
        assertEquals(List.of(1L), Json.parse(withBom));
        assertEquals("é", Json.parse("\"é\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesCompactJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\u0001é\uD83D\uDE00");
        m.put("i", 3);
        m.put("l", -7L);
        m.put("d", 0.1);
        m.put("f", 0.1f);
        m.put("big", 1e21);
        m.put("b", true);
        m.put("n", null);
        m.put("list", List.of(1, "x"));
        m.put("fa", new float[] {1.5f, -2f});
        m.put("da", new double[] {});
        m.put("ia", new int[] {1, 2});
        m.put("la", new long[] {Long.MIN_VALUE});
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\u0001é\uD83D\uDE00\",\"i\":3,\"l\":-7,\"d\":0.1,\"f\":0.1,\"big\":1.0E21,"
            + "\"b\":true,\"n\":null,\"list\":[1,\"x\"],\"fa\":[1.5,-2.0],\"da\":[],\"ia\":[1,2],"
            + "\"la\":[-9223372036854775808]}", Json.write(m));
    }

    record Run(String name, double ms, int[] shape) {}

    enum Mode { FAST }

    @Test
    void writesRecordsAndEnums() {
        assertEquals("{\"name\":\"gemm\",\"ms\":1.25,\"shape\":[2,3]}", Json.write(new Run("gemm", 1.25, new int[] {2, 3})));
        assertEquals("[\"FAST\"]", Json.write(List.of(Mode.FAST)));
        assertEquals("{\"file\":\"runs/a.json\"}", Json.write(Map.of("file", Path.of("runs", "a.json"))));
    }

    @Test
    void writesPrettyJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "x");
        m.put("sizes", List.of(1, 2, 3));
        m.put("runs", List.of(Map.of("ms", 2), List.of()));
        m.put("empty", Map.of());
        String expected = """
            {
              "name": "x",
              "sizes": [1, 2, 3],
              "runs": [
                {
                  "ms": 2
                },
                []
              ],
              "empty": {}
            }""";
        assertEquals(expected, Json.writePretty(m));
        Map<String, Object> parsed = new LinkedHashMap<>();
        parsed.put("name", "x");
        parsed.put("sizes", List.of(1L, 2L, 3L));
        parsed.put("runs", List.of(Map.of("ms", 2L), List.of()));
        parsed.put("empty", Map.of());
        assertEquals(parsed, Json.parse(expected));
    }

    @Test
    void writerRejectsNaNAndInfinityNamingThePath() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", List.of(Map.of("ms", 1.0), Map.of("ms", Double.NaN)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(m));
        assertTrue(e.getMessage().contains("$.runs[1].ms is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.write(new float[] {0f, Float.POSITIVE_INFINITY}));
        assertTrue(e.getMessage().contains("$[1] is Infinity"), e.getMessage());
    }

    @Test
    void writerRejectsUnsupportedValues() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Json.write("\uD800"));
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(cyclic));
        assertTrue(e.getMessage().contains("cycle at $[0]"), e.getMessage());
    }

    @Test
    void fileRoundTripNamesTheFileOnErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("report.json");
        Json.writeFile(f, Map.of("ok", List.of(1, 2)));
        assertEquals(Map.of("ok", List.of(1L, 2L)), Json.read(f));
        assertTrue(Files.readString(f).endsWith("\n"));
        Files.writeString(f, "{\"a\": }");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> Json.read(f));
        assertTrue(e.getMessage().contains("report.json") && e.getMessage().contains("offset 6"), e.getMessage());
    }

    // ---- property: write then parse gives the same value back ------------------------------

    @Property(tries = 150)
    void writeThenParseRoundTrips(@ForAll("values") Object value) {
        assertEquals(value, Json.parse(Json.write(value)));
        assertEquals(value, Json.parse(Json.writePretty(value)));
    }

    @Provide
    Arbitrary<Object> values() {
        return value(3);
    }

    private Arbitrary<Object> value(int depth) {
        Arbitrary<String> strings = Arbitraries.strings().withCharRange('\u0000', '\uD7FF')
            .withChars('\uD83D', '\uDE00').ofMaxLength(12)
            .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)); // no unpaired surrogates
        Arbitrary<Object> scalars = Arbitraries.oneOf(
            strings.map(s -> s),
            Arbitraries.longs().map(l -> l),
            Arbitraries.doubles().filter(Double::isFinite).map(d -> d),
            Arbitraries.of(Boolean.TRUE, Boolean.FALSE),
            Arbitraries.just(null));
        if (depth == 0) return scalars;
        Arbitrary<Object> lists = value(depth - 1).list().ofMaxSize(4).map(l -> l);
        Arbitrary<Object> maps = Arbitraries.maps(strings, value(depth - 1)).ofMaxSize(4)
            .map(m -> new LinkedHashMap<>(m));
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, scalars), net.jqwik.api.Tuple.of(1, lists), net.jqwik.api.Tuple.of(1, maps));
    }
}
