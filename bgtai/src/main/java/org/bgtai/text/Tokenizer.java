package org.bgtai.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bgtai.tensor.io.Json;

/**
 * Text to token ids and back. Every tokenizer has the four special tokens at fixed ids
 * {@code <pad>=0, <unk>=1, <bos>=2, <eos>=3}; {@link #encode} adds neither {@code <bos>} nor
 * {@code <eos>} (the model adds them). Either kind ({@link WordTokenizer}, {@link BpeTokenizer})
 * can serve the text side or the gloss side.
 *
 * <pre>{@code
 * Tokenizer tok = WordTokenizer.train(lines, 1, true);
 * int[] ids = tok.encode("am tag regen");
 * String back = tok.decode(ids);
 * tok.save(Path.of("vocab.json"));
 * Tokenizer same = Tokenizer.load(Path.of("vocab.json"));
 * }</pre>
 */
public sealed interface Tokenizer permits WordTokenizer, BpeTokenizer {
    int PAD = 0, UNK = 1, BOS = 2, EOS = 3;
    List<String> SPECIALS = List.of("<pad>", "<unk>", "<bos>", "<eos>");

    /** Token ids of one line (no {@code <bos>/<eos>}); unknown pieces become {@link #UNK}. */
    int[] encode(String text);

    /** The text of ids; specials ({@code <pad>, <bos>, <eos>}) are dropped, decoding stops at the first {@code <eos>}. */
    String decode(int[] ids);

    /** Number of ids (specials included). */
    int size();

    /** The string of one id. */
    String token(int id);

    /** A JSON-ready description ({@code "type"} plus the tables) that {@link #fromJson} reads back. */
    Map<String, Object> toJson();

    /** Writes {@link #toJson()} as a JSON file (atomically). */
    default void save(Path file) throws IOException {
        org.bgtai.tensor.io.AtomicFiles.writeString(file, Json.writePretty(toJson()));
    }

    /** Reads a tokenizer saved by {@link #save}; the error names the file when it is missing or not a tokenizer. */
    static Tokenizer load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "tokenizer file not found");
        try {
            return fromJson(Json.read(file));
        } catch (RuntimeException e) {
            throw new IOException("tokenizer file " + file + " is not valid: " + e.getMessage(), e);
        }
    }

    /** Rebuilds a tokenizer from {@link #toJson()}. */
    @SuppressWarnings("unchecked")
    static Tokenizer fromJson(Object json) {
        if (!(json instanceof Map<?, ?> m) || !(m.get("type") instanceof String type))
            throw new IllegalArgumentException("expected a JSON object with a \"type\" field (\"word\" or \"bpe\")");
        return switch (type) {
            case "word" -> WordTokenizer.fromJson((Map<String, Object>) m);
            case "bpe" -> BpeTokenizer.fromJson((Map<String, Object>) m);
            default -> throw new IllegalArgumentException("unknown tokenizer type \"" + type + "\" (expected \"word\" or \"bpe\")");
        };
    }

    /** Splits on runs of whitespace; an empty or blank line gives no words. */
    static String[] words(String text) {
        String s = text.strip();
        return s.isEmpty() ? new String[0] : s.split("\\s+");
    }
}
