package org.bgtai.generate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.audio.Resampler;
import org.bgtai.data.Image;
import org.bgtai.data.Sample;
import org.bgtai.model.JointModel;
import org.bgtai.model.Prepared;
import org.bgtai.nn.train.Checkpoint;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.model.Embeddings;

/**
 * Sound-to-image generation (spec item 7, the paper's Fig. 3): a {@link FlowGenerator} draws an
 * image from the audio embedding of a trained {@link JointModel}. It is trained on the training
 * split's (audio embedding, paired image) pairs, so it learns {@code p(image | what was said)};
 * the input controls act on the sound before it is embedded (gain = volume, resampling = pitch),
 * and embeddings of two clips can be interpolated.
 *
 * <pre>{@code
 * SoundToImage s2i = SoundToImage.train(model, train, 28, 28, new SoundToImage.Config(...), 1, false, null, false);
 * Image[] out = s2i.generate(s2i.embed(List.of(wave), 8000, 1f, 0f), 7);
 * }</pre>
 */
public final class SoundToImage {
    /**
     * @param base        U-Net width at full resolution ({@link FlowGenerator.Config#base})
     * @param epochs      training epochs
     * @param batch       minibatch
     * @param lr          peak learning rate
     * @param steps       solver steps when sampling
     * @param solver      ODE solver when sampling
     * @param guidance    classifier-free guidance weight
     * @param condDropout probability of dropping the condition in training
     */
    public record Config(int base, int epochs, int batch, double lr, int steps, FlowGenerator.Solver solver, float guidance, float condDropout) {
        /** The same settings with guidance weight {@code w}. */
        public Config withGuidance(float w) {
            return new Config(base, epochs, batch, lr, steps, solver, w, condDropout);
        }
    }

    private final JointModel model;
    private final FlowGenerator generator;
    private final Config cfg;
    private final int channels, height, width;

