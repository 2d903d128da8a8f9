package org.bgtai.nn;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Group normalisation (Wu and He 2018; PyTorch {@code nn.GroupNorm(groups, channels)}): the
 * channels of {@code x [N, C, ...]} are split into {@code groups} groups of {@code C / groups}
 * channels, each (sample, group) is normalised over its channels and positions with the biased
 * variance, then scaled and shifted per channel:
 * {@code y[n, c, ...] = (x[n, c, ...] - mean_{n, g(c)}) / sqrt(var_{n, g(c)} + eps) * weight[c] + bias[c]}.
 *
 * <p>The normalisation is the device's fused {@link LayerNorm} op on {@code x} viewed as
 * {@code [N * groups, C / groups * positions]} (unit scale, zero shift; its backward is the fused
 * layer-norm backward), and the per-channel affine is a broadcast multiply-add, so forward and
 * backward are a few passes over the activations. {@code groups = 1} normalises each sample as a
 * whole, {@code groups = C} is instance normalisation.
 *
 * <pre>{@code
 * GroupNorm gn = new GroupNorm(8, 32, 1e-5f);
 * Var y = gn.forward(x);   // x [N, 32, H, W] -> [N, 32, H, W]
 * }</pre>
 */
public final class GroupNorm extends Module {
    private final Parameter weight, bias;
    private final int groups;
    private final float eps;

    /** Weight ones, bias zeros. */
    public GroupNorm(int groups, int channels, float eps) {
        if (groups <= 0 || channels <= 0 || channels % groups != 0)
            throw new IllegalArgumentException("GroupNorm(" + groups + " groups, " + channels + " channels): need positive sizes and channels divisible by groups");
        this.weight = registerParameter("weight", new Parameter(Tensor.ones(channels)));
        this.bias = registerParameter("bias", new Parameter(Tensor.zeros(channels)));
        this.groups = groups;
        this.eps = eps;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** @param x [N, C, ...] @return [N, C, ...] */
    public Var forward(Var x) {
        return groupNorm(x, groups, weight.var(), bias.var(), eps);
    }

    /** Functional form; {@code w}, {@code b} are {@code [C]}. */
    public static Var groupNorm(Var x, int groups, Var w, Var b, float eps) {
        int[] xs = x.shape();
        int c = w.size(0);
        if (xs.length < 2 || xs[1] != c || c % groups != 0)
            throw new IllegalArgumentException("GroupNorm over " + c + " channels in " + groups + " groups got input " + Shape.str(xs)
                + "; expected [N, " + c + ", ...] with channels divisible by groups");
        int n = xs[0], positions = 1;
        for (int i = 2; i < xs.length; i++) positions *= xs[i];
        int d = c / groups * positions;
        Var xhat = LayerNorm.layerNorm(x.reshape(n * groups, d), Var.of(Tensor.ones(d)), Var.of(Tensor.zeros(d)), eps).reshape(n, c, positions);
        return xhat.mul(w.reshape(1, c, 1)).add(b.reshape(1, c, 1)).reshape(xs);
    }
}
