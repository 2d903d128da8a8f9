package org.bgtai.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bgtai.align.AlignMetrics;
import org.bgtai.data.AvDigits;
import org.bgtai.data.Dataset;
import org.bgtai.data.DigitString;
import org.bgtai.data.DigitStrings;
import org.bgtai.data.Image;
import org.bgtai.data.Mnist;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.metrics.LinearProbe;
import org.bgtai.metrics.Retrieval;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelConfig.Variant;
import org.bgtai.model.Prepared;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;
import org.bgtai.joint.DataSource;
import org.bgtai.model.Embeddings;
import org.bgtai.model.MelAugment;
import org.bgtai.model.ModelIO;
import org.bgtai.joint.Run;
import org.bgtai.nn.train.TrainOptions;

/**
 * The paper's Table 2 and Table 5 on AV-Digits (FSDD audio x MNIST images), from one set of
 * trained models per seed:
 * <ul>
 *   <li>Table 2 (a): FSDD audio classification on the official test takes 0-4: linear probe
 *   (multinomial logistic regression on frozen training-split audio embeddings) and zero-shot
 *   (audio embedding vs the embeddings of the prompts "zero".."nine"), for a supervised CNN
 *   baseline ({@link SupervisedAudio}: the same audio path trained with cross-entropy), UniBriVL
 *   and BGTAI.</li>
 *   <li>Table 2 (b): audio->image and image->audio retrieval (R@1, R@5, MRR) on spoken digit
 *   strings built from the test split, gallery = the whole test set, relevant = same digits in
 *   the same order.</li>
 *   <li>Table 5: emergent audio<->text retrieval (R@1, R@10) on test strings whose text never
 *   occurs in training. Its models train on disjoint supervision ({@link Disjoint}): half of the
 *   training samples keep only audio, image and gloss, the other half only text, image and gloss,
 *   so no loss term ever sees audio and text of one sample; Table 2's models (trained on samples
 *   carrying all three) are reported beside them for reference.</li>
 * </ul>
 * The joint models train on every AV-Digits training pair plus digit strings of 1-5 digits from
 * the training split (so that strips are seen), with log-mel augmentation ({@link MelAugment}).
 * Trained models are saved under {@code models/} beside the results and reused by the other
 * table when the settings match, so {@code table2} and {@code table5} never train twice.
 */
public final class DigitsExperiment {
    /** Sizes of one run. */
    public record Settings(boolean quick, int epochs, int batch, double lr, int trainStrings, int testStrings, int supervisedEpochs,
                           int trainLimit) {
        public static Settings of(boolean quick) {
            return quick ? new Settings(true, 3, 32, 2e-3, 30, 60, 3, 300) : new Settings(false, 20, 32, 2e-3, 250, 300, 20, 0);
        }

        /** The same with {@code epochs} for the joint models and the supervised baseline alike. */
        public Settings withEpochs(int e) {
            if (e < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + e);
            return new Settings(quick, e, batch, lr, trainStrings, testStrings, e, trainLimit);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("quick", quick);
            m.put("epochs", epochs);
            m.put("batch", batch);
            m.put("lr", lr);
            m.put("train_strings", trainStrings);
            m.put("test_strings", testStrings);
            m.put("supervised_epochs", supervisedEpochs);
            m.put("train_limit", trainLimit);
            m.put("val_limit", trainLimit / 4);
            return m;
        }
    }

    private DigitsExperiment() {}

    /** The prepared splits of one seed. */
    record Data(Tokenizer text, Tokenizer gloss, Prepared[] singlesTrain, Prepared[] singlesVal, Prepared[] singlesTest, Prepared[] stringsTrain,
                Prepared[] stringsTest, List<Image> stringImages, List<String> stringTexts) {
        DataSource.Loaded joint() {
            Prepared[] train = new Prepared[singlesTrain.length + stringsTrain.length];
            System.arraycopy(singlesTrain, 0, train, 0, singlesTrain.length);
            System.arraycopy(stringsTrain, 0, train, singlesTrain.length, stringsTrain.length);
            return new DataSource.Loaded("av-digits+strings", text, gloss, train, singlesVal, stringsTest, 28, -1, null, stringImages, stringTexts, null, java.util.Set.of(), null, null, java.util.Map.of());
        }
    }