    private SoundToImage(JointModel model, FlowGenerator generator, Config cfg, int channels, int height, int width) {
        this.model = model;
        this.generator = generator;
        this.cfg = cfg;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** {@link #train(JointModel, Prepared[], int, int, Config, long, boolean, Path, boolean)} without checkpoints. */
    public static SoundToImage train(JointModel model, Prepared[] train, int height, int width, Config cfg, long seed, boolean quiet) {
        return train(model, train, height, width, cfg, seed, quiet, null, false);
    }

    /**
     * Trains a generator on {@code train} (conditions: the model's audio embeddings of each
     * sample; targets: its image), with the generator's per-epoch checkpoint in
     * {@code checkpointDir} (or null) and resume from it.
     */
    public static SoundToImage train(JointModel model, Prepared[] train, int height, int width, Config cfg, long seed, boolean quiet,
                                     Path checkpointDir, boolean resume) {
        int c = model.config().imageChannels();
        float[][] conds = normalise(Embeddings.audio(model, train, 64));
        float[][] images = new float[train.length][];
        for (int i = 0; i < train.length; i++) images[i] = toSigned(train[i].image());
        FlowGenerator g = new FlowGenerator(new FlowGenerator.Config(c, height, width, conds[0].length, cfg.base(), cfg.condDropout()), new Rng(seed));
        g.fit(images, conds, cfg.epochs(), cfg.batch(), cfg.lr(), seed + 1, quiet, checkpointDir, resume);
        return new SoundToImage(model, g, cfg, c, height, width);
    }

    /** This generator sampling with guidance weight {@code w} (e.g. the one chosen on validation). */
    public SoundToImage withGuidance(float w) {
        return new SoundToImage(model, generator, cfg.withGuidance(w), channels, height, width);
    }

    public Config config() {
        return cfg;
    }

    /**
     * Saves the generator (weights and every setting needed to rebuild it) atomically; the joint
     * model is saved separately ({@link org.bgtai.model.ModelIO}).
     */
    public void save(Path file) throws IOException {
        FlowGenerator.Config g = generator.config();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("image", channels + "x" + height + "x" + width);
        meta.put("cond_dim", Integer.toString(g.condDim()));
        meta.put("base", Integer.toString(g.base()));
        meta.put("cond_dropout", Float.toString(g.condDropout()));
        meta.put("steps", Integer.toString(cfg.steps()));
        meta.put("solver", cfg.solver().name());
        meta.put("guidance", Float.toString(cfg.guidance()));
        Checkpoint.write(file, generator.stateDict(), null, meta);
    }

    /** Format tag of saved generators: 2 = the convolutional U-Net velocity model (1 was an MLP predicting the clean image). */
    public static final String FORMAT = "bgtai-sound-to-image-2";

    /** Loads a generator saved by {@link #save} for {@code model} (whose embeddings condition it). */
    public static SoundToImage load(Path file, JointModel model) throws IOException {
        Checkpoint.Contents c = Checkpoint.read(file);
        Map<String, String> m = c.metadata();
        if (!FORMAT.equals(m.get("format")))
            throw new IllegalArgumentException(file + " is not a sound-to-image generator of format " + FORMAT + " (it says " + m.get("format")
                + "); write one with bin/bgtai experiments fig3");
        String[] chw = m.get("image").split("x");
        int ch = Integer.parseInt(chw[0]), h = Integer.parseInt(chw[1]), w = Integer.parseInt(chw[2]);
        int condDim = Integer.parseInt(m.get("cond_dim"));
        if (ch != model.config().imageChannels() || condDim != model.config().embedDim())
            throw new IllegalArgumentException(file + " generates " + ch + "-channel images from " + condDim + "-d embeddings, but the model has "
                + model.config().imageChannels() + " channels and " + model.config().embedDim() + "-d embeddings: pair it with the model it was trained on");
        FlowGenerator g = new FlowGenerator(new FlowGenerator.Config(ch, h, w, condDim, Integer.parseInt(m.get("base")), Float.parseFloat(m.get("cond_dropout"))), new Rng(0));
        g.loadStateDict(c.model(), true);
        Config cfg = new Config(g.config().base(), 0, 1, 0, Integer.parseInt(m.get("steps")), FlowGenerator.Solver.valueOf(m.get("solver")),
            Float.parseFloat(m.get("guidance")), g.config().condDropout());
        return new SoundToImage(model, g, cfg, ch, h, w);
    }

    public FlowGenerator generator() {
        return generator;
    }

    /**
     * Unit-length audio embeddings of waveforms after the input controls.
     * @param gain      volume factor (1 = as recorded)
     * @param semitones pitch shift by resampling (also shortens or lengthens the sound; 0 = none)
     */
    public float[][] embed(List<float[]> waves, int rate, float gain, float semitones) {
        Prepared[] p = new Prepared[waves.size()];
        for (int i = 0; i < p.length; i++) p[i] = Embeddings.audioOnly(model.config(), controls(waves.get(i), rate, gain, semitones), rate);
        return normalise(Embeddings.audio(model, p, 64));
    }

    /** The waveform after volume and pitch controls. */
    public static float[] controls(float[] wave, int rate, float gain, float semitones) {
        if (!(gain > 0)) throw new IllegalArgumentException("gain must be > 0, got " + gain);
        float[] w = wave;
        if (semitones != 0) {
            // Read the samples as if recorded at rate * 2^(s/12): played at `rate`, every frequency moves by s semitones.
            int from = (int) Math.round(rate * Math.pow(2, semitones / 12.0));
            w = Resampler.of(from, rate).apply(w);
        }
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) out[i] = Math.max(-1f, Math.min(1f, w[i] * gain));
        return out;
    }

    /** Unit-length image embeddings of the joint model (the image side of the shared space the generator is conditioned in). */
    public float[][] embedImages(List<Image> images) {
        return normalise(Embeddings.images(model, images, 64));
    }

    /** Embeddings of the samples' audio (no controls). */
    public float[][] embedSamples(List<Sample> samples) {
        List<float[]> waves = new ArrayList<>();
        int rate = samples.get(0).sampleRate();
        for (Sample s : samples) {
            if (s.sampleRate() != rate) throw new IllegalArgumentException("samples must share one rate: " + rate + " vs " + s.sampleRate());
            waves.add(s.audio());
        }
        return embed(waves, rate, 1f, 0f);
    }

    /** One image per condition row. */
    public Image[] generate(float[][] conds, long seed) {
        int e = conds[0].length;
        float[] c = new float[conds.length * e];
        for (int i = 0; i < conds.length; i++) System.arraycopy(conds[i], 0, c, i * e, e);
        float[] x = generator.sample(Tensor.of(c, conds.length, e), cfg.steps(), cfg.guidance(), cfg.solver(), new Rng(seed)).toArray();
        int d = channels * height * width;
        Image[] out = new Image[conds.length];
        for (int i = 0; i < out.length; i++) {
            float[] px = new float[d];
            for (int k = 0; k < d; k++) px[k] = (x[i * d + k] + 1f) * 0.5f;
            out[i] = new Image(channels, height, width, px);
        }
        return out;
    }

    /** {@code steps} embeddings on the straight line from {@code a} to {@code b}, each renormalised. */
    public static float[][] interpolate(float[] a, float[] b, int steps) {
        float[][] out = new float[steps][a.length];
        for (int s = 0; s < steps; s++) {
            float t = steps == 1 ? 0 : (float) s / (steps - 1);
            for (int k = 0; k < a.length; k++) out[s][k] = (1 - t) * a[k] + t * b[k];
        }
        return normalise(out);
    }

    /** Pixel values [0, 1] -> [-1, 1]. */
    static float[] toSigned(float[] px) {
        float[] o = new float[px.length];
        for (int i = 0; i < px.length; i++) o[i] = 2 * px[i] - 1;
        return o;
    }

    /** Rows scaled to unit length (zero rows stay zero). */
    static float[][] normalise(float[][] x) {
        float[][] o = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (float v : x[i]) s += (double) v * v;
            float inv = s > 0 ? (float) (1 / Math.sqrt(s)) : 0f;
            o[i] = new float[x[i].length];
            for (int k = 0; k < o[i].length; k++) o[i][k] = x[i][k] * inv;
        }
        return o;
    }
}
