package org.llkd.models.tokenizer;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tokenized batch, right-padded to the longest item: every array is {@code [batch, seqLen]}.
 *
 * @param inputIds      token ids, {@code padId} after each item's {@code lengths[b]} tokens
 * @param attentionMask 1 for real tokens (including [CLS]/[SEP]), 0 for padding
 * @param tokenTypeIds  segment ids (0 for single sentences), {@code padTypeId} on padding
 * @param lengths       number of real tokens per item, {@code [batch]}
 */
public record EncodedBatch(long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds, int[] lengths) {
  public EncodedBatch {
    if (inputIds == null || attentionMask == null || tokenTypeIds == null || lengths == null) {
      throw new IllegalArgumentException("EncodedBatch: no array may be null");
    }
    int b = inputIds.length;
    if (b == 0) throw new IllegalArgumentException("EncodedBatch: batch must not be empty");
    if (attentionMask.length != b || tokenTypeIds.length != b || lengths.length != b) {
      throw new IllegalArgumentException("EncodedBatch: batch sizes differ: inputIds " + b + ", attentionMask "
          + attentionMask.length + ", tokenTypeIds " + tokenTypeIds.length + ", lengths " + lengths.length);
    }
    int t = inputIds[0].length;
    for (int i = 0; i < b; i++) {
      if (inputIds[i].length != t || attentionMask[i].length != t || tokenTypeIds[i].length != t) {
        throw new IllegalArgumentException("EncodedBatch: row " + i + " is not " + t + " long (ids "
            + inputIds[i].length + ", mask " + attentionMask[i].length + ", types " + tokenTypeIds[i].length + ")");
      }
      if (lengths[i] < 0 || lengths[i] > t) {
        throw new IllegalArgumentException("EncodedBatch: lengths[" + i + "] = " + lengths[i] + " outside [0, " + t + "]");
      }
      for (int j = 0; j < t; j++) {
        long expected = j < lengths[i] ? 1 : 0;
        if (attentionMask[i][j] != expected) {
          throw new IllegalArgumentException("EncodedBatch: attentionMask[" + i + "][" + j + "] = " + attentionMask[i][j]
              + ", expected " + expected + " for length " + lengths[i] + " (masks must be right-padded prefixes)");
        }
      }
    }
  }

  public int batchSize() { return inputIds.length; }

  /** Padded sequence length T (the longest item's length). */
  public int seqLen() { return inputIds[0].length; }

  /** Number of real (unpadded) tokens over the whole batch. */
  public long tokenCount() { return Arrays.stream(lengths).asLongStream().sum(); }

  /** Input ids as an INT64 INDArray {@code [batch, seqLen]}. */
  public INDArray inputIdsArray() { return Nd4j.createFromArray(inputIds); } // [batch, seq]

  /** Attention mask as an INT64 INDArray {@code [batch, seqLen]}. */
  public INDArray attentionMaskArray() { return Nd4j.createFromArray(attentionMask); } // [batch, seq]

  /** Token type ids as an INT64 INDArray {@code [batch, seqLen]}. */
  public INDArray tokenTypeIdsArray() { return Nd4j.createFromArray(tokenTypeIds); } // [batch, seq]
}
