package org.bgtai.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelConfig.Variant;
import org.bgtai.tensor.io.Json;
import org.bgtai.joint.DataSource;
import org.bgtai.model.MelAugment;
import org.bgtai.model.ModelIO;
import org.bgtai.joint.Run;
import org.bgtai.joint.LanguageInit;
import org.bgtai.align.AlignConfig;
import org.bgtai.nn.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/bgtai train}: trains UniBriVL or BGTAI on the built-in world, AV-Digits, digit
 * strings or PHOENIX-2014T weather text with rendered maps (text only; {@code --language-init DIR}
 * starts the language side from a trained Langue2Gloss folder, {@link LanguageInit}), with a progress bar and an atomic checkpoint every epoch ({@code OUT/checkpoint.safetensors};
 * {@code --resume} continues after an interruption), then writes {@code OUT/model.safetensors},
 * {@code OUT/metrics.json} (test metrics and the history) and {@code OUT/data.json}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Train UniBriVL or BGTAI on world, avdigits, strings, weather or your own pairs:FILE; checkpoints every epoch, --resume continues.")
final class TrainCommand implements Callable<Integer> {
    static final String MODEL = "model.safetensors", METRICS = "metrics.json";

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Option(names = "--variant", description = "bgtai or unibrivl (default ${DEFAULT-VALUE})", defaultValue = "bgtai")
    String variant;

    @Option(names = "--epochs", description = "epochs (default ${DEFAULT-VALUE})", defaultValue = "20")
    int epochs;

    @Option(names = "--batch", description = "pairs per step (default ${DEFAULT-VALUE})", defaultValue = "32")
    int batch;

    @Option(names = "--lr", description = "peak learning rate (default ${DEFAULT-VALUE})", defaultValue = "2e-3")
    double lr;

    @Option(names = "--seed", description = "seed of weights and shuffling (default ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--out", description = "model folder (default ${DEFAULT-VALUE})", defaultValue = "runs/model")
    Path out;

    @Option(names = "--resume", description = "continue from OUT/checkpoint.safetensors")
    boolean resume;

    @Option(names = "--no-augment", description = "train without log-mel augmentation")
    boolean noAugment;

    @Option(names = "--size", split = ",", description = "dModel,heads,ffDim,layers,embedDim (default: the data's preset)")
    int[] size;

    @Option(names = "--ce-align", description = "a: weight of DS-Net's alignment cross-entropy (Eq. 5; BGTAI; default 0.2, 0 = off; off for text-only data)")
    Double ceAlign;

    @Option(names = "--sp", description = "b: weight of the self-paced SP-Loss (Eq. 6; BGTAI; default 1.0, 0 = off; off for text-only data)")
    Double sp;

    @Option(names = "--language-init", description = "weather: start the language side from a trained Langue2Gloss folder (bin/bgtai l2g train --out DIR): "
        + "its tokenizers, sizes and weights; recorded in the model's metadata")
    Path languageInit;

    @Option(names = "--gloss-weight", description = "c: weight of the Langue2Gloss cross-entropy (BGTAI; default ${DEFAULT-VALUE})", defaultValue = "1.0")
    float glossWeight;

    @Option(names = "--no-selection", description = "train on every pair (no DS-Net data-pair selection)")
    boolean noSelection;

    @Option(names = "--select-by", description = "what data-pair selection ranks pairs by: dsnet (DS-Net's confidence, the paper's) or teacher "
        + "(the DTW teacher's alignment cost; default ${DEFAULT-VALUE})", defaultValue = "dsnet")
    String selectBy;

    @Option(names = "--beam", description = "beam size of BGTAI's gloss decoding at inference (1 = greedy; default ${DEFAULT-VALUE})", defaultValue = "4")
    int beam;

    @Option(names = "--cmvn", description = "per-utterance mean normalisation of the log-mel (each band minus its mean over the clip; "
        + "saved with the model, so embed, eval and retrieve apply it too)")
    boolean cmvn;

    @Option(names = "--vtlp", description = "largest warp of vocal tract length perturbation in training, e.g. 0.1 (imitates other speakers; "
        + "default ${DEFAULT-VALUE} = off)", defaultValue = "0")
    double vtlp;

    @Option(names = "--per-class", description = "world: training samples per class, 48 classes (default 24, or as saved when resuming)")
    Integer perClass;

