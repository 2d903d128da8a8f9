package org.bgtai.langue2gloss;

import java.util.List;
import org.bgtai.autograd.Var;
import org.bgtai.model.AudioEncoder;
import org.bgtai.nn.Activation;
import org.bgtai.nn.Dropout;
import org.bgtai.nn.Embedding;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.SinusoidalPositionalEncoding;
import org.bgtai.nn.TransformerConfig;
import org.bgtai.nn.TransformerDecoder;
import org.bgtai.nn.TransformerEncoder;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.text.Tokenizer;

/**
 * Langue2Gloss (paper Eq. 1-2): a universal language encoder and a gloss decoder.
 *
 * <pre>
 *   o_1:N, h_L = Encoder(L^N)                         (1)
 *   gloss_m    = Decoder(h_L, alpha(o_1:N), gloss_m-1) (2)
 * </pre>
 * The encoder embeds the input ({@link EncoderInput.Text}: token embeddings scaled by
 * {@code sqrt(D)}; {@link EncoderInput.Audio}: log-mel {@code [B, T, nMels]} through the joint
 * model's front end {@link AudioEncoder} (normalise, two stride-2 Conv1d + GELU: {@code [B, T/4, D]},
 * padding mask downsampled with {@link AudioEncoder#outFrames})), adds sinusoidal positions and the learned embedding of the input's
 * {@link Modality}, and runs a pre-norm transformer encoder: {@code o_1:N [B, N, D]}. The sentence
 * vector {@code h_L [B, 1, D]} is the mean of {@code o} over non-padded positions. The decoder
 * is a pre-norm transformer decoder whose cross-attention {@code alpha} reads the memory
 * {@code [h_L; o_1:N] [B, N+1, D]}, so every gloss sees both the sentence summary and the
 * per-word states; the output projection (optionally tied to the gloss embedding) gives logits.
 *
 * <p>State-dict keys: {@code text_embed.weight, modality_embed.weight, encoder.*,
 * gloss_embed.weight, decoder.*}, {@code generator.weight} when not tied, and {@code audio.conv1.*,
 * audio.conv2.*, audio.mel_mean, audio.mel_std} when the config has {@code nMels > 0}.
 */
public final class Langue2Gloss extends Module {
    private final L2GConfig cfg;
    private final Embedding textEmbed, modalityEmbed, glossEmbed;
    private final TransformerEncoder encoder;
    private final TransformerDecoder decoder;
    private final Linear generator;
    private final AudioEncoder audio;
    private final Dropout srcDropout, tgtDropout;
    private final SinusoidalPositionalEncoding positions;
    private final float scale;

    /** The encoder's outputs for one batch: memory {@code [B, N+1, D]} ({@code h_L} first) and its padding {@code [B, N+1]}. */
    public record Encoded(Var memory, Tensor padding) {
        /** @return {@code o_1:N [B, N, D]} */
        public Var outputs() {
            return memory.narrow(1, 1, memory.size(1) - 1);
        }

        /** @return {@code h_L [B, D]} */
        public Var pooled() {
            return memory.select(1, 0);
        }
    }

    /** Builds a model; {@code rng} draws the initial weights and seeds the dropout generators. */
    public Langue2Gloss(L2GConfig cfg, Rng rng) {
        this.cfg = cfg;
        int d = cfg.dModel();
        TransformerConfig tc = new TransformerConfig(d, cfg.heads(), cfg.ffDim(), cfg.dropout(), Activation.RELU, true, 1e-5f);
        textEmbed = registerModule("text_embed", new Embedding(cfg.srcVocab(), d, Tokenizer.PAD, rng));
        modalityEmbed = registerModule("modality_embed", new Embedding(Modality.values().length, d, -1, rng));
        encoder = registerModule("encoder", new TransformerEncoder(tc, cfg.encoderLayers(), true, rng));
        boolean dec = cfg.decodes();
        glossEmbed = dec ? registerModule("gloss_embed", new Embedding(cfg.tgtVocab(), d, Tokenizer.PAD, rng)) : null;
        decoder = dec ? registerModule("decoder", new TransformerDecoder(tc, cfg.decoderLayers(), true, rng)) : null;
        generator = !dec || cfg.tieEmbeddings() ? null : registerModule("generator", new Linear(d, cfg.tgtVocab(), false, rng));
        srcDropout = registerModule("src_dropout", new Dropout(cfg.dropout(), rng.fork()));
        tgtDropout = dec ? registerModule("tgt_dropout", new Dropout(cfg.dropout(), rng.fork())) : null;
        // drawn last, so a text-only model's initial weights are the same as before the audio path existed
        audio = cfg.audio() ? registerModule("audio", new AudioEncoder(cfg.nMels(), d, rng)) : null;
        positions = new SinusoidalPositionalEncoding(d, cfg.maxLen());
        scale = (float) Math.sqrt(d);
        // embeddings N(0, 1/D) so that sqrt(D)-scaled inputs and tied output logits start at unit scale
        float std = (float) (1 / Math.sqrt(d));
        for (Embedding e : dec ? List.of(textEmbed, modalityEmbed, glossEmbed) : List.of(textEmbed, modalityEmbed)) {
            Tensor w = rng.normal(0f, std, e.weight().shape());
            if (e.paddingIdx() >= 0) w.select(0, e.paddingIdx()).fill(0f);
            e.weight().copyFrom(w);
        }
    }

