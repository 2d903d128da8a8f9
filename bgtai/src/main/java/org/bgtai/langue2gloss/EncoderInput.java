package org.bgtai.langue2gloss;

import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * What the universal language encoder reads: text token ids, or log-mel frames that go through the
 * audio front end ({@link org.bgtai.model.AudioEncoder}: two strided Conv1d, time / 4). Each case carries a key padding mask
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
     * Log-mel frames, right-padded; the model's audio front end downsamples time by 4 and the
     * padding with it ({@link org.bgtai.model.AudioEncoder#outFrames}).
     * @param features [B, T, nMels]
     * @param padding [B, T] nonzero where padded (only at the end of a row, at least one valid frame), or null
     */
    record Audio(Tensor features, Tensor padding) implements EncoderInput {
        public Audio {
            if (features.dim() != 3) throw new IllegalArgumentException("audio input must be [batch, frames, mels] log-mel, got " + Shape.str(features.shape()));
            if (padding != null && (padding.dim() != 2 || padding.size(0) != features.size(0) || padding.size(1) != features.size(1)))
                throw new IllegalArgumentException("audio padding " + Shape.str(padding.shape()) + " must be [batch, frames] of features " + Shape.str(features.shape()));
        }

        /**
         * Pads time-major log-mel rows (each {@code frames * nMels} values) with zeros to the longest and builds the mask.
         * @param rows one {@code float[frames * nMels]} per example
         */
        public static Audio of(java.util.List<float[]> rows, int nMels) {
            if (nMels < 1) throw new IllegalArgumentException("nMels must be >= 1, got " + nMels);
            int b = rows.size(), t = 1;
            for (int i = 0; i < b; i++) {
                float[] r = rows.get(i);
                if (r.length == 0 || r.length % nMels != 0)
                    throw new IllegalArgumentException("audio row " + i + " has " + r.length + " values, not a positive multiple of " + nMels + " mel bands");
                t = Math.max(t, r.length / nMels);
            }
            float[] x = new float[b * t * nMels], pad = new float[b * t];
            for (int i = 0; i < b; i++) {
                float[] r = rows.get(i);
                System.arraycopy(r, 0, x, i * t * nMels, r.length);
                for (int f = r.length / nMels; f < t; f++) pad[i * t + f] = 1;
            }
            return new Audio(Tensor.of(x, b, t, nMels), Tensor.of(pad, b, t));
        }

        /** Valid (unpadded) frames of each row; checks that padding only ends rows and leaves a frame. */
        public int[] frames() {
            int b = features.size(0), t = features.size(1);
            int[] n = new int[b];
            if (padding == null) {
                java.util.Arrays.fill(n, t);
                return n;
            }
            float[] p = padding.contiguous().toArray();
            for (int i = 0; i < b; i++) {
                int v = 0;
                while (v < t && p[i * t + v] == 0) v++;
                for (int f = v; f < t; f++)
                    if (p[i * t + f] == 0) throw new IllegalArgumentException("audio row " + i + " has a valid frame " + f + " after padding at frame " + v + "; pad only at the end of a row");
                if (v == 0) throw new IllegalArgumentException("audio row " + i + " is all padding; every row needs at least one frame");
                n[i] = v;
            }
            return n;
        }

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
