package org.bgtai.model;

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
 * </pre>
 * Images, text and labels are untouched. Every draw comes from the {@code rng} passed in, which
 * the training loop's checkpoints, so a resumed run augments exactly as an uninterrupted one.
 *
 * @param gainDb     largest level change in dB (0 = off)
 * @param maxShift   largest time shift in frames (0 = off)
 * @param specAugment masks ({@code null} = off); its mask value is replaced by the row mean
 */
public record MelAugment(double gainDb, int maxShift, SpecAugment specAugment) {
    /** Level +-6 dB, shift up to 8 frames, 2 frequency masks of up to 6 bands, 2 time masks of up to 6 frames (at most 15 %). */
    public static final MelAugment DEFAULT = new MelAugment(6, 8, new SpecAugment(2, 6, 2, 6, 0.15, 0f));

    public MelAugment {
        if (gainDb < 0 || maxShift < 0) throw new IllegalArgumentException("gainDb and maxShift must be >= 0, got " + gainDb + ", " + maxShift);
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
}
