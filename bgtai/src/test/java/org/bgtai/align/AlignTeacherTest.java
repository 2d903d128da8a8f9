package org.bgtai.align;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.bgtai.data.DigitString;
import org.bgtai.data.Image;
import org.bgtai.model.Prepared;
import org.junit.jupiter.api.Test;

/** The DTW teacher on the encoder grid, and digit strings as joint samples, on hand-made inputs. */
class AlignTeacherTest {
    static final int MELS = 2;

    /** A prepared sample whose log-mel frames are {@code frame(t)} and whose gloss is {@code gloss}. */
    static Prepared sample(float[][] frames, int... gloss) {
        float[] mel = new float[frames.length * MELS];
        for (int t = 0; t < frames.length; t++) System.arraycopy(frames[t], 0, mel, t * MELS, MELS);
        int[] g = java.util.Arrays.copyOf(gloss, 5);
        return new Prepared(mel, frames.length, new float[1], new int[5], g, 0);
    }

    static float[][] constant(int n, float a, float b) {
        float[][] f = new float[n][];
        for (int i = 0; i < n; i++) f[i] = new float[] {a, b};
        return f;
    }

    @Test
    void teacherPathFollowsTheTokensOnTheEncoderGrid() {
        // token 3 sounds like (1, 0), token 4 like (0, 1); 16 frames each -> 4 positions per clip
        List<Prepared> clips = List.of(sample(constant(16, 1, 0), 3), sample(constant(16, 0, 1), 4));
        AlignTeacher t = AlignTeacher.fit(clips, MELS);
        // a "string" 4 4 3: 8 + 24 + 16 frames of 4-like, then 3-like -> 12 positions... frames 0-31 token 4, 32-47 token 3
        float[][] f = new float[48][];
        for (int i = 0; i < 48; i++) f[i] = i < 32 ? new float[] {0, 1} : new float[] {1, 0};
        Prepared s = sample(f, 4, 4, 3);
        int n = AlignTeacher.positions(s);
        assertEquals(12, n);   // ((48 - 1) / 2) / 2 + 1
        float[] path = t.path(s);
        assertEquals(3 * n, path.length);
        // the last token (3) covers the positions whose window [4n-2, 4n+2) lies in frames >= 32 (n >= 9), none
        // of those inside frames < 32 (n <= 7); position 8 straddles the change (either is a best path)
        for (int j = 0; j < n; j++) if (j != 8) assertEquals(j >= 9 ? 1f : 0f, path[2 * n + j], "token 3 at position " + j);
        // every row is visited, monotonically
        int prevEnd = -1;
        for (int q = 0; q < 3; q++) {
            int first = -1, last = -1;
            for (int j = 0; j < n; j++) if (path[q * n + j] > 0) { if (first < 0) first = j; last = j; }
            assertTrue(first >= 0 && first >= prevEnd, "row " + q + " starts at " + first + " after " + prevEnd);
            prevEnd = last;
        }
        // pooled features: position 8 averages frames 30..33 -> half and half after standardisation
        float[] y = t.features(s);
        assertEquals(y[8 * MELS], (y[0] + y[11 * MELS]) / 2, 1e-5f);
        assertThrows(IllegalArgumentException.class, () -> t.path(sample(f, 4, 7)), "a gloss without a prototype");
        assertThrows(IllegalArgumentException.class, () -> AlignTeacher.fit(List.of(sample(constant(8, 1, 1), 3, 4)), MELS));
    }

    @Test
    void digitStringsBecomePaddedStripsWithSequenceLabels() {
        List<Image> digits = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            float[] px = new float[28 * 28];
            java.util.Arrays.fill(px, i + 1);
            digits.add(new Image(1, 28, 28, px));
        }
        DigitString d = DigitString.evenStrip(new float[800], 8000, Image.hstack(digits), "three one", "THREE ONE", new int[] {3, 1}, "x", new int[] {0, 400}, new int[] {300, 800});
        var s = StringSamples.sample(d, 5 * 28);
        assertEquals(140, s.image().width());
        assertEquals(1f, s.image().get(0, 5, 27));
        assertEquals(2f, s.image().get(0, 5, 28));
        assertEquals(0f, s.image().get(0, 5, 56), "padding is background");
        assertEquals(131, s.label());
        assertNotEquals(StringSamples.code(new int[] {3, 1}), StringSamples.code(new int[] {0, 3, 1}));
        assertEquals(StringSamples.code(new int[] {3, 1}), StringSamples.code(new int[] {3, 1}));
        assertThrows(IllegalArgumentException.class, () -> StringSamples.sample(d, 28));
        // truth on a 40 ms grid: clip 0 ends at 37.5 ms, clip 1 starts at 50 ms; boundary at the gap midpoint 43.75 ms
        assertArrayEquals(new int[] {0, 0, 1}, StringSamples.truth(d, 3, 40));
    }
}
