package org.bgtai.audio;

import static org.bgtai.audio.WavBytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of broken files, each of which must give a {@link WavFormatException} naming the file
 * and the problem quickly (no OOM, no hang, no garbage).
 */
@Timeout(20)
class WavBrokenFilesTest {
    @TempDir Path dir;

    /** file name -> (bytes, a word the message must contain). */
    static Map<String, Object[]> corpus() {
        byte[] good = riff(fmt(1, 1, 8000, 16), data(s16(1, 2, 3, 4)));
        Map<String, Object[]> m = new LinkedHashMap<>();
        m.put("empty.wav", new Object[] {new byte[0], "0 bytes"});
        m.put("short_header.wav", new Object[] {Arrays.copyOf(good, 7), "7 bytes"});
        m.put("truncated_in_fmt.wav", new Object[] {Arrays.copyOf(good, 30), "truncated"});
        m.put("truncated_data.wav", new Object[] {Arrays.copyOf(good, good.length - 3), "only 5 bytes"});
        m.put("data_longer_than_file.wav", new Object[] {riff(fmt(1, 1, 8000, 16), chunk("data", 100_000, s16(1, 2), false)), "declares 100000"});
        m.put("huge_data_size.wav", new Object[] {riff(fmt(1, 2, 8000, 16), chunk("data", 0xFFFFFFF0L, s16(1, 2), false)), "4294967280"});
        m.put("huge_chunk_size.wav", new Object[] {riff(chunk("LIST", 0xFFFFFFFFL, u8(1, 2), false), fmt(1, 1, 8000, 16), data(s16(1))), "LIST"});
        m.put("zero_channels.wav", new Object[] {riff(fmt(1, 0, 8000, 16, 0), data(s16(1))), "0 channels"});
        m.put("zero_rate.wav", new Object[] {riff(fmt(1, 1, 0, 16), data(s16(1))), "sample rate 0"});
        m.put("adpcm.wav", new Object[] {riff(fmt(2, 1, 8000, 4, 256), data(u8(1, 2, 3, 4))), "ADPCM"});
        m.put("mp3_in_wav.wav", new Object[] {riff(fmt(0x55, 2, 44100, 0, 1), data(u8(0xFF, 0xFB, 0x90, 0x64))), "MP3"});
        m.put("alaw.wav", new Object[] {riff(fmt(6, 1, 8000, 8), data(u8(1, 2))), "A-law"});
        m.put("extensible_adpcm.wav", new Object[] {riff(fmtExtensible(0x11, 1, 8000, 16, 16), data(s16(1))), "IMA ADPCM"});
        m.put("pcm12.wav", new Object[] {riff(fmt(1, 1, 8000, 12, 2), data(s16(1))), "12-bit"});
        m.put("float16.wav", new Object[] {riff(fmt(3, 1, 8000, 16), data(s16(1))), "16-bit float"});
        m.put("bad_block_align.wav", new Object[] {riff(fmt(1, 2, 8000, 16, 3), data(s16(1, 2))), "block align"});
        m.put("no_fmt.wav", new Object[] {riff(data(s16(1, 2))), "before the 'fmt '"});
        m.put("no_data.wav", new Object[] {riff(fmt(1, 1, 8000, 16), chunk("LIST", u8(1, 2))), "no 'data' chunk"});
        m.put("short_fmt.wav", new Object[] {riff(chunk("fmt ", u8(1, 0, 1, 0)), data(s16(1))), "at least 16"});
        m.put("text.wav", new Object[] {"hello, this is not audio at all\n".getBytes(), "not a WAV file"});
        m.put("mp3_file.wav", new Object[] {cat(ascii("ID3"), u8(3, 0, 0, 0, 0, 0, 0x21), new byte[64]), "MP3"});
        m.put("not_wave_form.wav", new Object[] {cat(ascii("RIFF"), le(4, 4), ascii("AVI "), new byte[16]), "'AVI '"});
        m.put("big_endian.wav", new Object[] {cat(ascii("RIFX"), le(4, 4), ascii("WAVE"), new byte[16]), "RIFX"});
        return m;
    }

    @Test
    void everyBrokenFileGivesAClearError() throws IOException {
        for (var e : corpus().entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.write(f, (byte[]) e.getValue()[0]);
            String must = (String) e.getValue()[1];
            WavFormatException ex = assertThrows(WavFormatException.class, () -> WavReader.read(f), e.getKey());
            assertTrue(ex.getMessage().contains(f.toString()), "message names the file: " + ex.getMessage());
            assertTrue(ex.getMessage().contains(must), e.getKey() + ": expected '" + must + "' in: " + ex.getMessage());
            assertEquals(f.toString(), ex.file());
        }
    }

    @Test
    void goodFileInTheSameCorpusStillReads() throws IOException {
        Path f = dir.resolve("good.wav");
        Files.write(f, riff(fmt(1, 1, 8000, 16), data(s16(1, 2, 3, 4))));
        assertEquals(4, WavReader.read(f).frames());
    }

    @Test
    void directoryAndMissingFileAreIoErrors() {
        assertThrows(WavFormatException.class, () -> WavReader.read(dir));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> WavReader.read(dir.resolve("missing.wav")));
    }
}
