package org.bgtai.joint;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bgtai.align.AlignConfig;
import org.bgtai.align.AlignTeacher;
import org.bgtai.align.JointAlignment;
import org.bgtai.autograd.Var;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.langue2gloss.Langue2GlossRecipe;
import org.bgtai.model.Batch;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.nn.Parameter;
import org.bgtai.nn.align.SelfPaced;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.bgtai.testing.TinyWorld;
import org.junit.jupiter.api.Test;

/**
 * Every term of {@code L_total = L_InfoNCE + a L_CE-align + b L_SP + c L_gloss} (and the language
 * corpus term) changes the gradient when it is on, by exactly its own gradient (gradients add), and
 * leaves it untouched when it is off: the gradient then equals that of the objective without it.
 */
class ObjectiveTermsTest {
    static final ModelConfig BGTAI = TinyWorld.BGTAI;

    /** Gradients of every named parameter of {@code m} (and of DS-Net when given) after one backward of {@code loss}. */
    static Map<String, float[]> grads(JointModel m, JointAlignment ja, Supplier<Var> loss) {
        m.zeroGrad();
        if (ja != null) ja.dsNet().zeroGrad();
        loss.get().backward();
        Map<String, float[]> g = new LinkedHashMap<>();
        for (var e : m.namedParameters().entrySet()) g.put(e.getKey(), gradOf(e.getValue()));
        if (ja != null) for (var e : ja.dsNet().namedParameters().entrySet()) g.put("dsnet." + e.getKey(), gradOf(e.getValue()));
        return g;
    }

    private static float[] gradOf(Parameter p) {
        return p.grad() == null ? new float[p.value().numel()] : p.grad().toArray();
    }

    static JointModel model(TinyWorld s, float c) {
        return new JointModel(BGTAI.withGlossWeight(c), s.text(), s.gloss(), new Rng(5));
    }

    /** on - off equals the term's own gradient (to float rounding), and the term is not zero. */
    static void assertAddsItsGradient(String what, Map<String, float[]> off, Map<String, float[]> on, Map<String, float[]> term) {
        double moved = 0;
        for (String k : off.keySet()) {
            float[] a = off.get(k), b = on.get(k), t = term.get(k);
            for (int i = 0; i < a.length; i++) {
                moved += Math.abs(b[i] - a[i]);
                assertEquals(t[i], b[i] - a[i], 1e-4f + 1e-3f * Math.abs(t[i]), what + ": " + k + "[" + i + "]");
            }
        }
        assertTrue(moved > 1e-3, what + " changes the gradient (total change " + moved + ")");
    }