    public L2GConfig config() {
        return cfg;
    }

    /** The audio front end (normalisation stats, convs), or null for a text-only model. */
    public AudioEncoder audioFrontEnd() {
        return audio;
    }

    /** Eq. 1: encodes a batch. */
    public Encoded encode(EncoderInput input) {
        Tensor pad = input.padding();
        Var x = switch (input) {
            case EncoderInput.Text t -> {
                if (t.tokens().size(1) > cfg.maxLen())
                    throw new IllegalArgumentException("input of " + t.tokens().size(1) + " tokens is longer than the model's maximum " + cfg.maxLen());
                yield textEmbed.forward(t.tokens()).mul(scale);
            }
            case EncoderInput.Audio a -> {
                if (audio == null)
                    throw new IllegalArgumentException("this Langue2Gloss model has no audio front end (config n_mels = 0, a text-only model); "
                        + "use text input or a model trained with audio (L2GConfig.withAudio)");
                int t = a.features().size(1), mels = a.features().size(2);
                if (mels != cfg.nMels())
                    throw new IllegalArgumentException("audio features have " + mels + " mel bands but the model's front end reads " + cfg.nMels()
                        + "; compute the log-mel with n_mels = " + cfg.nMels());
                if (AudioEncoder.outFrames(t) > cfg.maxLen())
                    throw new IllegalArgumentException("audio of " + t + " frames gives " + AudioEncoder.outFrames(t) + " encoder positions, more than the model's maximum "
                        + cfg.maxLen() + " (at most " + 4 * cfg.maxLen() + " frames); cut the audio into shorter pieces");
                int[] frames = a.frames();
                int n = AudioEncoder.outFrames(t);
                float[] p = new float[a.batch() * n];
                for (int r = 0; r < frames.length; r++)
                    for (int i = AudioEncoder.outFrames(frames[r]); i < n; i++) p[r * n + i] = 1;
                pad = Tensor.of(p, a.batch(), n);
                yield audio.forward(Var.of(a.features()), frames);
            }
        };
        int b = input.batch(), n = x.size(1);
        IntTensor mod = IntTensor.of(new int[] {input.modality().ordinal()}, 1, 1);
        x = positions.forward(x, 0).add(modalityEmbed.forward(mod));
        Var o = encoder.forward(srcDropout.forward(x), pad);
        // h_L: mean over non-padded positions
        float[] keep = new float[b * n];
        float[] cnt = new float[b];
        float[] pd = pad == null ? null : pad.contiguous().toArray();
        for (int i = 0; i < b * n; i++) {
            keep[i] = pd == null || pd[i] == 0 ? 1 : 0;
            cnt[i / n] += keep[i];
        }
        for (int i = 0; i < b; i++) cnt[i] = 1f / Math.max(1f, cnt[i]);
        Var hL = o.mul(Var.of(Tensor.of(keep, b, n, 1))).sum(1, true).mul(Var.of(Tensor.of(cnt, b, 1, 1)));
        Var memory = Var.cat(List.of(hL, o), 1);
        float[] mp = new float[b * (n + 1)];
        for (int i = 0; i < b; i++) for (int t = 0; t < n; t++) mp[i * (n + 1) + t + 1] = 1 - keep[i * n + t];
        return new Encoded(memory, Tensor.of(mp, b, n + 1));
    }

    /**
     * Teacher-forced Eq. 2 for every target position.
     * @param tgtIn [B, T] gloss ids starting with {@code <bos>}, right-padded with {@code <pad>}
     * @return logits [B, T, tgtVocab]
     */
    public Var forward(EncoderInput input, IntTensor tgtIn) {
        Encoded enc = encode(input);
        return decode(enc, tgtIn);
    }

    /** @param tgtIn [B, T] @return logits [B, T, tgtVocab] (causal; right padding needs no mask under the causal mask) */
    public Var decode(Encoded enc, IntTensor tgtIn) {
        requireDecoder();
        Var y = tgtDropout.forward(positions.forward(glossEmbed.forward(tgtIn).mul(scale), 0));
        return project(decoder.forward(y, enc.memory(), null, enc.padding(), true));
    }

    /** A fresh incremental-decoding cache. */
    public TransformerDecoder.Cache newCache() {
        requireDecoder();
        return decoder.newCache();
    }

    /**
     * One incremental step (Eq. 2 for position {@code cache.length()}).
     * @param last [B] the previous gloss of each row
     * @return logits [B, tgtVocab]
     */
    public Var step(Encoded enc, int[] last, TransformerDecoder.Cache cache) {
        int pos = cache.length();
        if (pos >= cfg.maxLen()) throw new IllegalArgumentException("decoding past the model's maximum length " + cfg.maxLen());
        Var y = positions.forward(glossEmbed.forward(IntTensor.of(last.clone(), last.length, 1)).mul(scale), pos);
        Var h = decoder.forwardStep(tgtDropout.forward(y), enc.memory(), enc.padding(), cache);
        return project(h).reshape(last.length, cfg.tgtVocab());
    }

    private void requireDecoder() {
        if (decoder == null)
            throw new IllegalStateException("this Langue2Gloss model is encoder only (decoder layers 0); build it with decoder layers > 0 to produce gloss");
    }

    private Var project(Var h) {
        return generator != null ? generator.forward(h) : Linear.linear(h, glossEmbed.weight().var(), null);
    }
}
