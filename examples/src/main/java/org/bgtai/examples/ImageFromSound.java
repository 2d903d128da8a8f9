package org.bgtai.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Image;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.generate.SoundToImage;
import org.bgtai.joint.DataSource;
import org.bgtai.joint.Report;
import org.bgtai.joint.Run;
import org.bgtai.model.ModelConfig;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.tensor.Rng;

/**
 * Drawing a picture of a sound. On the built-in world (tones whose pitch says the colour of a
 * shape, their timbre the shape, their loudness the size) a small joint model learns a shared
 * embedding space ({@link Run}); then a flow-matching generator ({@link SoundToImage}) learns to
 * draw an image from the audio embedding of a sound. The program synthesises new sounds, one per
 * colour, generates images from them and writes the grid to a PNG (one row per sound: the real
 * image of that description, then three draws).
 *
 * <p>To check the drawings without looking, each generated image's colour (the mean of its
 * saturated pixels, as chromaticity) is matched to the nearest of the six colours as they appear in
 * real training images; the program prints how often that is the colour the sound said (chance 1/6).
 *
 * <p>Run it with {@code bin/bgtai example ImageFromSound [OUT.png]} (default {@code image-from-sound.png}),
 * or after {@code mvn package}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "examples/target/classes:cli/target/lib/*" org.bgtai.examples.ImageFromSound
 * </pre>
 * Time: about 50 s: the joint model 12 epochs, the generator 30 epochs ({@code bin/bgtai example}, JVM start included, 2
 * cores shared with another job).
 */
public final class ImageFromSound {
    private ImageFromSound() {}

    static final WorldConfig WORLD = new WorldConfig(32, 8000, 0.5, 16, 4);
    static final int DRAWS = 3;
    /** Pixels whose max - min channel exceeds this are "coloured" (the background is grey). */
    static final float SATURATED = 0.3f;

    /**
     * What the program computed.
     *
     * @param png            the grid written
     * @param queryColours   colour index (into {@link BuiltinWorld#COLOURS}) of each query sound
     * @param drawnColours   nearest colour of each generated image, {@code [query][draw]} (-1 when it has no coloured pixel)
     * @param colourAccuracy fraction of generated images drawn in the colour their sound said
     */
    public record Result(Path png, int[] queryColours, int[][] drawnColours, double colourAccuracy) {}

    public static void main(String[] args) throws IOException {
        run(Path.of(args.length > 0 ? args[0] : "image-from-sound.png"), System.out);
    }

