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
import org.bgtai.audio.Audio;
import org.bgtai.data.Image;
import org.bgtai.model.JointModel;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;
import org.bgtai.model.Embeddings;
import org.bgtai.model.ModelIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/bgtai embed --model DIR FILE...}: embeddings in the shared space of WAV files (any
 * PCM/float WAV, mixed to mono and resampled), PNG/JPEG images (grey for MNIST models: white
 * digit on black, like MNIST; RGB for world models) and {@code --text} strings, written as JSON
 * ({@code [{"input", "modality", "embedding"}]}) or CSV ({@code input,modality,e0,e1,...}).
 */
@Command(name = "embed", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Embed WAV files, PNG images and --text strings with a saved model; JSON or CSV.")
final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model folder written by bin/bgtai train (or a .safetensors file)")
    Path model;

    @Option(names = "--text", description = "a text to embed as well (repeatable)")
    List<String> texts = new ArrayList<>();

    @Option(names = "--out", description = "output file, .json or .csv (default: JSON on stdout)")
    Path out;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = ".wav audio or .png/.jpg image files")
    List<Path> files = new ArrayList<>();

    @Mixin
    AudioOptions audioOptions = new AudioOptions();

    @Override
    public Integer call() throws IOException {
        if (files.isEmpty() && texts.isEmpty()) throw new IllegalArgumentException("nothing to embed: give WAV/PNG files or --text");
        Path file = DataOptions.modelFile(model);
        JointModel m = ModelIO.load(file);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            boolean wav = name.endsWith(".wav"), img = name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
            if (!wav && !img) throw new IllegalArgumentException(f + ": unsupported file type; embed takes .wav audio and .png/.jpg images");
            if (!Files.isRegularFile(f)) throw new IOException(f + ": no such file");
            float[] e = wav ? audio(m, file, f, audioOptions) : Embeddings.image(m, readImage(f, m.config().imageChannels()));
            if (img) Finite.vector(e, "the image embedding of " + f, modelFix(file));
            rows.add(row(f.toString(), wav ? "audio" : "image", e));
        }
        if (!texts.isEmpty()) {
            float[][] t = Embeddings.texts(m, texts);
            for (int i = 0; i < t.length; i++) {
                Finite.vector(t[i], "the text embedding of --text '" + texts.get(i) + "'", modelFix(file));
                rows.add(row(texts.get(i), "text", t[i]));
            }
        }
        if (out == null) System.out.println(Json.write(rows));
        else if (out.toString().toLowerCase(Locale.ROOT).endsWith(".csv")) AtomicFiles.writeString(out, csv(rows));
        else Json.writeFile(out, rows);
        if (out != null) System.err.println(rows.size() + " embeddings of " + m.config().embedDim() + " dims -> " + out);
        return 0;
    }

    /** The embedding of {@code wav} by model {@code m} (read from {@code modelFile}); fails on non-finite samples or a non-finite embedding. */
    static float[] audio(JointModel m, Path modelFile, Path wav, AudioOptions opts) throws IOException {
        Audio a = opts.read(wav);
        float[] e = Embeddings.audio(m, a.mono(), a.sampleRate());
        Finite.vector(e, "the audio embedding of " + wav, modelFix(modelFile));
        return e;
    }

    /** The fix when a model turns finite input into NaN or Infinity. */
    static String modelFix(Path modelFile) {
        return "The model " + modelFile + " produced it from finite input, so its weights are likely NaN/Inf: retrain it, or resume from an earlier checkpoint";
    }

    /** A PNG/JPEG as [channels, H, W] in [0, 1] (grey = mean of R, G, B). */
    static Image readImage(Path f, int channels) throws IOException {
        return org.bgtai.data.ImageFiles.read(f, channels);
    }

    private static Map<String, Object> row(String input, String modality, float[] e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("input", input);
        r.put("modality", modality);
        List<Object> v = new ArrayList<>();
        for (float x : e) v.add((double) x);
        r.put("embedding", v);
        return r;
    }

    private static String csv(List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder("input,modality");
        int dims = ((List<?>) rows.get(0).get("embedding")).size();
        for (int i = 0; i < dims; i++) sb.append(",e").append(i);
        sb.append('\n');
        for (Map<String, Object> r : rows) {
            sb.append('"').append(((String) r.get("input")).replace("\"", "\"\"")).append("\",").append(r.get("modality"));
            for (Object x : (List<?>) r.get("embedding")) sb.append(',').append(String.format(Locale.ROOT, "%.7g", ((Number) x).doubleValue()));
            sb.append('\n');
        }
        return sb.toString();
    }
}
