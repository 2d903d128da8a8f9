package org.bgtai.test;

import java.util.ArrayList;
import java.util.List;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.Image;
import org.bgtai.data.Sample;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.tensor.Rng;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;

/** Random small joint models and random samples for the properties. */
final class Models {
    private Models() {}

    static final Tokenizer TEXT = WordTokenizer.train(BuiltinWorld.captions(), 1, true);
    static final Tokenizer GLOSS = WordTokenizer.train(BuiltinWorld.glosses(), 1, false);

    /**
     * A small model of either preset: grey images of varying width (digits: digit strips) or RGB
     * (world), either variant, with random widths.
     *
     * @param kind 0..31: bit 0 the preset (digits, world), bit 1 the variant, bit 2 two encoder layers, bit 3 per-utterance
     *             log-mel normalisation, bit 4 greedy decoding (else a beam of 3)
     */
    static ModelConfig config(int kind, int heads, int embedDim) {
        ModelConfig.Variant v = (kind & 2) == 0 ? ModelConfig.Variant.BGTAI : ModelConfig.Variant.UNIBRIVL;
        ModelConfig base = (kind & 1) == 0 ? ModelConfig.digits(v) : ModelConfig.world(v);
        return base.withSizes(8 * heads, heads, 16 * heads, 1 + (kind >> 2 & 1), embedDim).withCmvn((kind & 8) != 0).withBeam((kind & 16) != 0 ? 1 : 3);
    }

    static JointModel model(ModelConfig c, long seed) {
        return new JointModel(c, TEXT, GLOSS, new Rng(seed));
    }

    /** Whether the config's images vary in width (grey digit-strip models). */
    static boolean strips(ModelConfig c) {
        return c.imageChannels() == 1;
    }

    /**
     * {@code n} random samples: noise-plus-tone audio of 0.1-1.2 s at 8 or 16 kHz, images of height 16
     * (width 16, or 8-60 for strip models), a random caption and its gloss.
     */
    static Prepared[] samples(ModelConfig c, int n, Rng rng) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int rate = rng.nextInt(2) == 0 ? 8000 : 16000;
            float[] audio = new float[(int) (rate * (0.1 + 1.1 * rng.nextDouble()))];
            double f = 200 + 1500 * rng.nextDouble(), a = 0.05 + 0.5 * rng.nextDouble();
            for (int k = 0; k < audio.length; k++) audio[k] = (float) (a * Math.sin(2 * Math.PI * f * k / rate) + 0.02 * rng.nextGaussian());
            int w = strips(c) ? 8 + rng.nextInt(53) : 16;
            Image im = new Image(c.imageChannels(), 16, w, rng.uniform(0f, 1f, c.imageChannels() * 16 * w).toArray());
            int label = rng.nextInt(BuiltinWorld.numClasses());
            out.add(new Sample(audio, rate, im, BuiltinWorld.caption(label), BuiltinWorld.gloss(label), label, "s"));
        }
        return Prepared.prepare(out, c, TEXT, GLOSS);
    }

    /** The image width argument of {@link org.bgtai.model.Embeddings#of}: 16, or -1 (per sample) for strips. */
    static int width(ModelConfig c) {
        return strips(c) ? -1 : 16;
    }

    /** Largest |a - b| over rows. */
    static double maxDiff(float[][] a, float[][] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) for (int k = 0; k < a[i].length; k++) d = Math.max(d, Math.abs(a[i][k] - b[i][k]));
        return d;
    }
}
