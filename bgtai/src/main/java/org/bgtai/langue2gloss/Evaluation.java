package org.bgtai.langue2gloss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bgtai.metrics.Bleu;
import org.bgtai.metrics.ChrF;
import org.bgtai.metrics.Metrics;
import org.bgtai.metrics.RougeL;
import org.bgtai.metrics.Wer;
import org.bgtai.text.Tokenizer;

/** Translates a corpus split (or any {@link Sources}) and scores it: BLEU-1..4, ROUGE-L F, WER, chrF, sequence accuracy (all 0-100). */
public final class Evaluation {
    private Evaluation() {}

    /** Scores of one split; {@code hypotheses} in corpus order. */
    public record Scores(double[] bleu, double rougeL, double wer, double chrF, List<String> hypotheses) {
        public double bleu4() {
            return bleu[3];
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int n = 1; n <= 4; n++) m.put("bleu" + n, round(bleu[n - 1]));
            m.put("rouge_l", round(rougeL));
            m.put("wer", round(wer));
            m.put("chrf", round(chrF));
            m.put("sentences", hypotheses.size());
            return m;
        }
    }

    static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    /** Scores hypotheses against references (whitespace-tokenized lines). */
    public static Scores score(List<String> hypotheses, List<String> references) {
        List<String[]> h = Metrics.tokenize(hypotheses), r = Metrics.tokenize(references);
        Bleu.Result b = Bleu.corpus(h, r, Bleu.Smoothing.NONE);
        return new Scores(b.bleu().clone(), RougeL.corpus(h, r), Wer.corpus(h, r), ChrF.corpus(hypotheses, references), hypotheses);
    }

    /** Translates {@code sources} in batches of similar length; returns the gloss strings in input order. */
    public static List<String> translate(Langue2Gloss model, Tokenizer src, Tokenizer tgt, List<String> sources, Search search, int batch) {
        return translate(List.of(model), src, tgt, sources, search, batch);
    }

    /** {@link #translate(Langue2Gloss, Tokenizer, Tokenizer, List, Search, int)} with an ensemble sharing the tokenizers. */
    public static List<String> translate(List<Langue2Gloss> models, Tokenizer src, Tokenizer tgt, List<String> sources, Search search, int batch) {
        return translate(models, Collections.nCopies(models.size(), src), tgt, sources, search, batch);
    }

    /**
     * Translates with the models of {@link ModelDir#loadAll}, decoded together: each reads the
     * sentences with its own source tokenizer (word and BPE members mix); they share the gloss tokenizer.
     */
    public static List<String> translate(List<ModelDir.Loaded> loaded, List<String> sources, Search search, int batch) {
        return translate(ModelDir.models(loaded), ModelDir.sources(loaded), loaded.get(0).target(), sources, search, batch);
    }

    /** Member {@code m} reads the sentences with {@code srcs.get(m)}. */
    private static List<String> translate(List<Langue2Gloss> models, List<Tokenizer> srcs, Tokenizer tgt, List<String> sources, Search search, int batch) {
        Map<Tokenizer, Sources> encoded = new IdentityHashMap<>();
        List<Sources> each = new ArrayList<>();
        for (Tokenizer src : srcs)
            each.add(encoded.computeIfAbsent(src, t -> {
                int[][] ids = new int[sources.size()][];
                for (int i = 0; i < ids.length; i++) ids[i] = t.encode(sources.get(i));
                return Sources.text(ids);
            }));
        return translateEach(models, each, tgt, search, batch);
    }

    /** Decodes every example of {@code sources} (any modality) in batches of similar length; gloss strings in input order. */
    public static List<String> translate(Langue2Gloss model, Sources sources, Tokenizer tgt, Search search, int batch) {
        return translate(List.of(model), sources, tgt, search, batch);
    }

    /** {@link #translate(Langue2Gloss, Sources, Tokenizer, Search, int)} with an ensemble sharing the target tokenizer. */
    public static List<String> translate(List<Langue2Gloss> models, Sources sources, Tokenizer tgt, Search search, int batch) {
        return translateEach(models, Collections.nCopies(models.size(), sources), tgt, search, batch);
    }

    /**
     * Decodes with an ensemble whose member {@code m} reads {@code sources.get(m)}, its own form of the
     * same examples ({@link Search#decodeEach}); batches of similar length by the first member's form.
     */
    public static List<String> translateEach(List<Langue2Gloss> models, List<Sources> sources, Tokenizer tgt, Search search, int batch) {
        Sources first = sources.get(0);
        int n = first.size();
        for (Sources s : sources)
            if (s.size() != n) throw new IllegalArgumentException("the members' sources hold " + n + " and " + s.size() + " examples; each member reads the same examples");
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(first::length));
        String[] out = new String[n];
        for (int lo = 0; lo < n; lo += batch) {
            int hi = Math.min(n, lo + batch);
            int[] part = new int[hi - lo];
            for (int j = lo; j < hi; j++) part[j - lo] = order[j];
            List<int[]> dec = search.decodeEach(models, sources.stream().map(s -> s.batch(part)).toList());
            for (int j = lo; j < hi; j++) out[order[j]] = tgt.decode(dec.get(j - lo));
        }
        return new ArrayList<>(Arrays.asList(out));
    }

    /** Sequence accuracy: percentage of hypotheses whose tokens equal the reference's exactly (0-100). */
    public static double exactMatch(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size())
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses for " + references.size() + " references");
        if (hypotheses.isEmpty()) return 0;
        List<String[]> h = Metrics.tokenize(hypotheses), r = Metrics.tokenize(references);
        int ok = 0;
        for (int i = 0; i < h.size(); i++) if (Arrays.equals(h.get(i), r.get(i))) ok++;
        return 100.0 * ok / h.size();
    }

    public static Scores evaluate(Langue2Gloss model, Tokenizer src, Tokenizer tgt, ParallelCorpus corpus, Search search, int batch) {
        return evaluate(List.of(model), src, tgt, corpus, search, batch);
    }

    /** Scores an ensemble sharing the tokenizers on a corpus split. */
    public static Scores evaluate(List<Langue2Gloss> models, Tokenizer src, Tokenizer tgt, ParallelCorpus corpus, Search search, int batch) {
        return score(translate(models, src, tgt, corpus.source(), search, batch), corpus.target());
    }

    /** Scores the models of {@link ModelDir#loadAll}, decoded together, each reading the source with its own tokenizer. */
    public static Scores evaluate(List<ModelDir.Loaded> loaded, ParallelCorpus corpus, Search search, int batch) {
        return score(translate(loaded, corpus.source(), search, batch), corpus.target());
    }
}
