package org.bgtai.model;

import java.util.List;
import org.bgtai.audio.LogMel;
import org.bgtai.audio.Resampler;
import org.bgtai.data.Sample;
import org.bgtai.tensor.Parallel;
import org.bgtai.text.Tokenizer;

/**
 * A sample turned into model inputs once (log-mel is the expensive part), so that epochs only
 * batch arrays.
 *
 * @param mel    time-major log-mel [frames * nMels]; empty for a text-only sample (no audio)
 * @param frames number of frames; 0 for a text-only sample
 * @param image  [C * H * W]
 * @param text   text ids [maxText], {@code <pad>} after the end (no {@code <bos>/<eos>})
 * @param gloss  gloss ids [maxGloss], {@code <pad>} after the end
 * @param label  class
 */
public record Prepared(float[] mel, int frames, float[] image, int[] text, int[] gloss, int label) {
    /** False for a text-only sample (no audio: e.g. PHOENIX sentences with their weather maps). */
    public boolean hasAudio() {
        return frames > 0;
    }

    /**
     * False for an audio-only sample (its text is all {@code <pad>}: e.g. the audio half of a
     * training set whose audio and text supervision come from disjoint samples).
     */
    public boolean hasText() {
        return text.length > 0 && text[0] != org.bgtai.text.Tokenizer.PAD;
    }

    /** This sample without its text (all {@code <pad>}): an audio-image pair with its gloss. */
    public Prepared withoutText() {
        return new Prepared(mel, frames, image, new int[text.length], gloss, label);
    }

    /** This sample without its audio: a text-image pair with its gloss. */
    public Prepared withoutAudio() {
        return new Prepared(new float[0], 0, image, text, gloss, label);
    }

    /** True when no sample of {@code data} has audio (a text-only data set; audio metrics and losses are skipped). */
    public static boolean textOnly(Prepared[] data) {
        for (Prepared p : data) if (p.hasAudio()) return false;
        return data.length > 0;
    }

    /** Log-mel front end of a config: {@code nMels} bands at {@code sampleRate}, {@code nFft}, {@code hop}. */
    public static LogMel logMel(ModelConfig c) {
        return LogMel.of(c.sampleRate(), c.nFft(), c.hop(), c.nMels());
    }

    /** Time-major log-mel of a waveform at {@code rate} (resampled to the config's rate). */
    public static float[] features(LogMel lm, float[] audio, int rate) {
        float[] x = rate == lm.sampleRate() ? audio : Resampler.of(rate, lm.sampleRate()).apply(audio);
        return lm.apply(x).timeMajor();
    }

    /** The model input of a waveform under config {@code c}: {@link #features} and, if the config says so, {@link #cmvn}. */
    public static float[] features(ModelConfig c, LogMel lm, float[] audio, int rate) {
        float[] mel = features(lm, audio, rate);
        if (c.cmvn()) cmvn(mel, c.nMels());
        return mel;
    }

    /**
     * Per-utterance mean normalisation in place: each mel band of a time-major log-mel
     * {@code [frames * nMels]} minus its mean over the frames. A fixed gain or spectral tilt
     * (microphone, room, the speaker's voice) is an additive constant per band in the log
     * domain, so this removes it; what changes over time (the words) stays.
     */
    public static void cmvn(float[] mel, int nMels) {
        int frames = mel.length / nMels;
        if (frames == 0) return;
        for (int j = 0; j < nMels; j++) {
            double s = 0;
            for (int i = 0; i < frames; i++) s += mel[i * nMels + j];
            float mean = (float) (s / frames);
            for (int i = 0; i < frames; i++) mel[i * nMels + j] -= mean;
        }
    }

    /** Token ids of {@code s}, cut or padded with {@code <pad>} to {@code len}. */
    public static int[] ids(Tokenizer tok, String s, int len) {
        int[] e = tok.encode(s);
        return java.util.Arrays.copyOf(e, len);
    }

    /** Prepares all samples in parallel (on the shared pool); a sample without audio ({@code null} or empty) is prepared text-only. */
    public static Prepared[] prepare(List<Sample> samples, ModelConfig c, Tokenizer text, Tokenizer gloss) {
        LogMel lm = logMel(c);
        Prepared[] out = new Prepared[samples.size()];
        Parallel.forRange(samples.size(), 8, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                Sample s = samples.get(i);
                if (s.image().channels() != c.imageChannels())
                    throw new IllegalArgumentException("sample " + i + " has a " + s.image().channels() + "-channel image but the model expects " + c.imageChannels());
                float[] mel = s.audio() == null || s.audio().length == 0 ? new float[0] : features(c, lm, s.audio(), s.sampleRate());
                out[i] = new Prepared(mel, mel.length / c.nMels(), s.image().data(), ids(text, s.text(), c.maxText()),
                    ids(gloss, s.gloss(), c.maxGloss()), s.label());
            }
        });
        return out;
    }
}
