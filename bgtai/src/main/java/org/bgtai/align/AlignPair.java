package org.bgtai.align;

/**
 * One alignment example: a source sequence Y [T, F] (the frames of a spoken string, or the
 * columns of an image strip), its target sequence R of Q gloss tokens, and the ground truth.
 * Positions are measured in the pair's {@link #unit}: ms for audio ({@code frameMs} = the hop),
 * columns for images ({@code frameMs} = 1). The true extent of token q (its clip, or its digit's
 * ink) covers {@code [clipStartMs[q], clipEndMs[q])}; position t (centred at {@code t * frameMs})
 * belongs to the token whose extent is nearest, i.e. the boundary between tokens q and q+1 is the
 * middle of the silence (background) between them ({@link #truth}).
 *
 * @param features  Y [T, F] row-major (normalised log-mel frames or pixel columns)
 * @param frames    T
 * @param dim       F
 * @param tokens    R [Q], token ids
 * @param truth     true token index of each frame [T], non-decreasing, 0..Q-1
 * @param clipStartMs true start of each token's extent [Q] in {@code unit}
 * @param clipEndMs   true end of each token's extent [Q] in {@code unit}
 * @param frameMs   hop between source positions in {@code unit}
 * @param unit      the unit of positions: {@link #MS} or {@link #COLUMNS}
 */
public record AlignPair(float[] features, int frames, int dim, int[] tokens, int[] truth, double[] clipStartMs, double[] clipEndMs,
                        double frameMs, String unit) {
    /** Units of positions. */
    public static final String MS = "ms", COLUMNS = "columns";

    /** A pair of audio frames (positions in ms). */
    public AlignPair(float[] features, int frames, int dim, int[] tokens, int[] truth, double[] clipStartMs, double[] clipEndMs, double frameMs) {
        this(features, frames, dim, tokens, truth, clipStartMs, clipEndMs, frameMs, MS);
    }

    public AlignPair {
        if (unit == null || unit.isEmpty()) throw new IllegalArgumentException("unit is empty; use AlignPair.MS or AlignPair.COLUMNS");
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
        return new AlignPair(features, frames, dim, other, truth, clipStartMs, clipEndMs, frameMs, unit);
    }
}
