package org.bgtai.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.bgtai.metrics.Retrieval;

/**
 * Nearest-neighbour retrieval and retrieval metrics over an embedding table split across
 * executors: the queries travel once (a broadcast of their unit vectors), each partition keeps its
 * own top k per query, and the partial lists are merged in a tree ({@code treeReduce}). Scores are
 * the cosines {@link Retrieval} computes ({@link Retrieval#normalize}, {@link Retrieval#dot}), so
 * the results are the local ones.
 *
 * <pre>{@code
 * List<List<Hit>> hits = SparkRetrieval.topK(spark, emb.where("modality = 'image'"), queries, 5);
 * Retrieval.Scores s = SparkRetrieval.evaluate(spark, gallery, "label", queries, queryLabels);
 * }</pre>
 */
public final class SparkRetrieval {
    private SparkRetrieval() {}

    /** A gallery item and its cosine with the query. */
    public record Hit(String id, double score) implements Serializable {}

    /**
     * The {@code k} gallery rows most similar to each query (cosine, best first; equal scores by
     * id). {@code gallery} needs an {@code id} (string) and an {@code embedding} (array&lt;float&gt;)
     * column, as {@link SparkEmbed} writes.
     */
    public static List<List<Hit>> topK(org.apache.spark.sql.SparkSession spark, Dataset<Row> gallery, float[][] queries, int k) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        if (queries.length == 0) throw new IllegalArgumentException("no queries");
        int idCol = column(gallery, "id"), embCol = column(gallery, "embedding");
        Broadcast<float[][]> q = jsc(spark).broadcast(unit(queries));
        JavaRDD<TopK> parts = gallery.javaRDD().mapPartitions((Iterator<Row> rows) -> {
            TopK t = new TopK(q.value().length, k);
            float[][] qs = q.value();
            while (rows.hasNext()) {
                Row r = rows.next();
                float[] g = Retrieval.normalize(dims(SparkEmbed.vector(r, embCol), qs[0].length, r.getString(idCol)));
                for (int i = 0; i < qs.length; i++) t.offer(i, r.getString(idCol), Retrieval.dot(qs[i], g));
            }
            return List.of(t).iterator();
        });
        TopK all = parts.treeReduce(TopK::merge);
        q.destroy();
        List<List<Hit>> out = new ArrayList<>();
        for (int i = 0; i < queries.length; i++) out.add(all.hits(i));
        return out;
    }

    /**
     * R@1, R@5 and MRR of {@code queries} (labels {@code queryLabels}) against the gallery table
     * (an {@code embedding} column and the integer {@code labelColumn}; relevant = same label),
     * with ties counted as {@link Retrieval#retrieve} counts them. Two passes over the gallery:
     * the best relevant score of each query, then the items above and tied with it.
     */
    public static Retrieval.Scores evaluate(org.apache.spark.sql.SparkSession spark, Dataset<Row> gallery, String labelColumn, float[][] queries,
                                            int[] queryLabels) {
        return Retrieval.scores(placements(spark, gallery, labelColumn, queries, queryLabels));
    }

    /** Where each query's first relevant gallery item lands (see {@link Retrieval.Placement}). */
    public static Retrieval.Placement[] placements(org.apache.spark.sql.SparkSession spark, Dataset<Row> gallery, String labelColumn, float[][] queries,
                                                   int[] queryLabels) {
        if (queries.length != queryLabels.length) throw new IllegalArgumentException(queries.length + " queries but " + queryLabels.length + " labels");
        if (queries.length == 0) throw new IllegalArgumentException("no queries");
        int embCol = column(gallery, "embedding"), labCol = column(gallery, labelColumn);
        JavaSparkContext jsc = jsc(spark);
        Broadcast<float[][]> q = jsc.broadcast(unit(queries));
        Broadcast<int[]> ql = jsc.broadcast(queryLabels.clone());
        JavaRDD<Row> rows = gallery.select(gallery.columns()[embCol], gallery.columns()[labCol]).javaRDD();
        int dims = queries[0].length;
        // pass 1: the best score of a relevant item, per query
        double[] best = rows.mapPartitions((Iterator<Row> it) -> {
            double[] b = new double[ql.value().length];
            Arrays.fill(b, Double.NEGATIVE_INFINITY);
            while (it.hasNext()) {
                Row r = it.next();
                float[] g = Retrieval.normalize(dims(SparkEmbed.vector(r, 0), dims, "a gallery row"));
                int label = r.getInt(1);
                for (int i = 0; i < b.length; i++) if (ql.value()[i] == label) b[i] = Math.max(b[i], Retrieval.dot(q.value()[i], g));
            }
            return List.of(b).iterator();
        }).treeReduce((a, b) -> {
            double[] m = new double[a.length];
            for (int i = 0; i < m.length; i++) m[i] = Math.max(a[i], b[i]);
            return m;
        });
        Broadcast<double[]> bb = jsc.broadcast(best);
        // pass 2: irrelevant items above it, and items tied with it
        long[] counts = rows.mapPartitions((Iterator<Row> it) -> {
            double[] b = bb.value();
            long[] c = new long[3 * b.length];
            while (it.hasNext()) {
                Row r = it.next();
                float[] g = Retrieval.normalize(SparkEmbed.vector(r, 0));
                int label = r.getInt(1);
                for (int i = 0; i < b.length; i++) {
                    if (b[i] == Double.NEGATIVE_INFINITY) continue;
                    double s = Retrieval.dot(q.value()[i], g);
                    boolean rel = ql.value()[i] == label;
                    if (s == b[i]) c[3 * i + (rel ? 2 : 1)]++;
                    else if (!rel && s > b[i]) c[3 * i]++;
                }
            }
            return List.of(c).iterator();
        }).treeReduce((a, b) -> {
            long[] s = new long[a.length];
            for (int i = 0; i < s.length; i++) s[i] = a[i] + b[i];
            return s;
        });
        q.destroy();
        ql.destroy();
        bb.destroy();
        Retrieval.Placement[] out = new Retrieval.Placement[queries.length];
        for (int i = 0; i < out.length; i++) out[i] = new Retrieval.Placement((int) counts[3 * i], (int) counts[3 * i + 1], (int) counts[3 * i + 2]);
        return out;
    }

    /** Per-query top k of one partition, or of several merged. */
    static final class TopK implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int k;
        private final List<List<Hit>> lists = new ArrayList<>();

        TopK(int queries, int k) {
            this.k = k;
            for (int i = 0; i < queries; i++) lists.add(new ArrayList<>(k + 1));
        }

        private static int compare(Hit a, Hit b) {
            int c = Double.compare(b.score(), a.score());
            return c != 0 ? c : a.id().compareTo(b.id());
        }

        void offer(int query, String id, double score) {
            List<Hit> l = lists.get(query);
            Hit h = new Hit(id, score);
            if (l.size() == k && compare(h, l.get(k - 1)) >= 0) return;
            int at = 0;
            while (at < l.size() && compare(l.get(at), h) <= 0) at++;
            l.add(at, h);
            if (l.size() > k) l.remove(k);
        }

        static TopK merge(TopK a, TopK b) {
            for (int i = 0; i < a.lists.size(); i++) for (Hit h : b.lists.get(i)) a.offer(i, h.id(), h.score());
            return a;
        }

        List<Hit> hits(int query) {
            return List.copyOf(lists.get(query));
        }
    }

    private static float[][] unit(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != x[0].length) throw new IllegalArgumentException("query " + i + " has " + x[i].length + " dims, query 0 " + x[0].length);
            out[i] = Retrieval.normalize(x[i]);
        }
        return out;
    }

    private static float[] dims(float[] g, int dims, String id) {
        if (g.length != dims) throw new IllegalArgumentException(id + ": embedding of " + g.length + " dims, the queries have " + dims + " (another model?)");
        return g;
    }

    private static int column(Dataset<Row> t, String name) {
        int i = Arrays.asList(t.columns()).indexOf(name);
        if (i < 0) throw new IllegalArgumentException("the embedding table has no '" + name + "' column; it has " + Arrays.toString(t.columns()));
        return i;
    }

    private static JavaSparkContext jsc(org.apache.spark.sql.SparkSession spark) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext());
    }
}
