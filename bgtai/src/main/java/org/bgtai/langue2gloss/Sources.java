package org.bgtai.langue2gloss;

import java.util.List;

/**
 * Encoder inputs of one modality held in memory, batched on demand: what {@link Evaluation} decodes
 * and {@link Langue2GlossRecipe} trains on, whatever the modality.
 *
 * <pre>{@code
 * Sources text = Sources.text(ids);                 // int[n][len] token ids
 * Sources audio = Sources.audio(mels, 40);          // float[frames * 40] time-major log-mel each
 * EncoderInput in = audio.batch(new int[] {3, 7});  // Audio [2, T, 40], right-padded
 * }</pre>
 */
public interface Sources {
    /** Number of examples. */
    int size();

    /** Length of example {@code i} (tokens or frames), used to batch similar lengths together. */
    int length(int i);

    /** The encoder input of examples {@code idx} (padded to the longest). */
    EncoderInput batch(int[] idx);

    /** Token-id sentences ({@link EncoderInput.Text}). */
    static Sources text(int[][] ids) {
        return new Sources() {
            public int size() {
                return ids.length;
            }

            public int length(int i) {
                return ids[i].length;
            }

            public EncoderInput batch(int[] idx) {
                int[][] part = new int[idx.length][];
                for (int j = 0; j < idx.length; j++) part[j] = ids[idx[j]];
                return EncoderInput.Text.of(part);
            }
        };
    }

    /** Time-major log-mel rows of {@code frames * nMels} values ({@link EncoderInput.Audio}). */
    static Sources audio(List<float[]> mels, int nMels) {
        for (int i = 0; i < mels.size(); i++)
            if (mels.get(i).length == 0 || mels.get(i).length % nMels != 0)
                throw new IllegalArgumentException("log-mel of example " + i + " has " + mels.get(i).length + " values, not a positive multiple of " + nMels + " mel bands");
        return new Sources() {
            public int size() {
                return mels.size();
            }

            public int length(int i) {
                return mels.get(i).length / nMels;
            }

            public EncoderInput batch(int[] idx) {
                List<float[]> part = new java.util.ArrayList<>(idx.length);
                for (int i : idx) part.add(mels.get(i));
                return EncoderInput.Audio.of(part, nMels);
            }
        };
    }
}
