package org.bgtai.langue2gloss;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelCorpusTest {
    @TempDir
    Path dir;

    void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    @Test
    void loadsAlignedFilesWithOrWithoutFinalNewline() throws IOException {
        write("spoken_train.txt", "am tag regen\nim norden sonne");
        write("glosses_train.txt", "TAG REGEN\nNORD SONNE\n");
        ParallelCorpus c = ParallelCorpus.load(dir, "train");
        assertEquals(2, c.size());
        assertEquals("im norden sonne", c.source().get(1));
        assertEquals("NORD SONNE", c.target().get(1));
    }

    @Test
    void missingFileNamesIt() throws IOException {
        write("spoken_dev.txt", "a\n");
        var e = assertThrows(NoSuchFileException.class, () -> ParallelCorpus.load(dir, "dev"));
        assertTrue(e.getMessage().contains("glosses_dev.txt"), e.getMessage());
    }

    @Test
    void lineCountMismatchNamesBothFiles() throws IOException {
        write("spoken_train.txt", "a\nb\nc\n");
        write("glosses_train.txt", "A\nB\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ParallelCorpus.load(dir, "train"));
        assertTrue(e.getMessage().contains("spoken_train.txt has 3 lines") && e.getMessage().contains("glosses_train.txt has 2"), e.getMessage());
    }

    @Test
    void emptyLineNamesFileAndLine() throws IOException {
        write("spoken_train.txt", "a\n\nc\n");
        write("glosses_train.txt", "A\nB\nC\n");
        var e = assertThrows(IOException.class, () -> ParallelCorpus.load(dir, "train"));
        assertTrue(e.getMessage().contains("spoken_train.txt:2") && e.getMessage().contains("empty line"), e.getMessage());
    }

    @Test
    void controlCharactersAndBadUtf8AreRejected() throws IOException {
        write("spoken_train.txt", "a\nb\u0007c\n");
        write("glosses_train.txt", "A\nB\n");
        var e = assertThrows(IOException.class, () -> ParallelCorpus.load(dir, "train"));
        assertTrue(e.getMessage().contains("spoken_train.txt:2:2") && e.getMessage().contains("U+0007"), e.getMessage());
        Files.write(dir.resolve("spoken_train.txt"), new byte[] {'a', '\n', (byte) 0xC3, '\n'});
        e = assertThrows(IOException.class, () -> ParallelCorpus.load(dir, "train"));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        write("spoken_train.txt", "");
        e = assertThrows(IOException.class, () -> ParallelCorpus.load(dir, "train"));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