    /**
     * The training pairs of Table 5's emergent models: the single digits and strings of
     * {@link Data#joint()} shuffled (seeded) and halved; the first half keeps audio, image and
     * gloss (its text removed), the second text, image and gloss (its audio removed). No training
     * sample has both audio and text, and no clip or image is in both halves.
     */
    record Disjoint(DataSource.Loaded data, int audioPairs, int textPairs, java.util.Set<String> trainTexts) {
        static Disjoint of(Data d, long seed) {
            DataSource.Loaded all = d.joint();
            Prepared[] train = all.train(), out = new Prepared[train.length];
            int[] perm = new Rng(5000 + seed).permutation(train.length);
            int half = train.length / 2;
            java.util.Set<String> texts = new java.util.HashSet<>();
            for (int i = 0; i < train.length; i++) {
                Prepared p = train[perm[i]];
                if (i < half) out[i] = p.withoutText();
                else {
                    out[i] = p.withoutAudio();
                    texts.add(java.util.Arrays.toString(p.text()));
                }
            }
            return new Disjoint(all.withTrain(out), half, train.length - half, texts);
        }

        /** The model metadata saying which pairs each loss term saw. */
        Map<String, String> metadata() {
            return Map.of("bgtai.supervision", Json.write(Map.of(
                "audio_terms", "InfoNCE(audio or its gloss, image) and (BGTAI) cross-entropy audio->gloss on " + audioPairs + " audio-image-gloss samples (text removed)",
                "text_terms", "InfoNCE(text or its gloss, image) and (BGTAI) cross-entropy text->gloss on " + textPairs + " other text-image-gloss samples (audio removed)",
                "audio_text_pairs", 0)));
        }

        /** Test strings whose text never occurs in training (the unseen prompts). */
        Prepared[] unseen(Prepared[] test) {
            return java.util.Arrays.stream(test).filter(p -> !trainTexts.contains(java.util.Arrays.toString(p.text()))).toArray(Prepared[]::new);
        }
    }

