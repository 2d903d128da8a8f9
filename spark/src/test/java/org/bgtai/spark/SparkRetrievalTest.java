package org.bgtai.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bgtai.metrics.Retrieval;
import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.Test;

/** Top-k and retrieval metrics over a partitioned embedding table equal the local {@link Retrieval}'s. */
class SparkRetrievalTest {
    @Test
    void topKAndMetricsEqualLocalRetrieval() {
        SparkSession spark = LocalSpark.session();
        Rng rng = new Rng(5);
        int n = 300, dims = 12, queries = 25;
        float[][] g = new float[n][], q = new float[queries][];
        int[] gl = new int[n], ql = new int[queries];
        for (int i = 0; i < n; i++) {
            g[i] = rng.normal(0f, 1f, dims).toArray();
            gl[i] = i % 10;
        }
        for (int i = 0; i < 20; i++) g[n - 1 - i] = g[i].clone();   // exact ties, across partitions
        for (int i = 0; i < queries; i++) {
            q[i] = i < 5 ? g[i * 7].clone() : rng.normal(0f, 1f, dims).toArray();
            ql[i] = i % 10;
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(RowFactory.create(String.format("g%03d", i), "image", g[i], gl[i]));
        StructType schema = SparkEmbed.SCHEMA.add("label", DataTypes.IntegerType, false);
        Dataset<Row> gallery = spark.createDataFrame(rows, schema).repartition(4);

        List<List<SparkRetrieval.Hit>> hits = SparkRetrieval.topK(spark, gallery, q, 5);
        for (int i = 0; i < queries; i++) {
            int[] want = Retrieval.topK(q[i], g, 5);
            assertEquals(5, hits.get(i).size());
            for (int r = 0; r < 5; r++) {
                assertEquals(Retrieval.cosine(q[i], g[want[r]]), hits.get(i).get(r).score(), 1e-6, "query " + i + " rank " + r);
                // equal scores may come in another order than the local stable sort: compare the scores, and the ids where untied
                boolean tied = r + 1 < 5 && hits.get(i).get(r).score() == hits.get(i).get(r + 1).score() || r > 0 && hits.get(i).get(r).score() == hits.get(i).get(r - 1).score();
                if (!tied) assertEquals(String.format("g%03d", want[r]), hits.get(i).get(r).id(), "query " + i + " rank " + r);
            }
        }
        assertEquals(1.0, hits.get(0).get(0).score(), 1e-6, "a query equal to a gallery item finds it first");

        Retrieval.Scores local = Retrieval.retrieve(q, ql, g, gl), dist = SparkRetrieval.evaluate(spark, gallery, "label", q, ql);
        assertEquals(local, dist);
        assertTrue(local.r1() > 0 && local.r1() < 1, "a mix of hits and misses: " + local);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkRetrieval.evaluate(spark, gallery, "class", q, ql));
        assertTrue(e.getMessage().contains("no 'class' column"), e.getMessage());
    }
}
