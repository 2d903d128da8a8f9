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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.bgtai.audio.data.Csv;
import org.bgtai.audio.data.CsvLabels;
import org.bgtai.audio.data.LoadReport;
import org.bgtai.audio.data.LoadResult;
import org.bgtai.audio.data.Labeled;
import org.bgtai.audio.data.WavFolderDataset;
import org.bgtai.data.Image;
import org.bgtai.data.ImageFiles;
import org.bgtai.metrics.LinearProbe;
import org.bgtai.metrics.Retrieval;
import org.bgtai.model.Embeddings;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelIO;
import org.bgtai.model.Prepared;
import org.bgtai.tensor.io.Json;
import org.bgtai.text.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/bgtai probe --model DIR --audio-csv FILE | --images DIR}: how well a trained joint
 * model's representations separate the classes of a user's labelled data, the two standard
 * measures of a CLIP-style model: a linear probe (logistic regression on the frozen features) and
 * zero-shot classification (nearest class name in the shared space, no training at all).
 *
 * <p>Audio: a CSV with a file column, a label column and optionally a fold column (ESC-50:
 * {@code filename,category,fold}; UrbanSound8K: {@code slice_file_name,class,fold}). With folds,
 * the probe is cross-validated as in ESC-50's protocol (train on k - 1 folds, test on the held-out
 * one, mean +- std over folds); without, a seeded 80/20 split. Images: a class-per-subfolder folder,
 * probed on a seeded 80/20 split. Each input prints a load report (loaded, skipped and why) and
 * fails when nothing usable is left.
 */
@Command(name = "probe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Linear-probe and zero-shot accuracy of a saved model on your labelled audio (CSV: file,label[,fold]; k-fold when it has folds) "
        + "or class-per-subfolder images.")
