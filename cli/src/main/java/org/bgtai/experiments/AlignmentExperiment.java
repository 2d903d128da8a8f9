package org.bgtai.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bgtai.align.AlignFeatures;
import org.bgtai.align.AlignMetrics;
import org.bgtai.align.AlignPair;
import org.bgtai.align.DictionaryAligner;
import org.bgtai.align.DsNet;
import org.bgtai.align.DsNetRecipe;
import org.bgtai.audio.data.Fsdd;
import org.bgtai.data.AvDigits;
import org.bgtai.data.Dataset;
import org.bgtai.data.DigitString;
import org.bgtai.data.DigitStrings;
import org.bgtai.data.Mnist;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.nn.align.MonotonicViterbi;
import org.bgtai.tensor.Rng;
import org.bgtai.joint.DataSource;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;
import org.bgtai.nn.train.ProgressBar;

/**
 * Alignment experiment (issue 8): DS-Net variants (Result Filter CE, +SP-Loss, +L2, +data-pair
 * selection) vs plain DTW against the dictionary sequence vs a uniform split, on spoken digit
 * strings of 1, 3 and 5 digits from the FSDD test split; frame accuracy and boundary error
 * against the true clip boundaries; Result-Filter rejection of true vs mismatched pairs at the
 * 95th percentile of validation true-pair costs. Writes {@code alignment.json} and
 * {@code alignment.md}.
 *
 * <pre>java org.bgtai.experiments.AlignmentExperiment [--seeds 3] [--out DIR] [--quick]</pre>
 */
public final class AlignmentExperiment {
    static final int[] LENGTHS = {1, 3, 5};
    static final String[] METHODS = {"uniform", "dtw", "rf-ce", "rf-ce+sp", "rf-ce+l2", "rf-ce+sp+select"};

