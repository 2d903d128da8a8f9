package org.bgtai.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bgtai.metrics.Retrieval;
import org.bgtai.model.JointModel;
import org.bgtai.tensor.io.Json;
import org.bgtai.joint.DataSource;
import org.bgtai.model.Embeddings;
import org.bgtai.model.ModelIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/bgtai retrieve --model DIR --audio FILE.wav [--k 5]}: the test-set images nearest to a
 * spoken query (cosine in the shared space), and, when the data has class texts, the nearest
 * classes ("zero".."nine"), with their scores.
 */
@Command(name = "retrieve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Nearest test-set images (and classes) for a WAV query, with cosine scores.")
final class RetrieveCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model folder written by bin/bgtai train (or a .safetensors file)")
    Path model;

    @Option(names = "--audio", required = true, description = "query WAV file")
    Path audio;

    @Option(names = "--k", description = "results to show (default ${DEFAULT-VALUE})", defaultValue = "5")
    int k;

    @Option(names = "--json", description = "also write the results as JSON")
    Path json;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Mixin
    AudioOptions audioOptions = new AudioOptions();

    @Override
    public Integer call() throws IOException {
        if (k < 1) throw new IllegalArgumentException("--k must be >= 1, got " + k);
        Path file = DataOptions.modelFile(model);
        JointModel m = ModelIO.load(file);
        float[] q = EmbedCommand.audio(m, file, audio, audioOptions);
        dataOptions.withModelDefaults(Files.isDirectory(model) ? model : null, file, m.config(), 1);
        DataSource.Loaded data = EvalCommand.load(dataOptions, m, file);
        Embeddings e = Embeddings.of(m, data.test(), data.height(), data.width(), 64);
        Finite.rows(e.image(), "the image embedding", data.name() + " test sample", EmbedCommand.modelFix(file));
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("query", audio.toString());
        List<Object> images = new ArrayList<>();
        System.out.printf(Locale.ROOT, "query %s: nearest of %d %s test images%n", audio, data.test().length, data.name());
        for (int i : Retrieval.topK(q, e.image(), k)) {
            double s = Retrieval.cosine(q, e.image()[i]);
            System.out.printf(Locale.ROOT, "  %.4f  test image %d (%s)%n", s, i, data.testTexts().get(i));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", i);
            r.put("text", data.testTexts().get(i));
            r.put("label", data.test()[i].label());
            if (data.classTexts() != null) r.put("class", data.classTexts().get(data.test()[i].label()));
            r.put("score", s);
            images.add(r);
        }
        res.put("images", images);
        if (data.classTexts() != null) {
            float[][] prompts = Embeddings.texts(m, data.classTexts());
            List<Object> classes = new ArrayList<>();
            System.out.println("nearest classes:");
            for (int c : Retrieval.topK(q, prompts, Math.min(k, prompts.length))) {
                double s = Retrieval.cosine(q, prompts[c]);
                System.out.printf(Locale.ROOT, "  %.4f  %s%n", s, data.classTexts().get(c));
                classes.add(Map.of("class", data.classTexts().get(c), "score", s));
            }
            res.put("classes", classes);
        }
        if (json != null) Json.writeFile(json, res);
        return 0;
    }
}
