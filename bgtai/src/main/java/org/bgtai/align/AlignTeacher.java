package org.bgtai.align;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.model.AudioEncoder;
import org.bgtai.model.Prepared;
import org.bgtai.text.Tokenizer;

/**
 * The DTW teacher A* of the joint alignment terms, on the joint model's own grid: the audio
 * encoder's output position n (after the /4 front end) sits at log-mel frame 4n, so its source
 * feature is the mean of the band-standardised log-mel frames {@code [4n-2, 4n+2)}. Per-gloss
 * prototypes are the mean such feature of single-gloss clips, and
 * {@code A* = DTW(interpolated dictionary sequence, Y)} as in {@link DictionaryAligner} (Eq. 5).
 *
 * <pre>{@code
 * AlignTeacher t = AlignTeacher.fit(singleDigitClips, nMels);
 * float[] path = t.path(prepared);   // [Q, N], N = AudioEncoder.outFrames(frames)
 * }</pre>
 */
public final class AlignTeacher {
    private final float[] mean, std;
    private final int mels;
    private final Map<Integer, Integer> compact;
    private final DictionaryAligner dict;

    private AlignTeacher(float[] mean, float[] std, int mels, Map<Integer, Integer> compact, DictionaryAligner dict) {
        this.mean = mean;
        this.std = std;
        this.mels = mels;
        this.compact = compact;
        this.dict = dict;
    }

    /** Gloss ids of a prepared sample without padding [Q]. */
    public static int[] tokens(Prepared p) {
        int n = 0;
        while (n < p.gloss().length && p.gloss()[n] != Tokenizer.PAD) n++;
        return Arrays.copyOf(p.gloss(), n);
    }

    /** Encoder output positions of a sample (at least 1). */
    public static int positions(Prepared p) {
        return Math.max(1, AudioEncoder.outFrames(p.frames()));
    }

    /**
     * Fits band statistics and prototypes on single-gloss clips.
     *
     * @param clips prepared samples whose gloss is exactly one token (e.g. AV-Digits train)
     * @param mels  log-mel bands of the prepared samples
     */
    public static AlignTeacher fit(List<Prepared> clips, int mels) {
        if (clips.isEmpty()) throw new IllegalArgumentException("the DTW teacher needs single-gloss clips to build its dictionary");
        double[] s = new double[mels], ss = new double[mels];
        long n = 0;
        for (Prepared p : clips) {
            for (int i = 0; i < p.frames() * mels; i++) {
                s[i % mels] += p.mel()[i];
                ss[i % mels] += (double) p.mel()[i] * p.mel()[i];
            }
            n += p.frames();
        }
        float[] mean = new float[mels], std = new float[mels];
        for (int b = 0; b < mels; b++) {
            double mu = s[b] / n;
            mean[b] = (float) mu;
            std[b] = (float) Math.sqrt(Math.max(1e-6, ss[b] / n - mu * mu));
        }
        Map<Integer, Integer> compact = new HashMap<>();
        for (Prepared p : clips) {
            int[] t = tokens(p);
            if (t.length != 1) throw new IllegalArgumentException("dictionary clips must have exactly one gloss token, got " + t.length);
            compact.putIfAbsent(t[0], compact.size());
        }
        AlignTeacher shell = new AlignTeacher(mean, std, mels, compact, null);
        List<float[]> feats = clips.stream().map(shell::features).toList();
        int[] ids = clips.stream().mapToInt(p -> compact.get(tokens(p)[0])).toArray();
        return new AlignTeacher(mean, std, mels, compact, DictionaryAligner.fit(feats, ids, compact.size(), mels));
    }

    /** Source features Y [N, mels] of a sample on the encoder grid. */
    public float[] features(Prepared p) {
        int t = p.frames(), n = positions(p);
        float[] y = new float[n * mels];
        for (int j = 0; j < n; j++) {
            int lo = Math.max(0, 4 * j - 2), hi = Math.min(t, 4 * j + 2);
            if (hi <= lo) lo = hi - 1;
            for (int f = lo; f < hi; f++)
                for (int b = 0; b < mels; b++) y[j * mels + b] += (p.mel()[f * mels + b] - mean[b]) / std[b] / (hi - lo);
        }
        return y;
    }

    /** The teacher's segmentation of a sample's audio positions into its gloss tokens. */
    public org.bgtai.nn.align.MonotonicViterbi.Segmentation segmentation(Prepared p) {
        return align(p).segmentation();
    }

    /** The teacher path A* [Q, N] row-major of a sample's gloss against its audio. */
    public float[] path(Prepared p) {
        return align(p).path();
    }

    /**
     * The teacher's alignment cost of a sample's gloss prototypes against its audio, per path step:
     * low when the audio says the gloss, high when the pair is mismatched.
     */
    public double cost(Prepared p) {
        return align(p).cost();
    }

    private DictionaryAligner.Result align(Prepared p) {
        int[] tok = tokens(p);
        int n = positions(p);
        if (tok.length == 0) throw new IllegalArgumentException("sample has an empty gloss; the alignment terms need at least one gloss token");
        if (tok.length > n) throw new IllegalArgumentException("sample has " + tok.length + " gloss tokens but only " + n + " encoder positions; it is too short to align");
        int[] ids = new int[tok.length];
        for (int i = 0; i < tok.length; i++) {
            Integer c = compact.get(tok[i]);
            if (c == null) throw new IllegalArgumentException("gloss id " + tok[i] + " has no dictionary prototype; fit the teacher on clips of every gloss");
            ids[i] = c;
        }
        double[] zero = new double[tok.length];
        return dict.align(new AlignPair(features(p), n, mels, ids, new int[n], zero, zero, 1));
    }
}
