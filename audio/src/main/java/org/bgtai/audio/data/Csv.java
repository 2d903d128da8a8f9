package org.bgtai.audio.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 CSV reader: comma separated, double-quoted fields with "" escapes, first row is
 * the header. Public so that the other loaders of labelled files (paired captions, probes) read
 * CSVs the same way.
 */
public record Csv(Path file, List<String> header, List<List<String>> rows) {
    /** Reads {@code file} (UTF-8, a leading BOM is dropped); an empty file is an error. */
    public static Csv read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<List<String>> all = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false, any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                if (any || cell.length() > 0) {
                    row.add(cell.toString());
                    all.add(row);
                }
                row = new ArrayList<>();
                cell.setLength(0);
                any = false;
            } else {
                cell.append(c);
                any = true;
            }
        }
        if (quoted) throw new IOException(file + ": unterminated quoted field at the end of the CSV");
        if (any || cell.length() > 0) {
            row.add(cell.toString());
            all.add(row);
        }
        if (all.isEmpty()) throw new IOException(file + ": empty CSV, expected a header row");
        return new Csv(file, all.get(0).stream().map(String::trim).toList(), all.subList(1, all.size()));
    }

    /** Index of a header column, or an IOException listing the columns there are. */
    public int column(String name) throws IOException {
        int i = header.indexOf(name);
        if (i < 0) throw new IOException(file + ": no column '" + name + "'; columns are " + header);
        return i;
    }

    /** Index of the first of {@code names} that is a header column (case-insensitive), or -1. */
    public int optionalColumn(String... names) {
        for (String n : names)
            for (int i = 0; i < header.size(); i++)
                if (header.get(i).equalsIgnoreCase(n)) return i;
        return -1;
    }
}
