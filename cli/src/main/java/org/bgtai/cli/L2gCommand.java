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
import org.bgtai.langue2gloss.Evaluation;
import org.bgtai.langue2gloss.ModelDir;
import org.bgtai.langue2gloss.ParallelCorpus;
import org.bgtai.langue2gloss.Search;
import org.bgtai.langue2gloss.L2gTraining;
import org.bgtai.langue2gloss.Langue2GlossRecipe;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.Trainer;
import org.bgtai.tensor.io.AtomicFiles;
import org.bgtai.tensor.io.Json;
import org.bgtai.text.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/bgtai l2g train | translate | eval}: Langue2Gloss text-to-gloss (PHOENIX-2014T). */
@Command(name = "l2g", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Langue2Gloss: text to sign-language gloss (train, translate, eval).",
    subcommands = {L2gCommand.Train.class, L2gCommand.Translate.class, L2gCommand.Eval.class})
final class L2gCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code data/phoenix14t-text2gloss} of the shared folder ({@link org.bgtai.tensor.io.SharedFiles}), else that path under ../shared. */
    static Path defaultData() {
        return org.bgtai.tensor.io.SharedFiles.resolve("data/phoenix14t-text2gloss");
    }

    static final String MODEL_HELP = "model folder, or an ensemble folder (members.json); repeat to decode several models together as an ensemble (default ${DEFAULT-VALUE})";

    /** Decoding flags shared by translate and eval. */
    static final class Decoding {
        @Option(names = "--beam", description = "beam size, 1 = greedy (default ${DEFAULT-VALUE})", defaultValue = "5")
        int beam;
        @Option(names = "--length-penalty", description = "GNMT length penalty alpha (default ${DEFAULT-VALUE})", defaultValue = "1.0")
        double lengthPenalty;
        @Option(names = "--max-len", description = "most glosses per sentence (default ${DEFAULT-VALUE})", defaultValue = "100")
        int maxLen;
        @Option(names = "--batch", description = "sentences decoded together (default ${DEFAULT-VALUE})", defaultValue = "32")
        int batch;
        @Option(names = "--weights", description = "best, last, or a weight file in the model folder (default ${DEFAULT-VALUE})", defaultValue = "best")
        String weights;

        Search search() {
            return new Search(beam, lengthPenalty, maxLen);
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Train on spoken_*.txt / glosses_*.txt (dev BLEU-4 selects the best epoch; checkpoints every epoch).",
            "The defaults are the best recipe found on dev: an ensemble of six 2+2-layer models of width 256 (20 epochs, cosine schedule), "
                + "reading the source as words and as BPE in turn; dev / test BLEU-4 24.99 / 23.27 (beam 5) on PHOENIX-2014T, about 51 min on 2 cores."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--data", description = "data folder (default: $BGTAI_SHARED/data/phoenix14t-text2gloss)") Path data;
        @Option(names = "--out", description = "model folder (default ${DEFAULT-VALUE})", defaultValue = "runs/l2g") Path out;
        @Option(names = "--epochs", defaultValue = "20", description = "epochs (default ${DEFAULT-VALUE})") int epochs;
        @Option(names = "--minutes", defaultValue = "0", description = "stop before an epoch that would end after this many minutes (0 = no limit)") double minutes;
        @Option(names = "--batch", defaultValue = "32", description = "sentences per batch (default ${DEFAULT-VALUE})") int batch;
        @Option(names = "--lr", defaultValue = "7e-4", description = "peak learning rate (default ${DEFAULT-VALUE})") double lr;
        @Option(names = "--warmup", defaultValue = "600", description = "warm-up steps (default ${DEFAULT-VALUE})") int warmup;
        @Option(names = "--schedule", defaultValue = "cosine", description = "inverse-sqrt, cosine or constant (default ${DEFAULT-VALUE})") String schedule;
        @Option(names = "--label-smoothing", defaultValue = "0.1") float labelSmoothing;
        @Option(names = "--clip", defaultValue = "1.0", description = "global gradient-norm clip, 0 = off") double clip;
        @Option(names = "--weight-decay", defaultValue = "0.01") double weightDecay;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--resume", description = "continue from OUT/checkpoint.safetensors") boolean resume;
        @Option(names = "--d-model", defaultValue = "256") int dModel;
        @Option(names = "--heads", defaultValue = "4") int heads;
        @Option(names = "--ff", defaultValue = "1024") int ff;
        @Option(names = "--encoder-layers", defaultValue = "2", description = "(default ${DEFAULT-VALUE})") int encLayers;
        @Option(names = "--decoder-layers", defaultValue = "2", description = "(default ${DEFAULT-VALUE})") int decLayers;
        @Option(names = "--dropout", defaultValue = "0.2", description = "(default ${DEFAULT-VALUE})") float dropout;
        @Option(names = "--no-tie", description = "separate output projection (default: tied to the gloss embedding)") boolean noTie;
        @Option(names = "--src-tokenizer", defaultValue = "word,bpe", description = "word, bpe, or a list such as word,bpe that the members of an ensemble take in turn (default ${DEFAULT-VALUE})") String srcTok;
        @Option(names = "--tgt-tokenizer", defaultValue = "word", description = "word or bpe") String tgtTok;
        @Option(names = "--min-count", defaultValue = "1", description = "word vocabulary: minimum count") int minCount;
        @Option(names = "--bpe-merges", defaultValue = "2000") int bpeMerges;
        @Option(names = "--average", defaultValue = "5", description = "average the last N epochs at the end; kept when dev BLEU-4 improves (1 = off)") int average;
        @Option(names = "--train-limit", defaultValue = "0", description = "use only the first N training pairs (0 = all)") int trainLimit;
        @Option(names = "--dev-limit", defaultValue = "0", description = "use only the first N dev pairs (0 = all)") int devLimit;
        @Option(names = "--members", defaultValue = "" + L2gTraining.DEFAULT_MEMBERS, description = "train an ensemble of N models (seeds SEED..SEED+N-1, "
            + "in OUT/member-K, as many at once as there are cores) decoded together by eval and translate; 1 = one model in OUT (default ${DEFAULT-VALUE})")
        int members;

        /** The training options the flags say (with no flags: {@link L2gTraining.Options#defaults}). */
        L2gTraining.Options options() {
            return new L2gTraining.Options(data != null ? data : defaultData(), out, epochs, minutes, batch, lr, warmup, schedule, labelSmoothing, clip,
                weightDecay, seed, resume, dModel, heads, ff, encLayers, decLayers, dropout, !noTie, srcTok, tgtTok, minCount, bpeMerges, average,
                trainLimit, devLimit);
        }

        @Override
        public Integer call() throws IOException {
            var o = options();
            if (members != 1) {
                L2gTraining.EnsembleResult e = L2gTraining.phoenixEnsemble(o, members, System.out);
                System.out.printf(Locale.ROOT, "done: ensemble of %d, dev BLEU-4 %.2f greedy (members %s), %.1f min; ensemble in %s%n", members, e.devBleu4(),
                    e.members().stream().map(r -> String.format(Locale.ROOT, "%.2f", r.best(L2gTraining.DEV_BLEU4))).toList(), e.seconds() / 60, out);
                return 0;
            }
            L2gTraining.Result r = L2gTraining.phoenix(o, System.out);
            System.out.printf(Locale.ROOT, "done: best dev BLEU-4 %.2f (%s), %.1f min, %.0f tokens/s; model in %s%n",
                r.best(L2gTraining.DEV_BLEU4), r.averaged() ? "average of the last epochs" : "epoch " + r.bestEpoch(), r.seconds() / 60,
                r.tokensPerSecond(), out);
            return 0;
        }
    }

    @Command(name = "translate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Translate sentences to glosses (arguments, or --file with one sentence a line).")
    static final class Translate implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "runs/l2g", description = MODEL_HELP) List<Path> models;
        @Option(names = "--file", description = "translate every line of this file") Path file;
        @Option(names = "--strict", description = "fail on words outside the vocabulary instead of warning") boolean strict;
        @Mixin Decoding dec = new Decoding();
        @Parameters(arity = "0..*", paramLabel = "SENTENCE") List<String> sentences = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            List<String> in = new ArrayList<>(sentences);
            if (file != null) in.addAll(ParallelCorpus.readLines(file));
            if (in.isEmpty()) throw new IllegalArgumentException("nothing to translate: give a sentence or --file F");
            List<ModelDir.Loaded> all = ModelDir.loadAll(models, dec.weights);
            for (int i = 0; i < in.size(); i++) {
                List<String> unk = new ArrayList<>();   // words some member reads as <unk>
                for (Tokenizer t : ModelDir.sources(all))
                    for (String w : unknownWords(t, in.get(i))) if (!unk.contains(w)) unk.add(w);
                if (!unk.isEmpty()) {
                    String where = file != null && i >= sentences.size() ? file + ":" + (i - sentences.size() + 1) : "sentence " + (i + 1);
                    String msg = where + ": words outside the vocabulary " + unk + " (read as <unk>)";
                    if (strict) throw new IllegalArgumentException(msg + "; drop --strict to translate anyway");
                    System.err.println("warning: " + msg);
                }
            }
            for (String g : Evaluation.translate(all, in, dec.search(), dec.batch)) System.out.println(g);
            return 0;
        }
    }

    /** Words of a line that the tokenizer maps (partly) to {@code <unk>}. */
    static List<String> unknownWords(Tokenizer tok, String line) {
        List<String> out = new ArrayList<>();
        for (String w : line.strip().split("\\s+"))
            if (!w.isEmpty()) for (int id : tok.encode(w)) if (id == Tokenizer.UNK) {
                out.add(w);
                break;
            }
        return out;
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Score a model on dev/test: BLEU-1..4, ROUGE-L, WER, chrF; writes JSON.")
    static final class Eval implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "runs/l2g", description = MODEL_HELP) List<Path> models;
        @Option(names = "--data", description = "data folder (default: $BGTAI_SHARED/data/phoenix14t-text2gloss)") Path data;
        @Option(names = "--split", defaultValue = "dev,test", split = ",", description = "splits (default ${DEFAULT-VALUE})") List<String> splits;
        @Option(names = "--json", description = "output JSON (default MODEL/eval.json, the first --model's)") Path json;
        @Option(names = "--hyp-dir", description = "also write the hypotheses, one file per split") Path hypDir;
        @Mixin Decoding dec = new Decoding();

        @Override
        public Integer call() throws IOException {
            Path d = data != null ? data : defaultData();
            List<ModelDir.Loaded> all = ModelDir.loadAll(models, dec.weights);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", models.size() == 1 ? models.get(0).toString() : models.stream().map(Path::toString).toList());
            out.put("weights", dec.weights);
            out.put("decoding", Map.of("beam", dec.beam, "length_penalty", dec.lengthPenalty, "max_len", dec.maxLen, "batch", dec.batch));
            List<Map<String, Object>> members = new ArrayList<>();
            List<Path> dirs = new ArrayList<>();
            for (Path p : models) dirs.addAll(new ModelDir(p).memberDirs());
            for (int i = 0; i < all.size(); i++) members.add(memberInfo(dirs.get(i), all.get(i)));
            if (all.size() == 1) out.putAll(members.get(0));
            else out.put("ensemble", members);
            for (String s : splits) {
                ParallelCorpus c = ParallelCorpus.load(d, s.strip());
                long t0 = System.nanoTime();
                Evaluation.Scores sc = Evaluation.evaluate(all, c, dec.search(), dec.batch);
                Map<String, Object> j = sc.toJson();
                j.put("decode_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
                out.put(s.strip(), j);
                System.out.printf(Locale.ROOT, "%s: BLEU-1 %.2f  BLEU-2 %.2f  BLEU-3 %.2f  BLEU-4 %.2f  ROUGE-L %.2f  WER %.2f  chrF %.2f%n", s.strip(),
                    sc.bleu()[0], sc.bleu()[1], sc.bleu()[2], sc.bleu()[3], sc.rougeL(), sc.wer(), sc.chrF());
                if (hypDir != null) {
                    Files.createDirectories(hypDir);
                    AtomicFiles.writeString(hypDir.resolve("hyp_" + s.strip() + ".txt"), String.join("\n", sc.hypotheses()) + "\n");
                }
            }
            Path j = json != null ? json : models.get(0).resolve("eval.json");
            if (j.getParent() != null) Files.createDirectories(j.getParent());
            AtomicFiles.writeString(j, Json.writePretty(out));
            System.out.println("wrote " + j);
            return 0;
        }

        /** What a member folder says about its weights and training. */
        private static Map<String, Object> memberInfo(Path dir, ModelDir.Loaded m) throws IOException {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("folder", dir.toString());
            out.put("weights_metadata", Map.of("epoch", m.metadata().getOrDefault("epoch", ""), "averaged_epochs", m.metadata().getOrDefault("averaged_epochs", "")));
            out.put("parameters", m.model().numParameters());
            Path ck = new ModelDir(dir).file(ModelDir.CHECKPOINT);
            if (Files.exists(ck)) {
                Trainer.Saved st = Trainer.read(ck);
                out.put("training_seconds", st.history().stream().mapToDouble(Epoch::seconds).sum());
                out.put("epochs_trained", st.history().size());
                out.put("best_epoch", st.bestEpoch());
                out.put("best_dev_bleu4_greedy", st.best() == null ? null : st.best().metric(L2gTraining.DEV_BLEU4));
                out.put("train_tokens_per_s", Math.round(st.history().stream().mapToDouble(e -> e.stat(Langue2GlossRecipe.TOKENS_PER_S)).average().orElse(0)));
            }
            out.put("config", m.config());
            return out;
        }
    }
}
