package org.bgtai.test;

import static org.junit.jupiter.api.Assertions.*;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.model.Embeddings;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.tensor.Rng;

/**
 * A sample's embeddings do not depend on the batch it is embedded in: sounds of different lengths
 * (log-mel padded to the longest, audio module), digit strips of different widths (images padded
 * on the right, model module) and texts, embedded in one batch, equal each embedded alone.
 * Crosses audio (resampling, log-mel), the joint model's encoders and their masks, and
 * {@link Embeddings}.
 *
 * <p>{@link #paddingNeverReachesASound} found a bug in the old {@code LanguageEncoder} (the
 * strided convolutions of a row shorter than the batch read its padding frames, moving its
 * embedding by up to ~0.03); the Langue2Gloss encoder masks every row by its own frame count, and
 * the property holds for every sound.
 */
class BatchedEmbeddingPropertiesTest {
    /** Float32 sums in another order (GEMM blocking by batch size) differ by ulps, not more. */
    static final double TOL = 1e-4;

    @Property(tries = 25)
    void aBatchEmbedsAsItsSamplesOneByOne(@ForAll @IntRange(min = 0, max = 7) int kind, @ForAll @IntRange(min = 1, max = 4) int heads,
                                          @ForAll @IntRange(min = 2, max = 7) int n, @ForAll @IntRange(min = 0, max = 100_000) int seed) {
        check(kind, heads, n, seed, false);
    }

    @Property(tries = 25)
    void paddingNeverReachesASound(@ForAll @IntRange(min = 0, max = 7) int kind, @ForAll @IntRange(min = 1, max = 4) int heads,
                                   @ForAll @IntRange(min = 2, max = 7) int n, @ForAll @IntRange(min = 0, max = 100_000) int seed) {
        check(kind, heads, n, seed, true);
    }

    static void check(int kind, int heads, int n, int seed, boolean everySound) {
        ModelConfig c = Models.config(kind, heads, 16);
        JointModel m = Models.model(c, seed);
        Prepared[] data = Models.samples(c, n, new Rng(seed + 1));
        int longest = 0;
        for (Prepared p : data) longest = Math.max(longest, p.frames());
        Embeddings batched = Embeddings.of(m, data, 16, Models.width(c), n);
        float[][] audioOnly = Embeddings.audio(m, data, n);
        for (int i = 0; i < n; i++) {
            Embeddings alone = Embeddings.of(m, new Prepared[] {data[i]}, 16, Models.width(c), 1);
            String where = "sample " + i + " of " + n + " (" + data[i].frames() + " of " + longest + " frames, image "
                + data[i].image().length / (c.imageChannels() * 16) + " wide), " + c.variant() + " " + c.imageChannels() + "-channel";
            assertTrue(Models.maxDiff(new float[][] {batched.image()[i]}, alone.image()) < TOL, "image of " + where);
            assertTrue(Models.maxDiff(new float[][] {batched.text()[i]}, alone.text()) < TOL, "text of " + where);
            assertTrue(Models.maxDiff(new float[][] {audioOnly[i]}, new float[][] {batched.audio()[i]}) < TOL, "audio-only path of " + where);
            if (everySound || data[i].frames() % 4 == 0 || data[i].frames() == longest)
                assertTrue(Models.maxDiff(new float[][] {batched.audio()[i]}, alone.audio()) < TOL,
                    "audio of " + where + ": " + Models.maxDiff(new float[][] {batched.audio()[i]}, alone.audio()));
        }
    }
}
