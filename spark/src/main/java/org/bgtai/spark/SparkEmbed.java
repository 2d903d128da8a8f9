package org.bgtai.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bgtai.audio.Audio;
import org.bgtai.audio.WavReader;
import org.bgtai.data.ImageFiles;
import org.bgtai.model.Embeddings;
import org.bgtai.model.JointModel;

/**
 * Distributed embedding: a table of inputs in, a table {@code (id, modality, embedding array<float>)}
 * out, with the model shipped once per executor (a broadcast of its safetensors bytes, loaded
 * once per executor JVM by hash, {@link ExecutorCache}) and each input embedded exactly as
 * {@code bin/bgtai embed} does ({@link Embeddings#audio(JointModel, float[], int)},
 * {@link Embeddings#image(JointModel, org.bgtai.data.Image)}, {@link Embeddings#texts}).
 *
 * <p>The input table has, per row, one of
 * <ul>
 *   <li>{@code content} (binary: the file's bytes) and {@code path}, as Spark's {@code binaryFile}
 *       source reads a folder ({@code spark.read().format("binaryFile").load(dir)});</li>
 *   <li>{@code path} only (string: a file every executor can read, a path or a {@code file:} URI);</li>
 *   <li>{@code text} (string: a caption to embed).</li>
 * </ul>
 * Optional columns: {@code id} (default: the path, or the text) and {@code modality}
 * ({@code audio}, {@code image} or {@code text}; default: from the file extension, {@code .wav}
 * audio, {@code .png/.jpg/...} image, and {@code text} for text rows).
 *
 * <pre>{@code
 * Dataset<Row> files = spark.read().format("binaryFile").load("corpus/");
 * Dataset<Row> emb = SparkEmbed.embed(spark, files, Path.of("runs/avd/model.safetensors"));
 * emb.write().parquet("emb.parquet");
 * }</pre>
 */
