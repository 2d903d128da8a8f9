package org.bgtai.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bgtai.autograd.Var;
import org.bgtai.langue2gloss.EncoderInput;
import org.bgtai.langue2gloss.Langue2Gloss;
import org.bgtai.langue2gloss.Langue2GlossRecipe;
import org.bgtai.langue2gloss.Search;
import org.bgtai.nn.Module;
import org.bgtai.nn.loss.InfoNce;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.text.Tokenizer;

/**
 * The joint model of both variants (spec item 6). Audio and text go through one universal
 * language encoder ({@link Langue2Gloss}'s, Eq. 1); images through the {@link ImageEncoder}; all
 * are compared in one {@code embedDim} space with symmetric InfoNCE and a learned temperature.
 * <pre>
 *   UniBriVL: z_lang = Proj(h_L)                         L = InfoNCE(z_audio, z_img) + [textImage] InfoNCE(z_text, z_img)
 *   BGTAI:    z_lang = G(Langue2Gloss(language))          L = InfoNCE_g(G(gloss), z_img) + c (CE_audio->gloss + [textImage] CE_text->gloss) / n
 * </pre>
 * BGTAI is the paper's bridge: images are aligned with the canonical gloss ({@link GlossEncoder}
 * {@code G} of the known gloss in training), and language only has to be translated to gloss
 * (Eq. 2, teacher forced in training); at inference a query's gloss is decoded (beam search, {@link ModelConfig#beam()}) and
 * embedded. {@code InfoNCE_g} counts the rows of a batch with the same gloss as positives of each
 * other (their gloss embeddings are equal; the canonical gloss says which pairs share content).
 * The alignment terms {@code a L_CE-align + b L_SP} of the full objective are added
 * through {@link #loss(Batch, ExtraLoss)} by {@code org.bgtai.align.JointAlignment}.
 */
public final class JointModel extends Module {
    /** Label smoothing of the gloss cross-entropy. */
    static final float LABEL_SMOOTHING = 0.1f;

    /** Loss and its parts of one batch. */
    public record Losses(Var total, float infoNce, float gloss) {}

    private final ModelConfig cfg;
    private final Tokenizer textTok, glossTok;
    private final Langue2Gloss lang;
    private final ImageEncoder image;
    private final Projection imageProj;
    private final Projection langProj;      // UniBriVL only
    private final GlossEncoder glossEnc;    // BGTAI only
    private final InfoNce audioImage, textImage;
    private Search search;

    public JointModel(ModelConfig cfg, Tokenizer textTok, Tokenizer glossTok, Rng rng) {
        this.cfg = cfg;
        this.textTok = textTok;
        this.glossTok = glossTok;
        lang = registerModule("lang", new Langue2Gloss(cfg.language(textTok.size(), glossTok.size()), rng));
        image = registerModule("image", new ImageEncoder(cfg.imageChannels(), cfg.cnnWidths(), rng));
        imageProj = registerModule("image_proj", new Projection(image.outChannels(), cfg.embedDim(), rng));
        boolean bgtai = bgtai();
        langProj = bgtai ? null : registerModule("lang_proj", new Projection(cfg.dModel(), cfg.embedDim(), rng));
        glossEnc = bgtai ? registerModule("gloss", new GlossEncoder(glossTok.size(), cfg.dModel(), cfg.heads(), cfg.ffDim(), cfg.glossLayers(), cfg.dropout(),
            cfg.embedDim(), rng)) : null;
        audioImage = registerModule("clip_audio", new InfoNce(cfg.temperature()));
        textImage = bgtai ? null : registerModule("clip_text", new InfoNce(cfg.temperature()));
        decodeWithBeam(cfg.beam());
    }

    public ModelConfig config() {
        return cfg;
    }

    public boolean bgtai() {
        return cfg.variant() == ModelConfig.Variant.BGTAI;
    }

    public Tokenizer textTokenizer() {
        return textTok;
    }

    public Tokenizer glossTokenizer() {
        return glossTok;
    }

    /** The universal language encoder (with the gloss decoder for BGTAI). */
    public Langue2Gloss language() {
        return lang;
    }

    public AudioEncoder audioFrontEnd() {
        return lang.audioFrontEnd();
    }

    /** The encoder input of a batch's audio. */
    public static EncoderInput.Audio audioInput(Batch b) {
        int rows = b.mel().size(0), t = b.mel().size(1);
        float[] pad = new float[rows * t];
        for (int r = 0; r < rows; r++) for (int f = b.frames()[r]; f < t; f++) pad[r * t + f] = 1;
        return new EncoderInput.Audio(b.mel(), Tensor.of(pad, rows, t));
    }

