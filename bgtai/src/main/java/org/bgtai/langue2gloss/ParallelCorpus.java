package org.bgtai.langue2gloss;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One split of a text-to-gloss corpus: {@code spoken_<split>.txt} (one sentence a line) and
 * {@code glosses_<split>.txt} (its glosses, same line), as in {@code phoenix14t-text2gloss/}.
 * Loading checks that both files exist, are UTF-8 text, have the same number of lines, and have
 * no empty lines; each problem is reported with the file name and line number.
 */
public record ParallelCorpus(String split, List<String> source, List<String> target, Path sourceFile, Path targetFile) {
    public ParallelCorpus {
        if (source.size() != target.size())
            throw new IllegalArgumentException(sourceFile + " has " + source.size() + " lines but " + targetFile + " has " + target.size()
                + "; the files must be line-aligned (one sentence and its glosses per line)");
    }

    /** Loads {@code dir/spoken_<split>.txt} and {@code dir/glosses_<split>.txt}. */
    public static ParallelCorpus load(Path dir, String split) throws IOException {
        Path src = dir.resolve("spoken_" + split + ".txt"), tgt = dir.resolve("glosses_" + split + ".txt");
        return new ParallelCorpus(split, readLines(src), readLines(tgt), src, tgt);
    }

    public int size() {
        return source.size();
    }

    /** The first {@code n} pairs (for quick tests). */
    public ParallelCorpus head(int n) {
        int m = Math.min(n, size());
        return new ParallelCorpus(split, source.subList(0, m), target.subList(0, m), sourceFile, targetFile);
    }

    /**
     * Reads a UTF-8 text file, one non-empty line per entry (trailing newline optional).
     * @throws NoSuchFileException naming the file when it is missing
     * @throws IOException naming file and line for invalid UTF-8, control characters or an empty line
     */
    public static List<String> readLines(Path file) throws IOException {
        if (!Files.isRegularFile(file))
            throw new NoSuchFileException(file.toString(), null, "data file not found; expected spoken_<split>.txt and glosses_<split>.txt in "
                + file.getParent() + " (use --data DIR)");
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not valid UTF-8 text (" + e.getMessage() + ")", e);
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
        if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
        List<String> lines = new ArrayList<>();
        if (text.isEmpty()) throw new IOException(file + " is empty; it must hold one sentence per line");
        String[] parts = text.split("\r?\n", -1);
        for (int i = 0; i < parts.length; i++) {
            String l = parts[i];
            if (l.isBlank()) throw new IOException(file + ":" + (i + 1) + ": empty line; every line must hold a sentence (remove the line from both files)");
            for (int c = 0; c < l.length(); c++) {
                char ch = l.charAt(c);
                if ((Character.isISOControl(ch) && ch != '\t') || ch == '\uFFFD')
                    throw new IOException(file + ":" + (i + 1) + ":" + (c + 1) + ": character U+" + String.format("%04X", (int) ch)
                        + " is not text; clean the file (is it really UTF-8 plain text?)");
            }
            lines.add(l.strip());
        }
        return lines;
    }
}
