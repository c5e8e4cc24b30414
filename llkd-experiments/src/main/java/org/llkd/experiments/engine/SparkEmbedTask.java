package org.llkd.experiments.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.llkd.experiments.teacher.EncoderModel;
import org.llkd.experiments.teacher.OnnxSentenceEncoder;

/**
 * One Spark partition of a teacher export: opens one onnxruntime session for the partition, embeds every chunk of
 * texts the partition holds, closes the session. A pure function of its input, so Spark's retries need nothing else.
 */
final class SparkEmbedTask implements FlatMapFunction<Iterator<byte[]>, byte[]> {
  private static final long serialVersionUID = 1L;

  /** A contiguous slice of the texts: {@code texts} start at position {@code offset} of the whole list. */
  record Chunk(int offset, EncoderModel model, ArrayList<String> texts, int threads) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** What a chunk became: embeddings {@code [texts][hidden]} and where they were computed. */
  record Embedded(int offset, float[][] embeddings, String executor) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Override public Iterator<byte[]> call(Iterator<byte[]> in) {
    List<byte[]> out = new ArrayList<>();
    OnnxSentenceEncoder encoder = null;
    try {
      while (in.hasNext()) {
        Chunk c = SparkTask.read(in.next(), Chunk.class);
        if (encoder == null) encoder = OnnxSentenceEncoder.open(c.model(), c.threads());
        if (encoder.model() != c.model()) {
          throw new IllegalStateException("a partition holds texts for " + encoder.model() + " and " + c.model());
        }
        out.add(SparkTask.write(new Embedded(c.offset(), encoder.encode(c.texts()), SparkTask.executor())));
      }
    } finally {
      if (encoder != null) encoder.close();
    }
    return out.iterator();
  }
}