    static Data load(Path dataRoot, ModelConfig mc, Settings s, long seed) throws IOException {
        var src = DataSource.Sources.open(dataRoot.resolve("fsdd"), dataRoot.resolve("mnist"));
        Dataset<Sample> tr = AvDigits.load(src.fsdd(), src.mnist(), Split.TRAIN, seed);
        Dataset<Sample> va = AvDigits.load(src.fsdd(), src.mnist(), Split.VAL, seed);
        Dataset<Sample> te = AvDigits.load(src.fsdd(), src.mnist(), Split.TEST, seed);
        List<String> words = List.of(org.bgtai.data.Words.DIGITS), glosses = new ArrayList<>();
        for (int d = 0; d < 10; d++) glosses.add(org.bgtai.data.Words.digitGloss(d));
        Tokenizer tv = WordTokenizer.train(words, 1, true), gv = WordTokenizer.train(glosses, 1, false);
        List<Sample> trItems = thin(tr.items(), s.trainLimit()), vaItems = thin(va.items(), s.trainLimit() / 4);
        List<Sample> strTrain = new ArrayList<>(), strTest = new ArrayList<>();
        // honest layout; the digit words as text (the text vocabulary is the ten digit words, maxText 5)
        var layout = DigitStrings.Options.HONEST.withText(DigitStrings.Text.PLAIN);
        for (DigitString d : DigitStrings.generate(tr, s.trainStrings(), 1, 5, seed * 7 + 1, layout).items()) strTrain.add(DataSource.sample(d));
        for (DigitString d : DigitStrings.generate(te, s.testStrings(), 1, 5, seed * 7 + 3, layout).items()) strTest.add(DataSource.sample(d));
        List<Image> imgs = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Sample x : strTest) {
            imgs.add(x.image());
            texts.add(x.text());
        }
        return new Data(tv, gv, Prepared.prepare(trItems, mc, tv, gv), Prepared.prepare(vaItems, mc, tv, gv), Prepared.prepare(te.items(), mc, tv, gv),
            Prepared.prepare(strTrain, mc, tv, gv), Prepared.prepare(strTest, mc, tv, gv), imgs, texts);
    }

    /** Every k-th item so that at most {@code limit} remain (0 = all), spread over speakers and digits. */
    static <T> List<T> thin(List<T> items, int limit) {
        if (limit <= 0 || items.size() <= limit) return items;
        List<T> out = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) out.add(items.get((int) ((long) i * items.size() / limit)));
        return out;
    }

    /**
     * Runs the experiment and writes {@code table2/results.{json,md}} and
     * {@code table5/results.{json,md}} under {@code outRoot}.
     *
     * @param tables which tables to write ("table2", "table5" or both)
     */
    public static Map<String, Object> run(List<String> tables, int seeds, Path outRoot, boolean quick, Path dataDir) throws IOException {
        return run(tables, seeds, outRoot, Settings.of(quick), dataDir);
    }

    /** As above with explicit settings (e.g. {@code Settings.of(false).withEpochs(20)}). */
    public static Map<String, Object> run(List<String> tables, int seeds, Path outRoot, Settings s, Path dataDir) throws IOException {
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        long t0 = System.nanoTime();
        boolean quick = s.quick();
        Path dataRoot = DataSource.dataRoot(dataDir);
        boolean table2 = tables.contains("table2");
        Path models = outRoot.resolve(quick ? "digits-models-quick" : "digits-models");
        // metric -> method -> per-seed values
        Map<String, Map<String, List<Double>>> t2 = new LinkedHashMap<>(), t5 = new LinkedHashMap<>();
        for (int seed = 0; seed < seeds; seed++) {
            ModelConfig mc = ModelConfig.digits(Variant.BGTAI);
            System.err.printf(Locale.ROOT, "== seed %d/%d: loading AV-Digits and digit strings%n", seed + 1, seeds);
            Data d = load(dataRoot, mc, s, seed);
            if (table2) {
                System.err.println("== supervised CNN baseline (cross-entropy on digits)");
                SupervisedAudio sup = new SupervisedAudio(mc, 10, new Rng(1000 + seed));
                Run.normalise(sup.encoder().audioFrontEnd(), d.singlesTrain());
                sup.fit(d.singlesTrain(), 28, 28, s.supervisedEpochs(), s.batch(), s.lr(), MelAugment.DEFAULT, 2000 + seed, false);
                var tr = sup.embed(d.singlesTrain(), 28, 28);
                var te = sup.embed(d.singlesTest(), 28, 28);
                add(t2, "linear_probe_acc", "supervised", LinearProbe.fit(tr.features(), tr.labels(), 10, 1e-3, 300).accuracy(te.features(), te.labels()));
                add(t2, "classifier_acc", "supervised", te.accuracy());
            }
            Disjoint disjoint = Disjoint.of(d, seed);
            Prepared[] unseen = disjoint.unseen(d.stringsTest());
            add(t5, "unseen_test_strings", "test set", unseen.length);
            for (Variant v : List.of(Variant.UNIBRIVL, Variant.BGTAI)) {
                String name = v.name().toLowerCase(Locale.ROOT);
                if (tables.contains("table5")) {
                    JointModel em = trained(models, name + "-disjoint", seed, s, mc.withVariant(v), disjoint.data(), disjoint.metadata());
                    emergent(t5, name, em, unseen, d);
                }
                JointModel model = trained(models, name, seed, s, mc.withVariant(v), d.joint(), Map.of());
                if (tables.contains("table5")) emergent(t5, name + " (paired samples, not emergent)", model, unseen, d);
                if (!table2) continue;
                Embeddings single = Embeddings.of(model, d.singlesTest(), 28, 28, 64);
                Embeddings singleTrain = Embeddings.of(model, d.singlesTrain(), 28, 28, 64);
                Embeddings str = Embeddings.of(model, d.stringsTest(), 28, -1, 32);
                float[][] prompts = Embeddings.texts(model, List.of(org.bgtai.data.Words.DIGITS));
                float[][] hTrain = Embeddings.audioFeatures(model, d.singlesTrain(), 64), hTest = Embeddings.audioFeatures(model, d.singlesTest(), 64);
                add(t2, "linear_probe_acc", name, LinearProbe.fit(hTrain, singleTrain.labels(), 10, 1e-3, 300).accuracy(hTest, single.labels()));
                add(t2, "linear_probe_acc_shared_space", name,
                    LinearProbe.fit(singleTrain.audio(), singleTrain.labels(), 10, 1e-3, 300).accuracy(single.audio(), single.labels()));
                add(t2, "zero_shot_acc", name, Retrieval.zeroShot(single.audio(), single.labels(), prompts));
                Retrieval.Scores ai = Retrieval.retrieve(str.audio(), str.labels(), str.image(), str.labels());
                Retrieval.Scores ia = Retrieval.retrieve(str.image(), str.labels(), str.audio(), str.labels());
                add(t2, "strings_audio_to_image_MRR", name, ai.mrr());
                add(t2, "strings_audio_to_image_R@1", name, ai.r1());
                add(t2, "strings_audio_to_image_R@5", name, ai.r5());
                add(t2, "strings_image_to_audio_MRR", name, ia.mrr());
                add(t2, "strings_image_to_audio_R@1", name, ia.r1());
                add(t2, "strings_image_to_audio_R@5", name, ia.r5());
                Retrieval.Scores sai = Retrieval.retrieve(single.audio(), single.labels(), single.image(), single.labels());
                add(t2, "digits_audio_to_image_R@1", name, sai.r1());
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> all = new LinkedHashMap<>();
        if (table2) all.put("table2", write(outRoot.resolve("table2"), "table2", t2, seeds, s, secs, TABLE2_NOTE));
        if (tables.contains("table5")) all.put("table5", write(outRoot.resolve("table5"), "table5", t5, seeds, s, secs, TABLE5_NOTE));
        return all;
    }

    /** Table 5's metrics of one model: emergent retrieval between audio and unseen text prompts. */
    static void emergent(Map<String, Map<String, List<Double>>> t5, String name, JointModel model, Prepared[] unseen, Data d) {
        Embeddings str = Embeddings.of(model, unseen, 28, -1, 32), single = Embeddings.of(model, d.singlesTest(), 28, 28, 64);
        for (int k : new int[] {1, 10}) {
            add(t5, "unseen_strings_audio_to_text_R@" + k, name, Retrieval.recallAt(str.audio(), str.labels(), str.text(), str.labels(), k));
            add(t5, "unseen_strings_text_to_audio_R@" + k, name, Retrieval.recallAt(str.text(), str.labels(), str.audio(), str.labels(), k));
        }
        add(t5, "unseen_strings_text_to_image_R@1", name, Retrieval.retrieve(str.text(), str.labels(), str.image(), str.labels()).r1());
        add(t5, "digits_audio_to_seen_prompt_R@1", name, Retrieval.zeroShot(single.audio(), single.labels(), Embeddings.texts(model, List.of(org.bgtai.data.Words.DIGITS))));
    }

    static final String TABLE2_NOTE = """
        linear_probe_acc: multinomial logistic regression on frozen audio embeddings of the FSDD training takes 5-44 (2,400 clips; --quick: 300 of them), \
        accuracy on the official test takes 0-4 (300 clips); the embedding is the pooled output h of the audio encoder (the shared \
        language encoder; CLIP's protocol), for all three models. linear_probe_acc_shared_space: the same probe on the joint models' \
        audio embedding in the shared audio-image space (after the projection, or the gloss head for BGTAI). \
        classifier_acc: the supervised model's own head. zero_shot_acc: argmax cosine of the audio embedding against the embeddings \
        of the texts "zero".."nine" (chance 10 %). strings_*: retrieval on spoken digit strings of 1-5 digits built from the test takes \
        (gallery = all test strings; relevant = same digits in the same order). digits_audio_to_image_R@1: single test digits, \
        relevant = same digit. MNIST split by index: 0-7999 train, 8000-8999 val, 9000-9999 test.
        """;

    static final String TABLE5_NOTE = """
        Emergent audio<->text retrieval. The `unibrivl` and `bgtai` columns train on disjoint supervision: the training samples \
        (single digits and digit strings) are shuffled and halved; one half keeps audio, image and gloss (its text removed), the \
        other text, image and gloss (its audio removed). So no training sample has both audio and text: the audio terms \
        (UniBriVL: InfoNCE(audio, image); BGTAI: InfoNCE(gloss, image) + c CE(audio -> gloss)) and the text terms \
        (InfoNCE(text, image); BGTAI: + c CE(text -> gloss)) never see the same clip, image or sentence; each batch holds one kind \
        of sample. The saved models record this in their metadata (`bgtai.supervision`). BGTAI's bridge is the gloss vocabulary \
        both halves decode into; UniBriVL's is the image space. The `(paired samples, not emergent)` columns are Table 2's models, \
        trained on samples that carry audio, text and image together, for reference. unseen_strings_*: test digit strings whose \
        text never occurs in training (the prompts are unseen; the count is the `unseen_test_strings` row), gallery = those \
        strings, relevant = same digit sequence. digits_audio_to_seen_prompt_R@1: single test digits against the ten prompts \
        "zero".."nine", which training did see (zero-shot accuracy).
        """;

    /** A trained model from {@code models/NAME-seedK}, or a fresh one trained and saved there. */
    static JointModel trained(Path models, String name, int seed, Settings s, ModelConfig mc, DataSource.Loaded data, Map<String, String> metadata)
        throws IOException {
        Path dir = models.resolve(name + "-seed" + seed);
        Path file = dir.resolve("model.safetensors"), tag = dir.resolve("settings.json");
        String want = Json.write(s.toMap());
        if (Files.exists(file) && Files.exists(tag) && Files.readString(tag).equals(want)) {
            System.err.println("== " + name + " seed " + seed + ": reusing " + file);
            return ModelIO.load(file);
        }
        System.err.printf(Locale.ROOT, "== %s seed %d: %d training samples, %d epochs%n", name, seed, data.train().length, s.epochs());
        TrainOptions tc = TrainOptions.of(s.epochs(), s.batch(), s.lr()).withSeed(3000 + seed).withCheckpoints(dir, true).withLog(System.err);
        Files.createDirectories(dir);
        Run.Result r = Run.run(data, mc, tc, 4000 + seed, MelAugment.DEFAULT);
        ModelIO.save(file, r.model(), metadata, Map.of());
        AtomicFiles.writeString(tag, want);
        return r.model();
    }

    static void add(Map<String, Map<String, List<Double>>> res, String metric, String method, double v) {
        res.computeIfAbsent(metric, k -> new LinkedHashMap<>()).computeIfAbsent(method, k -> new ArrayList<>()).add(v);
    }

    static Map<String, Object> write(Path out, String name, Map<String, Map<String, List<Double>>> res, int seeds, Settings s, double secs, String note)
        throws IOException {
        Files.createDirectories(out);
        List<String> methods = new ArrayList<>();
        for (var m : res.values()) for (String k : m.keySet()) if (!methods.contains(k)) methods.add(k);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", name);
        Provenance prov = Provenance.of("bin/bgtai experiments " + name + " --seeds " + seeds + (s.quick() ? " --quick" : ""), seeds, secs);
        json.putAll(prov.toMap());
        json.put("settings", s.toMap());
        Map<String, Object> results = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder("# " + (name.equals("table2") ? "Table 2 analog: FSDD classification and digit-string retrieval"
            : "Table 5 analog: emergent audio<->text retrieval") + String.format(Locale.ROOT, " (mean ± std over %d seeds%s)%n%n", seeds, s.quick() ? ", --quick" : ""));
        md.append(prov.markdown()).append("| metric |");
        for (String m : methods) md.append(' ').append(m).append(" |");
        md.append("\n|---|");
        for (int i = 0; i < methods.size(); i++) md.append("---|");
        md.append('\n');
        for (var e : res.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            md.append("| ").append(e.getKey()).append(" |");
            for (String m : methods) {
                List<Double> v = e.getValue().get(m);
                if (v == null) {
                    md.append(" - |");
                    continue;
                }
                double[] ms = AlignMetrics.meanStd(v.stream().mapToDouble(Double::doubleValue).toArray());
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("mean", ms[0]);
                cell.put("std", ms[1]);
                cell.put("values", new ArrayList<Object>(v));
                row.put(m, cell);
                md.append(String.format(Locale.ROOT, " %.4f ± %.4f |", ms[0], ms[1]));
            }
            results.put(e.getKey(), row);
            md.append('\n');
        }
        json.put("results", results);
        md.append('\n').append(note.strip()).append('\n');
        md.append(String.format(Locale.ROOT, "%nSettings: %s; the wall time is that of the whole command (Table 2 and 5 share models).%n", Json.write(s.toMap())));
        Json.writeFile(out.resolve("results.json"), json);
        AtomicFiles.writeString(out.resolve("results.md"), md.toString());
        System.out.print(md);
        return json;
    }
}
