package org.bgtai.generate;

import java.util.List;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Conv2d;
import org.bgtai.nn.GroupNorm;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.Upsample;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * A compact convolutional U-Net over two resolutions (Ronneberger et al. 2015, in the form of
 * Ho et al. 2020's denoiser), the network of the {@link FlowGenerator}:
 * <pre>
 * stem    conv 3x3  C -> c                                  H x W
 * down    res(c, c) -> skip;  conv 3x3 stride 2  c -> c     H x W -> H/2 x W/2
 * middle  res(c, 2c);  res(2c, 2c)                          H/2 x W/2
 * up      nearest x2;  conv 3x3  2c -> c;  cat(skip) -> res(2c, c)    H x W
 * out     GroupNorm, SiLU, conv 3x3  c -> C (zero-initialised: the first prediction is 0)
 * </pre>
 * A residual block is {@code h = conv(SiLU(GN(x))) + W_e SiLU(e);  y = skip(x) + conv(SiLU(GN(h)))}
 * (skip = 1x1 conv when the width changes); the embedding {@code e [B, 4c]} is an MLP of the
 * time's sinusoidal features plus a linear map of the condition, added to every block as a
 * per-channel bias. Convolutions are im2col + GEMM ({@link Conv2d}); H and W must be even.
 */
final class UNet extends Module {
    /** Sinusoidal features of t: sin and cos of {@code 2^k pi t}, k = 0..7. */
    static final int TIME_FEATURES = 16;

    private final int channels, base;
    private final Conv2d stem, down, upConv, out;
    private final Res enc, mid1, mid2, dec;
    private final GroupNorm outNorm;
    private final Linear time1, time2, cond;

    /** GroupNorm groups for {@code c} channels: 8 when they divide it, else the largest divisor of c up to 8. */
    static int groups(int c) {
        for (int g = 8; g > 1; g--) if (c % g == 0) return g;
        return 1;
    }

    private static final class Res extends Module {
        final GroupNorm n1, n2;
        final Conv2d c1, c2, skip;
        final Linear emb;

        Res(int in, int out, int embDim, Rng rng) {
            n1 = registerModule("norm1", new GroupNorm(groups(in), in, 1e-5f));
            c1 = registerModule("conv1", new Conv2d(in, out, 3, 3, 1, 1, 1, 1, true, rng));
            emb = registerModule("emb", new Linear(embDim, out, true, rng));
            n2 = registerModule("norm2", new GroupNorm(groups(out), out, 1e-5f));
            c2 = registerModule("conv2", new Conv2d(out, out, 3, 3, 1, 1, 1, 1, true, rng));
            skip = in == out ? null : registerModule("skip", new Conv2d(in, out, 1, 1, 1, 0, 1, 1, true, rng));
        }

        /** @param x [B, in, H, W] @param e SiLU of the embedding [B, embDim] */
        Var forward(Var x, Var e) {
            Var h = c1.forward(n1.forward(x).silu());
            h = h.add(emb.forward(e).reshape(e.size(0), -1, 1, 1));
            h = c2.forward(n2.forward(h).silu());
            return h.add(skip == null ? x : skip.forward(x));
        }
    }

    /**
     * @param channels image channels C
     * @param base     width c of the full resolution (2c at half resolution)
     * @param condDim  condition size
     */
    UNet(int channels, int base, int condDim, Rng rng) {
        if (channels <= 0 || base <= 0 || condDim <= 0) throw new IllegalArgumentException("U-Net sizes must be positive: channels " + channels + ", base " + base + ", condition " + condDim);
        this.channels = channels;
        this.base = base;
        int e = 4 * base;
        time1 = registerModule("time1", new Linear(TIME_FEATURES, e, true, rng));
        time2 = registerModule("time2", new Linear(e, e, true, rng));
        cond = registerModule("cond", new Linear(condDim, e, false, rng));
        stem = registerModule("stem", new Conv2d(channels, base, 3, 3, 1, 1, 1, 1, true, rng));
        enc = registerModule("enc", new Res(base, base, e, rng));
        down = registerModule("down", new Conv2d(base, base, 3, 3, 2, 1, 1, 1, true, rng));
        mid1 = registerModule("mid1", new Res(base, 2 * base, e, rng));
        mid2 = registerModule("mid2", new Res(2 * base, 2 * base, e, rng));
        upConv = registerModule("up", new Conv2d(2 * base, base, 3, 3, 1, 1, 1, 1, true, rng));
        dec = registerModule("dec", new Res(2 * base, base, e, rng));
        outNorm = registerModule("out_norm", new GroupNorm(groups(base), base, 1e-5f));
        out = registerModule("out", new Conv2d(base, channels, 3, 3, 1, 1, 1, 1, true, rng));
        out.weight().value().fill(0f);
        out.bias().value().fill(0f);
    }

    int base() {
        return base;
    }

    /** @param t [B] times in [0, 1] @return [B, 16] */
    static Tensor timeFeatures(float[] t) {
        float[] f = new float[t.length * TIME_FEATURES];
        for (int b = 0; b < t.length; b++)
            for (int k = 0; k < TIME_FEATURES / 2; k++) {
                double a = Math.PI * (1 << k) * t[b];
                f[b * TIME_FEATURES + 2 * k] = (float) Math.sin(a);
                f[b * TIME_FEATURES + 2 * k + 1] = (float) Math.cos(a);
            }
        return Tensor.of(f, t.length, TIME_FEATURES);
    }

    /**
     * @param x    [B, C, H, W]
     * @param t    [B] times
     * @param c    [B, E] conditions (zero rows = unconditional)
     * @return [B, C, H, W]
     */
    Var forward(Var x, float[] t, Tensor c) {
        Var e = time2.forward(time1.forward(Var.of(timeFeatures(t))).silu()).add(cond.forward(Var.of(c))).silu();
        Var h = stem.forward(x);
        Var skip = enc.forward(h, e);
        h = mid2.forward(mid1.forward(down.forward(skip), e), e);
        h = upConv.forward(Upsample.nearest(h, 2));
        h = dec.forward(Var.cat(List.of(h, skip), 1), e);
        return out.forward(outNorm.forward(h).silu());
    }
}
