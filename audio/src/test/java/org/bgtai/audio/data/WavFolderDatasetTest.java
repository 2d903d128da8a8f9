package org.bgtai.audio.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bgtai.audio.Audio;
import org.bgtai.audio.WavEncoding;
import org.bgtai.audio.WavFormatException;
import org.bgtai.audio.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFolderDatasetTest {
    @TempDir Path root;

    private void wav(Path p, int frames) throws IOException {
        Files.createDirectories(p.getParent());
        WavWriter.write(p, Audio.mono(16000, new float[frames]), WavEncoding.PCM_S16);
    }

    @Test
    void esc50LayoutWithBadAndMissingFiles() throws IOException {
        Path audio = root.resolve("audio");
        wav(audio.resolve("1-100-A-0.wav"), 10);
        wav(audio.resolve("1-200-A-1.wav"), 20);
        wav(audio.resolve("2-300-B-0.wav"), 30);
        Files.write(audio.resolve("2-400-B-1.wav"), new byte[] {'R', 'I', 'F', 'F', 0, 0}); // truncated
        Files.createDirectories(root.resolve("meta"));
        Files.writeString(root.resolve("meta/esc50.csv"), """
            filename,fold,target,category,esc10,src_file,take
            1-100-A-0.wav,1,0,dog,True,100,A
            1-200-A-1.wav,1,1,"rooster, loud",False,200,A
            2-300-B-0.wav,2,0,dog,True,300,B
            2-400-B-1.wav,2,1,"rooster, loud",False,400,B
            2-500-C-1.wav,2,1,"rooster, loud",False,500,C
            """);
        WavFolderDataset ds = WavFolderDataset.open(CsvLabels.esc50(root));
        assertEquals(List.of("dog", "rooster, loud"), ds.labels());
        assertEquals(5, ds.size());
        LoadResult<Audio> all = ds.waveforms(false);
        assertEquals(3, all.items().size());
        assertEquals(2, all.report().skipped().size());
        assertEquals(3, all.report().loaded());
        assertTrue(all.report().skipped().get(0).reason().contains("2-400-B-1.wav"), all.report().toString());
        assertTrue(all.report().skipped().get(0).reason().contains("12-byte RIFF header"), all.report().toString());
        assertTrue(all.report().skipped().get(1).reason().contains("not found"), all.report().toString());
        Labeled<Audio> second = all.items().get(1);
        assertEquals("rooster, loud", second.label());
        assertEquals(1, second.labelIndex());
        assertEquals("1", second.group());
        assertEquals(20, second.value().frames());

        assertEquals(2, ds.whereGroup("1"::equals).waveforms(true).items().size());
        WavFormatException e = assertThrows(WavFormatException.class, () -> ds.waveforms(true));
        assertTrue(e.getMessage().contains("2-400-B-1.wav"));
    }

    @Test
    void urbanSound8kLayoutFindsFilesInFoldFolders() throws IOException {
        wav(root.resolve("audio/fold1/a.wav"), 5);
        wav(root.resolve("audio/fold2/b.wav"), 6);
        Files.createDirectories(root.resolve("metadata"));
        Files.writeString(root.resolve("metadata/UrbanSound8K.csv"),
            "slice_file_name,fsID,start,end,salience,fold,classID,class\r\na.wav,1,0,1,1,1,3,dog_bark\r\nb.wav,2,0,1,1,2,5,siren\r\n");
        LoadResult<Audio> r = WavFolderDataset.open(CsvLabels.urbanSound8k(root)).waveforms(true);
        assertEquals(2, r.items().size());
        assertEquals("siren", r.items().get(1).label());
        assertEquals("2", r.items().get(1).group());
    }

    @Test
    void missingColumnNamesTheColumns() throws IOException {
        Files.createDirectories(root.resolve("wavs"));
        Files.writeString(root.resolve("labels.csv"), "file,label\nx.wav,cat\n");
        IOException e = assertThrows(IOException.class,
            () -> WavFolderDataset.open(new CsvLabels(root.resolve("labels.csv"), root.resolve("wavs"), "filename", "label", null)));
        assertTrue(e.getMessage().contains("no column 'filename'") && e.getMessage().contains("[file, label]"), e.getMessage());
    }
}
