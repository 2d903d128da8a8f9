package org.bgtai.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.ImageFiles;
import org.bgtai.joint.Run;
import org.bgtai.model.Embeddings;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelIO;
import org.bgtai.nn.train.Epoch;
import org.bgtai.nn.train.Schedule;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.tensor.io.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Spark command line ({@code spark-submit --class org.bgtai.spark.SparkMain bgtai-spark-*-shaded.jar ...}):
 * <pre>
 *   embed    --model M --input DIR|T.parquet --out EMB.parquet        files (binaryFile) or a table -> (id, modality, embedding)
 *   retrieve --model M --embeddings EMB.parquet --audio F|--image F|--text T [--k 5]
 *   train    --data world|avdigits --workers W --local-steps K --epochs E --out DIR [--resume] [--compare-local]
 * </pre>
 * Without a master from {@code spark-submit} it runs Spark in this JVM ({@code local[W]} for
 * train, {@code local[*]} otherwise). {@code train} prints the time per epoch, the communication per
 * round and the projected speed-up at 8, 64 and 512 workers ({@link Scaling}).
 */
@Command(name = "bgtai-spark", mixinStandardHelpOptions = true, versionProvider = SparkMain.Version.class,
    subcommands = {SparkMain.Embed.class, SparkMain.Retrieve.class, SparkMain.Train.class},
    description = "Distributed embedding, retrieval and data-parallel training of BGTAI models on Apache Spark.")
