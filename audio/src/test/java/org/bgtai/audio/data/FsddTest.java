package org.bgtai.audio.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.bgtai.audio.Audio;
import org.bgtai.audio.LogMel;
import org.bgtai.audio.Spectrogram;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsddTest {
    @Test
    void officialSplitCounts() throws IOException {
        Fsdd fsdd = Fsdd.open(Shared.require("data/fsdd"));
        assertEquals(3000, fsdd.clips().size());
        assertEquals(300, fsdd.clips(Fsdd.Split.TEST).size());
        assertEquals(2700, fsdd.clips(Fsdd.Split.TRAIN).size());
        assertEquals(10, fsdd.clips().stream().map(Fsdd.Clip::digit).distinct().count());
        assertEquals(6, fsdd.speakers().size());
        assertEquals(Set.of("george", "jackson", "lucas", "nicolas", "theo", "yweweler"), new TreeSet<>(fsdd.speakers()));
        assertTrue(fsdd.badNames().isEmpty());
        assertTrue(fsdd.clips(Fsdd.Split.TEST).stream().allMatch(c -> c.take() <= 4));
    }

    @Test
    void testSplitWaveformsAndFeatures() throws IOException {
        Fsdd fsdd = Fsdd.open(Shared.require("data/fsdd/recordings"));
        LoadResult<Audio> test = fsdd.waveforms(Fsdd.Split.TEST, true);
        assertEquals(300, test.items().size());
        assertTrue(test.report().clean());
        // 5 takes x 6 speakers per digit
        var perDigit = test.items().stream().collect(Collectors.groupingBy(Labeled::labelIndex, Collectors.counting()));
        assertEquals(10, perDigit.size());
        perDigit.values().forEach(c -> assertEquals(30L, c));
        Labeled<Audio> first = test.items().get(0);
        assertEquals("0_george_0.wav", first.file().getFileName().toString());
        assertEquals(0, first.labelIndex());
        assertEquals("george", first.group());
        assertEquals(8000, first.value().sampleRate());

        LogMel lm = LogMel.of(16000, 512, 160, 64);
        LoadResult<Spectrogram> feats = fsdd.load(Fsdd.Split.TEST, lm::apply, true);
        Spectrogram f = feats.items().get(0).value();
        assertEquals(64, f.bins());
        // 8 kHz clip resampled to 16 kHz: 2 n samples, 1 + 2n / 160 frames
        assertEquals(1 + 2 * first.value().frames() / 160, f.frames());
    }

    @Test
    void badFilesAreReportedOrThrown(@TempDir Path dir) throws IOException {
        Path rec = Files.createDirectories(dir.resolve("recordings"));
        Files.copy(Shared.require("data/fsdd/recordings/3_theo_7.wav"), rec.resolve("3_theo_7.wav"));
        Files.write(rec.resolve("4_theo_2.wav"), "this text file is not a wav file".getBytes());
        Files.write(rec.resolve("notes.wav"), new byte[0]);
        Fsdd fsdd = Fsdd.open(dir);
        assertEquals(1, fsdd.badNames().size());
        assertEquals(1, fsdd.waveforms(Fsdd.Split.TRAIN, false).items().size());
        LoadResult<Audio> test = fsdd.waveforms(Fsdd.Split.TEST, false);
        assertEquals(0, test.items().size());
        assertEquals(1, test.report().skipped().size());
        assertTrue(test.report().skipped().get(0).reason().contains("not a WAV file"));
        assertThrows(org.bgtai.audio.WavFormatException.class, () -> fsdd.waveforms(Fsdd.Split.TEST, true));
    }
}
