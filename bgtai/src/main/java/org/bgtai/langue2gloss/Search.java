package org.bgtai.langue2gloss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.bgtai.autograd.GradMode;
import org.bgtai.nn.TransformerDecoder;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Tensor;
import org.bgtai.text.Tokenizer;

/**
 * Batched decoding with the incremental decoder cache: greedy ({@code beam = 1}) and beam search.
 *
 * <p>Beam search keeps {@code K} hypotheses per sentence as {@code B*K} cache rows. Each step
 * scores every continuation by the summed log-probability, keeps the best {@code 2K} per
 * sentence, moves those ending in {@code <eos>} (among the top {@code K}) to the finished list
 * with the GNMT length-normalized score {@code logp / ((5 + len) / 6)^alpha}, and continues the
 * best {@code K} others (the cache rows are reordered to their parents). A sentence is done
 * when it has {@code K} finished hypotheses; at the length limit its live hypotheses are
 * finished too. The best normalized score wins. {@code alpha = 0} ranks by plain log-probability.
 *
 * <p>An <em>ensemble</em> ({@link #decode(List, EncoderInput)}) decodes with several models of one
 * gloss vocabulary at once: each step scores a continuation by the log of the members' mean
 * probability (each member keeps its own encoding and cache); one member decodes exactly as alone.
 * Members may read the source in different forms ({@link #decodeEach}: one input per member, e.g.
 * word ids for one and BPE ids for another), as long as the rows are the same sentences.
 *
 * @param beam beam size {@code K >= 1} (1 = greedy)
 * @param lengthPenalty {@code alpha >= 0}
 * @param maxLen most glosses per sentence; also limited to {@code 2 * source length + 10}
 */
public record Search(int beam, double lengthPenalty, int maxLen) {
    public Search {
        if (beam < 1) throw new IllegalArgumentException("beam size must be >= 1, got " + beam);
        if (!(lengthPenalty >= 0)) throw new IllegalArgumentException("length penalty must be >= 0, got " + lengthPenalty);
        if (maxLen < 1) throw new IllegalArgumentException("max length must be >= 1, got " + maxLen);
    }

    public static Search greedy(int maxLen) {
        return new Search(1, 0, maxLen);
    }

    /**
     * Decodes a batch of token-id sentences; returns the gloss ids of each (without {@code <bos>/<eos>}).
     * The model is switched to eval mode for the call and restored after.
     */
    public List<int[]> decode(Langue2Gloss model, int[][] sources) {
        return decode(List.of(model), sources);
    }

    /**
     * Decodes a batch of any modality (text ids or log-mel frames); at most {@code maxLen} glosses per row.
     * The model is switched to eval mode for the call and restored after.
     */
    public List<int[]> decode(Langue2Gloss model, EncoderInput input) {
        return decode(List.of(model), input);
    }

    /**
     * Decodes a batch with an ensemble of models that share their vocabularies (any modality); at most
     * {@code maxLen} glosses per row. Every model is switched to eval mode for the call and restored after.
     */
    public List<int[]> decode(List<Langue2Gloss> models, EncoderInput input) {
        return decode(models, Collections.nCopies(models.size(), input), maxLen);
    }

    /**
     * Decodes a batch with an ensemble whose members read their own form of the same sentences:
     * {@code inputs.get(m)} is member {@code m}'s input (for example its own source tokenizer's ids),
     * every one with the same rows. At most {@code maxLen} glosses per row.
     */
    public List<int[]> decodeEach(List<Langue2Gloss> models, List<? extends EncoderInput> inputs) {
        return decode(models, inputs, maxLen);
    }

    /** {@link #decode(Langue2Gloss, int[][])} with an ensemble. */
    public List<int[]> decode(List<Langue2Gloss> models, int[][] sources) {
        if (sources.length == 0) return List.of();
        int longest = 0;
        for (int[] x : sources) longest = Math.max(longest, x.length);
        return decode(models, Collections.nCopies(models.size(), EncoderInput.Text.of(sources)), 2 * longest + 10);
    }

