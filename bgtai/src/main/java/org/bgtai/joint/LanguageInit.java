package org.bgtai.joint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.langue2gloss.L2GConfig;
import org.bgtai.langue2gloss.ModelDir;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.nn.Module;
import org.bgtai.tensor.Tensor;
import org.bgtai.text.Tokenizer;

/**
 * A trained Langue2Gloss model folder ({@code bin/bgtai l2g train --out DIR}, {@link ModelDir}) as
 * the starting point of a joint model's language side: its tokenizers become the data's, its
 * sizes the joint config's ({@link ModelConfig#withLanguage}), and its encoder (and, for BGTAI,
 * gloss decoder) weights are copied in before joint training. This is how the PHOENIX-2014T
 * translator is used inside BGTAI on German weather text ({@link DataSource.Weather}).
 *
 * <p>What is not copied: the joint model's audio front end (a PHOENIX model is text-only), the
 * gloss encoder, image tower and projections (they start from the seed). A UniBriVL model has no
 * gloss decoder and takes the encoder only.
 *
 * <pre>{@code
 * LanguageInit init = LanguageInit.read(Path.of("/tmp/l2g-weather"));
 * ModelConfig mc = init.configure(ModelConfig.weather(Variant.BGTAI));
 * DataSource.Loaded d = new DataSource.Weather(dir).withTokenizers(init.text(), init.gloss()).load(mc, 1);
 * JointModel m = init.build(mc, new Rng(1));
 * }</pre>
 *
 * @param dir     the model folder (of an ensemble folder, its member best on dev: {@link ModelDir#bestMember})
 * @param which   the weight file used ({@code best.safetensors} when present, else the last checkpoint)
 * @param config  its architecture
 * @param text    its text tokenizer
 * @param gloss   its gloss tokenizer
 * @param weights its Langue2Gloss weights
 */
public record LanguageInit(Path dir, String which, L2GConfig config, Tokenizer text, Tokenizer gloss, Map<String, Tensor> weights) {
    /** Reads a Langue2Gloss folder; errors name the folder and how to make one. */
    public static LanguageInit read(Path dir) throws IOException {
        ModelDir md = new ModelDir(dir);
        if (md.isEnsemble()) {   // one translator starts the joint model: the member best on dev
            dir = md.bestMember();
            md = new ModelDir(dir);
        }
        if (!Files.isRegularFile(md.file(ModelDir.CONFIG)))
            throw new IOException("--language-init " + dir + " is not a Langue2Gloss model folder (no " + ModelDir.CONFIG + "); train one with bin/bgtai l2g train --out "
                + dir);
        String which = Files.isRegularFile(md.file(ModelDir.BEST)) ? "best" : "last";
        if (which.equals("last") && !Files.isRegularFile(md.file(ModelDir.CHECKPOINT)))
            throw new IOException("--language-init " + dir + " has no weights (" + ModelDir.BEST + " or " + ModelDir.CHECKPOINT + "); its training never finished an epoch");
        ModelDir.Loaded l = md.load(which);
        if (!l.model().config().decodes())
            throw new IllegalArgumentException("--language-init " + dir + " holds an encoder-only model (no gloss decoder); a Langue2Gloss translator is needed");
        return new LanguageInit(dir, which.equals("best") ? ModelDir.BEST : ModelDir.CHECKPOINT, l.model().config(), l.source(), l.target(), l.model().stateDict());
    }

    /**
     * {@code mc} with this model's language sizes (width, heads, FF, layers, dropout); the text
     * and gloss lengths stay {@code mc}'s (positions are sinusoidal and carry no weights).
     */
    public ModelConfig configure(ModelConfig mc) {
        return mc.withLanguage(config);
    }

    /** A joint model of config {@code mc} (made by {@link #configure}) with this model's tokenizers and language weights. */
    public JointModel build(ModelConfig mc, org.bgtai.tensor.Rng rng) {
        JointModel m = new JointModel(mc, text, gloss, rng);
        loadInto(m);
        return m;
    }

    /**
     * Copies the weights into {@code m}'s language side. The model must use this folder's
     * tokenizers and sizes; otherwise the error says which differ and how to fix it.
     *
     * @return the number of tensors copied
     */
    public int loadInto(JointModel m) {
        if (!ModelDir.fingerprint(m.textTokenizer()).equals(ModelDir.fingerprint(text)) || !ModelDir.fingerprint(m.glossTokenizer()).equals(ModelDir.fingerprint(gloss)))
            throw new IllegalArgumentException("the joint model's tokenizers (" + m.textTokenizer().size() + " text / " + m.glossTokenizer().size()
                + " gloss tokens) are not those of " + dir + " (" + text.size() + " / " + gloss.size() + "); load the data with the folder's tokenizers "
                + "(DataSource.Weather#withTokenizers, as bin/bgtai train --language-init does)");
        Module lang = m.language();
        Map<String, Tensor> mine = lang.stateDict();
        Map<String, Tensor> copy = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>(), mismatched = new ArrayList<>();
        for (var e : mine.entrySet()) {
            String k = e.getKey();
            Tensor t = weights.get(k);
            if (t == null) {
                if (!k.startsWith("audio.")) missing.add(k);   // the audio front end is the joint model's own
                continue;
            }
            if (!java.util.Arrays.equals(t.shape(), e.getValue().shape()))
                mismatched.add(k + " " + java.util.Arrays.toString(t.shape()) + " vs " + java.util.Arrays.toString(e.getValue().shape()));
            else copy.put(k, t);
        }
        if (!missing.isEmpty() || !mismatched.isEmpty())
            throw new IllegalArgumentException("the Langue2Gloss model in " + dir + " (d " + config.dModel() + ", " + config.heads() + " heads, FF " + config.ffDim()
                + ", " + config.encoderLayers() + "+" + config.decoderLayers() + " layers) does not fit the joint model's language side (d " + m.config().dModel()
                + ", " + m.config().heads() + " heads, FF " + m.config().ffDim() + ", " + m.config().layers() + "+" + (m.bgtai() ? m.config().decoderLayers() : 0)
                + " layers): missing " + missing + ", mis-shaped " + mismatched + "; build the joint config with LanguageInit.configure (bin/bgtai train takes the sizes "
                + "from the folder; do not combine --language-init with --size)");
        Map<String, Tensor> all = new LinkedHashMap<>(mine);
        all.putAll(copy);
        lang.loadStateDict(all, true);
        return copy.size();
    }

    /** What was loaded, for the model's metadata and metrics. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", dir.toAbsolutePath().normalize().toString());
        m.put("weights", which);
        m.put("model", config.toJson());
        m.put("src_vocab", ModelDir.fingerprint(text));
        m.put("tgt_vocab", ModelDir.fingerprint(gloss));
        return m;
    }
}
