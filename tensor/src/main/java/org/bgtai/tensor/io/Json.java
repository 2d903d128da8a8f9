package org.bgtai.tensor.io;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small strict JSON (RFC 8259) reader and writer with no dependencies.
 *
 * <p>Reading maps JSON values to Java as follows:
 * <ul>
 *   <li>object &rarr; {@code LinkedHashMap<String, Object>} (member order kept; a duplicate key is
 *       an error, since which one wins is undefined across parsers);
 *   <li>array &rarr; {@code ArrayList<Object>};
 *   <li>number &rarr; {@link Long} when written without fraction or exponent and it fits in a
 *       {@code long}, otherwise {@link Double} (a number beyond the double range is an error);
 *   <li>string &rarr; {@link String} (all escapes including {@code \\uXXXX} surrogate pairs; an
 *       unpaired surrogate escape or a raw control character is an error);
 *   <li>{@code true}/{@code false} &rarr; {@link Boolean}, {@code null} &rarr; {@code null}.
 * </ul>
 * Nesting deeper than {@link #MAX_DEPTH} and number literals longer than
 * {@link #MAX_NUMBER_LENGTH} characters are errors, so hostile input cannot overflow the stack.
 * Errors are {@link JsonParseException}s whose message gives the offset, line and column and what
 * was expected.
 *
 * <p>Writing accepts {@code null}, {@link Boolean}, {@link Number}, {@link CharSequence},
 * {@link Character}, enums (their name), {@link Path} (as a string), {@link Map} with {@code String} keys, {@link Iterable},
 * {@link Optional}, object arrays, {@code float[]}, {@code double[]}, {@code int[]},
 * {@code long[]}, {@code short[]}, {@code byte[]}, {@code boolean[]} and records (an object of
 * their components in declaration order). NaN and infinite numbers have no JSON form: writing one
 * throws {@link IllegalArgumentException} naming where it sits (e.g. {@code $.runs[3].ms}), so a
 * broken measurement is never silently turned into {@code null}; convert it yourself if wanted.
 * Doubles and floats are written in their shortest round-trip form ({@code 0.1f} as {@code 0.1}).
 *
 * <pre>{@code
 * Map<String, Object> m = (Map<String, Object>) Json.parse("{\"a\": [1, 2.5, \"x\"]}");
 * // m.get("a") is List.of(1L, 2.5, "x")
 * String s = Json.write(Map.of("n", 3));   // {"n":3}
 * }</pre>
 */
public final class Json {
    /** Deepest nesting of arrays and objects accepted by the reader and the writer. */
    public static final int MAX_DEPTH = 512;

    /** Longest number literal accepted (a double needs at most ~770 significant digits). */
    public static final int MAX_NUMBER_LENGTH = 1024;

    private Json() {}

    // ------------------------------------------------------------------------------------------
    // Reading

    /**
     * Parses one JSON text (surrounding whitespace allowed, nothing else after the value).
     *
     * @throws JsonParseException with offset, line, column and what was expected
     */
    public static Object parse(String text) {
        return new Parser(text, Long.MAX_VALUE).parseDocument();
    }

    /**
     * Like {@link #parse(String)}, but rejects documents with more than {@code maxValues} values
     * (scalars, arrays and objects, counted together); bounds the memory hostile input can take.
     */
    static Object parse(String text, long maxValues) {
        return new Parser(text, maxValues).parseDocument();
    }

    /**
     * Parses UTF-8 bytes strictly (invalid UTF-8 is an error giving the byte offset; a leading
     * byte order mark is skipped, as RFC 8259 allows).
     */
    public static Object parse(byte[] utf8) {
        int start = hasBom(utf8) ? 3 : 0;
        return parse(decodeUtf8(utf8, start, utf8.length - start));
    }

    /**
     * Reads and parses a JSON file.
     *
     * @throws IOException when the file cannot be read, or with the file name and the problem when
     *     it is not valid UTF-8 JSON
     */
    public static Object read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parse(bytes);
        } catch (JsonParseException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Strict UTF-8 decoding; malformed input is a {@link JsonParseException} with the byte offset. */
    static String decodeUtf8(byte[] bytes, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        try {
            return decoder.decode(in).toString();
        } catch (MalformedInputException e) {
            // decode() leaves the buffer positioned at the malformed sequence
            throw new JsonParseException("invalid UTF-8 at byte offset " + (in.position() - offset)
                + " (" + e.getInputLength() + " malformed byte(s)); JSON text must be UTF-8 encoded", in.position() - offset);
        } catch (CharacterCodingException e) {
            throw new JsonParseException("invalid UTF-8 at byte offset " + (in.position() - offset)
                + "; JSON text must be UTF-8 encoded", in.position() - offset);
        }
    }

    private static boolean hasBom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
    }

    /** Recursive descent parser; recursion depth is bounded by {@link #MAX_DEPTH}. */
    private static final class Parser {
        private final String s;
        private final long maxValues;
        private long values;
        private int pos;
        private int depth;

        Parser(String s, long maxValues) {
            this.s = s;
            this.maxValues = maxValues;
        }

        Object parseDocument() {
            skipWhitespace();
            if (pos >= s.length()) throw error("expected a JSON value, got end of input (empty document)");
            Object v = parseValue();
            skipWhitespace();
            if (pos < s.length()) throw error("expected end of input after the top-level value, got " + describe(pos));
            return v;
        }

        private Object parseValue() {
            if (pos >= s.length()) throw error("expected a value, got end of input");
            if (++values > maxValues) throw error("more than " + maxValues + " values, the limit for this document");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> parseObject();
                case '[' -> parseArray();
                case '"' -> parseString();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield parseNumber();
                    throw error("expected a value (object, array, string, number, true, false or null), got " + describe(pos));
                }
            };
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) throw error("expected '" + word + "', got " + describe(pos));
            pos += word.length();
            return value;
        }

        private void enter() {
            if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH + " arrays/objects");
        }

        private Map<String, Object> parseObject() {
            enter();
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                depth--;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') throw error("expected '\"' to start an object key, got " + describe(pos));
                int keyStart = pos;
                String key = parseString();
                skipWhitespace();
                if (peek() != ':') throw error("expected ':' after object key \"" + abbreviate(key) + "\", got " + describe(pos));
                pos++;
                skipWhitespace();
                Object value = parseValue();
                if (map.containsKey(key)) {
                    throw new JsonParseException(where(keyStart) + ": duplicate object key \"" + abbreviate(key)
                        + "\"; each key may appear once", keyStart);
                }
                map.put(key, value);
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == '}') {
                    pos++;
                    depth--;
                    return map;
                } else {
                    throw error("expected ',' or '}' after object member, got " + describe(pos));
                }
            }
        }

        private List<Object> parseArray() {
            enter();
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                depth--;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(parseValue());
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ']') {
                    pos++;
                    depth--;
                    return list;
                } else {
                    throw error("expected ',' or ']' after array element, got " + describe(pos));
                }
            }
        }

        private String parseString() {
            int start = pos;
            pos++; // opening quote
            StringBuilder sb = null;
            int runStart = pos;
            while (true) {
                if (pos >= s.length()) {
                    throw new JsonParseException(where(start) + ": unterminated string (no closing '\"' before end of input)", start);
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    String result = sb == null ? s.substring(runStart, pos) : sb.append(s, runStart, pos).toString();
                    pos++;
                    return result;
                }
                if (c < 0x20) {
                    throw error("raw control character U+" + hex4(c) + " in string; escape it (e.g. \\n, \\t, \\u"
                        + hex4(c) + ")");
                }
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (sb == null) sb = new StringBuilder();
                sb.append(s, runStart, pos);
                pos++;
                if (pos >= s.length()) throw error("expected an escape character after '\\', got end of input");
                char e = s.charAt(pos);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        int escapeStart = pos - 1;
                        char u = (char) hexEscape();
                        if (Character.isHighSurrogate(u)) {
                            if (s.startsWith("\\u", pos + 1)) {
                                pos += 2;
                                char low = (char) hexEscape();
                                if (!Character.isLowSurrogate(low)) {
                                    throw new JsonParseException(where(escapeStart) + ": high surrogate \\u" + hex4(u)
                                        + " followed by \\u" + hex4(low) + ", which is not a low surrogate (DC00-DFFF)", escapeStart);
                                }
                                sb.append(u).append(low);
                            } else {
                                throw new JsonParseException(where(escapeStart) + ": unpaired high surrogate \\u" + hex4(u)
                                    + "; it must be followed by a low surrogate escape \\uDC00-\\uDFFF", escapeStart);
                            }
                        } else if (Character.isLowSurrogate(u)) {
                            throw new JsonParseException(where(escapeStart) + ": unpaired low surrogate \\u" + hex4(u)
                                + " (not preceded by a high surrogate \\uD800-\\uDBFF)", escapeStart);
                        } else {
                            sb.append(u);
                        }
                    }
                    default -> throw error("invalid escape '\\" + printable(e) + "' in string; valid escapes are"
                        + " \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
                }
                pos++;
                runStart = pos;
            }
        }

        /** Reads XXXX after "\\u" (pos is at 'u'); leaves pos at the last hex digit. */
        private int hexEscape() {
            int value = 0;
            for (int i = 1; i <= 4; i++) {
                int p = pos + i;
                if (p >= s.length()) throw error("expected 4 hex digits after \\u, got end of input");
                char h = s.charAt(p);
                int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (d < 0) {
                    throw new JsonParseException(where(p) + ": expected 4 hex digits after \\u, got " + describe(p), p);
                }
                value = value * 16 + d;
            }
            pos += 4;
            return value;
        }

        private Object parseNumber() {
            int start = pos;
            boolean integral = true;
            if (peek() == '-') pos++;
            if (peek() == '0') {
                pos++;
                if (isDigit(peek())) throw error("leading zeros are not allowed in numbers");
            } else if (isDigit(peek())) {
                while (isDigit(peek())) pos++;
            } else {
                throw error("expected a digit after '-', got " + describe(pos));
            }
            if (peek() == '.') {
                integral = false;
                pos++;
                if (!isDigit(peek())) throw error("expected a digit after the decimal point, got " + describe(pos));
                while (isDigit(peek())) pos++;
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                pos++;
                if (peek() == '+' || peek() == '-') pos++;
                if (!isDigit(peek())) throw error("expected a digit in the exponent, got " + describe(pos));
                while (isDigit(peek())) pos++;
            }
            if (pos - start > MAX_NUMBER_LENGTH) {
                throw new JsonParseException(where(start) + ": number literal of " + (pos - start)
                    + " characters is longer than the limit of " + MAX_NUMBER_LENGTH, start);
            }
            String text = s.substring(start, pos);
            if (integral && text.length() <= 20) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException overflow) {
                    // beyond the long range: fall through to double
                }
            }
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                throw new JsonParseException(where(start) + ": number " + abbreviate(text)
                    + " is outside the range of a double (max ~1.8e308)", start);
            }
            return d;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\uFFFF';
        }

        private void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
                else break;
            }
        }

        private JsonParseException error(String what) {
            return new JsonParseException(where(pos) + ": " + what, pos);
        }

        private String where(int p) {
            int line = 1;
            int lineStart = 0;
            int end = Math.min(p, s.length());
            for (int i = 0; i < end; i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return "JSON error at offset " + p + " (line " + line + ", column " + (p - lineStart + 1) + ")";
        }

        private String describe(int p) {
            if (p >= s.length()) return "end of input";
            return "'" + printable(s.charAt(p)) + "'";
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7F || Character.isSurrogate(c) ? "\\u" + hex4(c) : String.valueOf(c);
    }

    private static String hex4(int c) {
        return String.format("%04X", c);
    }

    private static String abbreviate(String t) {
        return t.length() <= 40 ? t : t.substring(0, 37) + "...";
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    /** Compact JSON for {@code value}; see the class comment for the accepted types. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, false).value(value);
        return sb.toString();
    }

    /**
     * Pretty JSON: two-space indentation, {@code "key": value}, and arrays whose elements are all
     * numbers, strings, booleans or null kept on one line ({@code [1, 2, 3]}). Ends without a
     * newline.
     */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, true).value(value);
        return sb.toString();
    }

    /** Writes {@code value} pretty-printed, with a final newline, to {@code file} atomically. */
    public static void writeFile(Path file, Object value) throws IOException {
        byte[] bytes = (writePretty(value) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    private static final class Writer {
        private final StringBuilder sb;
        private final boolean pretty;
        private final List<Object> path = new ArrayList<>();   // keys and indices, for error messages
        private final Map<Object, Boolean> open = new IdentityHashMap<>(); // cycle detection
        private int indent;

        Writer(StringBuilder sb, boolean pretty) {
            this.sb = sb;
            this.pretty = pretty;
        }

        void value(Object v) {
            switch (v) {
                case null -> sb.append("null");
                case Boolean b -> sb.append(b.booleanValue());
                case Double d -> number(d);
                case Float f -> number(f);
                case Long l -> sb.append(l.longValue());
                case Integer i -> sb.append(i.intValue());
                case Short sh -> sb.append(sh.shortValue());
                case Byte by -> sb.append(by.byteValue());
                case BigInteger bi -> sb.append(bi);
                case BigDecimal bd -> sb.append(bd);
                case Number n -> number(n.doubleValue());
                case CharSequence cs -> string(cs.toString());
                case Path p -> string(p.toString()); // before Iterable: a Path iterates its own names
                case Character c -> string(c.toString());
                case Enum<?> e -> string(e.name());
                case Optional<?> o -> value(o.orElse(null));
                case Map<?, ?> m -> container(m, () -> object(m));
                case Iterable<?> it -> container(it, () -> iterable(it));
                case Object[] a -> container(a, () -> iterable(java.util.Arrays.asList(a)));
                case float[] a -> primitiveArray(a.length, i -> number(a[i]));
                case double[] a -> primitiveArray(a.length, i -> number(a[i]));
                case int[] a -> primitiveArray(a.length, i -> sb.append(a[i]));
                case long[] a -> primitiveArray(a.length, i -> sb.append(a[i]));
                case short[] a -> primitiveArray(a.length, i -> sb.append(a[i]));
                case byte[] a -> primitiveArray(a.length, i -> sb.append(a[i]));
                case boolean[] a -> primitiveArray(a.length, i -> sb.append(a[i]));
                case Record r -> container(r, () -> record(r));
                default -> throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON at "
                    + pathString() + "; use a Map, List, String, Number, Boolean, null, a record or a primitive array");
            }
        }

        private void number(double d) {
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("value at " + pathString() + " is " + d
                    + "; JSON has no NaN or Infinity: replace it with null or a string before writing");
            }
            sb.append(d);
        }

        private void number(float f) {
            if (Float.isNaN(f) || Float.isInfinite(f)) number((double) f);
            else sb.append(f);
        }

        private void container(Object c, Runnable body) {
            if (open.put(c, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("cycle at " + pathString() + ": a container contains itself");
            }
            if (open.size() > MAX_DEPTH) {
                throw new IllegalArgumentException("nesting deeper than " + MAX_DEPTH + " at " + pathString());
            }
            body.run();
            open.remove(c);
        }

        private void object(Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            indent++;
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("map key " + e.getKey() + " at " + pathString()
                        + " is not a String; JSON object keys must be strings");
                }
                if (!first) sb.append(',');
                first = false;
                newline();
                string(key);
                sb.append(pretty ? ": " : ":");
                path.add(key);
                value(e.getValue());
                path.removeLast();
            }
            indent--;
            newline();
            sb.append('}');
        }

        private void record(Record r) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                try {
                    Method accessor = rc.getAccessor();
                    accessor.setAccessible(true);
                    fields.put(rc.getName(), accessor.invoke(r));
                } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                    throw new IllegalArgumentException("cannot read record component " + rc.getName() + " of "
                        + r.getClass().getName() + " at " + pathString() + ": " + e, e);
                }
            }
            object(fields);
        }

        private void iterable(Iterable<?> it) {
            List<Object> items = new ArrayList<>();
            it.forEach(items::add);
            if (items.isEmpty()) {
                sb.append("[]");
                return;
            }
            boolean inline = !pretty || items.stream().allMatch(Writer::isScalar);
            sb.append('[');
            indent++;
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) sb.append(inline && pretty ? ", " : ",");
                if (!inline) newline();
                path.add(i);
                value(items.get(i));
                path.removeLast();
            }
            indent--;
            if (!inline) newline();
            sb.append(']');
        }

        private void primitiveArray(int n, java.util.function.IntConsumer element) {
            sb.append('[');
            for (int i = 0; i < n; i++) {
                if (i > 0) sb.append(pretty ? ", " : ",");
                path.add(i);
                element.accept(i);
                path.removeLast();
            }
            sb.append(']');
        }

        private static boolean isScalar(Object o) {
            return o == null || o instanceof Number || o instanceof Boolean || o instanceof CharSequence
                || o instanceof Character || o instanceof Enum<?>;
        }

        private void newline() {
            if (!pretty) return;
            sb.append('\n');
            sb.repeat(' ', 2 * indent);
        }

        private void string(String str) {
            sb.append('"');
            int n = str.length();
            for (int i = 0; i < n; i++) {
                char c = str.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case '\b' -> sb.append("\\b");
                    case '\f' -> sb.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            sb.append("\\u").append(hex4(c));
                        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(str.charAt(i + 1))) {
                            sb.append(c).append(str.charAt(++i));
                        } else if (Character.isSurrogate(c)) {
                            throw new IllegalArgumentException("string at " + pathString() + " has an unpaired surrogate U+"
                                + hex4(c) + " at index " + i + "; it cannot be encoded as UTF-8");
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }

        private String pathString() {
            StringBuilder p = new StringBuilder("$");
            for (Object o : path) {
                if (o instanceof Integer i) p.append('[').append(i).append(']');
                else p.append('.').append(o);
            }
            return p.toString();
        }
    }
}