    private List<int[]> decode(List<Langue2Gloss> models, List<? extends EncoderInput> inputs, int sourceLimit) {
        if (models.isEmpty()) throw new IllegalArgumentException("decoding needs at least one model");
        if (inputs.size() != models.size())
            throw new IllegalArgumentException(models.size() + " models but " + inputs.size() + " inputs; give one input per model");
        for (EncoderInput in : inputs)
            if (in.batch() != inputs.get(0).batch())
                throw new IllegalArgumentException("the members' inputs have " + inputs.get(0).batch() + " and " + in.batch()
                    + " rows; each member reads the same sentences");
        int v = models.get(0).config().tgtVocab(), limit = Math.min(maxLen, sourceLimit);
        for (Langue2Gloss m : models) {
            if (m.config().tgtVocab() != v)
                throw new IllegalArgumentException("ensemble members have gloss vocabularies of " + v + " and " + m.config().tgtVocab()
                    + " entries; an ensemble needs models trained with the same tokenizers");
            limit = Math.min(limit, m.config().maxLen() - 1);
        }
        if (inputs.get(0).batch() == 0) return List.of();
        boolean[] was = new boolean[models.size()];
        for (int i = 0; i < was.length; i++) {
            was[i] = models.get(i).isTraining();
            models.get(i).eval();
        }
        try (var s = GradMode.noGrad()) {
            Members members = new Members(models, inputs);
            int b = inputs.get(0).batch();
            return beam == 1 ? greedy(members, b, limit) : beamSearch(members, b, limit);
        } finally {
            for (int i = 0; i < was.length; i++) models.get(i).train(was[i]);
        }
    }

    /** The models decoding together: their encodings and caches, one step at a time. */
    private static final class Members {
        private final List<Langue2Gloss> models;
        private final List<Langue2Gloss.Encoded> encoded = new ArrayList<>();
        private final List<TransformerDecoder.Cache> caches = new ArrayList<>();

        Members(List<Langue2Gloss> models, List<? extends EncoderInput> inputs) {
            this.models = models;
            for (int i = 0; i < models.size(); i++) {
                encoded.add(models.get(i).encode(inputs.get(i)));
                caches.add(models.get(i).newCache());
            }
        }

        int vocab() {
            return models.get(0).config().tgtVocab();
        }

        /** Repeats every batch row {@code k} times (beam rows). */
        void expand(int k) {
            int rows = encoded.get(0).memory().size(0) * k;
            int[] expand = new int[rows];
            for (int r = 0; r < rows; r++) expand[r] = r / k;
            IntTensor ex = IntTensor.of(expand);
            encoded.replaceAll(e -> new Langue2Gloss.Encoded(e.memory().indexSelect(0, ex), e.padding().indexSelect(0, ex)));
        }

        /** The single model's logits, or null for an ensemble. */
        Tensor logits(int[] last) {
            return models.size() == 1 ? models.get(0).step(encoded.get(0), last, caches.get(0)).value() : null;
        }

        /** [rows * V] log-probabilities of the next gloss: the log of the members' mean probability. */
        float[] logProbs(int[] last) {
            if (models.size() == 1) return logits(last).logSoftmax(1).toArray();
            float[][] all = new float[models.size()][];
            for (int m = 0; m < all.length; m++) all[m] = models.get(m).step(encoded.get(m), last, caches.get(m)).value().logSoftmax(1).toArray();
            float[] sum = new float[all[0].length];
            double logM = Math.log(all.length);
            for (int i = 0; i < sum.length; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (float[] a : all) max = Math.max(max, a[i]);
                double acc = 0;
                for (float[] a : all) acc += Math.exp(a[i] - max);
                sum[i] = (float) (max + Math.log(acc) - logM);
            }
            return sum;
        }

        void reorder(int[] parent) {
            IntTensor p = IntTensor.of(parent);
            for (TransformerDecoder.Cache c : caches) c.reorder(p);
        }
    }

