package org.bgtai.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bgtai.metrics.LinearProbe;
import org.bgtai.model.JointModel;
import org.bgtai.text.Tokenizer;
import org.bgtai.tensor.io.Json;
import org.bgtai.joint.DataSource;
import org.bgtai.model.Embeddings;
import org.bgtai.model.ModelIO;
import org.bgtai.joint.Run;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/bgtai eval --model DIR [--data ...]}: test metrics of a saved model (retrieval between
 * audio, image and text, zero-shot accuracy, and on AV-Digits the linear-probe accuracy), printed
 * and written as JSON ({@code --json FILE}, default {@code DIR/eval-DATA.json}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Evaluate a saved model on the test split (prints and writes metrics JSON).")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model folder written by bin/bgtai train (or a .safetensors file)")
    Path model;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Option(names = "--json", description = "output file (default DIR/eval-DATA.json)")
    Path json;

    @Override
    public Integer call() throws IOException {
        Path file = DataOptions.modelFile(model);
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        JointModel m = ModelIO.load(file);
        dataOptions.withModelDefaults(dir, file, m.config(), 1);
        DataSource.Loaded data = load(dataOptions, m, file);
        Embeddings e = Embeddings.of(m, data.test(), data.height(), data.width(), 64);
        String fix = EmbedCommand.modelFix(file);
        Finite.rows(e.audio(), "the audio embedding", data.name() + " test sample", fix);
        Finite.rows(e.image(), "the image embedding", data.name() + " test sample", fix);
        Finite.rows(e.text(), "the text embedding", data.name() + " test sample", fix);
        Map<String, Object> metrics = new LinkedHashMap<>(Run.evaluate(m, data, e));
        if (dataOptions.data.equals("avdigits") || dataOptions.pairs()) {
            int classes = dataOptions.pairs() ? data.classTexts().size() : 10;
            Embeddings tr = Embeddings.of(m, data.train(), data.height(), data.width(), 64);
            // as in experiments table2: the encoder's pooled features h, and the shared-space embedding
            float[][] hTrain = Embeddings.audioFeatures(m, data.train(), 64), hTest = Embeddings.audioFeatures(m, data.test(), 64);
            metrics.put("linear_probe_acc", LinearProbe.fit(hTrain, tr.labels(), classes, 1e-3, 300).accuracy(hTest, e.labels()));
            metrics.put("linear_probe_acc_shared_space", LinearProbe.fit(tr.audio(), tr.labels(), classes, 1e-3, 300).accuracy(e.audio(), e.labels()));
        }
        metrics.put("model", file.toString());
        Path out = json != null ? json : dir.resolve("eval-" + dataOptions.id() + ".json");
        String bad = Finite.firstNonFinite(metrics, "$");
        if (bad != null)
            throw new IllegalStateException("metric " + bad + " of model " + file + " on --data " + dataOptions.data + " is not a finite number; nothing was written to " + out
                + ". An empty test split or a model that outputs NaN gives it: check --limit and the data folder, or retrain the model");
        Json.writeFile(out, metrics);
        print(metrics);
        System.out.println("metrics: " + out);
        return 0;
    }

    /**
     * Loads the data of {@code opts} for model {@code m} (read from {@code file}), checking first
     * that its images have the model's channel count and then that the vocabularies agree.
     * Weather text is tokenized with the model's own tokenizers (a model started from a
     * Langue2Gloss folder has that folder's, which the data cannot rebuild).
     */
    static DataSource.Loaded load(DataOptions opts, JointModel m, Path file) throws IOException {
        // paired data loads its images with the model's channels; the built-in sets have their preset's
        int want = m.config().imageChannels(), has = opts.pairs() ? want : opts.preset(m.config().variant()).imageChannels();
        if (want != has)
            throw new IllegalArgumentException("model " + file + " takes " + want + "-channel images (" + (want == 3 ? "the built-in world" : "MNIST digits")
                + ") but --data " + opts.data + " has " + has + "-channel images; pass --data " + (want == 3 ? "world" : "avdigits or --data strings")
                + ", or a model trained on " + opts.data);
        DataSource src = opts.source();
        if (src instanceof DataSource.Weather w) src = w.withTokenizers(m.textTokenizer(), m.glossTokenizer());
        DataSource.Loaded data = src.load(m.config(), opts.dataSeed);
        check("text", m.textTokenizer(), data.textTokenizer(), opts.data, file);
        check("gloss", m.glossTokenizer(), data.glossTokenizer(), opts.data, file);
        return data;
    }

    private static void check(String what, Tokenizer model, Tokenizer data, String name, Path file) {
        if (!model.toJson().equals(data.toJson()))
            throw new IllegalArgumentException("the " + what + " vocabulary of model " + file + " (" + model.size() + " words) is not that of --data " + name
                + " (" + data.size() + " words); use the data it was trained on (its data.json or metadata records it: leave --data and the data flags out)");
    }

    static void print(Map<String, Object> m) {
        System.out.printf(Locale.ROOT, "%s on %s test (%s samples; relevant = same label):%n", m.get("variant"), m.get("data"), m.get("test_samples"));
        for (String k : List.of("audio_to_image", "image_to_audio", "text_to_image", "image_to_text", "audio_to_text", "text_to_audio")) {
            if (!(m.get(k) instanceof Map<?, ?> s)) continue;
            System.out.printf(Locale.ROOT, "  %-15s R@1 %5.1f%%  R@5 %5.1f%%  R@10 %5.1f%%  MRR %.3f%n", k.replace("_to_", "->"), 100 * d(s.get("R@1")),
                100 * d(s.get("R@5")), 100 * d(s.get("R@10")), d(s.get("MRR")));
        }
        if (m.get("zero_shot_audio_acc") != null)
            System.out.printf(Locale.ROOT, "  zero-shot: audio %.1f%%, image %.1f%% against the %s class texts%n", 100 * d(m.get("zero_shot_audio_acc")),
                100 * d(m.get("zero_shot_image_acc")), m.get("classes"));
        printGloss(m);
        if (m.get("unseen_speakers") instanceof Map<?, ?> u && u.get("audio_to_image") instanceof Map<?, ?> ai)
            System.out.printf(Locale.ROOT, "  unseen speakers (%s clips): audio->image R@1 %.1f%%, zero-shot audio %.1f%%%n", u.get("test_samples"),
                100 * d(ai.get("R@1")), 100 * d(u.get("zero_shot_audio_acc")));
        if (m.get("linear_probe_acc") != null)
            System.out.printf(Locale.ROOT, "  linear probe (audio, encoder features): %.1f%%, on the shared-space embedding: %.1f%%%n", 100 * d(m.get("linear_probe_acc")),
                100 * d(m.get("linear_probe_acc_shared_space")));
    }

    /** BGTAI: how often the decoded gloss is exactly right, and retrieval from the true gloss (a perfect Langue2Gloss). */
    static void printGloss(Map<String, Object> m) {
        if (!(m.get("gloss") instanceof Map<?, ?> g)) return;
        if (g.get("exact_audio") == null)   // text-only data
            System.out.printf(Locale.ROOT, "  gloss decoded from text: exact %.1f%%, BLEU-4 %.2f; images retrieved from the true gloss R@1 %.1f%%%n",
                100 * d(g.get("exact_text")), d(g.get("bleu4_text")), 100 * d(((Map<?, ?>) g.get("gold_to_image")).get("R@1")));
        else
            System.out.printf(Locale.ROOT, "  gloss decoded exactly: from audio %.1f%%, from text %.1f%%; images retrieved from the true gloss R@1 %.1f%%%n",
                100 * d(g.get("exact_audio")), 100 * d(g.get("exact_text")), 100 * d(((Map<?, ?>) g.get("gold_to_image")).get("R@1")));
    }

    private static double d(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
