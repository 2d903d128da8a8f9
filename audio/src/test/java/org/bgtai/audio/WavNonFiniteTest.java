package org.bgtai.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.bgtai.audio.WavReader.NonFinite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A float WAV with NaN or infinite samples is refused with the file and sample index, or repaired with 0 when asked. */
class WavNonFiniteTest {
    @TempDir Path dir;

    static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (i % 100) / 200f - 0.25f;
        return x;
    }

    @Test
    void nanInAMonoFloatFileIsRefusedWithItsIndex() throws IOException {
        float[] x = ramp(100_000);   // longer than one read buffer, so the index counts earlier blocks
        x[70_123] = Float.NaN;
        Path f = dir.resolve("nan.wav");
        WavWriter.write(f, Audio.mono(8000, x), WavEncoding.FLOAT32);
        WavFormatException e = assertThrows(WavFormatException.class, () -> WavReader.read(f));
        assertEquals(f.toString(), e.file());
        assertTrue(e.getMessage().startsWith(f + ": sample 70123 is NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("--repair-nonfinite"), "the message names the fix: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void infinityInAStereoDoubleFileNamesFrameAndChannel() throws IOException {
        float[] l = ramp(5000), r = ramp(5000);
        r[4321] = Float.NEGATIVE_INFINITY;
        Path f = dir.resolve("inf.wav");
        WavWriter.write(f, new Audio(16000, new float[][] {l, r}), WavEncoding.FLOAT64);
        WavFormatException e = assertThrows(WavFormatException.class, () -> WavReader.read(f));
        assertTrue(e.getMessage().contains("sample " + (4321 * 2 + 1) + " (frame 4321, channel 1) is -Infinity"), e.getMessage());
    }

    @Test
    void repairReplacesThemWithZeroAndCountsThem() throws IOException {
        float[] x = ramp(100_000);
        x[7] = Float.NaN;
        x[70_123] = Float.POSITIVE_INFINITY;
        x[99_999] = Float.NaN;
        Path f = dir.resolve("nan.wav");
        WavWriter.write(f, Audio.mono(8000, x), WavEncoding.FLOAT32);
        try (WavReader r = WavReader.open(f, NonFinite.ZERO)) {
            float[] got = r.readAll().mono();
            assertEquals(3, r.replacedSamples());
            assertEquals(0f, got[7]);
            assertEquals(0f, got[70_123]);
            assertEquals(0f, got[99_999]);
            assertEquals(x[8], got[8]);
            assertEquals(x[70_122], got[70_122]);
        }
    }

    @Test
    void streamsAndStereoAreCheckedToo() throws IOException {
        float[] l = ramp(3000), r = ramp(3000);
        l[2000] = Float.NaN;
        byte[] b = WavWriter.toBytes(new Audio(8000, new float[][] {l, r}), WavEncoding.FLOAT32);
        WavFormatException e = assertThrows(WavFormatException.class, () -> {
            try (WavReader w = WavReader.open(new ByteArrayInputStream(b), "stream.wav")) {
                w.readAll();
            }
        });
        assertTrue(e.getMessage().startsWith("stream.wav: sample 4000 (frame 2000, channel 0) is NaN"), e.getMessage());
        try (WavReader w = WavReader.open(new ByteArrayInputStream(b), "stream.wav", NonFinite.ZERO)) {
            Audio a = w.readAll();
            assertEquals(1, w.replacedSamples());
            assertEquals(0f, a.channels()[0][2000]);
            assertEquals(r[2000], a.channels()[1][2000]);
        }
    }

    @Test
    void finiteFilesReadAsBeforeWithNothingReplaced() throws IOException {
        float[] x = ramp(1000);
        Path f = dir.resolve("ok.wav");
        WavWriter.write(f, Audio.mono(8000, x), WavEncoding.FLOAT32);
        try (WavReader r = WavReader.open(f, NonFinite.ZERO)) {
            assertArrayEquals(x, r.readAll().mono());
            assertEquals(0, r.replacedSamples());
        }
        assertArrayEquals(x, WavReader.read(f).mono());
    }
}
