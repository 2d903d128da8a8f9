package org.bgtai.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.tensor.Rng;

/**
 * Spoken digit strings built from AV-Digits: 1-5 clips of one speaker joined by random silences
 * of 50-300 ms (also before the first and after the last clip), paired with the horizontal strip
 * of the clips' MNIST images, text {@code three seven one}, gloss {@code THREE SEVEN ONE}, and the
 * true sample range {@code [starts[i], ends[i])} of every clip (the ground-truth alignment).
 *
 * <pre>{@code
 * Dataset<DigitString> s = DigitStrings.generate(avTest, 200, 1, 5, 0);
 * s.get(0).starts();   // first sample of each clip
 * }</pre>
 */
public final class DigitStrings {
    public static final int MIN_SILENCE_MS = 50, MAX_SILENCE_MS = 300;

    private DigitStrings() {}

    /**
     * @param source    AV-Digits samples of one split (clips and images are drawn from it)
     * @param count     number of strings
     * @param minDigits shortest string, >= 1
     * @param maxDigits longest string, >= minDigits
     * @param seed      everything random (speaker, digits, clips, silences) follows from it
     */
    public static Dataset<DigitString> generate(Dataset<Sample> source, int count, int minDigits, int maxDigits, long seed) {
        if (minDigits < 1 || maxDigits < minDigits)
            throw new IllegalArgumentException("digit count range must satisfy 1 <= min <= max, got " + minDigits + ".." + maxDigits);
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        // speaker -> digit -> samples
        Map<String, List<List<Sample>>> bySpeaker = new HashMap<>();
        for (Sample s : source.items()) {
            var lists = bySpeaker.computeIfAbsent(s.speaker(), k -> {
                List<List<Sample>> l = new ArrayList<>();
                for (int d = 0; d < 10; d++) l.add(new ArrayList<>());
                return l;
            });
            lists.get(s.label()).add(s);
        }
        List<String> speakers = new ArrayList<>();
        for (var e : bySpeaker.entrySet()) {
            boolean all = e.getValue().stream().noneMatch(List::isEmpty);
            if (all) speakers.add(e.getKey());
        }
        speakers.sort(null);
        if (speakers.isEmpty()) throw new IllegalArgumentException(source.name() + " has no speaker with clips of all ten digits");
        Rng rng = new Rng(seed);
        List<DigitString> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            String spk = speakers.get(rng.nextInt(speakers.size()));
            int k = minDigits + rng.nextInt(maxDigits - minDigits + 1);
            List<Sample> parts = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                List<Sample> pool = bySpeaker.get(spk).get(rng.nextInt(10));
                parts.add(pool.get(rng.nextInt(pool.size())));
            }
            out.add(join(parts, rng));
        }
        return Dataset.of("digit-strings/" + source.name(), out);
    }

    /** Joins clips (all at one sample rate) with random silences drawn from {@code rng}. */
    public static DigitString join(List<Sample> parts, Rng rng) {
        int sr = parts.get(0).sampleRate();
        int[] sil = new int[parts.size() + 1];
        int total = 0;
        for (int i = 0; i < sil.length; i++) {
            int ms = MIN_SILENCE_MS + rng.nextInt(MAX_SILENCE_MS - MIN_SILENCE_MS + 1);
            sil[i] = ms * sr / 1000;
            total += sil[i];
        }
        for (Sample p : parts) {
            if (p.sampleRate() != sr) throw new IllegalArgumentException("clips have different sample rates: " + p.sampleRate() + " vs " + sr);
            total += p.audio().length;
        }
        float[] audio = new float[total];
        int[] starts = new int[parts.size()], ends = new int[parts.size()], digits = new int[parts.size()];
        int pos = sil[0];
        List<Image> imgs = new ArrayList<>();
        StringBuilder text = new StringBuilder(), gloss = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            Sample p = parts.get(i);
            System.arraycopy(p.audio(), 0, audio, pos, p.audio().length);
            starts[i] = pos;
            ends[i] = pos + p.audio().length;
            pos = ends[i] + sil[i + 1];
            digits[i] = p.label();
            imgs.add(p.image());
            if (i > 0) {
                text.append(' ');
                gloss.append(' ');
            }
            text.append(p.text());
            gloss.append(p.gloss());
        }
        return new DigitString(audio, sr, Image.hstack(imgs), text.toString(), gloss.toString(), digits, parts.get(0).speaker(), starts, ends);
    }
}
