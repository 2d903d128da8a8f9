package org.bgtai.model;

import org.bgtai.autograd.Var;
import org.bgtai.nn.Conv2d;
import org.bgtai.nn.Module;
import org.bgtai.nn.ModuleList;
import org.bgtai.nn.Pool2d;
import org.bgtai.tensor.Rng;

/**
 * A small CNN image encoder: blocks of conv 3x3 (padding 1) + ReLU, with 2x2 max-pooling after
 * every block but the last. The pooled embedding is the global average of the last feature map;
 * the column features (for digit strips read left to right) average it over height only.
 *
 * <p>Shapes: {@code x [B, C, H, W]} -> pooled {@code [B, F]}, columns {@code [B, W', F]} with
 * {@code F} the last width and {@code W' = W / 2^(blocks-1)}.
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

    /** @param x [B, C, H, W] @return column features [B, W', F] */
    public Var columns(Var x) {
        return featureMap(x).mean(2, false).transpose(1, 2);
    }
}