    private static List<int[]> greedy(Members members, int b, int limit) {
        int v = members.vocab();
        int[] last = new int[b];
        Arrays.fill(last, Tokenizer.BOS);
        boolean[] done = new boolean[b];
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < b; i++) out.add(new ArrayList<>());
        int alive = b;
        for (int t = 0; t < limit && alive > 0; t++) {
            Tensor logits = members.logits(last);
            IntTensor best = logits != null ? logits.argmax(1, false) : null;
            float[] lp = logits != null ? null : members.logProbs(last);
            for (int i = 0; i < b; i++) {
                int tok = best != null ? best.get(i) : argmax(lp, i * v, v);
                if (!done[i]) {
                    if (tok == Tokenizer.EOS) {
                        done[i] = true;
                        alive--;
                    } else out.get(i).add(tok);
                }
                last[i] = done[i] ? Tokenizer.PAD : tok;
            }
        }
        List<int[]> res = new ArrayList<>();
        for (List<Integer> l : out) res.add(l.stream().mapToInt(Integer::intValue).toArray());
        return res;
    }

    private double norm(double logp, int len) {
        return lengthPenalty == 0 ? logp : logp / Math.pow((5.0 + len) / 6.0, lengthPenalty);
    }

    private List<int[]> beamSearch(Members members, int b, int limit) {
        int k = beam, rows = b * k;
        members.expand(k);
        double[] score = new double[rows];
        for (int r = 0; r < rows; r++) score[r] = r % k == 0 ? 0 : Double.NEGATIVE_INFINITY;
        int[][] hist = new int[rows][0];
        int[] last = new int[rows];
        Arrays.fill(last, Tokenizer.BOS);
        boolean[] done = new boolean[b];
        List<List<double[]>> finScore = new ArrayList<>();
        List<List<int[]>> finSeq = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            finScore.add(new ArrayList<>());
            finSeq.add(new ArrayList<>());
        }
        int v = members.vocab();
        int remaining = b;
        for (int t = 0; t < limit && remaining > 0; t++) {
            float[] lp = members.logProbs(last);   // [rows, V] on the host, any device
            int off = 0;
            int[] parent = new int[rows];
            int[] token = new int[rows];
            double[] newScore = new double[rows];
            int[][] newHist = new int[rows][];
            for (int i = 0; i < b; i++) {
                int base = i * k;
                if (done[i]) {   // keep the rows busy with padding
                    for (int j = 0; j < k; j++) {
                        parent[base + j] = base + j;
                        token[base + j] = Tokenizer.PAD;
                        newScore[base + j] = Double.NEGATIVE_INFINITY;
                        newHist[base + j] = hist[base + j];
                    }
                    continue;
                }
                // top 2K candidates over K rows x V tokens
                int m = 2 * k;
                double[] cs = new double[m];
                int[] cr = new int[m], ct = new int[m];
                Arrays.fill(cs, Double.NEGATIVE_INFINITY);
                Arrays.fill(cr, -1);
                for (int j = 0; j < k; j++) {
                    int r = base + j;
                    if (score[r] == Double.NEGATIVE_INFINITY) continue;
                    int o = off + r * v;
                    for (int w = 0; w < v; w++) {
                        if (w == Tokenizer.PAD || w == Tokenizer.BOS) continue;
                        double s = score[r] + lp[o + w];
                        if (s <= cs[m - 1]) continue;
                        int p = m - 1;
                        while (p > 0 && cs[p - 1] < s) {
                            cs[p] = cs[p - 1];
                            cr[p] = cr[p - 1];
                            ct[p] = ct[p - 1];
                            p--;
                        }
                        cs[p] = s;
                        cr[p] = r;
                        ct[p] = w;
                    }
                }
                int kept = 0;
                for (int c = 0; c < m && kept < k; c++) {
                    if (cr[c] < 0) break;
                    if (ct[c] == Tokenizer.EOS || t == limit - 1) {
                        if (c < k) {
                            int[] seq = ct[c] == Tokenizer.EOS ? hist[cr[c]] : append(hist[cr[c]], ct[c]);
                            finScore.get(i).add(new double[] {norm(cs[c], seq.length + 1)});
                            finSeq.get(i).add(seq);
                        }
                        continue;
                    }
                    int dst = base + kept++;
                    parent[dst] = cr[c];
                    token[dst] = ct[c];
                    newScore[dst] = cs[c];
                    newHist[dst] = append(hist[cr[c]], ct[c]);
                }
                for (int j = kept; j < k; j++) {
                    parent[base + j] = base;
                    token[base + j] = Tokenizer.PAD;
                    newScore[base + j] = Double.NEGATIVE_INFINITY;
                    newHist[base + j] = hist[base];
                }
                if (finSeq.get(i).size() >= k || kept == 0) {
                    done[i] = true;
                    remaining--;
                }
            }
            members.reorder(parent);
            score = newScore;
            hist = newHist;
            last = token;
        }
        List<int[]> res = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            List<int[]> seqs = finSeq.get(i);
            if (seqs.isEmpty()) {   // limit reached without any finished hypothesis: best live one
                int best = i * k;
                for (int j = 1; j < k; j++) if (score[i * k + j] > score[best]) best = i * k + j;
                res.add(hist[best]);
                continue;
            }
            int best = 0;
            for (int j = 1; j < seqs.size(); j++) if (finScore.get(i).get(j)[0] > finScore.get(i).get(best)[0]) best = j;
            res.add(seqs.get(best));
        }
        return res;
    }

    private static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
        return best;
    }

    private static int[] append(int[] a, int x) {
        int[] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = x;
        return r;
    }
}