    /** The encoder input of text ids {@code [B, L]} padded with {@code <pad>} (a row keeps at least its first position). */
    public static EncoderInput.Text textInput(IntTensor ids) {
        int b = ids.size(0), l = ids.size(1);
        float[] pad = new float[b * l];
        int[] d = ids.data();
        for (int i = 0; i < pad.length; i++) pad[i] = d[i] == Tokenizer.PAD && i % l != 0 ? 1 : 0;
        return new EncoderInput.Text(ids, Tensor.of(pad, b, l));
    }

    /** Eq. 1 on a batch's audio: memory {@code [h_L; o_1:N]} and its padding. */
    public Langue2Gloss.Encoded encodeAudio(Batch b) {
        return lang.encode(audioInput(b));
    }

    /** Eq. 1 on text ids. */
    public Langue2Gloss.Encoded encodeText(IntTensor ids) {
        return lang.encode(textInput(ids));
    }

    /** @param gloss [B, G] gloss ids, {@code <pad>} after the end @return the gloss embedding [B, E] (BGTAI) */
    public Var gloss(IntTensor gloss) {
        if (glossEnc == null) throw new IllegalStateException("UniBriVL has no gloss encoder; gloss embeddings are a BGTAI model's");
        return glossEnc.forward(gloss);
    }

    /**
     * Decodes BGTAI's gloss with beam size {@code k} (1 = greedy) from now on: an inference-time
     * choice (an ablation of decoding), the weights are untouched; a saved model decodes with
     * {@link ModelConfig#beam()}.
     */
    public void decodeWithBeam(int k) {
        search = new Search(k, k == 1 ? 0 : ModelConfig.LENGTH_PENALTY, cfg.maxGloss() + 1);
    }

    /** The predicted gloss (ids, no specials) of each row of a batch's audio (BGTAI, beam search of the config's width). */
    public List<int[]> decodeAudio(Batch b) {
        return search.decode(lang, audioInput(b));
    }

    /** The predicted gloss of text ids (BGTAI). */
    public List<int[]> decodeText(IntTensor ids) {
        return search.decode(lang, textInput(ids));
    }

    /** @return language embeddings [B, E] of a batch's audio */
    public Var audio(Batch b) {
        return bgtai() ? glossOf(decodeAudio(b)) : langProj.forward(encodeAudio(b).pooled());
    }

    /** @param ids [B, maxText] @return text embeddings [B, E] */
    public Var text(IntTensor ids) {
        return bgtai() ? glossOf(decodeText(ids)) : langProj.forward(encodeText(ids).pooled());
    }

    /** The gloss embedding of decoded rows; an empty decode (immediate end) reads as {@code <unk>}. */
    private Var glossOf(List<int[]> rows) {
        List<int[]> r = new ArrayList<>(rows.size());
        for (int[] g : rows) r.add(g.length == 0 ? new int[] {Tokenizer.UNK} : Arrays.copyOf(g, Math.min(g.length, cfg.maxGloss())));
        return gloss(GlossEncoder.pad(r));
    }

    /** @param images [B, C, H, W] @return [B, E] */
    public Var image(Tensor images) {
        return imageProj.forward(image.forward(Var.of(images)));
    }

    /** @param images [B, C, H, W] right-padded @param widths [B] valid columns per row @return [B, E] */
    public Var image(Tensor images, int[] widths) {
        return imageProj.forward(image.forward(Var.of(images), widths));
    }

    /**
     * Extra loss terms computed from the same forward pass (the DS-Net alignment terms of
     * {@code org.bgtai.align.JointAlignment}); they are added to the total as returned.
     */
    @FunctionalInterface
    public interface ExtraLoss {
        /**
         * @param audio   the audio rows' encoder outputs {@code o_1:N [B, N, D]}
         * @param padding {@code [B, N]} (1 = padding)
         * @return a scalar to add, or null
         */
        Var loss(Batch b, Var audio, Tensor padding);
    }

    /** The training loss of one batch. */
    public Losses loss(Batch b) {
        return loss(b, null);
    }

    /**
     * The training loss of one batch plus {@code extra} (null = none, the same as {@link #loss(Batch)}).
     * A text-only batch ({@link Batch#hasAudio()} false) takes {@link #textOnlyLoss}; an
     * audio-only batch ({@link Batch#hasText()} false) has no text terms.
     */
    public Losses loss(Batch b, ExtraLoss extra) {
        if (!b.hasAudio()) return textOnlyLoss(b, extra);
        boolean text = cfg.textImage() && b.hasText();
        Var zi = image(b.images(), b.imageWidths());
        Langue2Gloss.Encoded ea = encodeAudio(b);
        Var info, total;
        float g = 0;
        if (bgtai()) {
            int[][] gold = rows(b.gloss());
            // rows that say the same gloss have one embedding: all of them are positives of each other
            info = audioImage.forward(gloss(b.gloss()), zi, groups(gold));
            Var gl = Langue2GlossRecipe.loss(lang, ea, gold, LABEL_SMOOTHING);
            if (text) gl = gl.add(Langue2GlossRecipe.loss(lang, encodeText(b.text()), gold, LABEL_SMOOTHING)).mul(0.5f);
            g = gl.item();
            total = cfg.glossWeight() > 0 ? info.add(gl.mul(cfg.glossWeight())) : info;
        } else {
            info = audioImage.forward(langProj.forward(ea.pooled()), zi);
            if (text) info = info.add(textImage.forward(langProj.forward(encodeText(b.text()).pooled()), zi));
            total = info;
        }
        if (extra != null) {
            Var x = extra.loss(b, ea.outputs(), ea.padding().narrow(1, 1, ea.padding().size(1) - 1));
            if (x != null) total = total.add(x);
        }
        return new Losses(total, info.item(), g);
    }

