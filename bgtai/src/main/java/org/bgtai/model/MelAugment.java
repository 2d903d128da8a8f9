package org.bgtai.model;

import org.bgtai.audio.MelConfig;
import org.bgtai.audio.MelScale;
import org.bgtai.audio.SpecAugment;
import org.bgtai.audio.Spectrogram;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Training-time augmentation of a batch's log-mel (natural log of mel power), row by row on the
 * valid frames only:
 * <pre>
 *   gain:  x + g ln(10) / 10,  g ~ U[-gainDb, gainDb]        (a level change of g dB)
 *   shift: prepend s ~ U{0..maxShift} silence frames (the row's minimum), dropping as many at the end
 *   masks: {@link SpecAugment} frequency and time masks, filled with the row's mean
 *   VTLP:  vocal tract length perturbation: the row's spectrum read at f / w, w ~ U[1 - maxWarp, 1 + maxWarp]
 * </pre>
 * VTLP (Jaitly and Hinton 2013) imitates a speaker with a shorter or longer vocal tract: formants
 * move by a factor {@code w}. It works here on the log-mel bands: band {@code j} (centre {@code f_j})
 * takes the value at the mel position of {@code f_j / w}, linearly interpolated between bands (the
 * edges are held), so it follows the mel scale of the model's front end.
 * Images, text and labels are untouched. Every draw comes from the {@code rng} passed in, which
 * the training loop's checkpoints, so a resumed run augments exactly as an uninterrupted one.
 *
 * @param gainDb     largest level change in dB (0 = off)
 * @param maxShift   largest time shift in frames (0 = off)
 * @param specAugment masks ({@code null} = off); its mask value is replaced by the row mean
 * @param vtlp        vocal tract length perturbation ({@code null} = off)
 */
public record MelAugment(double gainDb, int maxShift, SpecAugment specAugment, Vtlp vtlp) {
    /**
     * Vocal tract length perturbation of log-mel bands laid out by {@code mel}.
     *
     * @param maxWarp largest relative frequency warp, in [0, 0.5)
     */
    public record Vtlp(double maxWarp, MelConfig mel) {
        public Vtlp {
            if (!(maxWarp >= 0 && maxWarp < 0.5)) throw new IllegalArgumentException("VTLP warp must be in [0, 0.5), got " + maxWarp);
        }

        /** VTLP of up to {@code maxWarp} on the log-mel front end of model config {@code c}. */
        public static Vtlp of(double maxWarp, ModelConfig c) {
            return new Vtlp(maxWarp, Prepared.logMel(c).melConfig());
        }

        /** For each band, the fractional band index its value is read from under warp {@code w}. */
        double[] sources(double w) {
            MelScale s = mel.scale();
            int n = mel.nMels();
            double lo = s.hzToMel(mel.fMin()), hi = s.hzToMel(mel.fMax()), step = (hi - lo) / (n + 1);
            double[] src = new double[n];
            for (int j = 0; j < n; j++) {
                double hz = s.melToHz(lo + step * (j + 1));
                src[j] = Math.clamp((s.hzToMel(hz / w) - lo) / step - 1, 0, n - 1);
            }
            return src;
        }
    }

    public MelAugment(double gainDb, int maxShift, SpecAugment specAugment) {
        this(gainDb, maxShift, specAugment, null);
    }

    /** Level +-6 dB, shift up to 8 frames, 2 frequency masks of up to 6 bands, 2 time masks of up to 6 frames (at most 15 %). */
    public static final MelAugment DEFAULT = new MelAugment(6, 8, new SpecAugment(2, 6, 2, 6, 0.15, 0f));

    public MelAugment {
        if (gainDb < 0 || maxShift < 0) throw new IllegalArgumentException("gainDb and maxShift must be >= 0, got " + gainDb + ", " + maxShift);
    }

    /** This augmentation with VTLP of up to {@code maxWarp} on the front end of {@code c} (0 = off). */
    public MelAugment withVtlp(double maxWarp, ModelConfig c) {
        return new MelAugment(gainDb, maxShift, specAugment, maxWarp == 0 ? null : Vtlp.of(maxWarp, c));
    }

    /** @return a batch whose log-mel rows are augmented copies */
    public Batch apply(Batch b, Rng rng) {
        int rows = b.size(), t = b.mel().size(1), m = b.mel().size(2);
        float[] mel = b.mel().contiguous().toArray().clone();
        for (int r = 0; r < rows; r++) {
            int n = b.frames()[r], off = r * t * m;
            float min = Float.POSITIVE_INFINITY;
            double sum = 0;
            for (int k = off; k < off + n * m; k++) {
                min = Math.min(min, mel[k]);
                sum += mel[k];
            }
            float g = (float) ((2 * rng.nextDouble() - 1) * gainDb * Math.log(10) / 10);
            int s = maxShift == 0 ? 0 : rng.nextInt(Math.min(maxShift, Math.max(0, n - 1)) + 1);
            long maskSeed = rng.nextLong();
            float[] row = new float[n * m];   // [n, m] time-major
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++) row[i * m + j] = i < s ? min : mel[off + (i - s) * m + j];
            if (vtlp != null) {
                if (vtlp.mel().nMels() != m) throw new IllegalArgumentException("VTLP is set up for " + vtlp.mel().nMels() + " mel bands, the batch has " + m);
                row = warp(row, n, m, vtlp.sources(1 + (2 * rng.nextDouble() - 1) * vtlp.maxWarp()));
            }
            if (specAugment != null) {
                float[] bm = new float[m * n];   // [m, n]
                for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) bm[j * n + i] = row[i * m + j];
                Spectrogram masked = specAugment.withMaskValue((float) (sum / Math.max(1, n * m))).apply(new Spectrogram(m, n, bm), maskSeed);
                row = masked.timeMajor();
            }
            for (int k = 0; k < n * m; k++) mel[off + k] = row[k] + g;
            for (int k = off + n * m; k < off + t * m; k++) mel[k] += g;
        }
        return new Batch(Tensor.of(mel, rows, t, m), b.frames(), b.images(), b.text(), b.gloss(), b.labels(), b.imageWidths());
    }

    /** Each frame's band {@code j} read at fractional band {@code src[j]} (linear interpolation). */
    static float[] warp(float[] row, int n, int m, double[] src) {
        float[] out = new float[n * m];
        for (int j = 0; j < m; j++) {
            int a = (int) Math.floor(src[j]), b = Math.min(a + 1, m - 1);
            float f = (float) (src[j] - a);
            for (int i = 0; i < n; i++) out[i * m + j] = row[i * m + a] * (1 - f) + row[i * m + b] * f;
        }
        return out;
    }
}
