package org.bgtai.langue2gloss;

import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * What the universal language encoder reads: text token ids now, audio features with a later
 * issue (the strided Conv1d front end of the spec). Each case carries a key padding mask
 * {@code [B, S]} (nonzero = padding) and names its {@link Modality}, which selects the learned
 * modality embedding added to every position.
 */
public sealed interface EncoderInput permits EncoderInput.Text, EncoderInput.Audio {
    Modality modality();

    /** Batch size. */
    int batch();

    /** Key padding mask {@code [B, S]} (nonzero = padding), or null when nothing is padded. */
    Tensor padding();

    /**
     * Token ids.
     * @param tokens [B, S] ids, padded with {@link org.bgtai.text.Tokenizer#PAD}
     * @param padding [B, S] nonzero where padded, or null
     */
    record Text(IntTensor tokens, Tensor padding) implements EncoderInput {
        public Text {
            if (tokens.dim() != 2) throw new IllegalArgumentException("text input must be [batch, length] token ids, got " + Shape.str(tokens.shape()));
            if (padding != null && !java.util.Arrays.equals(padding.shape(), tokens.shape()))
                throw new IllegalArgumentException("text padding " + Shape.str(padding.shape()) + " must match tokens " + Shape.str(tokens.shape()));
        }

        /** Pads the sentences to the longest with {@code PAD} and builds the mask. */
        public static Text of(int[][] sentences) {
            int b = sentences.length, s = 1;
            for (int[] x : sentences) s = Math.max(s, x.length);
            int[] ids = new int[b * s];
            float[] pad = new float[b * s];
            for (int i = 0; i < b; i++)
                for (int t = 0; t < s; t++) {
                    if (t < sentences[i].length) ids[i * s + t] = sentences[i][t];
                    else pad[i * s + t] = 1;
                }
            return new Text(IntTensor.of(ids, b, s), Tensor.of(pad, b, s));
        }

        @Override
        public Modality modality() {
            return Modality.TEXT;
        }

        @Override
        public int batch() {
            return tokens.size(0);
        }
    }

    /**
     * Audio frames (log-mel); the front end that reads them arrives with the audio-to-gloss issue.
     * @param features [B, T, mels]
     * @param padding [B, T] nonzero where padded, or null
     */
    record Audio(Tensor features, Tensor padding) implements EncoderInput {
        @Override
        public Modality modality() {
            return Modality.AUDIO;
        }

        @Override
        public int batch() {
            return features.size(0);
        }
    }
}