final class ProbeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model folder written by bin/bgtai train (or a .safetensors file)")
    Path model;

    @Option(names = "--audio-csv", description = "labelled audio: a CSV with a file column (filename, file, slice_file_name, path or audio), "
        + "a label column (category, label or class) and optionally a fold column (fold); ESC-50's meta/esc50.csv and UrbanSound8K's CSV work as they are")
    Path audioCsv;

    @Option(names = "--audio-dir", description = "folder the CSV's file names are relative to (default: the CSV's folder, or ../audio beside "
        + "a meta/ or metadata/ folder as in ESC-50 and UrbanSound8K); files one folder level down are found too")
    Path audioDir;

    @Option(names = "--file-column", description = "the CSV's file-name column (default: found by name)")
    String fileColumn;

    @Option(names = "--label-column", description = "the CSV's label column (default: found by name)")
    String labelColumn;

    @Option(names = "--fold-column", description = "the CSV's fold column (default: fold, when there is one)")
    String foldColumn;

    @Option(names = "--no-folds", description = "ignore the fold column: probe on a seeded 80/20 split")
    boolean noFolds;

    @Option(names = "--images", description = "labelled images: a folder with one subfolder of PNG/JPEG images per class (the subfolder name is the class)")
    Path images;

    @Option(names = "--seed", description = "seed of the 80/20 split (default ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--json", description = "output file (default DIR/probe.json)")
    Path json;

    static final double L2 = 1e-3;
    static final int ITERS = 300;

    @Override
    public Integer call() throws IOException {
        if (audioCsv == null && images == null) throw new IllegalArgumentException("nothing to probe: give --audio-csv FILE (file,label[,fold]) and/or --images DIR (one subfolder per class)");
        Path file = DataOptions.modelFile(model);
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        JointModel m = ModelIO.load(file);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", file.toString());
        if (audioCsv != null) out.put("audio", audio(m));
        if (images != null) out.put("images", images(m));
        Path o = json != null ? json : dir.resolve("probe.json");
        String bad = Finite.firstNonFinite(out, "$");
        if (bad != null) throw new IllegalStateException("metric " + bad + " is not a finite number; nothing was written to " + o + ". " + EmbedCommand.modelFix(file));
        Json.writeFile(o, out);
        System.out.println("metrics: " + o);
        return 0;
    }

    /** The CSV's clips: load report, probe on the encoder features and the shared space, zero-shot. */
    private Map<String, Object> audio(JointModel m) throws IOException {
        Csv csv = Csv.read(audioCsv);
        String fc = column(csv, fileColumn, "file", "filename", "file_name", "slice_file_name", "path", "audio");
        String lc = column(csv, labelColumn, "label", "category", "class", "classname", "class_name");
        String gc = noFolds ? null : foldColumn != null ? column(csv, foldColumn, "fold") : csv.optionalColumn("fold") >= 0 ? csv.header().get(csv.optionalColumn("fold")) : null;
        WavFolderDataset ds = WavFolderDataset.open(new CsvLabels(audioCsv, audioDir != null ? audioDir : defaultAudioDir(audioCsv), fc, lc, gc));
        ModelConfig c = m.config();
        int most = (4 * c.maxLen() - 8) * c.hop();   // samples at the model's rate the encoder takes
        AtomicInteger cut = new AtomicInteger();
        LoadResult<Prepared> r = ds.load(a -> {
            float[] x = a.mono();
            long keep = (long) most * a.sampleRate() / c.sampleRate();
            if (x.length > keep) {
                x = java.util.Arrays.copyOf(x, (int) keep);
                cut.incrementAndGet();
            }
            return Embeddings.audioOnly(c, x, a.sampleRate());
        }, false);
        String report = report("clips", audioCsv, r.report(), cut.get(), (double) most / c.sampleRate());
        System.err.println(report);
        if (r.items().isEmpty())
            throw new IOException("no usable clips in " + audioCsv + " (" + report + "); fix the listed files, or --audio-dir when the file names are relative to another folder");
        int n = r.items().size();
        Prepared[] p = new Prepared[n];
        int[] y = new int[n];
        String[] fold = new String[n];
        for (int i = 0; i < n; i++) {
            Labeled<Prepared> l = r.items().get(i);
            p[i] = l.value();
            y[i] = l.labelIndex();
            fold[i] = l.group();
        }
        List<String> classes = ds.labels();
        float[][] h = Embeddings.audioFeatures(m, p, 32), z = Embeddings.audio(m, p, 32);
        boolean folds = gc != null && java.util.Arrays.stream(fold).distinct().count() >= 2;
        LinearProbe.Protocol enc = folds ? LinearProbe.crossValidate(h, y, fold, classes.size(), L2, ITERS)
            : LinearProbe.holdOut(h, y, classes.size(), 0.2, seed, L2, ITERS);
        LinearProbe.Protocol shared = folds ? LinearProbe.crossValidate(z, y, fold, classes.size(), L2, ITERS)
            : LinearProbe.holdOut(z, y, classes.size(), 0.2, seed, L2, ITERS);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("csv", audioCsv.toString());
        res.put("loaded", n);
        res.put("skipped", r.report().skipped().size());
        res.put("classes", classes.size());
        res.put("protocol", folds ? enc.folds().size() + "-fold cross-validation over column " + gc : "seeded 80/20 split (seed " + seed + ")");
        res.put("linear_probe", protocol(enc));
        res.put("linear_probe_shared_space", protocol(shared));
        double zs = Retrieval.zeroShot(z, y, Embeddings.texts(m, classes));
        res.put("zero_shot_acc", zs);
        res.put("chance", 1.0 / classes.size());
        List<String> unknown = unknown(m.textTokenizer(), classes);
        res.put("class_names_outside_vocabulary", unknown);
        System.out.printf(Locale.ROOT, "audio: %d clips, %d classes, %s%n", n, classes.size(), res.get("protocol"));
        print("linear probe (encoder features)", enc);
        print("linear probe (shared space)", shared);
        System.out.printf(Locale.ROOT, "  zero-shot against the class names: %.1f%% (chance %.1f%%)%s%n", 100 * zs, 100.0 / classes.size(), unknownNote(unknown, classes));
        return res;
    }

    /** The folder's images: load report, probe on the shared-space image embeddings (seeded 80/20), zero-shot. */
    private Map<String, Object> images(JointModel m) throws IOException {
        if (!Files.isDirectory(images)) throw new IOException(images + ": no such folder; --images takes a folder with one subfolder of images per class");
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(images)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        int ch = m.config().imageChannels(), size = ch == 3 ? 32 : 28;   // the world / pairs and the MNIST image towers
        List<String> classes = new ArrayList<>();
        List<Image> imgs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<LoadReport.Skipped> skipped = new ArrayList<>();
        int ignored = 0;
        for (Path d : classDirs) {
            List<Path> files;
            try (Stream<Path> s = Files.list(d)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            int label = classes.size();
            classes.add(d.getFileName().toString());
            for (Path f : files) {
                if (!ImageFiles.isImage(f)) {
                    ignored++;
                    continue;
                }
                try {
                    imgs.add(ImageFiles.read(f, ch, size, size));
                    labels.add(label);
                } catch (IOException | RuntimeException e) {
                    skipped.add(new LoadReport.Skipped(f, e.getMessage() == null ? e.toString() : e.getMessage()));
                }
            }
        }
        String report = String.format(Locale.ROOT, "loaded %d images in %d classes from %s, skipped %d", imgs.size(), classes.size(), images, skipped.size());
        if (!skipped.isEmpty()) report += ": " + skipped.size() + " unreadable " + (skipped.size() == 1 ? "image" : "images") + " (first: " + skipped.get(0).reason() + ")";
        if (ignored > 0) report += "; ignored " + ignored + " files that are not PNG/JPEG/BMP/GIF";
        System.err.println(report);
        if (imgs.isEmpty())
            throw new IOException("no usable images in " + images + " (" + report + "); put PNG/JPEG images in one subfolder per class, e.g. " + images.resolve("cat/1.png"));
        if (classes.size() < 2) throw new IOException(images + " has " + classes.size() + " class subfolder; a probe needs at least 2 classes (one subfolder each)");
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        float[][] z = Embeddings.images(m, imgs, 64);
        LinearProbe.Protocol p = LinearProbe.holdOut(z, y, classes.size(), 0.2, seed, L2, ITERS);
        double zs = Retrieval.zeroShot(z, y, Embeddings.texts(m, classes));
        List<String> unknown = unknown(m.textTokenizer(), classes);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("folder", images.toString());
        res.put("loaded", imgs.size());
        res.put("skipped", skipped.size());
        res.put("classes", classes.size());
        res.put("protocol", "seeded 80/20 split (seed " + seed + ")");
        res.put("linear_probe", protocol(p));
        res.put("zero_shot_acc", zs);
        res.put("chance", 1.0 / classes.size());
        res.put("class_names_outside_vocabulary", unknown);
        System.out.printf(Locale.ROOT, "images: %d images, %d classes, %s%n", imgs.size(), classes.size(), res.get("protocol"));
        print("linear probe (shared space)", p);
        System.out.printf(Locale.ROOT, "  zero-shot against the class names: %.1f%% (chance %.1f%%)%s%n", 100 * zs, 100.0 / classes.size(), unknownNote(unknown, classes));
        return res;
    }

    /** {@code loaded N clips from F, skipped M: K missing files (first: ...), J unreadable WAV (first: ...), L bad rows (first: ...)}. */
    static String report(String what, Path from, LoadReport r, int cut, double maxSeconds) {
        List<LoadReport.Skipped> missing = new ArrayList<>(), unreadable = new ArrayList<>(), badRows = new ArrayList<>();
        for (LoadReport.Skipped s : r.skipped())
            (s.reason().startsWith("listed in ") ? missing : s.reason().startsWith("CSV line ") ? badRows : unreadable).add(s);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "loaded %d %s from %s, skipped %d", r.loaded(), what, from, r.skipped().size()));
        String sep = ": ";
        if (!missing.isEmpty()) {
            sb.append(sep).append(missing.size()).append(missing.size() == 1 ? " missing file" : " missing files").append(" (first: ")
                .append(missing.get(0).file().getFileName()).append(": ").append(missing.get(0).reason()).append(')');
            sep = ", ";
        }
        if (!unreadable.isEmpty()) {
            sb.append(sep).append(unreadable.size()).append(" unreadable WAV (first: ").append(unreadable.get(0).file()).append(": ")
                .append(unreadable.get(0).reason().replace(unreadable.get(0).file() + ": ", "")).append(')');
            sep = ", ";
        }
        if (!badRows.isEmpty())
            sb.append(sep).append(badRows.size()).append(badRows.size() == 1 ? " bad row" : " bad rows").append(" (first: ").append(badRows.get(0).reason()).append(')');
        if (cut > 0) sb.append(String.format(Locale.ROOT, "; %d clips cut to the model's longest input, %.1f s", cut, maxSeconds));
        return sb.toString();
    }

    private static Map<String, Object> protocol(LinearProbe.Protocol p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean_acc", p.mean());
        m.put("std_acc", p.std());
        List<Object> folds = new ArrayList<>();
        for (int k = 0; k < p.folds().size(); k++) folds.add(Map.of("fold", p.folds().get(k), "acc", p.accuracy()[k], "test", p.test()[k]));
        m.put("folds", folds);
        return m;
    }

    private static void print(String what, LinearProbe.Protocol p) {
        StringBuilder sb = new StringBuilder();
        if (p.folds().size() > 1)
            for (int k = 0; k < p.folds().size(); k++)
                sb.append(k == 0 ? " (" : ", ").append("fold ").append(p.folds().get(k)).append(String.format(Locale.ROOT, " %.1f%%", 100 * p.accuracy()[k]));
        if (p.folds().size() > 1) sb.append(')');
        System.out.printf(Locale.ROOT, "  %s: %.1f%% +- %.1f%%%s%n", what, 100 * p.mean(), 100 * p.std(), sb);
    }

    /** Class names with a word the model's text vocabulary lacks (their zero-shot prompt is partly {@code <unk>}). */
    private static List<String> unknown(Tokenizer t, List<String> classes) {
        List<String> out = new ArrayList<>();
        for (String c : classes) for (int id : t.encode(c)) if (id == Tokenizer.UNK) {
            out.add(c);
            break;
        }
        return out;
    }

    private static String unknownNote(List<String> unknown, List<String> classes) {
        if (unknown.isEmpty()) return "";
        return "; " + unknown.size() + " of " + classes.size() + " class names have words the model never saw in training (e.g. '" + unknown.get(0)
            + "'), so zero-shot can only guess for them";
    }

    /** The column {@code given}, else the first of {@code names} in the header; an error lists the header. */
    private static String column(Csv csv, String given, String... names) throws IOException {
        if (given != null) {
            csv.column(given);
            return given;
        }
        int i = csv.optionalColumn(names);
        if (i < 0)
            throw new IOException(csv.file() + ": no column named any of " + List.of(names) + "; its header is " + csv.header()
                + "; name the columns with --file-column / --label-column");
        return csv.header().get(i);
    }

    /** The CSV's folder, or {@code ../audio} beside a {@code meta/} or {@code metadata/} folder (ESC-50, UrbanSound8K). */
    static Path defaultAudioDir(Path csv) {
        Path parent = csv.toAbsolutePath().getParent();
        String name = parent.getFileName() == null ? "" : parent.getFileName().toString();
        if ((name.equals("meta") || name.equals("metadata")) && Files.isDirectory(parent.resolveSibling("audio"))) return parent.resolveSibling("audio");
        return parent;
    }
}
