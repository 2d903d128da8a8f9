package org.bgtai.model;

import org.bgtai.text.Vocab;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Module;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.nn.loss.InfoNce;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * UniBriVL / BGTAI joint model (spec item 6). Audio and text go through the shared
 * {@link LanguageEncoder}; images through the {@link ImageEncoder}; both are projected to one
 * {@code embedDim} space and trained with symmetric InfoNCE with a learned temperature:
 * <pre>
 *   UniBriVL: z_lang = Proj(h)                       BGTAI: z_lang = GlossHead.embed(GlossHead.logits(o))
 *   L_total  = InfoNCE(z_audio, z_img) + [textImage] InfoNCE(z_text, z_img) + c L_gloss
 * </pre>
 * with {@code L_gloss} the cross-entropy of the gloss slots against the known gloss (audio and
 * text rows averaged). The alignment terms {@code a L_CE-align + b L_SP} of the full objective
 * are added through {@link #loss(Batch, ExtraLoss)} by {@code org.bgtai.align.JointAlignment}.
 */
public final class JointModel extends Module {
    /** Loss and its parts of one batch. */
    public record Losses(Var total, float infoNce, float gloss) {}

    private final ModelConfig cfg;
    private final Vocab textVocab, glossVocab;
    private final LanguageEncoder lang;
    private final ImageEncoder image;
    private final Projection imageProj;
    private final Projection langProj;   // UniBriVL only
    private final GlossHead glossHead;   // BGTAI only
    private final InfoNce audioImage, textImage;

    public JointModel(ModelConfig cfg, Vocab textVocab, Vocab glossVocab, Rng rng) {
        this.cfg = cfg;
        this.textVocab = textVocab;
        this.glossVocab = glossVocab;
        lang = registerModule("lang", new LanguageEncoder(cfg, textVocab.size(), rng));
        image = registerModule("image", new ImageEncoder(cfg.imageChannels(), cfg.cnnWidths(), rng));
        imageProj = registerModule("image_proj", new Projection(image.outChannels(), cfg.embedDim(), rng));
        boolean bgtai = cfg.variant() == ModelConfig.Variant.BGTAI;
        langProj = bgtai ? null : registerModule("lang_proj", new Projection(cfg.dModel(), cfg.embedDim(), rng));
        glossHead = bgtai ? registerModule("gloss", new GlossHead(cfg.dModel(), cfg.maxGloss(), glossVocab.size(), cfg.embedDim(), rng)) : null;
        audioImage = registerModule("clip_audio", new InfoNce(cfg.temperature()));
        textImage = registerModule("clip_text", new InfoNce(cfg.temperature()));
    }

    public ModelConfig config() {
        return cfg;
    }

    public Vocab textVocab() {
        return textVocab;
    }

    public Vocab glossVocab() {
        return glossVocab;
    }

    public LanguageEncoder languageEncoder() {
        return lang;
    }

    /** Language embedding [B, E] and gloss logits [B, S, V] (null for UniBriVL) of encoder output. */
    private Var[] language(LanguageEncoder.Encoded e) {
        if (glossHead == null) return new Var[] {langProj.forward(e.h()), null};
        Var logits = glossHead.logits(e.o(), e.padding());
        return new Var[] {glossHead.embed(logits), logits};
    }

    /** @return audio embeddings [B, E] and gloss logits (or null) */
    public Var[] audio(Batch b) {
        return language(lang.encodeAudio(b.mel(), b.frames()));
    }

    /** @param ids [B, maxText] @return text embeddings [B, E] and gloss logits (or null) */
    public Var[] text(IntTensor ids) {
        return language(lang.encodeText(ids));
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
     * {@code org.bgtai.joint}); they are added to the total as returned.
     */
    @FunctionalInterface
    public interface ExtraLoss {
        /** @param audio the audio rows' encoder output ({@code o [B, N, D]}, padding) @return a scalar to add, or null */
        Var loss(Batch b, LanguageEncoder.Encoded audio);
    }

    /** The training loss of one batch. */
    public Losses loss(Batch b) {
        return loss(b, null);
    }

    /** The training loss of one batch plus {@code extra} (null = none, the same as {@link #loss(Batch)}). */
    public Losses loss(Batch b, ExtraLoss extra) {
        Var zi = image(b.images(), b.imageWidths());
        LanguageEncoder.Encoded ea = lang.encodeAudio(b.mel(), b.frames());
        Var[] a = language(ea);
        Var info = audioImage.forward(a[0], zi);
        Var gl = null;
        if (a[1] != null) gl = CrossEntropy.loss(a[1], b.gloss());
        if (cfg.textImage()) {
            Var[] t = text(b.text());
            info = info.add(textImage.forward(t[0], zi));
            if (t[1] != null) gl = gl.add(CrossEntropy.loss(t[1], b.gloss())).mul(0.5f);
        }
        Var total = info;
        float g = 0;
        if (gl != null) {
            g = gl.item();
            if (cfg.glossWeight() > 0) total = total.add(gl.mul(cfg.glossWeight()));
        }
        if (extra != null) {
            Var x = extra.loss(b, ea);
            if (x != null) total = total.add(x);
        }
        return new Losses(total, info.item(), g);
    }

    /** Current temperature of the audio-image InfoNCE, {@code 1 / exp(logit_scale)}. */
    public float temperature() {
        return (float) Math.exp(-audioImage.logitScale().value().item());
    }
}
