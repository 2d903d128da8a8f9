package org.bgtai.joint;

import org.bgtai.model.Prepared;
import org.bgtai.tensor.Rng;

/**
 * Mismatched pairs, as in web-scale audio-visual data: a set fraction of training pairs gets the
 * audio, the image or the text of another pair of a different class. The corrupted pairs are
 * known, so data-pair selection can be scored (the share of skipped pairs that were corrupted).
 *
 * <pre>{@code
 * Corruption.Result c = Corruption.apply(train, 0.2, Corruption.Kind.AUDIO, new Rng(7));
 * new JointRecipe(model, align, c.pairs(), 32, 32).corrupted(c.mask());
 * }</pre>
 */
public final class Corruption {
    private Corruption() {}

    /** What a corrupted pair gets from another pair. */
    public enum Kind { AUDIO, IMAGE, TEXT }

    /** The pairs (corrupted ones replaced) and which ones were corrupted. */
    public record Result(Prepared[] pairs, boolean[] mask) {
        public int count() {
            int n = 0;
            for (boolean b : mask) if (b) n++;
            return n;
        }
    }

    /**
     * Corrupts {@code round(fraction * n)} pairs chosen by {@code rng}: each takes the {@code kind}
     * of a random pair of another class (the gloss and label stay: they describe the rest of the pair).
     */
    public static Result apply(Prepared[] pairs, double fraction, Kind kind, Rng rng) {
        if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("corrupted fraction must be in [0, 1), got " + fraction);
        int n = pairs.length, k = (int) Math.round(fraction * n);
        if (k > 0 && java.util.Arrays.stream(pairs).mapToInt(Prepared::label).distinct().count() < 2)
            throw new IllegalArgumentException("corrupting pairs needs at least two classes to swap between");
        Prepared[] out = pairs.clone();
        boolean[] mask = new boolean[n];
        int[] perm = rng.permutation(n);
        for (int i = 0; i < k; i++) {
            int t = perm[i];
            int s;
            do s = rng.nextInt(n);
            while (pairs[s].label() == pairs[t].label());
            Prepared p = pairs[t], q = pairs[s];
            out[t] = switch (kind) {
                case AUDIO -> new Prepared(q.mel(), q.frames(), p.image(), p.text(), p.gloss(), p.label());
                case IMAGE -> new Prepared(p.mel(), p.frames(), q.image(), p.text(), p.gloss(), p.label());
                case TEXT -> new Prepared(p.mel(), p.frames(), p.image(), q.text(), p.gloss(), p.label());
            };
            mask[t] = true;
        }
        return new Result(out, mask);
    }
}
