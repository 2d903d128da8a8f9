package org.bgtai.test;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.bgtai.audio.Audio;
import org.bgtai.audio.WavEncoding;
import org.bgtai.audio.WavReader;
import org.bgtai.audio.WavWriter;
import org.bgtai.model.Embeddings;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.tensor.Rng;

/**
 * A sound written to a WAV file and read back gives the model what the sound in memory gives it.
 * Random rates, channel counts, lengths, levels and every encoding: the samples come back within
 * half a step of the encoding's grid (bit for bit for floats), and the model's input features
 * (mono mix, resampling to the model's rate, log-mel: audio module) and audio embedding (model
 * module) of the file equal those of the in-memory sound: exactly for float files, within the
 * effect of the quantisation for 16- to 32-bit PCM. What {@code bin/bgtai embed clip.wav} computes
 * is thus what an application that holds the waveform computes.
 */
class WavRoundTripPropertiesTest {
    static final int[] RATES = {8000, 11025, 16000, 22050, 44100, 48000};
    static final JointModel MODEL = Models.model(Models.config(1, 2, 16), 5);
    Path dir;

    @BeforeProperty
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("bgtai-wav");
    }

    @AfterProperty
    void removeDir() throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 40)
    void aWavFileFeedsTheModelAsItsWaveformDoes(@ForAll WavEncoding encoding, @ForAll @IntRange(min = 0, max = 5) int rateIndex,
                                                @ForAll @IntRange(min = 1, max = 2) int channels, @ForAll @IntRange(min = 50, max = 600) int ms,
                                                @ForAll @IntRange(min = 1, max = 95) int levelPercent, @ForAll @IntRange(min = 0, max = 100_000) int seed)
        throws IOException {
        int rate = RATES[rateIndex], n = rate * ms / 1000;
        Rng rng = new Rng(seed);
        float level = levelPercent / 100f;
        float[][] ch = new float[channels][n];
        for (int c = 0; c < channels; c++) {
            double f = 100 + 3000 * rng.nextDouble();
            for (int i = 0; i < n; i++)
                ch[c][i] = (float) Math.max(-1, Math.min(1, level * (0.8 * Math.sin(2 * Math.PI * f * i / rate) + 0.2 * rng.nextGaussian())));
        }
        Audio original = new Audio(rate, ch);
        Path f = dir.resolve(seed + "-" + encoding + ".wav");
        WavWriter.write(f, original, encoding);
        Audio back = WavReader.read(f);
        assertEquals(rate, back.sampleRate());
        assertEquals(channels, back.channelCount());
        assertEquals(n, back.frames());

        boolean isFloat = encoding.formatTag() == WavEncoding.TAG_FLOAT;
        // Integer encodings: round(x 2^(n-1)) clipped to 2^(n-1) - 1 at the top (WavEncoding), so a sample
        // comes back within half a step (8-bit: 1/256, 16-bit: 1/65536) of min(x, 1 - 2^-(n-1)),
        // plus the float rounding of the decoded value.
        double half = isFloat ? 0 : 0.5 / (1L << (encoding.bits() - 1)) + 1e-7, top = isFloat ? 1 : 1 - 1.0 / (1L << (encoding.bits() - 1));
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < n; i++)
                assertEquals(Math.min(ch[c][i], top), back.channel(c)[i], half, encoding + " channel " + c + " sample " + i);
        if (isFloat) assertTrue(back.sameSamples(original), encoding + " must round-trip bit for bit");

        // the model's view: mono mix, resampling to 8 kHz, log-mel, then the audio tower
        ModelConfig c = MODEL.config();
        float[] melMemory = Prepared.features(Prepared.logMel(c), original.mono(), rate), melFile = Prepared.features(Prepared.logMel(c), back.mono(), rate);
        assertEquals(melMemory.length, melFile.length);
        float[] eMemory = Embeddings.audio(MODEL, original.mono(), rate), eFile = Embeddings.audio(MODEL, back.mono(), rate);
        if (isFloat) {
            assertArrayEquals(melMemory, melFile, 0f, "log-mel of a float WAV");
            assertArrayEquals(eMemory, eFile, 0f, "embedding of a float WAV");
        } else if (encoding.bits() >= 16) {
            assertArrayEquals(eMemory, eFile, tolerance(encoding), encoding + " embedding at level " + level);
        }
    }

    /** How far quantisation may move an embedding: 16-bit PCM's noise floor is ~96 dB down, 24 and 32 bits are far below float noise. */
    static float tolerance(WavEncoding e) {
        return e.bits() == 16 ? 2e-3f : 1e-4f;
    }
}