    static void assertSame(String what, Map<String, float[]> a, Map<String, float[]> b) {
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), 0f, what + ": " + k);
    }

    @Test
    void glossTermAddsItsGradientAndNothingWhenOff() {
        TinyWorld s = TinyWorld.of();
        JointModel off = model(s, 0f), on = model(s, 0.7f), alone = model(s, 0f);
        Map<String, float[]> gOff = grads(off, null, () -> off.loss(s.batch()).total());
        Map<String, float[]> gOn = grads(on, null, () -> on.loss(s.batch()).total());
        Map<String, float[]> gTerm = grads(alone, null, () -> {
            int[][] gold = glossRows(s.batch().gloss());
            Var audio = Langue2GlossRecipe.loss(alone.language(), alone.encodeAudio(s.batch()), gold, 0.1f);
            Var text = Langue2GlossRecipe.loss(alone.language(), alone.encodeText(s.batch().text()), gold, 0.1f);
            return audio.add(text).mul(0.5f).mul(0.7f);
        });
        assertAddsItsGradient("c L_gloss", gOff, gOn, gTerm);
        // off: the decoder gets no gradient at all
        for (var e : gOff.entrySet()) if (e.getKey().startsWith("lang.decoder")) for (float v : e.getValue()) assertEquals(0f, v, e.getKey());
    }

    @Test
    void alignmentTermsAddTheirGradientsAndNothingWhenOff() {
        TinyWorld s = TinyWorld.of();
        int[] idx = {0, 1, 2, 3, 4, 5};
        SelfPaced all = SelfPaced.hard(10, 1, 10);   // weight 1 for every pair: the terms are plain sums
        for (String term : List.of("a", "b")) {
            AlignConfig on = term.equals("a") ? AlignConfig.OFF.withCe(0.4) : AlignConfig.OFF.withAux(AlignConfig.Aux.SP, 0.8).withSelfPaced(all);
            JointModel mOff = model(s, 1f), mOn = model(s, 1f), mTerm = model(s, 1f);
            JointAlignment jOn = new JointAlignment(on, s.paths(), s.gloss().size(), BGTAI.dModel(), new Rng(9));
            JointAlignment jTerm = new JointAlignment(on, s.paths(), s.gloss().size(), BGTAI.dModel(), new Rng(9));
            JointAlignment jOff = new JointAlignment(on, s.paths(), s.gloss().size(), BGTAI.dModel(), new Rng(9));
            Map<String, float[]> gOff = grads(mOff, jOff, () -> mOff.loss(s.batch()).total());
            Map<String, float[]> gOn = grads(mOn, jOn, () -> mOn.loss(s.batch(), jOn.step(idx, 0)).total());
            Map<String, float[]> gTerm = grads(mTerm, jTerm, () -> {
                var enc = mTerm.encodeAudio(s.batch());
                Tensor pad = enc.padding().narrow(1, 1, enc.padding().size(1) - 1);
                return jTerm.step(idx, 0).loss(s.batch(), enc.outputs(), pad);
            });
            assertAddsItsGradient(term + " term", gOff, gOn, gTerm);
            // off (no extra loss): DS-Net gets no gradient, and the model's gradient is the plain objective's
            for (var e : gOff.entrySet()) if (e.getKey().startsWith("dsnet.")) for (float v : e.getValue()) assertEquals(0f, v, e.getKey());
            JointModel plain = model(s, 1f);
            assertSame(term + " off", gOff, grads(plain, jOff, () -> plain.loss(s.batch(), (b, o, p) -> null).total()));
        }
    }

    @Test
    void corpusTermAddsItsGradientAndNothingWhenOff() {
        TinyWorld s = TinyWorld.of();
        DataSource.Corpus corpus = new DataSource.Corpus(new int[][] {s.train()[0].text(), s.train()[1].text(), s.train()[2].text()},
            new int[][] {s.train()[0].gloss(), s.train()[1].gloss(), s.train()[0].gloss()});
        for (ModelConfig.Variant v : ModelConfig.Variant.values()) {
            ModelConfig mc = BGTAI.withVariant(v);
            JointModel off = new JointModel(mc, s.text(), s.gloss(), new Rng(5)), on = new JointModel(mc, s.text(), s.gloss(), new Rng(5));
            JointRecipe rOff = new JointRecipe(off, null, s.train(), 16, 16), rOn = new JointRecipe(on, null, s.train(), 16, 16).corpus(corpus, 0.6f);
            rOn.startEpoch(1, new Rng(2));
            var step = new org.bgtai.nn.train.Recipe.Step(1, 0, 0, new Rng(1));
            int[] batch = {0, 1, 2};
            Map<String, float[]> gOff = grads(off, null, () -> rOff.loss(batch, step).parts().get(0));
            Map<String, float[]> gOn = grads(on, null, () -> rOn.loss(batch, step).parts().get(0));
            JointModel alone = new JointModel(mc, s.text(), s.gloss(), new Rng(5));
            // the corpus rows of step 0 under the order drawn in startEpoch
            int[] order = new Rng(2).permutation(corpus.size());
            int[] t = new int[3 * BGTAI.maxText()], g = new int[3 * BGTAI.maxGloss()];
            for (int i = 0; i < 3; i++) {
                System.arraycopy(corpus.text()[order[i]], 0, t, i * BGTAI.maxText(), BGTAI.maxText());
                System.arraycopy(corpus.gloss()[order[i]], 0, g, i * BGTAI.maxGloss(), BGTAI.maxGloss());
            }
            Map<String, float[]> gTerm = grads(alone, null, () -> alone.corpusLoss(IntTensor.of(t, 3, BGTAI.maxText()), IntTensor.of(g, 3, BGTAI.maxGloss()))
                .mul(0.6f));
            assertAddsItsGradient(v + " corpus term", gOff, gOn, gTerm);
        }
    }

    static int[][] glossRows(IntTensor ids) {
        int b = ids.size(0), l = ids.size(1);
        int[][] out = new int[b][];
        for (int r = 0; r < b; r++) {
            int n = 0;
            while (n < l && ids.data()[r * l + n] != Tokenizer.PAD) n++;
            out[r] = java.util.Arrays.copyOfRange(ids.data(), r * l, r * l + n);
        }
        return out;
    }
}