    public static void main(String[] args) throws IOException {
        int seeds = 3;
        boolean quick = false;
        Path out = Path.of("reports/experiments/alignment");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --seeds N, --out DIR, --quick");
            }
        }
        run(seeds, out, quick);
    }

    public static void run(int seeds, Path out, boolean quick) throws IOException {
        run(seeds, out, quick, null);
    }

    /** @param dataDir folder holding fsdd/ and mnist/ (null: {@link DataSource#dataRoot} finds the shared one) */
    public static void run(int seeds, Path out, boolean quick, Path dataDir) throws IOException {
        int nTrain = quick ? 80 : 300, nVal = quick ? 40 : 100, nTest = quick ? 20 : 50, epochs = quick ? 2 : 4;
        DataSource.Sources d = DataSource.Sources.at(dataDir);
        Fsdd fsdd = d.fsdd();
        Mnist mnist = d.mnist();
        Dataset<Sample> train = AvDigits.load(fsdd, mnist, Split.TRAIN, 0), val = AvDigits.load(fsdd, mnist, Split.VAL, 0),
            test = AvDigits.load(fsdd, mnist, Split.TEST, 0);
        List<float[]> audio = new ArrayList<>();
        for (int i = 0; i < train.size(); i += 4) audio.add(train.get(i).audio());
        AlignFeatures feats = AlignFeatures.fit(audio);
        List<float[]> clipFeats = new ArrayList<>();
        int[] labels = new int[train.size()];
        for (int i = 0; i < train.size(); i++) {
            clipFeats.add(feats.frames(train.get(i).audio()));
            labels[i] = train.get(i).label();
        }
        DictionaryAligner dict = DictionaryAligner.fit(clipFeats, labels, 10, AlignFeatures.MELS);
        // metric -> method -> values over seeds
        Map<String, Map<String, List<Double>>> res = new LinkedHashMap<>();
        long work = (long) seeds * (METHODS.length - 2) * ((long) epochs * nTrain);
        try (ProgressBar bar = new ProgressBar("alignment", work, "pair")) {
            for (int seed = 0; seed < seeds; seed++) {
                List<AlignPair> tr = pairs(feats, DigitStrings.generate(train, nTrain, 1, 5, 100 + seed));
                List<AlignPair> va = pairs(feats, DigitStrings.generate(val, nVal, 1, 5, 200 + seed));
                Map<Integer, List<AlignPair>> te = new LinkedHashMap<>();
                for (int k : LENGTHS) te.put(k, pairs(feats, DigitStrings.generate(test, nTest, k, k, 300 + 10L * seed + k)));
                List<float[]> paths = new ArrayList<>();
                for (AlignPair p : tr) paths.add(dict.align(p).path());
                Rng mis = new Rng(400 + seed);
                for (String m : METHODS) {
                    DsNet net = null;
                    if (m.startsWith("rf")) {
                        var c = DsNetRecipe.Config.resultFilter(epochs, seed).withSpLoss(m.contains("sp")).withL2Loss(m.contains("l2"))
                            .withPairSelection(m.contains("select"));
                        net = DsNetRecipe.train(tr, paths, 10, c).net();
                        bar.step((long) tr.size() * epochs);
                    }
                    for (int k : LENGTHS) {
                        double acc = 0, be = 0;
                        int nb = 0;
                        for (AlignPair p : te.get(k)) {
                            MonotonicViterbi.Segmentation s = segment(m, p, dict, net);
                            acc += AlignMetrics.frameAccuracy(AlignMetrics.labels(s.starts(), s.ends(), p.frames()), p.truth());
                            double b = AlignMetrics.boundaryErrorMs(s.starts(), p.frameMs(), p.clipStartMs(), p.clipEndMs());
                            if (!Double.isNaN(b)) {
                                be += b;
                                nb++;
                            }
                        }
                        add(res, "frame_acc_" + k, m, acc / te.get(k).size());
                        add(res, "boundary_ms_" + k, m, nb == 0 ? Double.NaN : be / nb);
                    }
                    if (!m.equals("uniform")) {
                        double thr = AlignMetrics.quantile(costs(m, va, dict, net), 0.95);
                        List<AlignPair> trueTest = new ArrayList<>(), wrong = new ArrayList<>();
                        for (int k : LENGTHS) for (AlignPair p : te.get(k)) {
                            trueTest.add(p);
                            int[] other = p.tokens().clone();
                            int j = mis.nextInt(other.length);
                            other[j] = (other[j] + 1 + mis.nextInt(9)) % 10;
                            wrong.add(p.withTokens(other));
                        }
                        add(res, "reject_true", m, AlignMetrics.rejectionRate(costs(m, trueTest, dict, net), thr));
                        add(res, "reject_mismatched", m, AlignMetrics.rejectionRate(costs(m, wrong, dict, net), thr));
                    }
                }
            }
        }
        write(res, out, seeds, quick, nTrain, epochs, nTest);
    }

    static void add(Map<String, Map<String, List<Double>>> res, String metric, String method, double v) {
        res.computeIfAbsent(metric, k -> new LinkedHashMap<>()).computeIfAbsent(method, k -> new ArrayList<>()).add(v);
    }

    static List<AlignPair> pairs(AlignFeatures f, Dataset<DigitString> d) {
        List<AlignPair> out = new ArrayList<>();
        for (DigitString s : d.items()) out.add(f.pair(s));
        return out;
    }

    static MonotonicViterbi.Segmentation segment(String m, AlignPair p, DictionaryAligner dict, DsNet net) {
        return switch (m) {
            case "uniform" -> DictionaryAligner.uniform(p.length(), p.frames());
            case "dtw" -> dict.align(p).segmentation();
            default -> net.align(p).segmentation();
        };
    }

    static double[] costs(String m, List<AlignPair> ps, DictionaryAligner dict, DsNet net) {
        double[] c = new double[ps.size()];
        for (int i = 0; i < c.length; i++) c[i] = m.equals("dtw") ? dict.align(ps.get(i)).cost() : net.align(ps.get(i)).cost();
        return c;
    }

    static void write(Map<String, Map<String, List<Double>>> res, Path out, int seeds, boolean quick, int nTrain, int epochs, int nTest) throws IOException {
        Files.createDirectories(out);
        Map<String, Object> js = new LinkedHashMap<>();
        js.put("experiment", "alignment");
        js.put("seeds", seeds);
        js.put("quick", quick);
        js.put("train_strings", nTrain);
        js.put("epochs", epochs);
        js.put("test_strings_per_length", nTest);
        Map<String, Object> results = new LinkedHashMap<>();
        js.put("results", results);
        StringBuilder md = new StringBuilder("# Alignment on FSDD digit strings (mean ± std over " + seeds + " seeds)\n\n| metric |");
        for (String m : METHODS) md.append(' ').append(m).append(" |");
        md.append("\n|---|");
        for (String m : METHODS) md.append("---|");
        md.append('\n');
        for (var e : res.entrySet()) {
            Map<String, Object> metric = new LinkedHashMap<>();
            results.put(e.getKey(), metric);
            md.append("| ").append(e.getKey()).append(" |");
            for (String m : METHODS) {
                List<Double> v = e.getValue().get(m);
                if (v == null) {
                    md.append(" - |");
                    continue;
                }
                double[] ms = AlignMetrics.meanStd(v.stream().mapToDouble(Double::doubleValue).toArray());
                Map<String, Object> stats = new LinkedHashMap<>();
                stats.put("mean", num(ms[0]));
                stats.put("std", num(ms[1]));
                stats.put("values", v.stream().map(AlignmentExperiment::num).toList());
                metric.put(m, stats);
                md.append(String.format(Locale.ROOT, " %.3f ± %.3f |", ms[0], ms[1]));
            }
            md.append('\n');
        }
        md.append("\nframe_acc_k: fraction of frames assigned to the right digit on k-digit strings; boundary_ms_k: mean distance (ms) of predicted boundaries "
            + "to the true silence gap; reject_*: fraction rejected by the Result Filter at the 95th percentile of validation true-pair costs.\n");
        Json.writeFile(out.resolve("alignment.json"), js);
        AtomicFiles.writeString(out.resolve("alignment.md"), md.toString());
        System.out.print(md);
    }

    /** {@code v} rounded to 5 decimals, null for NaN (JSON has no NaN). */
    static Double num(double v) {
        return Double.isFinite(v) ? java.math.BigDecimal.valueOf(v).setScale(5, java.math.RoundingMode.HALF_UP).doubleValue() : null;
    }
}