    /**
     * The loss of a text-only batch (no audio; e.g. PHOENIX sentences with weather maps rendered
     * from their gloss):
     * <pre>
     *   BGTAI:    InfoNCE(G(true gloss), z_img) + c CE(text -> gloss)
     *   UniBriVL: InfoNCE(Proj(h_L(text)), z_img)
     * </pre>
     * Rows with the same label (the same image content, e.g. the same rendered map) are positives
     * of each other in both variants: identical images have identical embeddings, so counting them
     * as negatives would punish either model for what it cannot change. The contrast is the
     * language side's InfoNCE module ({@code clip_text} when the config trains text-image, else
     * {@code clip_audio}, whose temperature {@link #temperature()} reports). The DS-Net alignment
     * terms align gloss with audio frames and do not exist here: {@code extra} must be null.
     */
    public Losses textOnlyLoss(Batch b, ExtraLoss extra) {
        if (extra != null)
            throw new IllegalArgumentException("the DS-Net alignment terms align gloss with audio frames; this batch is text-only (no audio): "
                + "train text-only data without them (bin/bgtai train: --ce-align 0 --sp 0)");
        Var zi = image(b.images(), b.imageWidths());
        Langue2Gloss.Encoded et = encodeText(b.text());
        int[] same = groups(b.labels());
        Var info, total;
        float g = 0;
        if (bgtai()) {
            info = audioImage.forward(gloss(b.gloss()), zi, same);
            Var gl = Langue2GlossRecipe.loss(lang, et, rows(b.gloss()), LABEL_SMOOTHING);
            g = gl.item();
            total = cfg.glossWeight() > 0 ? info.add(gl.mul(cfg.glossWeight())) : info;
        } else {
            info = (textImage != null ? textImage : audioImage).forward(langProj.forward(et.pooled()), zi, same);
            total = info;
        }
        return new Losses(total, info.item(), g);
    }

    /** Equal labels get one group number. */
    static int[] groups(int[] labels) {
        java.util.Map<Integer, Integer> seen = new java.util.HashMap<>();
        int[] g = new int[labels.length];
        for (int i = 0; i < labels.length; i++) g[i] = seen.computeIfAbsent(labels[i], k -> seen.size());
        return g;
    }

    /** Temperature of UniBriVL's paraphrase contrast on a language corpus. */
    static final float CORPUS_TEMPERATURE = 0.1f;

    /**
     * The loss of a batch of a language corpus (text-to-gloss pairs, no audio or image): the same
     * supervision reaches both variants. BGTAI: the text-to-gloss cross-entropy (more Langue2Gloss
     * training data). UniBriVL, which has no gloss decoder: a supervised contrastive loss that pulls
     * the text embeddings of sentences with the same gloss together (paraphrases as positives).
     *
     * @param text [B, maxText] ids @param gloss [B, maxGloss] ids
     */
    public Var corpusLoss(IntTensor text, IntTensor gloss) {
        int[][] gold = rows(gloss);
        Langue2Gloss.Encoded enc = encodeText(text);
        if (bgtai()) return Langue2GlossRecipe.loss(lang, enc, gold, LABEL_SMOOTHING);
        return InfoNce.supervisedContrastive(langProj.forward(enc.pooled()), Var.scalar((float) Math.log(1 / CORPUS_TEMPERATURE)), groups(gold));
    }

    /** Equal rows get one group number. */
    static int[] groups(int[][] rows) {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        int[] g = new int[rows.length];
        for (int i = 0; i < rows.length; i++) g[i] = seen.computeIfAbsent(Arrays.toString(rows[i]), k -> seen.size());
        return g;
    }

    /** Rows of a padded id tensor without the padding. */
    static int[][] rows(IntTensor ids) {
        int b = ids.size(0), l = ids.size(1);
        int[][] out = new int[b][];
        int[] d = ids.data();
        for (int r = 0; r < b; r++) {
            int n = 0;
            while (n < l && d[r * l + n] != Tokenizer.PAD) n++;
            out[r] = Arrays.copyOfRange(d, r * l, r * l + n);
        }
        return out;
    }

    /** Current temperature of the audio-image InfoNCE, {@code 1 / exp(logit_scale)}. */
    public float temperature() {
        return (float) Math.exp(-audioImage.logitScale().value().item());
    }
}
