package org.bgtai.audio;

import static org.bgtai.audio.WavBytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class WavReaderTest {
    @TempDir Path dir;

    private Audio readBytes(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return WavReader.read(f);
    }

    @Test
    void pcm16Mono() throws IOException {
        Audio a = readBytes("a.wav", riff(fmt(1, 1, 8000, 16), data(s16(0, 1, -1, 32767, -32768, 16384))));
        assertEquals(8000, a.sampleRate());
        assertArrayEquals(new float[] {0, 1 / 32768f, -1 / 32768f, 32767 / 32768f, -1f, 0.5f}, a.channel(0));
    }

    @Test
    void pcm8Unsigned() throws IOException {
        Audio a = readBytes("a.wav", riff(fmt(1, 1, 11025, 8), data(u8(0, 128, 255, 64, 192))));
        assertEquals(11025, a.sampleRate());
        // odd data size (5 bytes) is followed by a pad byte
        assertArrayEquals(new float[] {-1f, 0f, 127 / 128f, -0.5f, 0.5f}, a.channel(0));
    }

    @Test
    void pcm24Stereo() throws IOException {
        Audio a = readBytes("a.wav", riff(fmt(1, 2, 96000, 24), data(s24(8388607, -8388608, 1, -1, 0x123456, -0x123456))));
        assertEquals(2, a.channelCount());
        assertEquals(3, a.frames());
        assertArrayEquals(new float[] {8388607 / 8388608f, 1 / 8388608f, 0x123456 / 8388608f}, a.channel(0));
        assertArrayEquals(new float[] {-1f, -1 / 8388608f, -0x123456 / 8388608f}, a.channel(1));
    }

    @Test
    void pcm32ThreeChannels() throws IOException {
        Audio a = readBytes("a.wav", riff(fmt(1, 3, 48000, 32), data(s32(Integer.MIN_VALUE, 1 << 30, -(1 << 29), 0, 7, Integer.MAX_VALUE))));
        assertEquals(3, a.channelCount());
        assertArrayEquals(new float[] {-1f, 0f}, a.channel(0));
        assertArrayEquals(new float[] {0.5f, 7 / 2147483648f}, a.channel(1));
        assertArrayEquals(new float[] {-0.25f, 1f}, a.channel(2)); // 2^31-1 rounds to 1.0f in float
    }

    @Test
    void float32AndFloat64KeepValuesOutsideUnitRange() throws IOException {
        Audio a = readBytes("f.wav", riff(fmt(3, 1, 22050, 32), data(f32(0.25f, -1.5f, 1e-7f))));
        assertArrayEquals(new float[] {0.25f, -1.5f, 1e-7f}, a.channel(0));
        Audio b = readBytes("d.wav", riff(fmt(3, 2, 22050, 64), data(f64(0.125, -0.75, 2.0, 1.0 / 3))));
        assertArrayEquals(new float[] {0.125f, 2f}, b.channel(0));
        assertArrayEquals(new float[] {-0.75f, (float) (1.0 / 3)}, b.channel(1));
    }

    @Test
    void extensiblePcmAndFloat() throws IOException {
        Audio a = readBytes("e.wav", riff(fmtExtensible(1, 2, 44100, 24, 20), data(s24(4194304, -4194304))));
        assertArrayEquals(new float[] {0.5f}, a.channel(0));
        assertArrayEquals(new float[] {-0.5f}, a.channel(1));
        Path f = dir.resolve("ef.wav");
        Files.write(f, riff(fmtExtensible(3, 1, 44100, 32, 32), data(f32(0.1f, -0.2f))));
        try (WavReader r = WavReader.open(f)) {
            assertTrue(r.info().extensible());
            assertEquals(WavEncoding.FLOAT32, r.info().encoding());
            assertArrayEquals(new float[] {0.1f, -0.2f}, r.readAll().channel(0));
        }
    }

    @Test
    void unknownChunksWithOddSizesAreSkipped() throws IOException {
        byte[] bytes = riff(chunk("JUNK", u8(1, 2, 3)), fmt(1, 1, 16000, 16), chunk("LIST", ascii("INFOISFTabcde")),
            chunk("fact", le(2, 4)), data(s16(100, -100)), chunk("id3 ", u8(9)));
        Audio a = readBytes("c.wav", bytes);
        assertEquals(16000, a.sampleRate());
        assertArrayEquals(new float[] {100 / 32768f, -100 / 32768f}, a.channel(0));
    }

    @Test
    void trailingPartialFrameIsIgnored() throws IOException {
        // stereo 16-bit: 6 bytes = one frame + half a frame
        Audio a = readBytes("p.wav", riff(fmt(1, 2, 8000, 16), data(s16(1, 2, 3))));
        assertEquals(1, a.frames());
    }

    @Test
    void streamingReadsInBlocksMatchWholeRead() throws IOException {
        int frames = 100_003;
        int[] v = new int[frames * 2];
        for (int i = 0; i < v.length; i++) v[i] = (i * 7919) % 65536 - 32768;
        Path f = dir.resolve("long.wav");
        Files.write(f, riff(fmt(1, 2, 8000, 16), data(s16(v))));
        try (WavReader r = WavReader.open(f)) {
            assertEquals(frames, r.info().frames());
            float[] block = new float[2 * 997];
            int t = 0;
            for (int n; (n = r.read(block, 997)) > 0; ) {
                for (int i = 0; i < n * 2; i++) assertEquals(v[t * 2 + i] / 32768f, block[i]);
                t += n;
            }
            assertEquals(frames, t);
            assertEquals(0, r.framesRemaining());
        }
        Audio all = WavReader.read(f);
        assertEquals(v[2 * 5000 + 1] / 32768f, all.channel(1)[5000]);
    }

    @Test
    void readsFromAStreamOfUnknownLength() throws IOException {
        byte[] bytes = riff(fmt(1, 1, 8000, 16), data(s16(5, 6, 7)));
        try (WavReader r = WavReader.open(new ByteArrayInputStream(bytes), "mem")) {
            assertArrayEquals(new float[] {5 / 32768f, 6 / 32768f, 7 / 32768f}, r.readAll().channel(0));
        }
        byte[] truncated = java.util.Arrays.copyOf(riff(fmt(1, 1, 8000, 16), chunk("data", 1000, s16(1, 2), false)), 52);
        WavFormatException e = assertThrows(WavFormatException.class, () -> {
            try (WavReader r = WavReader.open(new ByteArrayInputStream(truncated), "mem.wav")) {
                r.readAll();
            }
        });
        assertTrue(e.getMessage().contains("mem.wav") && e.getMessage().contains("truncated"), e.getMessage());
        // a huge declared size on a stream of unknown length: a truncation error, not a 4 GB allocation
        byte[] huge = riff(fmt(1, 1, 8000, 16), chunk("data", 0x7FFFFFF0L, s16(1, 2, 3), false));
        WavFormatException h = assertThrows(WavFormatException.class, () -> {
            try (WavReader r = WavReader.open(new ByteArrayInputStream(huge), "huge.wav")) {
                r.readAll();
            }
        });
        assertTrue(h.getMessage().contains("huge.wav") && h.getMessage().contains("truncated"), h.getMessage());
    }

    @Test
    void fsddFileHasExpectedHeader() throws IOException {
        Path f = org.bgtai.tensor.testing.Shared.require("data/fsdd/recordings/0_george_0.wav");
        WavInfo info = WavReader.probe(f);
        assertEquals(8000, info.sampleRate());
        assertEquals(1, info.channels());
        assertEquals(WavEncoding.PCM_S16, info.encoding());
        assertEquals((Files.size(f) - 44) / 2, info.frames());
    }
}
