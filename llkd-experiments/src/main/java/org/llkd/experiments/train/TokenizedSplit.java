package org.llkd.experiments.train;

import java.util.List;
import org.llkd.models.tokenizer.WordPieceTokenizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Token ids of every text of a split, computed once (truncated to the tokenizer's max length), and
 * padded batches built from them on demand: each batch is padded to its own longest row (dynamic
 * padding), so short-text datasets cost what their texts cost.
 */
public final class TokenizedSplit {
  private final long[][] tokens; // [N][len_i], with [CLS] ... [SEP]
  private final long padId;

  public TokenizedSplit(WordPieceTokenizer tokenizer, List<String> texts) {
    this.tokens = new long[texts.size()][];
    for (int i = 0; i < texts.size(); i++) tokens[i] = tokenizer.encode(texts.get(i));
    this.padId = tokenizer.padId();
  }

  public int size() { return tokens.length; }

  public int length(int row) { return tokens[row].length; }

  /** The longest row's token count (0 for an empty split). */
  public int maxLength() {
    int t = 0;
    for (long[] row : tokens) t = Math.max(t, row.length);
    return t;
  }

  /** Input ids, attention mask and token types for {@code rows}, padded to the longest of them. */
  public Batch batch(int[] rows) {
    int t = 1;
    for (int r : rows) t = Math.max(t, tokens[r].length);
    long[][] ids = new long[rows.length][t];   // [B, T]
    long[][] mask = new long[rows.length][t];  // [B, T]
    for (int i = 0; i < rows.length; i++) {
      long[] src = tokens[rows[i]];
      for (int j = 0; j < t; j++) {
        boolean real = j < src.length;
        ids[i][j] = real ? src[j] : padId;
        mask[i][j] = real ? 1 : 0;
      }
    }
    INDArray idArr = Nd4j.createFromArray(ids);                      // [B, T] INT64
    INDArray maskArr = Nd4j.createFromArray(mask).castTo(DataType.FLOAT); // [B, T]
    INDArray types = Nd4j.zeros(DataType.INT64, rows.length, t);       // [B, T]
    return new Batch(idArr, maskArr, types);
  }

  /** One padded batch. */
  public record Batch(INDArray inputIds, INDArray attentionMask, INDArray tokenTypeIds) {}
}
