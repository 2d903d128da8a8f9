package org.bgtai.align;

/**
 * One alignment example: source frames Y [T, F] of a spoken string, its target sequence R of Q
 * gloss tokens, and the ground truth. The true clip of token q covers
 * {@code [clipStartMs[q], clipEndMs[q])}; frame t (centred at {@code t * frameMs}) belongs to the
 * token whose clip is nearest, i.e. the boundary between tokens q and q+1 is the middle of the
 * silence between their clips ({@link #truth}).
 *
 * @param features  Y [T, F] row-major (normalised log-mel)
 * @param frames    T
 * @param dim       F
 * @param tokens    R [Q], token ids
 * @param truth     true token index of each frame [T], non-decreasing, 0..Q-1
 * @param clipStartMs true start of each token's clip [Q] in ms
 * @param clipEndMs   true end of each token's clip [Q] in ms
 * @param frameMs   hop between frames in ms
 */
public record AlignPair(float[] features, int frames, int dim, int[] tokens, int[] truth, double[] clipStartMs, double[] clipEndMs,
                        double frameMs) {
    public AlignPair {
        if (features.length != frames * dim)
            throw new IllegalArgumentException("features has " + features.length + " values, expected T*F = " + frames + "*" + dim);
        if (tokens.length == 0) throw new IllegalArgumentException("target sequence is empty; a pair needs at least one token");
        if (frames < tokens.length)
            throw new IllegalArgumentException("T=" + frames + " frames is shorter than Q=" + tokens.length + " tokens; each token needs a frame");
        if (truth.length != frames) throw new IllegalArgumentException("truth has " + truth.length + " labels for T=" + frames + " frames");
        if (clipStartMs.length != tokens.length || clipEndMs.length != tokens.length)
            throw new IllegalArgumentException("clip bounds need one entry per token (Q=" + tokens.length + ")");
    }

    /** Q */
    public int length() {
        return tokens.length;
    }

    /** The same source frames paired with another target sequence (a mismatched pair; the truth is kept but meaningless). */
    public AlignPair withTokens(int[] other) {
        if (other.length != tokens.length) throw new IllegalArgumentException("mismatched tokens must keep Q=" + tokens.length + ", got " + other.length);
        return new AlignPair(features, frames, dim, other, truth, clipStartMs, clipEndMs, frameMs);
    }
}
