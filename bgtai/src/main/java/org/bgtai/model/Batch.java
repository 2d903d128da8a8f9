package org.bgtai.model;

import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Tensor;

/**
 * A mini-batch of prepared samples, log-mel padded to the longest row and images padded on the
 * right to the widest row (digit strips of different lengths; the padding is zero and
 * {@code imageWidths} says how many columns of each row are real).
 *
 * @param mel         [B, T, nMels]
 * @param frames      valid frames per row
 * @param images      [B, C, H, W] with W the widest row
 * @param text        [B, maxText]
 * @param gloss       [B, maxGloss]
 * @param labels      [B]
 * @param imageWidths valid image columns per row (all {@code W} for fixed-size images)
 */
public record Batch(Tensor mel, int[] frames, Tensor images, IntTensor text, IntTensor gloss, int[] labels, int[] imageWidths) {
    /** A batch of fixed-size images (every row {@code W} columns wide). */
    public Batch(Tensor mel, int[] frames, Tensor images, IntTensor text, IntTensor gloss, int[] labels) {
        this(mel, frames, images, text, gloss, labels, fullWidths(images));
    }

    private static int[] fullWidths(Tensor images) {
        int[] w = new int[images.size(0)];
        java.util.Arrays.fill(w, images.size(3));
        return w;
    }

    public int size() {
        return labels.length;
    }

    /**
     * True when every row has audio; false when none has (a text-only batch). A batch that mixes
     * both is refused: a loss is either the audio one or the text-only one.
     */
    public boolean hasAudio() {
        int with = 0;
        for (int f : frames) if (f > 0) with++;
        if (with != 0 && with != frames.length)
            throw new IllegalArgumentException("batch mixes " + with + " rows with audio and " + (frames.length - with)
                + " text-only rows; keep audio and text-only samples in separate data sets");
        return with > 0;
    }

    /**
     * True when every row has text; false when none has (an audio-only batch, whose loss has no
     * text terms). A batch that mixes both is refused, as for audio.
     */
    public boolean hasText() {
        int l = text.size(1), with = 0;
        int[] d = text.data();
        for (int r = 0; r < size(); r++) if (l > 0 && d[r * l] != org.bgtai.text.Tokenizer.PAD) with++;
        if (with != 0 && with != size())
            throw new IllegalArgumentException("batch mixes " + with + " rows with text and " + (size() - with)
                + " audio-only rows; keep audio-only and text samples in separate batches");
        return with > 0;
    }

    /** True when some row's image is narrower than the batch's image tensor. */
    public boolean paddedImages() {
        for (int w : imageWidths) if (w != images.size(3)) return true;
        return false;
    }

    /**
     * Rows {@code idx} of {@code all}; images are {@code [C, H, W]} of the config. With
     * {@code width <= 0} the widths vary by sample ({@code image.length / (C * H)}, e.g. digit
     * strips {@code [1, 28, 28 k]}) and rows are zero-padded on the right to the widest.
     */
    public static Batch of(Prepared[] all, int[] idx, int nMels, int channels, int height, int width) {
        int b = idx.length, t = 1;
        for (int i : idx) t = Math.max(t, all[i].frames());
        int[] widths = new int[b];
        int wMax = 0;
        for (int r = 0; r < b; r++) {
            float[] im = all[idx[r]].image();
            if (width > 0) {
                if (im.length != channels * height * width)
                    throw new IllegalArgumentException("image of sample " + idx[r] + " has " + im.length + " values, expected " + channels + "x" + height + "x" + width);
                widths[r] = width;
            } else {
                if (im.length == 0 || im.length % (channels * height) != 0)
                    throw new IllegalArgumentException("image of sample " + idx[r] + " has " + im.length + " values, not a multiple of " + channels + "x" + height + " (channels x height)");
                widths[r] = im.length / (channels * height);
            }
            wMax = Math.max(wMax, widths[r]);
        }
        float[] mel = new float[b * t * nMels];
        int[] frames = new int[b], labels = new int[b];
        int img = channels * height * wMax, lt = all[idx[0]].text().length, lg = all[idx[0]].gloss().length;
        float[] images = new float[b * img];
        int[] text = new int[b * lt], gloss = new int[b * lg];
        for (int r = 0; r < b; r++) {
            Prepared p = all[idx[r]];
            System.arraycopy(p.mel(), 0, mel, r * t * nMels, p.frames() * nMels);
            // pad with the row's last frame value floor: use the minimum log-mel (silence) so padding looks quiet
            float floor = Float.POSITIVE_INFINITY;
            for (float v : p.mel()) floor = Math.min(floor, v);
            if (p.frames() == 0) floor = 0;   // a text-only row: no audio, a zero placeholder frame
            for (int k = p.frames() * nMels; k < t * nMels; k++) mel[r * t * nMels + k] = floor;
            frames[r] = p.frames();
            int w = widths[r];
            if (w == wMax) System.arraycopy(p.image(), 0, images, r * img, img);
            else
                for (int row = 0; row < channels * height; row++) System.arraycopy(p.image(), row * w, images, r * img + row * wMax, w);
            System.arraycopy(p.text(), 0, text, r * lt, lt);
            System.arraycopy(p.gloss(), 0, gloss, r * lg, lg);
            labels[r] = p.label();
        }
        return new Batch(Tensor.of(mel, b, t, nMels), frames, Tensor.of(images, b, channels, height, wMax),
            IntTensor.of(text, b, lt), IntTensor.of(gloss, b, lg), labels, widths);
    }
}
