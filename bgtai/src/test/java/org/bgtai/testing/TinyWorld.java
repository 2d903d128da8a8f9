package org.bgtai.testing;

import java.util.ArrayList;
import java.util.List;
import org.bgtai.align.AlignTeacher;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.model.Batch;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;

/**
 * Six samples of a small built-in world prepared for a tiny BGTAI model, with tokenizers, one
 * batch of all six and the DTW teacher's paths: the fixture of tests of the objective's terms and
 * of the Result Filter.
 */
public record TinyWorld(Prepared[] train, Batch batch, Tokenizer text, Tokenizer gloss, float[][] paths) {
    public static final WorldConfig WORLD = new WorldConfig(16, 8000, 0.4, 1, 1);
    public static final ModelConfig BGTAI = ModelConfig.world(ModelConfig.Variant.BGTAI).withSizes(16, 2, 32, 1, 16);

    public static TinyWorld of() {
        List<Sample> s = BuiltinWorld.generate(WORLD, Split.TRAIN, 3).items().subList(0, 6);
        List<String> texts = new ArrayList<>();
        for (Sample x : s) texts.add(x.text());
        Tokenizer tv = WordTokenizer.train(texts, 1, true), gv = WordTokenizer.train(BuiltinWorld.glosses(), 1, false);
        Prepared[] p = Prepared.prepare(s, BGTAI, tv, gv);
        AlignTeacher teacher = AlignTeacher.fit(List.of(Prepared.prepare(BuiltinWorld.notes(WORLD, 2, 3), BGTAI, tv, gv)), BGTAI.nMels());
        float[][] paths = new float[p.length][];
        for (int i = 0; i < p.length; i++) paths[i] = teacher.path(p[i]);
        Batch b = Batch.of(p, new int[] {0, 1, 2, 3, 4, 5}, BGTAI.nMels(), BGTAI.imageChannels(), 16, 16);
        return new TinyWorld(p, b, tv, gv, paths);
    }
}
