package org.llkd.models.encoder;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/** One post-LN BERT layer: {@link SelfAttention} then {@link FeedForward}, both [M, H] -> [M, H]. */
final class EncoderLayer {
  final SelfAttention attention;
  final FeedForward feedForward;

  EncoderLayer(int layer, ParamsAndGrads pg, StudentConfig cfg) {
    attention = new SelfAttention(layer, pg, cfg);
    feedForward = new FeedForward(layer, pg, cfg);
  }

  void bind(int b, int t) {
    attention.bind(b, t);
    feedForward.bind((long) b * t);
  }

  /** Keeps the backward caches of samples {@code rows} of a batch of {@code batch} (before a rebind). */
  void keepRows(int batch, int[] rows) {
    attention.keepRows(rows);
    feedForward.keepRows(batch, rows);
  }

  /** After a rebind: points the blocks' cached inputs at the new views; returns this layer's output [M, H]. */
  INDArray reattach(INDArray input) {
    attention.input(input);
    feedForward.input(attention.output());
    return feedForward.output();
  }

  /** [M, H] -> [M, H]; the input must stay untouched until {@link #backward}. */
  INDArray forward(INDArray x, INDArray maskBias /*[B,T]*/, Random rng) {
    return feedForward.forward(attention.forward(x, maskBias, rng), rng);
  }

  /** dIn [M, H] from dOut [M, H] (overwritten). */
  INDArray backward(INDArray dOut) {
    return attention.backward(feedForward.backward(dOut));
  }

  /** Frees this block's buffers (the model is unusable afterwards). */
  void close() {
    attention.close();
    feedForward.close();
  }
}
