package org.bgtai.joint;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.bgtai.model.Batch;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.tensor.Rng;
import org.bgtai.testing.TinyWorld;
import org.junit.jupiter.api.Test;

/**
 * Training with audio and text supervision from disjoint samples (Table 5's emergent setting):
 * audio-only samples ({@link Prepared#withoutText}) and text-only ones ({@link
 * Prepared#withoutAudio}) never share a batch, an audio-only batch gives the text encoder no
 * gradient (no text term), a text-only batch gives the audio front end none, and a batch that
 * mixes kinds is refused.
 */
class DisjointSupervisionTest {
    static Prepared[] halves(Prepared[] p) {
        Prepared[] out = new Prepared[p.length];
        for (int i = 0; i < p.length; i++) out[i] = i % 2 == 0 ? p[i].withoutText() : p[i].withoutAudio();
        return out;
    }

    @Test
    void batchesHoldOneKindOfSample() {
        TinyWorld s = TinyWorld.of();
        Prepared[] train = new Prepared[24];
        for (int i = 0; i < train.length; i++) train[i] = s.train()[i % 6];
        Prepared[] mixed = halves(train);
        JointRecipe r = new JointRecipe(new JointModel(TinyWorld.BGTAI, s.text(), s.gloss(), new Rng(1)), null, mixed, 16, 16);
        List<int[]> batches = r.batches(1, TrainOptions.of(1, 4, 1e-3), new Rng(7));
        assertEquals(6, batches.size(), "12 audio-only and 12 text-only samples make 3 + 3 full batches of 4");
        int audio = 0;
        for (int[] b : batches) {
            boolean first = mixed[b[0]].hasAudio();
            for (int i : b) assertEquals(first, mixed[i].hasAudio(), "a batch mixes audio-only and text-only samples");
            if (first) audio++;
        }
        assertEquals(3, audio);
        int[] mix = {0, 1, 2, 3};
        assertThrows(IllegalArgumentException.class, () -> Batch.of(mixed, mix, TinyWorld.BGTAI.nMels(), 3, 16, 16).hasAudio());
    }

    /** Sum of |grad| over the parameters whose name starts with {@code prefix}. */
    static double gradNorm(JointModel m, String prefix) {
        double g = 0;
        for (var e : m.namedParameters().entrySet())
            if (e.getKey().startsWith(prefix) && e.getValue().grad() != null) for (float v : e.getValue().grad().toArray()) g += Math.abs(v);
        return g;
    }

    /** Sum of |grad| of one modality's row of the language encoder's modality embedding. */
    static double modalityRowGrad(JointModel m, org.bgtai.langue2gloss.Modality mod) {
        var p = m.namedParameters().get("lang.modality_embed.weight");
        assertNotNull(p, "parameter names changed: " + m.namedParameters().keySet());
        if (p.grad() == null) return 0;
        float[] g = p.grad().toArray();
        int d = g.length / org.bgtai.langue2gloss.Modality.values().length;
        double s = 0;
        for (int i = mod.ordinal() * d; i < (mod.ordinal() + 1) * d; i++) s += Math.abs(g[i]);
        return s;
    }

    @Test
    void eachKindTrainsOnlyItsOwnEncoder() {
        TinyWorld s = TinyWorld.of();
        for (ModelConfig.Variant v : ModelConfig.Variant.values()) {
            JointModel m = new JointModel(TinyWorld.BGTAI.withVariant(v), s.text(), s.gloss(), new Rng(3));
            Prepared[] audioOnly = java.util.Arrays.stream(s.train()).map(Prepared::withoutText).toArray(Prepared[]::new);
            Prepared[] textOnly = java.util.Arrays.stream(s.train()).map(Prepared::withoutAudio).toArray(Prepared[]::new);
            int[] all = {0, 1, 2, 3, 4, 5};
            Map<String, Double> seen = new java.util.HashMap<>();
            for (var kind : Map.of("audio", audioOnly, "text", textOnly).entrySet()) {
                m.zeroGrad();
                Batch b = Batch.of(kind.getValue(), all, TinyWorld.BGTAI.nMels(), 3, 16, 16);
                m.loss(b).total().backward();
                seen.put(kind.getKey() + ".audio", gradNorm(m, "lang.audio"));
                seen.put(kind.getKey() + ".text", gradNorm(m, "lang.text") + modalityRowGrad(m, org.bgtai.langue2gloss.Modality.TEXT));
            }
            assertTrue(seen.get("audio.audio") > 0, v + ": the audio front end learns from audio-only batches " + seen);
            assertEquals(0, seen.get("audio.text"), v + ": an audio-only batch must not reach the text embedding " + seen);
            assertTrue(seen.get("text.text") > 0, v + ": the text embedding learns from text-only batches " + seen);
            assertEquals(0, seen.get("text.audio"), v + ": a text-only batch must not reach the audio front end " + seen);
        }
    }
}
