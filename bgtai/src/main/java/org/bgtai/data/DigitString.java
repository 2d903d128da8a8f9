package org.bgtai.data;

/**
 * A spoken digit string with its image strip and the ground-truth alignment of both.
 *
 * @param audio      clips of one speaker (each time-stretched by its {@code rates[i]}) joined by silences [samples] at {@code sampleRate}
 * @param sampleRate Hz
 * @param image      horizontal strip of the clips' MNIST digits, [1, 28, W]: each digit scaled horizontally,
 *                   cropped to its ink and set between runs of background (0) columns
 * @param text       how the string is said ({@link Phrasing#digitText}: "the number is three seven one", "double three one")
 *                   or, for {@link DigitStrings.Text#PLAIN}, the digit words "three seven one"
 * @param gloss      "THREE SEVEN ONE" ({@link Phrasing#digitGloss})
 * @param digits     the digits in order
 * @param speaker    FSDD speaker
 * @param starts     first sample of clip {@code i} in {@code audio}
 * @param ends       one past the last sample of clip {@code i}
 * @param colStarts  first column of digit {@code i} in {@code image} (its first column with ink)
 * @param colEnds    one past the last column of digit {@code i} (one past its last column with ink)
 * @param rates      speaking-rate factor of clip {@code i} (1 = as recorded, 1.3 = 30% faster and higher, see {@link DigitStrings#stretch})
 */
public record DigitString(float[] audio, int sampleRate, Image image, String text, String gloss, int[] digits,
                          String speaker, int[] starts, int[] ends, int[] colStarts, int[] colEnds, double[] rates) {
    public DigitString {
        int k = digits.length;
        if (starts.length != k || ends.length != k || colStarts.length != k || colEnds.length != k || rates.length != k)
            throw new IllegalArgumentException("a digit string of " + k + " digits needs " + k + " clip spans, column spans and rates");
        for (int i = 0; i < k; i++) {
            if (starts[i] < 0 || ends[i] < starts[i] || ends[i] > audio.length || (i > 0 && starts[i] < ends[i - 1]))
                throw new IllegalArgumentException("clip span " + i + " [" + starts[i] + ", " + ends[i] + ") is out of order or outside the " + audio.length + " samples");
            if (colStarts[i] < 0 || colEnds[i] <= colStarts[i] || colEnds[i] > image.width() || (i > 0 && colStarts[i] < colEnds[i - 1]))
                throw new IllegalArgumentException("column span " + i + " [" + colStarts[i] + ", " + colEnds[i] + ") is empty, out of order or outside the "
                    + image.width() + " columns");
        }
    }

    /**
     * A string whose strip is the digits' images side by side, each a column span of {@code image.width() / k}
     * (the layout of hand-made strips), read at the recorded rate.
     */
    public static DigitString evenStrip(float[] audio, int sampleRate, Image image, String text, String gloss, int[] digits, String speaker,
                                        int[] starts, int[] ends) {
        int k = digits.length, w = image.width() / Math.max(1, k);
        int[] cs = new int[k], ce = new int[k];
        double[] r = new double[k];
        for (int i = 0; i < k; i++) {
            cs[i] = i * w;
            ce[i] = (i + 1) * w;
            r[i] = 1;
        }
        return new DigitString(audio, sampleRate, image, text, gloss, digits, speaker, starts, ends, cs, ce, r);
    }
}
