package org.bgtai.align;

import java.util.ArrayList;
import java.util.List;
import org.bgtai.data.DigitString;
import org.bgtai.data.Image;
import org.bgtai.data.Sample;

/**
 * Digit strings as joint-training samples: the strip image padded on the right with background
 * (0) to a fixed width so strings of different lengths batch together, and a label that
 * identifies the digit sequence ({@code 10^k + value}, unique across lengths), so retrieval
 * relevance means "the same digit string".
 *
 * <pre>{@code
 * Sample s = StringSamples.sample(digitString, 5 * 28);   // image [1, 28, 140]
 * }</pre>
 */
public final class StringSamples {
    private StringSamples() {}

    /** Label of a digit sequence: {@code 10^k + digits read as a number}. */
    public static int code(int[] digits) {
        if (digits.length == 0 || digits.length > 8) throw new IllegalArgumentException("digit strings of 1-8 digits have a label, got " + digits.length);
        int v = 1;
        for (int d : digits) v = v * 10 + d;
        return v;
    }

    /** @param width strip width in pixels (>= the string's own width) */
    public static Sample sample(DigitString d, int width) {
        Image im = d.image();
        if (im.width() > width) throw new IllegalArgumentException("strip is " + im.width() + " px wide, more than the batch width " + width + "; raise the width");
        float[] data = new float[im.channels() * im.height() * width];
        for (int c = 0; c < im.channels(); c++)
            for (int y = 0; y < im.height(); y++)
                System.arraycopy(im.data(), (c * im.height() + y) * im.width(), data, (c * im.height() + y) * width, im.width());
        return new Sample(d.audio(), d.sampleRate(), new Image(im.channels(), im.height(), width, data), d.text(), d.gloss(), code(d.digits()), d.speaker());
    }

    public static List<Sample> samples(List<DigitString> strings, int width) {
        List<Sample> out = new ArrayList<>(strings.size());
        for (DigitString d : strings) out.add(sample(d, width));
        return out;
    }

    /** True token index of each encoder position [N] (position n centred at {@code n * positionMs}). */
    public static int[] truth(DigitString d, int positions, double positionMs) {
        double[] s = new double[d.starts().length], e = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = 1000.0 * d.starts()[i] / d.sampleRate();
            e[i] = 1000.0 * d.ends()[i] / d.sampleRate();
        }
        return AlignMetrics.truthLabels(positions, positionMs, s, e);
    }
}