public final class SparkEmbed {
    /** The schema of the embedding table. */
    public static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType, false).add("modality", DataTypes.StringType, false)
        .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private SparkEmbed() {}

    /** Reads {@code modelFile} (a model or checkpoint {@code .safetensors}) and embeds {@code table} with it. */
    public static Dataset<Row> embed(SparkSession spark, Dataset<Row> table, Path modelFile) throws IOException {
        return embed(spark, table, ModelShip.read(modelFile));
    }

    /** Embeds {@code table} with the shipped model (lazy: runs when the result is written or collected). */
    public static Dataset<Row> embed(SparkSession spark, Dataset<Row> table, ModelShip model) {
        Columns c = Columns.of(table.schema());
        Broadcast<ModelShip> b = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        MapPartitionsFunction<Row, Row> f = rows -> embedPartition(b.value(), c, rows);
        return table.mapPartitions(f, Encoders.row(SCHEMA));
    }

    /** Which columns of the input table hold what (indices, -1 = absent). */
    record Columns(int id, int path, int content, int text, int modality) implements java.io.Serializable {
        static Columns of(StructType s) {
            List<String> names = Arrays.asList(s.fieldNames());
            Columns c = new Columns(names.indexOf("id"), names.indexOf("path"), names.indexOf("content"), names.indexOf("text"), names.indexOf("modality"));
            if (c.path < 0 && c.content < 0 && c.text < 0)
                throw new IllegalArgumentException("the table to embed needs a 'path' or 'content' column (Spark's binaryFile source gives both) or a 'text' "
                    + "column; it has " + names);
            if (c.content >= 0 && c.path < 0 && c.id < 0)
                throw new IllegalArgumentException("a table with a 'content' column needs a 'path' or an 'id' column to name its rows; it has " + names);
            check(s, c.content, "content", DataTypes.BinaryType);
            for (String n : List.of("id", "path", "text", "modality")) check(s, names.indexOf(n), n, DataTypes.StringType);
            return c;
        }

        private static void check(StructType s, int i, String name, org.apache.spark.sql.types.DataType t) {
            if (i >= 0 && !s.fields()[i].dataType().equals(t))
                throw new IllegalArgumentException("column '" + name + "' must be " + t.simpleString() + ", not " + s.fields()[i].dataType().simpleString());
        }
    }

    private static Iterator<Row> embedPartition(ModelShip ship, Columns c, Iterator<Row> rows) throws IOException {
        JointModel m = ship.model();
        List<Row> out = new ArrayList<>();
        List<String> textIds = new ArrayList<>(), texts = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            String path = c.path >= 0 ? r.getString(c.path) : null, text = c.text >= 0 ? r.getString(c.text) : null;
            byte[] content = c.content >= 0 && !r.isNullAt(c.content) ? (byte[]) r.get(c.content) : null;
            String id = c.id >= 0 && !r.isNullAt(c.id) ? r.getString(c.id) : path != null ? path : text;
            String modality = c.modality >= 0 && !r.isNullAt(c.modality) ? r.getString(c.modality) : modality(path, text);
            if (id == null) throw new IllegalArgumentException("a row has no id, path or text: " + r);
            switch (modality) {
                case "text" -> {
                    if (text == null) throw new IllegalArgumentException(id + ": modality text but no 'text' value");
                    textIds.add(id);
                    texts.add(text);
                }
                case "audio", "image" -> {
                    byte[] bytes = content != null ? content : read(path, id);
                    float[] e;
                    synchronized (m) {
                        e = modality.equals("audio") ? audio(m, bytes, id) : Embeddings.image(m, ImageFiles.read(bytes, id, m.config().imageChannels()));
                    }
                    out.add(row(id, modality, e));
                }
                default -> throw new IllegalArgumentException(id + ": unknown modality '" + modality + "' (audio, image or text)");
            }
        }
        if (!texts.isEmpty()) {
            float[][] t;
            synchronized (m) {
                t = Embeddings.texts(m, texts);
            }
            for (int i = 0; i < t.length; i++) out.add(row(textIds.get(i), "text", t[i]));
        }
        return out.iterator();
    }

    /** The audio embedding of a WAV file's bytes, as {@code bin/bgtai embed} computes it. */
    static float[] audio(JointModel m, byte[] wav, String name) throws IOException {
        Audio a;
        try (WavReader r = WavReader.open(new ByteArrayInputStream(wav), name)) {
            a = r.readAll();
        }
        if (a.frames() == 0) throw new IOException(name + ": the WAV file holds no samples");
        return Embeddings.audio(m, a.mono(), a.sampleRate());
    }

    private static String modality(String path, String text) {
        if (path != null) {
            String n = path.toLowerCase(Locale.ROOT);
            if (n.endsWith(".wav")) return "audio";
            if (ImageFiles.isImage(Path.of(n.substring(n.lastIndexOf('/') + 1)))) return "image";
            throw new IllegalArgumentException(path + ": cannot tell the modality from the extension (.wav audio, .png/.jpg image); add a 'modality' column");
        }
        if (text != null) return "text";
        throw new IllegalArgumentException("a row has neither a path nor a text");
    }

    private static byte[] read(String path, String id) {
        if (path == null) throw new IllegalArgumentException(id + ": no 'content' and no 'path' to read");
        Path p = path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(new IOException(path + ": no such file on this executor (paths must be readable by every executor)", e));
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }

    private static Row row(String id, String modality, float[] e) {
        for (float v : e)
            if (!Float.isFinite(v)) throw new IllegalStateException("the " + modality + " embedding of " + id + " is not finite; the model's weights are likely NaN/Inf");
        return RowFactory.create(id, modality, e);
    }

    /** An embedding column value (array&lt;float&gt;) as a float[]. */
    public static float[] vector(Row r, int i) {
        List<Float> l = r.getList(i);
        float[] out = new float[l.size()];
        for (int k = 0; k < out.length; k++) out[k] = l.get(k);
        return out;
    }
}
