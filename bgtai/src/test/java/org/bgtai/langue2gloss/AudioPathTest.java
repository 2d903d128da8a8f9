package org.bgtai.langue2gloss;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.model.AudioEncoder;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.io.Json;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audio path of Langue2Gloss: shapes, padding, state dict, bad input. */
class AudioPathTest {
    static final int MELS = 8;

    static Langue2Gloss tiny(long seed) {
        Langue2Gloss m = new Langue2Gloss(new L2GConfig(12, 9, 16, 2, 32, 2, 1, 0f, true, 16, MELS), new Rng(seed));
        m.audioFrontEnd().setMelStats(-3f, 2f);
        m.eval();
        return m;
    }

    static float[] mel(int frames, Rng rng) {
        return rng.normal(-3f, 2f, frames * MELS).toArray();
    }

    @Test
    void encodesToAQuarterOfTheFramesWithTheDownsampledMask() {
        Langue2Gloss m = tiny(1);
        Rng rng = new Rng(2);
        EncoderInput.Audio in = EncoderInput.Audio.of(List.of(mel(13, rng), mel(30, rng), mel(1, rng)), MELS);
        assertArrayEquals(new int[] {13, 30, 1}, in.frames());
        Langue2Gloss.Encoded e = m.encode(in);
        // 30 -> 15 -> 8 positions, plus h_L in front; 13 -> 7 -> 4; 1 -> 1 -> 1
        assertArrayEquals(new int[] {3, 9, 16}, e.memory().shape());
        float[] pad = e.padding().toArray();
        for (int t = 0; t < 9; t++) {
            assertEquals(t == 0 || t <= 4 ? 0f : 1f, pad[t], "row 0 position " + t);
            assertEquals(0f, pad[9 + t], "row 1 position " + t);
            assertEquals(t <= 1 ? 0f : 1f, pad[18 + t], "row 2 position " + t);
        }
        assertEquals(4, AudioEncoder.outFrames(13));
        assertEquals(8, AudioEncoder.outFrames(30));
        assertEquals(1, AudioEncoder.outFrames(1));
    }

    /** A row padded inside a batch (padding frames filled with garbage) encodes and decodes as when run alone. */
    @Property(tries = 40)
    void paddingFramesDoNotChangeTheUnpaddedRow(@ForAll @IntRange(min = 1, max = 40) int frames, @ForAll @IntRange(min = 1, max = 20) int extra,
                                                @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Langue2Gloss m = tiny(seed % 3);
        Rng rng = new Rng(seed);
        float[] row = mel(frames, rng);
        int t = frames + extra;
        float[] x = new float[2 * t * MELS], pad = new float[2 * t];
        System.arraycopy(row, 0, x, 0, row.length);
        for (int i = row.length; i < t * MELS; i++) x[i] = (rng.nextInt(1000) - 500) * 0.05f;   // garbage in the padding
        System.arraycopy(mel(t, rng), 0, x, t * MELS, t * MELS);
        for (int f = frames; f < t; f++) pad[f] = 1;
        IntTensor tgt = IntTensor.of(new int[] {Tokenizer.BOS, 5, 6, Tokenizer.BOS, 7, 8}, 2, 3);
        try (var g = GradMode.noGrad()) {
            Langue2Gloss.Encoded alone = m.encode(new EncoderInput.Audio(Tensor.of(row, 1, frames, MELS), null));
            Langue2Gloss.Encoded batched = m.encode(new EncoderInput.Audio(Tensor.of(x, 2, t, MELS), Tensor.of(pad, 2, t)));
            int n = AudioEncoder.outFrames(frames) + 1;
            float[] a = alone.memory().value().toArray();
            float[] b = batched.memory().value().select(0, 0).narrow(0, 0, n).contiguous().toArray();
            assertArrayEquals(a, b, 2e-4f, "memory of the unpadded positions");
            float[] la = m.decode(alone, IntTensor.of(new int[] {Tokenizer.BOS, 5, 6}, 1, 3)).value().toArray();
            float[] lb = m.decode(batched, tgt).value().select(0, 0).contiguous().toArray();
            assertArrayEquals(la, lb, 2e-4f, "decoder logits");
        }
    }

    @Test
    void frontEndMaskedForwardEqualsPlainForwardWithoutPadding() {
        AudioEncoder fe = tiny(4).audioFrontEnd();
        Tensor x = new Rng(5).normal(0f, 1f, 2, 11, MELS);
        try (var g = GradMode.noGrad()) {
            assertArrayEquals(fe.forward(Var.of(x)).value().toArray(), fe.forward(Var.of(x), new int[] {11, 11}).value().toArray(), 1e-6f);
        }
    }

