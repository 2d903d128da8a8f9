package org.bgtai.model;

import java.util.List;
import org.bgtai.autograd.GradMode;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Tensor;

/**
 * Audio, image and text embeddings of a prepared set, computed without gradients.
 *
 * @param audio  [N][E], or null for a text-only set ({@link Prepared#textOnly}: no audio to embed)
 * @param image  [N][E]
 * @param text   [N][E]
 * @param labels [N]
 */
public record Embeddings(float[][] audio, float[][] image, float[][] text, int[] labels) {
    /**
     * Embeds {@code data} in batches of {@code batch}; images are {@code [C, height, width]}, or
     * of varying width when {@code width <= 0} (see {@link Batch#of}). A text-only set gets no
     * audio embeddings ({@link #audio()} null).
     */
    public static Embeddings of(JointModel model, Prepared[] data, int height, int width, int batch) {
        ModelConfig c = model.config();
        boolean was = model.isTraining();
        model.eval();
        int n = data.length;
        boolean noAudio = Prepared.textOnly(data);
        float[][] a = noAudio ? null : new float[n][], im = new float[n][], t = new float[n][];
        int[] labels = new int[n];
        try (var ignored = GradMode.noGrad()) {
            for (int lo = 0; lo < n; lo += batch) {
                int hi = Math.min(n, lo + batch);
                int[] idx = java.util.stream.IntStream.range(lo, hi).toArray();
                Batch b = Batch.of(data, idx, c.nMels(), c.imageChannels(), height, width);
                if (a != null) rows(model.audio(b).value(), a, lo);
                rows(model.image(b.images(), b.imageWidths()).value(), im, lo);
                rows(model.text(b.text()).value(), t, lo);
                System.arraycopy(b.labels(), 0, labels, lo, idx.length);
            }
        } finally {
            model.train(was);
        }
        return new Embeddings(a, im, t, labels);
    }

    /**
     * Pooled audio features of the shared language encoder, before any projection or gloss decoder
     * ({@code h_L}, [N][dModel]): the representation a linear probe reads, as CLIP probes its
     * encoders rather than the contrastive space.
     */
    public static float[][] audioFeatures(JointModel model, Prepared[] data, int batch) {
        return audioRows(model, data, batch, b -> model.encodeAudio(b).pooled().value());
    }

    /** Audio embeddings only ([N][E], the shared space), without running the image and text towers. */
    public static float[][] audio(JointModel model, Prepared[] data, int batch) {
        return audioRows(model, data, batch, b -> model.audio(b).value());
    }

    /** {@code f} of every batch of {@code data}'s audio (images left out), in eval mode without gradients: [N][...]. */
    private static float[][] audioRows(JointModel model, Prepared[] data, int batch, java.util.function.Function<Batch, Tensor> f) {
        float[][] out = new float[data.length][];
        audioBatches(model, data, batch, (b, lo) -> rows(f.apply(b), out, lo));
        return out;
    }

    /**
     * Calls {@code f(batch, first index)} for consecutive batches of {@code data} (images taken as
     * they are, not checked against a size: for audio-side computations) with the model in eval
     * mode and no gradients; restores the model's mode afterwards.
     */
    public static void audioBatches(JointModel model, Prepared[] data, int batch, java.util.function.ObjIntConsumer<Batch> f) {
        ModelConfig c = model.config();
        boolean was = model.isTraining();
        model.eval();
        try (var ignored = GradMode.noGrad()) {
            for (int lo = 0; lo < data.length; lo += batch) {
                int hi = Math.min(data.length, lo + batch);
                f.accept(Batch.of(data, java.util.stream.IntStream.range(lo, hi).toArray(), c.nMels(), c.imageChannels(), 1, -1), lo);
            }
        } finally {
            model.train(was);
        }
    }

    /**
     * A BGTAI model's gloss on a prepared set.
     *
     * @param exactAudio share of samples whose gloss decoded from audio is exactly theirs (NaN for a text-only set)
     * @param exactText  the same from text
     * @param gold       [N][E] embeddings of the samples' own (ground-truth) gloss
     * @param bleuText   corpus BLEU-4 (0-100, no smoothing) of the glosses decoded from text against the true ones
     */
    public record GlossCheck(double exactAudio, double exactText, float[][] gold, double bleuText) {}

    /** Decodes the gloss of every sample's audio (when it has audio) and text and embeds its true gloss (BGTAI only). */
    public static GlossCheck glossCheck(JointModel model, Prepared[] data, int batch) {
        if (!model.bgtai()) throw new IllegalArgumentException("gloss diagnostics need a BGTAI model (UniBriVL decodes no gloss)");
        float[][] gold = new float[data.length][];
        int[] hits = new int[2];
        boolean noAudio = Prepared.textOnly(data);
        List<String[]> hyp = new java.util.ArrayList<>(), ref = new java.util.ArrayList<>();
        audioBatches(model, data, batch, (b, lo) -> {
            int[][] truth = JointModel.rows(b.gloss());
            List<int[]> fromAudio = noAudio ? null : model.decodeAudio(b), fromText = model.decodeText(b.text());
            for (int i = 0; i < truth.length; i++) {
                if (fromAudio != null && java.util.Arrays.equals(fromAudio.get(i), truth[i])) hits[0]++;
                if (java.util.Arrays.equals(fromText.get(i), truth[i])) hits[1]++;
                hyp.add(words(model, fromText.get(i)));
                ref.add(words(model, truth[i]));
            }
            rows(model.gloss(b.gloss()).value(), gold, lo);
        });
        double bleu = org.bgtai.metrics.Bleu.corpus(hyp, ref, org.bgtai.metrics.Bleu.Smoothing.NONE).bleu(4);
        return new GlossCheck(noAudio ? Double.NaN : (double) hits[0] / data.length, (double) hits[1] / data.length, gold, bleu);
    }

