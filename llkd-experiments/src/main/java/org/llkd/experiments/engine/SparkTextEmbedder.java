package org.llkd.experiments.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.llkd.experiments.teacher.EncoderModel;
import org.llkd.experiments.teacher.TextEmbedder;

/**
 * Teacher export on Spark: the texts are cut into {@code partitions} contiguous slices, one Spark partition each,
 * and every partition embeds its slice with its own onnxruntime session ({@link SparkEmbedTask}); the driver puts
 * the slices back in input order. Embeddings of a text do not depend on the slicing beyond float rounding: a
 * slice's batches pad to their own longest text, and padded positions are masked out (checked against the local
 * export in {@code SparkTeacherExportTest}).
 */
final class SparkTextEmbedder implements TextEmbedder {
  private final JavaSparkContext sc;
  private final int partitions;
  private final int threads;
  private final TreeSet<String> executors = new TreeSet<>();

  /**
   * @param partitions how many slices (Spark tasks) per split; null: the context's default parallelism
   * @param threads onnxruntime intra-op threads per session (match {@code spark.task.cpus})
   */
  SparkTextEmbedder(JavaSparkContext sc, Integer partitions, int threads) {
    if (partitions != null && partitions < 1) {
      throw new IllegalArgumentException("bad --partitions " + partitions + ": expected >= 1");
    }
    if (threads < 1) throw new IllegalArgumentException("bad --threads " + threads + ": expected >= 1");
    this.sc = sc;
    this.partitions = partitions != null ? partitions : Math.max(1, sc.defaultParallelism());
    this.threads = threads;
  }

  @Override public float[][] embed(EncoderModel model, List<String> texts, IntConsumer progress) {
    int n = texts.size();
    if (n == 0) return new float[0][];
    int p = Math.min(partitions, n);
    List<byte[]> chunks = new ArrayList<>(p);
    for (int i = 0; i < p; i++) {
      int from = (int) ((long) n * i / p);
      int to = (int) ((long) n * (i + 1) / p);
      chunks.add(SparkTask.write(new SparkEmbedTask.Chunk(from, model, new ArrayList<>(texts.subList(from, to)),
          threads)));
    }
    sc.setJobDescription("llkd teacher export: " + n + " texts, " + p + " partitions, " + model.shortName);
    List<byte[]> back = SparkTask.collect("Spark job embedding " + n + " texts in " + p + " partitions", "",
        () -> sc.parallelize(chunks, p).mapPartitions(new SparkEmbedTask()).collect());
    float[][] out = new float[n][];
    for (byte[] b : back) {
      SparkEmbedTask.Embedded e = SparkTask.read(b, SparkEmbedTask.Embedded.class);
      System.arraycopy(e.embeddings(), 0, out, e.offset(), e.embeddings().length);
      synchronized (executors) {
        executors.add(e.executor());
      }
      progress.accept(e.embeddings().length);
    }
    for (int i = 0; i < n; i++) {
      if (out[i] == null) throw new IllegalStateException("Spark returned no embedding for text " + i + " of " + n);
    }
    return out;
  }

  @Override public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("engine", "spark");
    m.put("sparkVersion", sc.version());
    m.put("master", sc.master());
    m.put("partitionsPerSplit", partitions);
    m.put("onnxThreadsPerPartition", threads);
    m.put("sessions", "one onnxruntime session per partition");
    synchronized (executors) {
      m.put("executors", List.copyOf(executors));
    }
    return m;
  }
}
