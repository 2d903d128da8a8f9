package org.bgtai.generate;

import java.util.List;
import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.nn.LayerNorm;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.ModuleList;
import org.bgtai.nn.loss.Mse;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Conditional image generator by flow matching (rectified flow; Lipman et al. 2023, Liu et al.
 * 2023), the sound-to-image generator of spec item 7. With data {@code x1} (an image flattened to
 * {@code D} values in [-1, 1]), noise {@code x0 ~ N(0, I)} and {@code t ~ U(0, 1)}, the path
 * {@code x_t = (1 - t) x0 + t x1} has velocity {@code x1 - x0}. The network predicts the clean
 * image {@code x̂1 = f(x_t, t, c)} (an MLP cannot carry D dimensions of noise through its
 * hidden layer, but it can carry the image's few degrees of freedom), trained with
 * {@code L = || f(x_t, t, c) - x1 ||^2}, and the velocity it implies is
 * {@code v = (x̂1 - x_t) / (1 - t)}. Sampling integrates {@code dx/dt = v} from noise at
 * {@code t = 0} with Euler steps; the last step lands on {@code x̂1}.
 *
 * <p>The condition {@code c [E]} is an embedding of the shared audio/text/image space (the
 * sound-to-image generator is trained on audio embeddings of the training pairs). During
 * training the condition is zeroed with probability {@code condDropout}, which teaches the
 * unconditional prediction too; sampling then uses classifier-free guidance
 * {@code x̂1 = f(x, t, 0) + w (f(x, t, c) - f(x, t, 0))}.
 *
 * <p>Network: {@code h = W_in [x; time features]}, then {@code layers} residual blocks
 * {@code h += W_2 SiLU(W_1 LN(h) + W_c [time features; c])}, and {@code x̂1 = W_out LN(h)}.
 */
public final class FlowGenerator extends Module {
    /**
     * @param dim         D, values per image (C * H * W)
     * @param condDim     E, condition size
     * @param hidden      width of the residual MLP
     * @param layers      residual blocks
     * @param condDropout probability of training a row without its condition
     */
    public record Config(int dim, int condDim, int hidden, int layers, float condDropout) {
        public Config {
            if (dim <= 0 || condDim <= 0 || hidden <= 0 || layers <= 0)
                throw new IllegalArgumentException("generator sizes must be positive: " + this);
            if (!(condDropout >= 0 && condDropout < 1)) throw new IllegalArgumentException("condDropout must be in [0, 1), got " + condDropout);
        }
    }

    /** Sinusoidal features of t: sin and cos of {@code 2^k pi t}, k = 0..7. */
    static final int TIME_FEATURES = 16;

    private final Config cfg;
    private final Linear in, out;
    private final LayerNorm outNorm;
    private final ModuleList<Block> blocks;

    private static final class Block extends Module {
        final LayerNorm norm;
        final Linear fc1, fc2, cond;

        Block(int hidden, int condIn, Rng rng) {
            norm = registerModule("norm", new LayerNorm(hidden, 1e-5f));
            fc1 = registerModule("fc1", new Linear(hidden, hidden, true, rng));
            fc2 = registerModule("fc2", new Linear(hidden, hidden, true, rng));
            cond = registerModule("cond", new Linear(condIn, hidden, false, rng));
        }

        Var forward(Var h, Var tc) {
            return h.add(fc2.forward(fc1.forward(norm.forward(h)).add(cond.forward(tc)).silu()));
        }
    }

    public FlowGenerator(Config cfg, Rng rng) {
        this.cfg = cfg;
        in = registerModule("in", new Linear(cfg.dim() + TIME_FEATURES, cfg.hidden(), true, rng));
        blocks = registerModule("blocks", new ModuleList<>());
        for (int l = 0; l < cfg.layers(); l++) blocks.add(new Block(cfg.hidden(), TIME_FEATURES + cfg.condDim(), rng));
        outNorm = registerModule("out_norm", new LayerNorm(cfg.hidden(), 1e-5f));
        out = registerModule("out", new Linear(cfg.hidden(), cfg.dim(), true, rng));
        // Start by predicting the blank image 0: the first steps learn the mean image.
        out.weight().value().fill(0f);
        out.bias().value().fill(0f);
    }

    public Config config() {
        return cfg;
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
     * The predicted clean image.
     * @param x    [B, D] the point x_t on the path
     * @param t    [B] times
     * @param cond [B, E] (zero rows = unconditional)
     * @return x̂1 [B, D]
     */
    public Var denoise(Var x, float[] t, Tensor cond) {
        int b = x.size(0);
        if (x.dim() != 2 || x.size(1) != cfg.dim()) throw new IllegalArgumentException("generator input must be [batch, " + cfg.dim() + "], got " + java.util.Arrays.toString(x.value().shape()));
        if (t.length != b || cond.dim() != 2 || cond.size(0) != b || cond.size(1) != cfg.condDim())
            throw new IllegalArgumentException("need " + b + " times and a [" + b + ", " + cfg.condDim() + "] condition, got " + t.length
                + " times and " + java.util.Arrays.toString(cond.shape()));
        Tensor tf = timeFeatures(t);
        Var h = in.forward(Var.cat(List.of(x, Var.of(tf)), 1));
        Var tc = Var.of(Tensor.cat(List.of(tf, cond), 1));
        for (Block blk : blocks) h = blk.forward(h, tc);
        return out.forward(outNorm.forward(h));
    }

    /**
     * The flow-matching loss of one batch: mean squared error of the predicted clean image.
     * @param x1   [B, D] images scaled to [-1, 1]
     * @param cond [B, E]
     */
    public Var loss(Tensor x1, Tensor cond, Rng rng) {
        int b = x1.size(0);
        Tensor x0 = rng.normal(0f, 1f, b, cfg.dim());
        float[] t = new float[b];
        for (int i = 0; i < b; i++) t[i] = (float) rng.nextDouble();
        Tensor tt = Tensor.of(t.clone(), b, 1);
        Tensor xt = x0.mul(tt.rsub(1f)).add(x1.mul(tt));
        Tensor c = cond;
        if (cfg.condDropout() > 0) {
            Tensor keep = rng.bernoulli(1 - cfg.condDropout(), b, 1);
            c = cond.mul(keep);
        }
        return Mse.loss(denoise(Var.of(xt), t, c), Var.of(x1));
    }

    /**
     * Trains on pairs (image, condition).
     * @param images [n][D] scaled to [-1, 1]
     * @param conds  [n][E]
     * @return the mean loss of the last epoch
     */
    public double fit(float[][] images, float[][] conds, int epochs, int batch, double lr, long seed, boolean quiet) {
        return fit(images, conds, epochs, batch, lr, seed, quiet, null, false);
    }

    /** {@link #fit} with an atomic checkpoint in {@code checkpointDir} (or null) after every epoch, and resume from it. */
    public double fit(float[][] images, float[][] conds, int epochs, int batch, double lr, long seed, boolean quiet,
                      java.nio.file.Path checkpointDir, boolean resume) {
        if (images.length != conds.length) throw new IllegalArgumentException(images.length + " images but " + conds.length + " conditions");
        return Fit.run("generator", this, images.length, epochs, batch, lr, seed, quiet, checkpointDir, resume,
            (rows, rng) -> loss(Fit.rows(images, rows), Fit.rows(conds, rows), rng));
    }

    /**
     * Draws images by Euler integration from noise.
     * @param cond     [B, E]
     * @param steps    Euler steps (20-50 are plenty for these small images)
     * @param guidance classifier-free guidance weight w (1 = plain conditional)
     * @return [B, D] in [-1, 1]
     */
    public Tensor sample(Tensor cond, int steps, float guidance, Rng rng) {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        int b = cond.size(0);
        Tensor x = rng.normal(0f, 1f, b, cfg.dim());
        Tensor zero = Tensor.zeros(b, cfg.condDim());
        try (var g = GradMode.noGrad()) {
            for (int s = 0; s < steps; s++) {
                float t0 = (float) s / steps;
                float[] t = new float[b];
                java.util.Arrays.fill(t, t0);
                Tensor x1 = denoise(Var.of(x), t, cond).value();
                if (guidance != 1f) {
                    Tensor u = denoise(Var.of(x), t, zero).value();
                    x1 = u.add(x1.sub(u).mul(guidance));
                }
                // Euler step of dx/dt = (x̂1 - x) / (1 - t) over dt = 1 / steps
                x = x.add(x1.sub(x).mul(1f / (steps * (1 - t0))));
            }
        }
        return x.clamp(-1f, 1f);
    }
}
