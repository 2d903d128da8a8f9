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

    /** @param mel [B, T, nMels] @return [B, outFrames(T), dModel] */
    public Var forward(Var mel) {
        Var x = mel.sub(melMean.var()).div(melStd.var()).transpose(1, 2);   // [B, M, T]
        x = conv1.forward(x).gelu();
        x = conv2.forward(x).gelu();
        return x.transpose(1, 2);
    }
}
