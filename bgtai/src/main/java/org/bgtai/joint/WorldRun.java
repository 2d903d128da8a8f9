package org.bgtai.joint;

import org.bgtai.model.Embeddings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Dataset;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.TrainOptions;

/**
 * Trains and evaluates one model variant on the built-in world: {@link Run} with the
 * {@link DataSource.World} source (test metrics: audio<->image and text->image retrieval,
 * zero-shot audio classification against the 48 class captions).
 */
public final class WorldRun {
    /** Everything a run produced. */
    public record Result(JointModel model, List<Epoch> history, Map<String, Object> metrics,
                         Dataset<Sample> test, Embeddings testEmbeddings, org.bgtai.align.JointAlignment alignment) {}

    private WorldRun() {}

    /** Sets the model's log-mel normalisation to the mean and standard deviation of {@code train}. */
    public static void normalise(JointModel model, Prepared[] train) {
        Run.normalise(model, train);
    }

    public static Result run(WorldConfig world, ModelConfig mc, TrainOptions options, long seed) throws IOException {
        return run(world, mc, options, seed, org.bgtai.align.AlignConfig.OFF);
    }

    /** With the DS-Net terms of the full objective ({@link Run#run(DataSource.Loaded, ModelConfig, TrainOptions, long, org.bgtai.model.MelAugment, org.bgtai.align.AlignConfig)}). */
    public static Result run(WorldConfig world, ModelConfig mc, TrainOptions options, long seed, org.bgtai.align.AlignConfig align) throws IOException {
        DataSource.World src = new DataSource.World(world);
        Run.Result r = Run.run(src.load(mc, seed), mc, options, seed, null, align);
        return new Result(r.model(), r.history(), r.metrics(), BuiltinWorld.generate(world, Split.TEST, seed), r.testEmbeddings(), r.alignment());
    }
}
