package org.llkd.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Token ids against the bert-base-uncased vocabulary of all-MiniLM-L6-v2's tokenizer.json. The
 * expected ids were derived by hand from that vocab (lower-case, accent strip, punctuation split,
 * greedy longest-match WordPiece), not by running this tokenizer.
 */
class WordPieceTokenizerTest {
  private static WordPieceTokenizer tok;

  @BeforeAll static void open() { tok = WordPieceTokenizer.miniLm(); }

  @AfterAll static void close() { tok.close(); }

  @Test void knownIds() {
    assertArrayEquals(new long[] {101, 7592, 2088, 102}, tok.encode("hello world"));
    // the quick brown fox jumps !
    assertArrayEquals(new long[] {101, 1996, 4248, 2829, 4419, 14523, 999, 102}, tok.encode("The quick brown fox jumps!"));
    // una ##ffa ##ble token ##ization , cal ##pers ?
    assertArrayEquals(new long[] {101, 14477, 20961, 3468, 19204, 3989, 1010, 10250, 7347, 1029, 102},
        tok.encode("Unaffable tokenization, Calpers?"));
    // lower-casing strips accents: hello naive cafe
    assertArrayEquals(new long[] {101, 7592, 15743, 7668, 102}, tok.encode("Héllo naïve café"));
    assertArrayEquals(new long[] {101, 102}, tok.encode(""));
  }

  @Test void truncatesToMaxLengthKeepingSep() {
    String longText = String.join(" ", Collections.nCopies(300, "world"));
    long[] ids = tok.encode(longText);
    assertEquals(128, ids.length);
    assertEquals(101, ids[0]);
    assertEquals(2088, ids[126]);
    assertEquals(102, ids[127]);
    try (WordPieceTokenizer shortTok = WordPieceTokenizer.fromResource(WordPieceTokenizer.MINILM_TOKENIZER_RESOURCE, 5)) {
      assertArrayEquals(new long[] {101, 1996, 4248, 2829, 102}, shortTok.encode("The quick brown fox jumps!"));
      EncodedBatch b = shortTok.encodeBatch(List.of("hello world", longText));
      assertEquals(5, b.seqLen());
      assertArrayEquals(new int[] {4, 5}, b.lengths());
    }
  }

  @Test void padsDynamicallyToLongestWithMasks() {
    EncodedBatch b = tok.encodeBatch(List.of("hello world", "The quick brown fox jumps!", "hi"));
    assertEquals(3, b.batchSize());
    assertEquals(8, b.seqLen());
    assertArrayEquals(new int[] {4, 8, 3}, b.lengths());
    assertArrayEquals(new long[] {101, 7592, 2088, 102, 0, 0, 0, 0}, b.inputIds()[0]);
    assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0, 0, 0}, b.attentionMask()[0]);
    assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1}, b.attentionMask()[1]);
    assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0, 0, 0}, b.attentionMask()[2]);
    for (long[] row : b.tokenTypeIds()) assertArrayEquals(new long[8], row);
    assertEquals(15, b.tokenCount());

    INDArray ids = b.inputIdsArray();
    assertEquals(DataType.INT64, ids.dataType());
    assertArrayEquals(new long[] {3, 8}, ids.shape());
    assertEquals(2088, ids.getLong(0, 2));
    assertEquals(0, b.attentionMaskArray().getLong(2, 3));
    assertArrayEquals(new long[] {3, 8}, b.tokenTypeIdsArray().shape());

    // A batch of short items is padded only to its own longest item, not to maxLength.
    assertEquals(4, tok.encodeBatch(List.of("hello world", "hi")).seqLen());
  }

  @Test void metadataAndErrors() {
    assertEquals(30522, tok.vocabSize());
    assertEquals(0, tok.padId());
    assertEquals(64, tok.sha256().length());
    assertEquals("true", System.getProperty("ai.djl.offline"));
    assertThrows(IllegalArgumentException.class, () -> tok.encodeBatch(List.of()));
    assertThrows(IllegalArgumentException.class, () -> WordPieceTokenizer.fromResource("/no-such-tokenizer.json", 128));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WordPieceTokenizer.fromResource(WordPieceTokenizer.MINILM_TOKENIZER_RESOURCE, 1));
    assertTrue(e.getMessage().contains("found 1"), e.getMessage());
    // A mask that is not a right-padded prefix is rejected.
    assertThrows(IllegalArgumentException.class, () -> new EncodedBatch(
        new long[][] {{101, 102}}, new long[][] {{0, 1}}, new long[][] {{0, 0}}, new int[] {2}));
  }
}
