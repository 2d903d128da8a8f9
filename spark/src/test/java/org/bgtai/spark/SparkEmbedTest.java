package org.bgtai.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bgtai.audio.Audio;
import org.bgtai.audio.WavEncoding;
import org.bgtai.audio.WavWriter;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Image;
import org.bgtai.data.ImageFiles;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.joint.DataSource;
import org.bgtai.model.Embeddings;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.ModelIO;
import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distributed embeddings equal bin/bgtai embed's, from a binaryFile table, a Parquet table of paths and a table of texts. */
class SparkEmbedTest {
    static final WorldConfig WORLD = new WorldConfig(16, 8000, 0.2, 1, 1);
    static final ModelConfig MODEL = ModelConfig.world(ModelConfig.Variant.BGTAI).withSizes(16, 2, 32, 1, 16);

    @TempDir
    static Path dir;
    static Path modelFile, files;
    static JointModel model;
    static List<String> texts = List.of("a big red circle", "small blue square", "the green triangle is little");

    @BeforeAll
    static void corpus() throws IOException {
        DataSource.Loaded d = new DataSource.World(WORLD, 0).load(MODEL, 1);
        model = new JointModel(MODEL, d.textTokenizer(), d.glossTokenizer(), new Rng(7));
        modelFile = dir.resolve("model.safetensors");
        ModelIO.save(modelFile, model);
        model = ModelIO.load(modelFile);
        files = Files.createDirectories(dir.resolve("corpus"));
        List<Sample> s = BuiltinWorld.generate(WORLD, Split.TEST, 3).items();
        for (int i = 0; i < 5; i++) {
            WavWriter.write(files.resolve("clip" + i + ".wav"), Audio.mono(s.get(i).sampleRate(), s.get(i).audio()), WavEncoding.PCM_S16);
            png(s.get(i).image(), files.resolve("img" + i + ".png"));
        }
    }

    static void png(Image im, Path f) throws IOException {
        BufferedImage bi = new BufferedImage(im.width(), im.height(), BufferedImage.TYPE_INT_RGB);
        int hw = im.height() * im.width();
        for (int y = 0; y < im.height(); y++)
            for (int x = 0; x < im.width(); x++) {
                int p = y * im.width() + x, r = (int) (im.data()[p] * 255), g = (int) (im.data()[hw + p] * 255), b = (int) (im.data()[2 * hw + p] * 255);
                bi.setRGB(x, y, r << 16 | g << 8 | b);
            }
        ImageIO.write(bi, "png", f.toFile());
    }

    /** What bin/bgtai embed computes for a file or a text. */
    static float[] local(String pathOrText) throws IOException {
        if (pathOrText.endsWith(".wav")) return SparkEmbed.audio(model, Files.readAllBytes(Path.of(pathOrText)), pathOrText);
        if (pathOrText.endsWith(".png")) return Embeddings.image(model, ImageFiles.read(Path.of(pathOrText), model.config().imageChannels()));
        return Embeddings.texts(model, List.of(pathOrText))[0];
    }

    static Map<String, float[]> collect(Dataset<Row> emb) {
        Map<String, float[]> out = new HashMap<>();
        for (Row r : emb.collectAsList()) out.put(r.getString(0), SparkEmbed.vector(r, 2));
        return out;
    }

    @Test
    void binaryFileTableEmbedsAsLocallyAndRoundTripsThroughParquet() throws IOException {
        SparkSession spark = LocalSpark.session();
        Dataset<Row> table = spark.read().format("binaryFile").load(files.toString()).repartition(2);
        Dataset<Row> emb = SparkEmbed.embed(spark, table, modelFile);
        assertEquals(SparkEmbed.SCHEMA, emb.schema());
        String out = dir.resolve("emb.parquet").toString();
        emb.write().parquet(out);
        Dataset<Row> back = spark.read().parquet(out);
        Map<String, float[]> got = collect(back);
        assertEquals(10, got.size());
        assertEquals(5, back.where("modality = 'audio'").count());
        assertEquals(5, back.where("modality = 'image'").count());
        for (var e : got.entrySet()) {
            String path = java.net.URI.create(e.getKey()).getPath();   // binaryFile ids are file: URIs
            float[] want = local(path);
            assertEquals(model.config().embedDim(), e.getValue().length);
            assertArrayEquals(want, e.getValue(), 1e-5f, e.getKey());
        }
    }

