package org.bgtai.model;

import org.bgtai.autograd.Var;
import org.bgtai.nn.Conv1d;
import org.bgtai.nn.Module;
import org.bgtai.nn.Parameter;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Audio front end of the universal language encoder: normalised log-mel frames, then two
 * strided Conv1d (kernel 3, stride 2, padding 1, GELU) that downsample time by 4 and project to
 * the encoder width. The normalisation {@code (x - mean) / std} uses two frozen scalars set from
 * the training set ({@link #setMelStats}) and saved with the weights.
 *
 * <p>Shapes: {@code mel [B, T, nMels]} -> {@code [B, T4, dModel]} with
 * {@code T4 = out(out(T))}, {@code out(t) = (t - 1) / 2 + 1}.
 */
public final class AudioEncoder extends Module {
    private final Conv1d conv1, conv2;
    private final Parameter melMean, melStd;

    public AudioEncoder(int nMels, int dModel, Rng rng) {
        conv1 = registerModule("conv1", new Conv1d(nMels, dModel, 3, 2, 1, 1, 1, true, rng));
        conv2 = registerModule("conv2", new Conv1d(dModel, dModel, 3, 2, 1, 1, 1, true, rng));
        melMean = registerParameter("mel_mean", new Parameter(Tensor.zeros(1)));
        melStd = registerParameter("mel_std", new Parameter(Tensor.ones(1)));
        melMean.setFrozen(true);
        melStd.setFrozen(true);
    }

    /** Sets the log-mel normalisation (mean and standard deviation over the training set). */
    public void setMelStats(float mean, float std) {
        if (!(std > 0)) throw new IllegalArgumentException("log-mel std must be > 0, got " + std);
        melMean.value().fill(mean);
        melStd.value().fill(std);
    }

    public float melMean() {
        return melMean.value().item();
    }

    public float melStd() {
        return melStd.value().item();
    }

    /** Frames after the front end for {@code t} log-mel frames. */
    public static int outFrames(int t) {
        return ((t - 1) / 2) / 2 + 1;
    }

    /** Frames after one strided conv: {@code (t - 1) / 2 + 1}. */
    static int halve(int t) {
        return (t - 1) / 2 + 1;
    }

    /**
     * Right-padded batch: row {@code r} has {@code frames[r]} valid frames. The normalised input and
     * the first conv's output are zeroed past each row's valid length (zero is what the convs' own
     * padding reads at the end of an unpadded row), so the first {@code outFrames(frames[r])}
     * outputs of a row do not depend on its padding frames: they equal the row run alone.
     *
     * @param mel [B, T, nMels] @param frames [B] valid frames per row, 1..T
     * @return [B, outFrames(T), dModel]
     */
    public Var forward(Var mel, int[] frames) {
        int b = mel.size(0), t = mel.size(1);
        if (frames.length != b) throw new IllegalArgumentException("frames has " + frames.length + " entries for a batch of " + b + " rows");
        int[] half = new int[b];
        for (int r = 0; r < b; r++) {
            if (frames[r] < 1 || frames[r] > t) throw new IllegalArgumentException("row " + r + " has " + frames[r] + " valid frames; must be 1.." + t);
            half[r] = halve(frames[r]);
        }
        Var x = mel.sub(melMean.var()).div(melStd.var()).mul(Var.of(keep(frames, t).unsqueeze(2))).transpose(1, 2);  // [B, M, T]
        x = conv1.forward(x).gelu();                                                                              // [B, D, T2]
        x = x.mul(Var.of(keep(half, x.size(2)).unsqueeze(1)));
        x = conv2.forward(x).gelu();
        return x.transpose(1, 2);
    }

    /** [B, len]: 1 for the first {@code valid[r]} positions of row r, 0 after. */
    private static Tensor keep(int[] valid, int len) {
        float[] k = new float[valid.length * len];
        for (int r = 0; r < valid.length; r++) java.util.Arrays.fill(k, r * len, r * len + Math.min(valid[r], len), 1f);
        return Tensor.of(k, valid.length, len);
    }

    /** @param mel [B, T, nMels] @return [B, outFrames(T), dModel] */
    public Var forward(Var mel) {
        Var x = mel.sub(melMean.var()).div(melStd.var()).transpose(1, 2);   // [B, M, T]
        x = conv1.forward(x).gelu();
        x = conv2.forward(x).gelu();
        return x.transpose(1, 2);
    }
}
