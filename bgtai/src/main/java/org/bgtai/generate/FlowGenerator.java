package org.bgtai.generate;

import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Module;
import org.bgtai.nn.loss.Mse;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Conditional image generator by flow matching (rectified flow; Lipman et al. 2023, Liu et al.
 * 2023), the sound-to-image generator of spec item 7. With data {@code x1} (an image of
 * {@code C x H x W} values in [-1, 1]), noise {@code x0 ~ N(0, I)} and {@code t ~ U(0, 1)}, the
 * path {@code x_t = (1 - t) x0 + t x1} has velocity {@code v = x1 - x0}; a convolutional
 * {@link UNet} predicts it, {@code L = || f(x_t, t, c) - (x1 - x0) ||^2} (v-prediction), and
 * sampling integrates {@code dx/dt = f(x, t, c)} from noise at {@code t = 0} to {@code t = 1}
 * with Euler or Heun steps.
 *
 * <p>The condition {@code c [E]} is an embedding of the shared audio/text/image space (the
 * sound-to-image generator is trained on audio embeddings of the training pairs). During
 * training the condition is zeroed with probability {@code condDropout}, which teaches the
 * unconditional velocity too; sampling then uses classifier-free guidance (Ho and Salimans 2022)
 * {@code v = f(x, t, 0) + w (f(x, t, c) - f(x, t, 0))}, the two branches in one batch.
 * Images are flat rows {@code [B, C * H * W]} at the interface.
 */
public final class FlowGenerator extends Module {
    /**
     * @param channels    image channels C
     * @param height      H (even)
     * @param width       W (even)
     * @param condDim     E, condition size
     * @param base        U-Net width at full resolution (twice that at half resolution)
     * @param condDropout probability of training a row without its condition
     */
    public record Config(int channels, int height, int width, int condDim, int base, float condDropout) {
        public Config {
            if (channels <= 0 || height <= 0 || width <= 0 || condDim <= 0 || base <= 0)
                throw new IllegalArgumentException("generator sizes must be positive: " + this);
            if (height % 2 != 0 || width % 2 != 0) throw new IllegalArgumentException("the U-Net halves the image once: height and width must be even, got " + height + "x" + width);
            if (!(condDropout >= 0 && condDropout < 1)) throw new IllegalArgumentException("condDropout must be in [0, 1), got " + condDropout);
        }

        /** C * H * W. */
        public int dim() {
            return channels * height * width;
        }
    }

    /** ODE solver of {@link #sample}: Euler (one network call per step) or Heun (two per step, the last step Euler). */
    public enum Solver {
        EULER, HEUN
    }

    private final Config cfg;
    private final UNet net;

    public FlowGenerator(Config cfg, Rng rng) {
        this.cfg = cfg;
        net = registerModule("unet", new UNet(cfg.channels(), cfg.base(), cfg.condDim(), rng));
    }

    public Config config() {
        return cfg;
    }

    /**
     * The predicted velocity.
     * @param x    [B, D] the point x_t on the path
     * @param t    [B] times
     * @param cond [B, E] (zero rows = unconditional)
     * @return v [B, D]
     */
    public Var velocity(Var x, float[] t, Tensor cond) {
        int b = x.size(0);
        if (x.dim() != 2 || x.size(1) != cfg.dim()) throw new IllegalArgumentException("generator input must be [batch, " + cfg.dim() + "], got " + java.util.Arrays.toString(x.value().shape()));
        if (t.length != b || cond.dim() != 2 || cond.size(0) != b || cond.size(1) != cfg.condDim())
            throw new IllegalArgumentException("need " + b + " times and a [" + b + ", " + cfg.condDim() + "] condition, got " + t.length
                + " times and " + java.util.Arrays.toString(cond.shape()));
        return net.forward(x.reshape(b, cfg.channels(), cfg.height(), cfg.width()), t, cond).reshape(b, cfg.dim());
    }

    /**
     * The flow-matching loss of one batch: mean squared error of the predicted velocity.
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
        if (cfg.condDropout() > 0) c = cond.mul(rng.bernoulli(1 - cfg.condDropout(), b, 1));
        return Mse.loss(velocity(Var.of(xt), t, c), Var.of(x1.sub(x0)));
    }

    /**
     * Trains on pairs (image, condition), with an atomic checkpoint in {@code checkpointDir} (or
     * null) after every epoch, and resume from it.
     * @param images [n][D] scaled to [-1, 1]
     * @param conds  [n][E]
     * @return the mean loss of the last epoch
     */
    public double fit(float[][] images, float[][] conds, int epochs, int batch, double lr, long seed, boolean quiet,
                      java.nio.file.Path checkpointDir, boolean resume) {
        if (images.length != conds.length) throw new IllegalArgumentException(images.length + " images but " + conds.length + " conditions");
        return Fit.run("generator", this, images.length, epochs, batch, lr, seed, quiet, checkpointDir, resume,
            (rows, rng) -> loss(Fit.rows(images, rows), Fit.rows(conds, rows), rng));
    }

    /** The guided velocity at one time for every row. */
    private Tensor guided(Tensor x, float t0, Tensor cond, float guidance) {
        int b = x.size(0);
        if (guidance == 1f) {
            float[] t = new float[b];
            java.util.Arrays.fill(t, t0);
            return velocity(Var.of(x), t, cond).value();
        }
        float[] t = new float[2 * b];
        java.util.Arrays.fill(t, t0);
        Tensor both = velocity(Var.of(Tensor.cat(java.util.List.of(x, x), 0)), t, Tensor.cat(java.util.List.of(cond, Tensor.zeros(b, cfg.condDim())), 0)).value();
        Tensor c = both.narrow(0, 0, b), u = both.narrow(0, b, b);
        return u.add(c.sub(u).mul(guidance));
    }

    /**
     * Draws images by integrating the guided velocity from noise.
     * @param cond     [B, E]
     * @param steps    solver steps
     * @param guidance classifier-free guidance weight w (1 = plain conditional, 0 = unconditional)
     * @return [B, D] in [-1, 1]
     */
    public Tensor sample(Tensor cond, int steps, float guidance, Solver solver, Rng rng) {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        Tensor x = rng.normal(0f, 1f, cond.size(0), cfg.dim());
        float dt = 1f / steps;
        try (var g = GradMode.noGrad()) {
            for (int s = 0; s < steps; s++) {
                float t0 = s * dt;
                Tensor v = guided(x, t0, cond, guidance);
                Tensor next = x.add(v.mul(dt));
                if (solver == Solver.HEUN && s + 1 < steps)
                    next = x.add(v.add(guided(next, t0 + dt, cond, guidance)).mul(dt / 2));
                x = next;
            }
        }
        return x.clamp(-1f, 1f);
    }
}