public final class SparkMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line; an error ends the command with exit code 1 and its message on the error stream. */
    static CommandLine commandLine() {
        return new CommandLine(new SparkMain()).setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("bgtai-spark: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            c.getErr().flush();
            return 1;
        });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: embed, retrieve or train");
    }

    /** The session of spark-submit, or one in this JVM on {@code local[threads]} when no master is set. */
    static SparkSession session(String name, String localMaster) {
        SparkSession.Builder b = SparkSession.builder().appName("bgtai " + name);
        boolean local = !new SparkConf().contains("spark.master");
        if (local) b = b.master(localMaster).config("spark.ui.enabled", "false");
        SparkSession s = b.getOrCreate();
        if (local) s.sparkContext().setLogLevel("WARN");   // in this JVM: our progress lines, not Spark's INFO log
        return s;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bgtai-spark " + SparkMain.class.getPackage().getImplementationVersion(), "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION(),
                "Java " + Runtime.version()};
        }
    }

    @Command(name = "embed", mixinStandardHelpOptions = true, description = "Embed every file of a folder (WAV, PNG/JPEG) or every row of a Parquet table; write Parquet.")
    static final class Embed implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "model.safetensors (or its folder) written by bin/bgtai train")
        Path model;

        @Option(names = "--input", required = true, description = "a folder of files (read with Spark's binaryFile source, recursively) or a .parquet table "
            + "with path/content/text columns (see SparkEmbed)")
        String input;

        @Option(names = "--out", required = true, description = "output Parquet folder: id, modality, embedding")
        String out;

        @Option(names = "--partitions", description = "repartition the input into this many tasks (0 = as read)", defaultValue = "0")
        int partitions;

        @Override
        public Integer call() throws IOException {
            ModelShip ship = ModelShip.read(model);
            SparkSession spark = session("embed", "local[*]");
            long t0 = System.nanoTime();
            Dataset<Row> table = read(spark, input);
            if (partitions > 0) table = table.repartition(partitions);
            SparkEmbed.embed(spark, table, ship).write().mode("overwrite").parquet(out);
            long n = spark.read().parquet(out).count();
            System.err.printf(Locale.ROOT, "%d embeddings -> %s (%.1f s; model %s, %d bytes shipped once per executor)%n", n, out, (System.nanoTime() - t0) / 1e9,
                ship.hash().substring(0, 12), ship.size());
            return 0;
        }

        static Dataset<Row> read(SparkSession spark, String input) throws IOException {
            if (input.endsWith(".parquet")) return spark.read().parquet(input);
            if (!input.contains("://") && !Files.isDirectory(Path.of(input)))
                throw new IOException(input + ": no such folder (give a folder of WAV/PNG files or a .parquet table)");
            return spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(input);
        }
    }

    @Command(name = "retrieve", mixinStandardHelpOptions = true, description = "The rows of an embedding table nearest to a query (cosine), top k merged over partitions.")
    static final class Retrieve implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "the model that wrote the embeddings")
        Path model;

        @Option(names = "--embeddings", required = true, description = "Parquet table written by embed")
        String embeddings;

        @Option(names = "--audio", description = "query WAV file")
        Path audio;

        @Option(names = "--image", description = "query PNG/JPEG file")
        Path image;

        @Option(names = "--text", description = "query text")
        String text;

        @Option(names = "--modality", description = "search only rows of this modality (audio, image, text; default all)")
        String modality;

        @Option(names = "--k", description = "results (default ${DEFAULT-VALUE})", defaultValue = "5")
        int k;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            int given = (audio != null ? 1 : 0) + (image != null ? 1 : 0) + (text != null ? 1 : 0);
            if (given != 1) throw new IllegalArgumentException("give exactly one query: --audio, --image or --text");
            ModelShip ship = ModelShip.read(model);
            JointModel m = ship.model();
            float[] q;
            if (audio != null) q = SparkEmbed.audio(m, Files.readAllBytes(audio), audio.toString());
            else if (image != null) q = Embeddings.image(m, ImageFiles.read(image, m.config().imageChannels()));
            else q = Embeddings.texts(m, List.of(text))[0];
            SparkSession spark = session("retrieve", "local[*]");
            Dataset<Row> g = spark.read().parquet(embeddings);
            if (modality != null) g = g.where(g.col("modality").equalTo(modality));
            java.io.PrintWriter out = spec.commandLine().getOut();
            out.println("nearest of " + embeddings + (modality == null ? "" : " (" + modality + ")") + ":");
            for (SparkRetrieval.Hit h : SparkRetrieval.topK(spark, g, new float[][] {q}, k).get(0)) out.printf(Locale.ROOT, "  %.4f  %s%n", h.score(), h.id());
            out.flush();
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Data-parallel training by parameter averaging; time per epoch and the projected scaling.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--data", description = "world or avdigits (default ${DEFAULT-VALUE})", defaultValue = "world")
        String data;

        @Option(names = "--data-dir", description = "AV-Digits: the folder holding fsdd/ and mnist/ (default ../shared/data), readable by every executor")
        Path dataDir;

        @Option(names = "--limit", description = "AV-Digits: at most this many samples per split (0 = all)", defaultValue = "0")
        int limit;

        @Option(names = "--per-class", description = "world: training scenes per class (default ${DEFAULT-VALUE}, as the demo)", defaultValue = "24")
        int perClass;

        @Option(names = "--variant", description = "bgtai or unibrivl (default ${DEFAULT-VALUE})", defaultValue = "bgtai")
        String variant;

        @Option(names = "--workers", description = "data-parallel workers, one Spark task each per round (default ${DEFAULT-VALUE})", defaultValue = "2")
        int workers;

        @Option(names = "--local-steps", description = "optimizer steps per worker between averagings, K (default ${DEFAULT-VALUE})", defaultValue = "4")
        int localSteps;

        @Option(names = "--epochs", description = "default ${DEFAULT-VALUE}", defaultValue = "14")
        int epochs;

        @Option(names = "--batch", description = "pairs per averaged step, split over the workers (each takes batch/workers; default ${DEFAULT-VALUE}, as the demo)",
            defaultValue = "48")
        int batch;

        @Option(names = "--lr", description = "peak learning rate (default ${DEFAULT-VALUE})", defaultValue = "2e-3")
        double lr;

        @Option(names = "--seed", defaultValue = "1")
        long seed;

        @Option(names = "--out", required = true, description = "folder: checkpoint.safetensors (after every round), model.safetensors, metrics.json")
        Path out;

        @Option(names = "--resume", description = "continue from the checkpoint in --out")
        boolean resume;

        @Option(names = "--compare-local", description = "also train with the local loop (one JVM, the full batch) and print both curves")
        boolean compareLocal;

        @Option(names = "--bandwidth-gbit", description = "network bandwidth for the scaling projection (default ${DEFAULT-VALUE})", defaultValue = "10")
        double bandwidthGbit;

        @Override
        public Integer call() throws IOException {
            if (workers < 1 || batch % workers != 0)
                throw new IllegalArgumentException("--batch (" + batch + ") must be a multiple of --workers (" + workers + "): each worker takes batch/workers pairs per step");
            ModelConfig.Variant v = ModelConfig.Variant.valueOf(variant.toUpperCase(Locale.ROOT));
            DataSpec spec;
            ModelConfig mc;
            if (data.equals("world")) {
                spec = DataSpec.world(new WorldConfig(32, 8000, 0.8, perClass, 4, 6));
                mc = ModelConfig.world(v);
            } else if (data.equals("avdigits")) {
                spec = DataSpec.avDigits(dataDir, limit);
                mc = ModelConfig.digits(v);
            } else throw new IllegalArgumentException("--data must be world or avdigits, not '" + data + "'");
            TrainOptions o = TrainOptions.of(epochs, batch / workers, lr).withSchedule(Schedule.warmupCosine(40)).withSeed(seed).withLog(System.err)
                .withCheckpoints(out, resume);
            SparkSession spark = session("train", "local[" + workers + "]");
            DataParallel.Result r = DataParallel.train(JavaSparkContext.fromSparkContext(spark.sparkContext()), spec, mc, o, seed,
                new DataParallel.Options(workers, localSteps));
            ModelIO.save(out.resolve("model.safetensors"), r.model());
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("spark", r.metrics());
            all.put("rounds", r.rounds().stream().map(DataParallel.Round::toJson).toList());
            Scaling s = Scaling.of(r, batch / workers, workers, localSteps, bandwidthGbit);
            all.put("scaling", s.toJson());
            System.out.println(String.format(Locale.ROOT, "%d workers, K = %d, batch %d per worker: %s", workers, localSteps, batch / workers, perEpoch(r.history())));
            System.out.println("test: " + figures(r.metrics()));
            if (compareLocal) {
                TrainOptions lo = TrainOptions.of(epochs, batch, lr).withSchedule(Schedule.warmupCosine(40)).withSeed(seed).withLog(System.err);
                Run.Result local = Run.run(spec.source().load(mc, seed), mc, lo, seed, null);
                all.put("local", local.metrics());
                System.out.println("local loop, batch " + batch + ": " + perEpoch(local.history()));
                System.out.println("local test: " + figures(local.metrics()));
            }
            System.out.println(s.table());
            Json.writeFile(out.resolve("metrics.json"), all);
            return 0;
        }

        static String perEpoch(List<Epoch> h) {
            List<String> parts = new ArrayList<>();
            for (Epoch e : h) parts.add(String.format(Locale.ROOT, "%d: loss %.3f val R@1 %.3f (%.1f s)", e.epoch(), e.loss(), e.metric("val_R@1"), e.trainSeconds()));
            return String.join("; ", parts);
        }

        static String figures(Map<String, Object> m) {
            StringBuilder sb = new StringBuilder();
            for (String k : List.of("audio_to_image", "text_to_image", "text_to_image_heldout_phrasing"))
                if (m.get(k) instanceof Map<?, ?> x) sb.append(String.format(Locale.ROOT, "%s R@1 %.3f R@5 %.3f; ", k, ((Number) x.get("R@1")).doubleValue(),
                    ((Number) x.get("R@5")).doubleValue()));
            if (m.get("zero_shot_audio_acc") instanceof Number z) sb.append(String.format(Locale.ROOT, "zero-shot audio %.3f", z.doubleValue()));
            return sb.toString();
        }
    }
}
