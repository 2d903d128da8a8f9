package org.bgtai.text;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordTokenizerTest {
    final List<String> lines = List.of("Regen im Norden", "regen   im Süden", "Sonne");

    @Test
    void specialsCountsAndOrder() {
        WordTokenizer t = WordTokenizer.train(lines, 1, true);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>"), List.of(t.token(0), t.token(1), t.token(2), t.token(3)));
        // counts: im 2, regen 2, norden 1, sonne 1, süden 1 -> by count desc, then alphabetical
        assertEquals(List.of("im", "regen", "norden", "sonne", "süden"), List.of(t.token(4), t.token(5), t.token(6), t.token(7), t.token(8)));
        assertEquals(9, t.size());
        assertEquals(2, t.count(5));
        assertEquals(0, t.count(Tokenizer.UNK));
    }

    @Test
    void minCountDropsRareWordsToUnk() {
        WordTokenizer t = WordTokenizer.train(lines, 2, true);
        assertEquals(6, t.size());
        assertArrayEquals(new int[] {5, 4, Tokenizer.UNK}, t.encode("REGEN im Norden"));
    }

    @Test
    void caseKeptWhenNotLowercasing() {
        WordTokenizer t = WordTokenizer.train(List.of("REGEN NORD", "regen"), 1, false);
        assertNotEquals(t.id("REGEN"), t.id("regen"));
        assertEquals(Tokenizer.UNK, t.id("Regen"));
    }

    @Test
    void decodeSkipsSpecialsAndStopsAtEos() {
        WordTokenizer t = WordTokenizer.train(lines, 1, true);
        assertEquals("regen im", t.decode(new int[] {Tokenizer.BOS, 5, Tokenizer.PAD, 4, Tokenizer.EOS, 6}));
        assertEquals("", t.decode(new int[0]));
        assertArrayEquals(new int[0], t.encode("   "));
    }

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) throws Exception {
        WordTokenizer t = WordTokenizer.train(lines, 1, true);
        Path f = dir.resolve("v.json");
        t.save(f);
        Tokenizer back = Tokenizer.load(f);
        assertInstanceOf(WordTokenizer.class, back);
        assertEquals(t.toJson(), back.toJson());
        assertArrayEquals(t.encode("sonne im norden xyz"), back.encode("sonne im norden xyz"));
    }

    @Test
    void badFilesNameTheProblem(@TempDir Path dir) throws Exception {
        var missing = assertThrows(java.nio.file.NoSuchFileException.class, () -> Tokenizer.load(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("nope.json"));
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"type\": \"word\", \"tokens\": [\"a\"], \"counts\": [1]}");
        var e = assertThrows(java.io.IOException.class, () -> Tokenizer.load(f));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("<pad>"), e.getMessage());
        Files.writeString(f, "{\"type\": \"chars\"}");
        e = assertThrows(java.io.IOException.class, () -> Tokenizer.load(f));
        assertTrue(e.getMessage().contains("chars"), e.getMessage());
    }
}
