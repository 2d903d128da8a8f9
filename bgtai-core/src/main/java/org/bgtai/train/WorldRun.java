package org.bgtai.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Dataset;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.eval.Retrieval;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.model.Vocab;
import org.bgtai.tensor.Rng;

/**
 * Trains and evaluates one model variant on the built-in world: generate (seeded), prepare
 * features, fit with checkpoints, then test metrics (audio<->image retrieval, text->image
 * retrieval, zero-shot audio classification against the 48 class captions).
 */
public final class WorldRun {
    /** Everything a run produced. */
    public record Result(JointModel model, List<Trainer.Epoch> history, Map<String, Object> metrics,
                         Dataset<Sample> test, Embeddings testEmbeddings) {}

    private WorldRun() {}

    /** Sets the model's log-mel normalisation to the mean and standard deviation of {@code train}. */
    public static void normalise(JointModel model, Prepared[] train) {
        double s = 0, s2 = 0;
        long n = 0;
        for (Prepared p : train)
            for (float v : p.mel()) {
                s += v;
                s2 += (double) v * v;
                n++;
            }
        double mean = s / n;
        model.languageEncoder().audioFrontEnd().setMelStats((float) mean, (float) Math.sqrt(Math.max(1e-6, s2 / n - mean * mean)));
    }

    public static Result run(WorldConfig world, ModelConfig mc, TrainConfig tc, long seed, Path checkpointDir, boolean resume, boolean quiet)
        throws IOException {
        Dataset<Sample> train = BuiltinWorld.generate(world, Split.TRAIN, seed);
        Dataset<Sample> val = BuiltinWorld.generate(world, Split.VAL, seed);
        Dataset<Sample> test = BuiltinWorld.generate(world, Split.TEST, seed);
        List<String> texts = new ArrayList<>(), glosses = new ArrayList<>();
        for (int i = 0; i < BuiltinWorld.numClasses(); i++) {
            texts.add(BuiltinWorld.caption(i));
            glosses.add(BuiltinWorld.gloss(i));
        }
        Vocab tv = Vocab.build(texts), gv = Vocab.build(glosses);
        JointModel model = new JointModel(mc, tv, gv, new Rng(seed));
        Prepared[] ptrain = Prepared.prepare(train.items(), mc, tv, gv);
        Prepared[] pval = Prepared.prepare(val.items(), mc, tv, gv);
        Prepared[] ptest = Prepared.prepare(test.items(), mc, tv, gv);
        normalise(model, ptrain);
        int side = world.canvas();
        Trainer trainer = new Trainer(model, tc, ptrain, pval, side, side, checkpointDir).quiet(quiet);
        List<Trainer.Epoch> hist = trainer.fit(resume);
        Embeddings e = Embeddings.of(model, ptest, side, side, 64);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", mc.variant().name());
        m.put("test_samples", ptest.length);
        m.put("classes", BuiltinWorld.numClasses());
        m.put("audio_to_image", Retrieval.retrieve(e.audio(), e.labels(), e.image(), e.labels()).toMap());
        m.put("image_to_audio", Retrieval.retrieve(e.image(), e.labels(), e.audio(), e.labels()).toMap());
        m.put("text_to_image", Retrieval.retrieve(e.text(), e.labels(), e.image(), e.labels()).toMap());
        float[][] captions = Embeddings.texts(model, texts);
        m.put("zero_shot_audio_acc", Retrieval.zeroShot(e.audio(), e.labels(), captions));
        m.put("zero_shot_image_acc", Retrieval.zeroShot(e.image(), e.labels(), captions));
        m.put("temperature", (double) model.temperature());
        List<Object> h = new ArrayList<>();
        for (Trainer.Epoch ep : hist) h.add(ep.toMap());
        m.put("history", h);
        return new Result(model, hist, m, test, e);
    }
}