    @Option(names = "--stop-after", hidden = true, description = "stop after N epochs of this call (simulates an interruption)", defaultValue = "0")
    int stopAfter;

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        Variant v = parseVariant(variant);
        if (!resume && Files.exists(out.resolve(TrainOptions.CHECKPOINT)))
            throw new IllegalArgumentException(out + " already holds a checkpoint; pass --resume to continue it or choose another --out");
        if (perClass != null) dataOptions.worldPerClass = perClass;
        dataOptions.withDefaults(resume ? out : null, seed);
        if (perClass != null && !dataOptions.data.equals("world"))
            throw new IllegalArgumentException("--per-class applies to --data world only, not '" + dataOptions.data + "'; drop it");
        ModelConfig mc = dataOptions.preset(v).withGlossWeight(glossWeight).withBeam(beam).withCmvn(cmvn);
        boolean textOnly = dataOptions.textOnly();
        if (textOnly && v == Variant.BGTAI && ((ceAlign != null && ceAlign > 0) || (sp != null && sp > 0)))
            throw new IllegalArgumentException("--data " + dataOptions.data + " is text-only (no audio): the DS-Net alignment terms align gloss with audio "
                + "frames and are off; drop --ce-align/--sp (or set them to 0)");
        double a = ceAlign != null ? ceAlign : textOnly ? 0 : 0.2, b = sp != null ? sp : textOnly ? 0 : 1.0;
        AlignConfig align = AlignConfig.OFF.withCe(a).withAux(AlignConfig.Aux.SP, b);
        if (align.usesDsNet() && !noSelection) align = align.withSelection(true);
        align = align.withSelectBy(switch (selectBy.toLowerCase(Locale.ROOT)) {
            case "dsnet" -> AlignConfig.SelectBy.DSNET;
            case "teacher" -> AlignConfig.SelectBy.TEACHER;
            default -> throw new IllegalArgumentException("unknown --select-by '" + selectBy + "'; use dsnet or teacher");
        });
        if (size != null) {
            if (languageInit != null) throw new IllegalArgumentException("--language-init takes the language sizes from its folder; drop --size");
            if (size.length != 5) throw new IllegalArgumentException("--size needs 5 numbers dModel,heads,ffDim,layers,embedDim, got " + size.length);
            mc = mc.withSizes(size[0], size[1], size[2], size[3], size[4]);
        }
        LanguageInit init = null;
        if (languageInit != null) {
            if (!dataOptions.data.equals("weather"))
                throw new IllegalArgumentException("--language-init needs --data weather (German text the PHOENIX-2014T translator reads), got --data " + dataOptions.data);
            init = LanguageInit.read(languageInit);
            mc = init.configure(mc);
        }
        Files.createDirectories(out);
        DataSource src = dataOptions.source();
        if (init != null) src = ((DataSource.Weather) src).withTokenizers(init.text(), init.gloss());
        System.err.println("loading " + dataOptions.data + " ...");
        DataSource.Loaded data = src.load(mc, dataOptions.dataSeed);
        dataOptions.write(out);
        if (v == Variant.BGTAI && align.usesDsNet() && (data.dictionary() == null || data.dictionary().length == 0)) {
            System.err.println("note: " + data.name() + " has no one-gloss training pairs for DS-Net's DTW teacher, so BGTAI trains without the "
                + "alignment terms (as --ce-align 0 --sp 0); add pairs whose gloss is one word to use them");
            align = AlignConfig.OFF;
        }
        System.err.printf(Locale.ROOT, "training %s on %s: %d train / %d val / %d test pairs, %d epochs -> %s%n", v, data.name(), data.train().length,
            data.val().length, data.test().length, epochs, out);
        TrainOptions o = TrainOptions.of(epochs, batch, lr).withSeed(seed).withCheckpoints(out, true).withStopAfter(stopAfter).withLog(System.err);
        MelAugment aug = noAugment || textOnly || dataOptions.data.equals("world") ? null : MelAugment.DEFAULT.withVtlp(vtlp, mc);
        Run.Result r = init == null ? Run.run(data, mc, o, seed, aug, align)
            : Run.run(data, init.build(mc, new org.bgtai.tensor.Rng(seed)), o, seed, aug, align, null);
        if (r.history().size() < epochs) {
            System.err.printf(Locale.ROOT, "stopped after epoch %d of %d; continue with --resume%n", r.history().size(), epochs);
            return 0;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("objective", Json.write(r.metrics().get("objective")));
        meta.put(DataOptions.METADATA_KEY, Json.write(dataOptions.record()));
        if (init != null) meta.put("language_init", Json.write(init.toJson()));
        ModelIO.save(out.resolve(MODEL), r.model(), meta, r.alignment() == null ? Map.of() : Map.of("dsnet", r.alignment().dsNet()));
        Map<String, Object> m = new LinkedHashMap<>(r.metrics());
        m.put("vtlp", vtlp);
        if (init != null) m.put("language_init", init.toJson());
        m.put("wall_clock_seconds", (System.nanoTime() - t0) / 1e9);
        Json.writeFile(out.resolve(METRICS), m);
        EvalCommand.print(r.metrics());
        System.out.println("model: " + out.resolve(MODEL) + ", metrics: " + out.resolve(METRICS));
        return 0;
    }

    static Variant parseVariant(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "bgtai" -> Variant.BGTAI;
            case "unibrivl" -> Variant.UNIBRIVL;
            default -> throw new IllegalArgumentException("unknown --variant '" + s + "'; use bgtai or unibrivl");
        };
    }
}
