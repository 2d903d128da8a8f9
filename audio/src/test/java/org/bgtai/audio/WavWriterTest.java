package org.bgtai.audio;

import static org.bgtai.audio.WavBytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {
    @TempDir Path dir;

    @org.junit.jupiter.api.Test
    void pcm16BytesMatchHandBuiltFile() {
        float[] x = {0f, 0.5f, -1f, 1f, 1 / 32768f};
        byte[] written = WavWriter.toBytes(Audio.mono(16000, x), WavEncoding.PCM_S16);
        // +1.0 clips to 32767
        byte[] expected = riff(fmt(1, 1, 16000, 16), data(s16(0, 16384, -32768, 32767, 1)));
        assertArrayEquals(expected, written);
    }

    @org.junit.jupiter.api.Test
    void floatHeaderHasFactChunk() {
        byte[] written = WavWriter.toBytes(new Audio(8000, new float[][] {{0.25f}, {-3f}}), WavEncoding.FLOAT32);
        byte[] expected = riff(chunk("fmt ", cat(le(3, 2), le(2, 2), le(8000, 4), le(64000, 4), le(8, 2), le(32, 2), le(0, 2))),
            chunk("fact", le(1, 4)), data(f32(0.25f, -3f)));
        assertArrayEquals(expected, written);
    }

    @org.junit.jupiter.api.Test
    void fileRoundTrip() throws IOException {
        Path f = dir.resolve("rt.wav");
        float[] x = {0.1f, -0.2f, 0.3f};
        WavWriter.write(f, Audio.mono(22050, x), WavEncoding.FLOAT32);
        Audio a = WavReader.read(f);
        assertEquals(22050, a.sampleRate());
        assertArrayEquals(x, a.channel(0));
    }

    /** Values on the integer grid k / 2^(bits-1) survive exactly; floats survive exactly. */
    @Property(tries = 60)
    void roundTripEveryEncoding(@ForAll WavEncoding enc, @ForAll @IntRange(min = 1, max = 5) int channels,
                                @ForAll @IntRange(min = 0, max = 301) int frames, @ForAll long seed) throws IOException {
        Random r = new Random(seed);
        float[][] x = new float[channels][frames];
        double full = Math.scalb(1.0, Math.min(enc.bits(), 24) - 1); // float holds 24 bits exactly
        for (float[] ch : x) {
            for (int t = 0; t < frames; t++) {
                ch[t] = enc.formatTag() == 3 ? (float) r.nextGaussian() : (float) (Math.floor((r.nextDouble() * 2 - 1) * full) / full);
            }
        }
        Audio in = new Audio(12345, x);
        byte[] bytes = WavWriter.toBytes(in, enc);
        try (WavReader rd = WavReader.open(new ByteArrayInputStream(bytes), "rt")) {
            assertEquals(enc, rd.info().encoding());
            Audio out = rd.readAll();
            assertTrue(in.sameSamples(out), "round trip differs for " + enc);
        }
    }

    @org.junit.jupiter.api.Test
    void integerEncodingsClipAndRound() {
        assertEquals(32767, WavWriter.quantize(2f, 16));
        assertEquals(-32768, WavWriter.quantize(-2f, 16));
        assertEquals(1, WavWriter.quantize(1.4f / 32768, 16));
        assertEquals(0, WavWriter.quantize(Float.NaN, 16));
        assertEquals(127, WavWriter.quantize(1f, 8));
        assertEquals(Integer.MAX_VALUE, WavWriter.quantize(1f, 32));
    }

    @org.junit.jupiter.api.Test
    void writesToFileAndOddPcm8IsPadded() throws IOException {
        Path f = dir.resolve("u8.wav");
        WavWriter.write(f, Audio.mono(8000, new float[] {0f, 0.5f, -0.5f}), WavEncoding.PCM_U8);
        assertArrayEquals(riff(fmt(1, 1, 8000, 8), data(u8(128, 192, 64))), Files.readAllBytes(f));
    }
}