    @Test
    void stateDictHasTheAudioFrontEndAndRoundTrips(@TempDir Path tmp) throws Exception {
        Langue2Gloss m = tiny(6);
        Map<String, Tensor> sd = m.stateDict();
        for (String k : List.of("audio.conv1.weight", "audio.conv1.bias", "audio.conv2.weight", "audio.conv2.bias", "audio.mel_mean", "audio.mel_std"))
            assertTrue(sd.containsKey(k), k + " in " + sd.keySet());
        assertFalse(new Langue2Gloss(new L2GConfig(12, 9, 16, 2, 32, 1, 1, 0f, true, 16), new Rng(0)).stateDict().keySet().stream()
            .anyMatch(k -> k.startsWith("audio.")), "a text-only model has no audio parameters");
        assertFalse(m.trainableParameters().containsKey("audio.mel_mean"), "the log-mel statistics are frozen");

        Tokenizer src = WordTokenizer.train(List.of("three seven one"), 1, true), tgt = WordTokenizer.train(List.of("THREE SEVEN ONE"), 1, false);
        ModelDir dir = new ModelDir(tmp);
        dir.writeSetup(new L2GConfig(src.size(), tgt.size(), 16, 2, 32, 2, 1, 0f, true, 16, MELS), Map.of(), src, tgt);
        Langue2Gloss a = new Langue2Gloss(dir.modelConfig(), new Rng(7));
        a.audioFrontEnd().setMelStats(-4f, 3f);
        ModelDir.saveWeights(dir.file(ModelDir.BEST), a.stateDict(), null, src, tgt, Map.of());
        ModelDir.Loaded back = dir.load("best");
        assertEquals(MELS, back.model().config().nMels());
        assertEquals(-4f, back.model().audioFrontEnd().melMean());
        assertEquals(3f, back.model().audioFrontEnd().melStd());
        a.eval();
        EncoderInput in = EncoderInput.Audio.of(List.of(mel(9, new Rng(8))), MELS);
        try (var g = GradMode.noGrad()) {
            assertArrayEquals(a.encode(in).memory().value().toArray(), back.model().encode(in).memory().value().toArray(), 0f);
        }
    }

    @Test
    void configJsonIsBackwardCompatible() {
        L2GConfig text = new L2GConfig(12, 9, 16, 2, 32, 1, 1, 0.1f, true, 16);
        Map<String, Object> js = text.toJson();
        assertFalse(js.containsKey("n_mels"), "text-only configs are written as before");
        assertEquals(text, L2GConfig.fromJson(js));
        assertFalse(L2GConfig.fromJson(js).audio());
        L2GConfig audio = text.withAudio(40);
        assertEquals(audio, L2GConfig.fromJson((Map<?, ?>) Json.parse(Json.write(audio.toJson()))));
        assertTrue(audio.audio());
    }

    @Test
    void badAudioInputIsRejectedWithTheReason() {
        Langue2Gloss m = tiny(9);
        Rng rng = new Rng(10);
        var wrongMels = assertThrows(IllegalArgumentException.class, () -> m.encode(new EncoderInput.Audio(rng.normal(0f, 1f, 1, 10, MELS + 1), null)));
        assertTrue(wrongMels.getMessage().contains("9 mel bands") && wrongMels.getMessage().contains("n_mels = 8"), wrongMels.getMessage());
        // maxLen 16 positions: 64 frames fit (-> 16), 65 do not (-> 17)
        m.encode(new EncoderInput.Audio(rng.normal(0f, 1f, 1, 64, MELS), null));
        var tooLong = assertThrows(IllegalArgumentException.class, () -> m.encode(new EncoderInput.Audio(rng.normal(0f, 1f, 1, 65, MELS), null)));
        assertTrue(tooLong.getMessage().contains("65 frames") && tooLong.getMessage().contains("64 frames"), tooLong.getMessage());
        Langue2Gloss textOnly = new Langue2Gloss(new L2GConfig(12, 9, 16, 2, 32, 1, 1, 0f, true, 16), new Rng(0));
        var noAudio = assertThrows(IllegalArgumentException.class, () -> textOnly.encode(EncoderInput.Audio.of(List.of(mel(4, rng)), MELS)));
        assertTrue(noAudio.getMessage().contains("no audio front end"), noAudio.getMessage());
        var notMel = assertThrows(IllegalArgumentException.class, () -> new EncoderInput.Audio(rng.normal(0f, 1f, 10, MELS), null));
        assertTrue(notMel.getMessage().contains("[batch, frames, mels]"), notMel.getMessage());
        Tensor holey = Tensor.of(new float[] {0, 1, 0, 0}, 1, 4);
        var hole = assertThrows(IllegalArgumentException.class, () -> m.encode(new EncoderInput.Audio(rng.normal(0f, 1f, 1, 4, MELS), holey)));
        assertTrue(hole.getMessage().contains("pad only at the end"), hole.getMessage());
        var ragged = assertThrows(IllegalArgumentException.class, () -> EncoderInput.Audio.of(List.of(new float[MELS * 2 + 1]), MELS));
        assertTrue(ragged.getMessage().contains("17 values"), ragged.getMessage());
    }
}
