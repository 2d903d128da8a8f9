package org.bgtai.model;

import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Tensor;

/**
 * A mini-batch of prepared samples, log-mel padded to the longest row.
 *
 * @param mel    [B, T, nMels]
 * @param frames valid frames per row
 * @param images [B, C, H, W]
 * @param text   [B, maxText]
 * @param gloss  [B, maxGloss]
 * @param labels [B]
 */
public record Batch(Tensor mel, int[] frames, Tensor images, IntTensor text, IntTensor gloss, int[] labels) {
    public int size() {
        return labels.length;
    }

    /** Rows {@code idx} of {@code all}; images are {@code [C, H, W]} of the config. */
    public static Batch of(Prepared[] all, int[] idx, int nMels, int channels, int height, int width) {
        int b = idx.length, t = 1;
        for (int i : idx) t = Math.max(t, all[i].frames());
        float[] mel = new float[b * t * nMels];
        int[] frames = new int[b], labels = new int[b];
        int img = channels * height * width, lt = all[idx[0]].text().length, lg = all[idx[0]].gloss().length;
        float[] images = new float[b * img];
        int[] text = new int[b * lt], gloss = new int[b * lg];
        for (int r = 0; r < b; r++) {
            Prepared p = all[idx[r]];
            if (p.image().length != img)
                throw new IllegalArgumentException("image of sample " + idx[r] + " has " + p.image().length + " values, expected " + channels + "x" + height + "x" + width);
            System.arraycopy(p.mel(), 0, mel, r * t * nMels, p.frames() * nMels);
            // pad with the row's last frame value floor: use the minimum log-mel (silence) so padding looks quiet
            float floor = Float.POSITIVE_INFINITY;
            for (float v : p.mel()) floor = Math.min(floor, v);
            for (int k = p.frames() * nMels; k < t * nMels; k++) mel[r * t * nMels + k] = floor;
            frames[r] = p.frames();
            System.arraycopy(p.image(), 0, images, r * img, img);
            System.arraycopy(p.text(), 0, text, r * lt, lt);
            System.arraycopy(p.gloss(), 0, gloss, r * lg, lg);
            labels[r] = p.label();
        }
        return new Batch(Tensor.of(mel, b, t, nMels), frames, Tensor.of(images, b, channels, height, width),
            IntTensor.of(text, b, lt), IntTensor.of(gloss, b, lg), labels);
    }
}