    @Test
    void tableOfPathsAndTextsWithIds() throws IOException {
        SparkSession spark = LocalSpark.session();
        List<Row> rows = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) keys.add(files.resolve("clip" + i + ".wav").toString());
        keys.add(files.resolve("img0.png").toString());
        for (String k : keys) rows.add(org.apache.spark.sql.RowFactory.create("id-" + k, k, null));
        for (String t : texts) rows.add(org.apache.spark.sql.RowFactory.create("id-" + t, null, t));
        keys.addAll(texts);
        var schema = new org.apache.spark.sql.types.StructType().add("id", "string").add("path", "string").add("text", "string");
        Path parquet = dir.resolve("paths.parquet");
        spark.createDataFrame(rows, schema).write().parquet(parquet.toString());
        Map<String, float[]> got = collect(SparkEmbed.embed(spark, spark.read().parquet(parquet.toString()).repartition(3), modelFile));
        assertEquals(keys.size(), got.size());
        for (String k : keys) assertArrayEquals(local(k), got.get("id-" + k), 1e-5f, k);
    }

    @Test
    void commandLineEmbedsAFolderAndRetrieves() {
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        picocli.CommandLine cl = SparkMain.commandLine();
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(err));
        String emb = dir.resolve("cli.parquet").toString();
        assertEquals(0, cl.execute("embed", "--model", dir.toString(), "--input", files.toString(), "--out", emb), err.toString());
        assertEquals(10, LocalSpark.session().read().parquet(emb).count());
        assertEquals(0, cl.execute("retrieve", "--model", modelFile.toString(), "--embeddings", emb, "--image", files.resolve("img3.png").toString(),
            "--modality", "image", "--k", "2"), err.toString());
        String[] lines = out.toString().split("\\R");
        assertTrue(lines[1].matches("  1\\.0000  file:.*/img3\\.png"), "the query's own image first: " + out);
        assertEquals(3, lines.length, out.toString());
        assertTrue(lines[2].matches("  [01]\\.\\d{4}  file:.*/img\\d\\.png") && !lines[2].contains("img3"), "then another image: " + out);
        assertEquals(1, cl.execute("embed", "--model", dir.resolve("none").toString(), "--input", files.toString(), "--out", emb));
        assertTrue(err.toString().contains("bgtai-spark: ") && err.toString().contains("none: no model file here"), err.toString());
    }

    @Test
    void badInputFailsWithTheFix() {
        SparkSession spark = LocalSpark.session();
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> SparkEmbed.embed(spark, spark.emptyDataFrame(), dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("model.safetensors"), missing.getMessage());
        Dataset<Row> wrong = spark.createDataset(List.of("a.wav"), Encoders.STRING()).toDF("file");
        IllegalArgumentException cols = assertThrows(IllegalArgumentException.class, () -> SparkEmbed.embed(spark, wrong, modelFile));
        assertTrue(cols.getMessage().contains("'path' or 'content'") && cols.getMessage().contains("[file]"), cols.getMessage());
        Dataset<Row> gone = spark.createDataset(List.of(dir.resolve("missing.wav").toString()), Encoders.STRING()).toDF("path");
        Exception e = assertThrows(Exception.class, () -> SparkEmbed.embed(spark, gone, modelFile).collectAsList());
        assertTrue(String.valueOf(e.getMessage()).contains("missing.wav: no such file"), e.getMessage());
    }
}