    /** Gloss ids as words (the gloss tokenizer's decoding, split at spaces). */
    private static String[] words(JointModel model, int[] ids) {
        String s = model.glossTokenizer().decode(ids).trim();
        return s.isEmpty() ? new String[0] : s.split("\\s+");
    }

    /** Text embeddings [K][E] of {@code sentences} (e.g. one caption per class). */
    public static float[][] texts(JointModel model, List<String> sentences) {
        int len = model.config().maxText();
        int[] ids = new int[sentences.size() * len];
        for (int i = 0; i < sentences.size(); i++) System.arraycopy(Prepared.ids(model.textTokenizer(), sentences.get(i), len), 0, ids, i * len, len);
        boolean was = model.isTraining();
        model.eval();
        float[][] out = new float[sentences.size()][];
        try (var ignored = GradMode.noGrad()) {
            rows(model.text(IntTensor.of(ids, sentences.size(), len)).value(), out, 0);
        } finally {
            model.train(was);
        }
        return out;
    }

    /** Audio embedding [E] of one waveform {@code [samples]} at {@code rate} Hz (resampled to the model's rate). */
    public static float[] audio(JointModel model, float[] wave, int rate) {
        return audio(model, new Prepared[] {audioOnly(model.config(), wave, rate)}, 1)[0];
    }

    /** A waveform prepared for the audio tower only (log-mel; blank image, text and gloss). */
    public static Prepared audioOnly(ModelConfig c, float[] wave, int rate) {
        float[] mel = Prepared.features(c, Prepared.logMel(c), wave, rate);
        int frames = mel.length / c.nMels();
        if (frames < 1) throw new IllegalArgumentException("audio of " + wave.length + " samples is too short for one log-mel frame");
        return new Prepared(mel, frames, new float[c.imageChannels()], new int[c.maxText()], new int[c.maxGloss()], 0);
    }

    /** Image embedding [E] of one image {@code [C, H, W]} (C must be the model's channel count). */
    public static float[] image(JointModel model, org.bgtai.data.Image img) {
        ModelConfig c = model.config();
        if (img.channels() != c.imageChannels())
            throw new IllegalArgumentException("the model takes " + c.imageChannels() + "-channel images, got " + img.channels() + " channels");
        return one(model, () -> model.image(Tensor.of(img.data().clone(), 1, img.channels(), img.height(), img.width())).value());
    }

    /** Embeddings [N][E] of images of one size, in batches of {@code batch} (eval mode, no gradients). */
    public static float[][] images(JointModel model, List<org.bgtai.data.Image> imgs, int batch) {
        ModelConfig c = model.config();
        float[][] out = new float[imgs.size()][];
        if (imgs.isEmpty()) return out;
        int h = imgs.get(0).height(), w = imgs.get(0).width(), size = c.imageChannels() * h * w;
        boolean was = model.isTraining();
        model.eval();
        try (var ignored = GradMode.noGrad()) {
            for (int lo = 0; lo < imgs.size(); lo += batch) {
                int hi = Math.min(imgs.size(), lo + batch);
                float[] d = new float[(hi - lo) * size];
                for (int i = lo; i < hi; i++) {
                    org.bgtai.data.Image img = imgs.get(i);
                    if (img.channels() != c.imageChannels() || img.height() != h || img.width() != w)
                        throw new IllegalArgumentException("image " + i + " is " + img.channels() + "x" + img.height() + "x" + img.width() + ", expected "
                            + c.imageChannels() + "x" + h + "x" + w + " like the first (resize them to one size)");
                    System.arraycopy(img.data(), 0, d, (i - lo) * size, size);
                }
                rows(model.image(Tensor.of(d, hi - lo, c.imageChannels(), h, w)).value(), out, lo);
            }
        } finally {
            model.train(was);
        }
        return out;
    }

    private static float[] one(JointModel model, java.util.function.Supplier<Tensor> f) {
        boolean was = model.isTraining();
        model.eval();
        try (var ignored = GradMode.noGrad()) {
            return f.get().contiguous().toArray().clone();
        } finally {
            model.train(was);
        }
    }

    static void rows(Tensor x, float[][] out, int at) {
        float[] d = x.contiguous().toArray();
        int b = x.size(0), e = x.size(1);
        for (int r = 0; r < b; r++) out[at + r] = java.util.Arrays.copyOfRange(d, r * e, (r + 1) * e);
    }
}