    /** Trains the joint model and the generator, generates from new sounds and writes {@code png}, printing to {@code out}. */
    public static Result run(Path png, PrintStream out) throws IOException {
        ModelConfig config = ModelConfig.world(ModelConfig.Variant.BGTAI);
        TrainOptions options = TrainOptions.of(12, 48, 2e-3).withSchedule(Schedule.warmupCosine(20)).withSeed(1).withLog(out);
        out.printf("training the joint model on the built-in world (%d pairs)%n", WORLD.perClass() * BuiltinWorld.numClasses());
        long t0 = System.nanoTime();
        Run.Result joint = Run.run(new DataSource.World(WORLD), config, options, 1, null);
        out.printf("  (%.0f s)%n", (System.nanoTime() - t0) / 1e9);

        out.println("training the sound-to-image generator on (audio embedding, image) pairs");
        SoundToImage.Config gen = new SoundToImage.Config(16, 8, 16, 2e-3, 10, org.bgtai.generate.FlowGenerator.Solver.EULER, 2f, 0.1f);
        t0 = System.nanoTime();
        SoundToImage s2i = SoundToImage.train(joint.model(), joint.data().train(), WORLD.canvas(), WORLD.canvas(), gen, 2, true);
        out.printf("  (%.0f s)%n", (System.nanoTime() - t0) / 1e9);

        List<Sample> train = BuiltinWorld.generate(WORLD, Split.TRAIN, 1).items();
        float[][] palette = palette(train);
        int colours = BuiltinWorld.COLOURS.length;
        int[] queryColours = new int[colours];
        int[][] drawn = new int[colours][DRAWS];
        List<List<Image>> rows = new ArrayList<>();
        List<List<String>> labels = new ArrayList<>();
        Rng rng = new Rng(99);
        int right = 0;
        for (int c = 0; c < colours; c++) {
            int label = (1 * colours + c) * BuiltinWorld.SHAPES.length + c % BuiltinWorld.SHAPES.length;   // big, colour c, some shape
            Sample sound = BuiltinWorld.sample(WORLD, label, rng);   // a new sound (and its true image, for the grid)
            float[] e = s2i.embed(List.of(sound.audio()), sound.sampleRate(), 1f, 0f)[0];
            float[][] conds = new float[DRAWS][];
            java.util.Arrays.fill(conds, e);
            Image[] images = s2i.generate(conds, 7 + c);
            queryColours[c] = c;
            List<Image> row = new ArrayList<>(List.of(sound.image()));
            List<String> lab = new ArrayList<>(List.of(sound.text()));
            StringBuilder said = new StringBuilder();
            for (int k = 0; k < DRAWS; k++) {
                drawn[c][k] = nearestColour(images[k], palette);
                if (drawn[c][k] == c) right++;
                row.add(images[k]);
                lab.add(drawn[c][k] < 0 ? "no colour" : BuiltinWorld.COLOURS[drawn[c][k]]);
                said.append(k > 0 ? ", " : "").append(drawn[c][k] < 0 ? "none" : BuiltinWorld.COLOURS[drawn[c][k]]);
            }
            rows.add(row);
            labels.add(lab);
            out.printf("  sound of a %-20s -> drawn in %s%n", "\"" + sound.text() + "\"", said);
        }
        Report.imageGrid(png, "generated from sound: the real image, then " + DRAWS + " draws", rows, labels);
        double acc = (double) right / (colours * DRAWS);
        out.printf("colour of the drawings matches the sound in %.0f%% of %d images (chance %.0f%%); wrote %s%n", 100 * acc, colours * DRAWS,
            100.0 / colours, png);
        return new Result(png, queryColours, drawn, acc);
    }

    /**
     * Chromaticity {@code (r, g, b) / (r + g + b)} of the mean of an image's saturated pixels (brightness
     * left out, so that a blurred edge blending into the grey background keeps its hue), or null
     * when no pixel is saturated.
     */
    static float[] colour(Image im) {
        int hw = im.height() * im.width(), n = 0;
        float[] sum = new float[3], d = im.data();
        for (int i = 0; i < hw; i++) {
            float r = d[i], g = d[hw + i], b = d[2 * hw + i];
            if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) < SATURATED) continue;
            sum[0] += r;
            sum[1] += g;
            sum[2] += b;
            n++;
        }
        if (n == 0) return null;
        float total = sum[0] + sum[1] + sum[2];
        for (int k = 0; k < 3; k++) sum[k] /= total;
        return sum;
    }

    /** The six colours as they look in real images: the mean {@link #colour} of the training images of each. */
    static float[][] palette(List<Sample> train) {
        float[][] p = new float[BuiltinWorld.COLOURS.length][3];
        int[] n = new int[p.length];
        for (Sample s : train) {
            float[] c = colour(s.image());
            if (c == null) continue;
            int k = BuiltinWorld.colourOf(s.label());
            for (int j = 0; j < 3; j++) p[k][j] += c[j];
            n[k]++;
        }
        for (int k = 0; k < p.length; k++) for (int j = 0; j < 3; j++) p[k][j] /= Math.max(1, n[k]);
        return p;
    }

    /** Index of the palette colour nearest to the image's colour, -1 when it has no saturated pixel. */
    static int nearestColour(Image im, float[][] palette) {
        float[] c = colour(im);
        if (c == null) return -1;
        int best = -1;
        double bestD = Double.MAX_VALUE;
        for (int k = 0; k < palette.length; k++) {
            double dd = 0;
            for (int j = 0; j < 3; j++) dd += (c[j] - palette[k][j]) * (c[j] - palette[k][j]);
            if (dd < bestD) {
                bestD = dd;
                best = k;
            }
        }
        return best;
    }
}
