package org.bgtai.model;

import org.bgtai.autograd.Var;
import org.bgtai.nn.Conv2d;
import org.bgtai.nn.Module;
import org.bgtai.nn.ModuleList;
import org.bgtai.nn.Pool2d;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * A small CNN image encoder: blocks of conv 3x3 (padding 1) + ReLU, with 2x2 max-pooling after
 * every block but the last. The pooled embedding is the global average of the last feature map;
 * the column features (for digit strips read left to right) average it over height only.
 *
 * <p>Shapes: {@code x [B, C, H, W]} -> pooled {@code [B, F]}, columns {@code [B, W', F]} with
 * {@code F} the last width and {@code W' = W / 2^(blocks-1)}.
 *
 * <p>Rows of different widths (digit strips) are batched by zero-padding on the right and
 * passing the valid widths: every block's output is zeroed beyond the row's valid columns
 * ({@code floor(w / 2^i)} after {@code i} poolings; after each conv and each pooling), so that the next conv sees the same zero
 * border as the row alone, and the pooled mean runs over the valid columns only. Each row's
 * result then equals that of the row encoded by itself.
 */
public final class ImageEncoder extends Module {
    private final ModuleList<Conv2d> convs;
    private final Pool2d pool = Pool2d.max(2, 2, 0);
    private final int outChannels;

    public ImageEncoder(int inChannels, int[] widths, Rng rng) {
        convs = registerModule("convs", new ModuleList<>());
        int c = inChannels;
        for (int w : widths) {
            convs.add(new Conv2d(c, w, 3, 3, 1, 1, 1, 1, true, rng));
            c = w;
        }
        outChannels = c;
    }

    public int outChannels() {
        return outChannels;
    }

    /** @param x [B, C, H, W] @return the last feature map [B, F, H', W'] */
    public Var featureMap(Var x) {
        int i = 0;
        for (Conv2d conv : convs) {
            x = conv.forward(x).relu();
            if (++i < convs.size()) x = pool.forward(x);
        }
        return x;
    }

    /** @param x [B, C, H, W] @return [B, F] */
    public Var forward(Var x) {
        return featureMap(x).mean(3, false).mean(2, false);
    }

    /**
     * Pooled embedding of right-padded rows.
     *
     * @param x      [B, C, H, W], row {@code r} valid in columns {@code [0, widths[r])}, zero beyond
     * @param widths [B] valid columns per row, each in [1, W]
     * @return [B, F]
     */
    public Var forward(Var x, int[] widths) {
        int b = x.size(0), w = x.size(3);
        if (widths.length != b) throw new IllegalArgumentException("widths has " + widths.length + " entries for a batch of " + b);
        boolean padded = false;
        for (int v : widths) {
            if (v < 1 || v > w) throw new IllegalArgumentException("image width " + v + " outside [1, " + w + "]");
            padded |= v != w;
        }
        if (!padded) return forward(x);
        int[] cur = widths.clone();
        int i = 0;
        for (Conv2d conv : convs) {
            x = conv.forward(x).relu().mul(Var.of(columnMask(cur, x.size(3))));
            if (++i < convs.size()) {
                x = pool.forward(x);
                for (int r = 0; r < b; r++) cur[r] = cur[r] / 2;
                // an odd valid width leaves one pooled column made of the last real and the first padded column: zero it
                x = x.mul(Var.of(columnMask(cur, x.size(3))));
            }
        }
        int h = x.size(2);
        float[] count = new float[b];
        for (int r = 0; r < b; r++) count[r] = (float) h * Math.max(1, cur[r]);
        return x.sum(3, false).sum(2, false).div(Var.of(Tensor.of(count, b, 1)));
    }

    /** [B, 1, 1, W]: 1 in a row's valid columns, 0 beyond. */
    private static Tensor columnMask(int[] widths, int w) {
        float[] m = new float[widths.length * w];
        for (int r = 0; r < widths.length; r++) java.util.Arrays.fill(m, r * w, r * w + Math.min(w, widths[r]), 1f);
        return Tensor.of(m, widths.length, 1, 1, w);
    }

    /** @param x [B, C, H, W] @return column features [B, W', F] */
    public Var columns(Var x) {
        return featureMap(x).mean(2, false).transpose(1, 2);
    }
}
