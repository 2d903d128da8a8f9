/**
 * BGTAI on Apache Spark (optional module {@code bgtai-spark}; nothing else depends on Spark):
 * <ul>
 *   <li>{@link org.bgtai.spark.SparkEmbed}: a table of files, bytes or texts to a table
 *       {@code (id, modality, embedding)}, the model broadcast once ({@link org.bgtai.spark.ModelShip})
 *       and loaded once per executor;</li>
 *   <li>{@link org.bgtai.spark.SparkRetrieval}: top k by cosine and R@1/R@5/MRR over a partitioned
 *       embedding table, equal to {@link org.bgtai.metrics.Retrieval}'s;</li>
 *   <li>{@link org.bgtai.spark.DataParallel}: the training loop on W workers by periodic
 *       parameter averaging, with a checkpoint per round and resume;</li>
 *   <li>{@link org.bgtai.spark.SparkMain}: the {@code spark-submit} command line (embed, retrieve,
 *       train) and {@link org.bgtai.spark.Scaling}, the projection from measured times.</li>
 * </ul>
 *
 * <pre>{@code
 * Dataset<Row> emb = SparkEmbed.embed(spark, spark.read().format("binaryFile").load("corpus/"), Path.of("runs/avd"));
 * List<List<SparkRetrieval.Hit>> top = SparkRetrieval.topK(spark, emb.where("modality = 'image'"), queries, 5);
 * DataParallel.Result r = DataParallel.train(jsc, DataSpec.world(WorldConfig.DEFAULT), ModelConfig.world(Variant.BGTAI),
 *     TrainOptions.of(14, 24, 2e-3).withCheckpoints(dir, true), 1, new DataParallel.Options(2, 4));
 * }</pre>
 */
package org.bgtai.spark;
