package org.llkd.experiments.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llkd.experiments.data.LabelSet;
import org.llkd.experiments.data.Sample;
import org.llkd.experiments.data.Split;
import org.llkd.experiments.data.TextDataset;

/** The quick tier's evaluation rows: the head of the file, refused when it misses a class of the split. */
class EvalRowsTest {
  private static final LabelSet LABELS = LabelSet.of("a", "b", "c");

  /** A test split whose rows have the given labels, in that order. */
  private static TextDataset split(int... labels) {
    List<Sample> s = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) s.add(new Sample(Split.TEST.sampleId(i), "text " + i, labels[i]));
    return new TextDataset("toy", Split.TEST, s, LABELS, Path.of("data/toy/test.tsv"), "0".repeat(64));
  }

  @Test
  void allRowsWhenNoLimitOrTheLimitCoversTheFile() {
    TextDataset sorted = split(0, 0, 1, 1, 2, 2);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, EvalRows.head(sorted, 0));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, EvalRows.head(sorted, 6));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, EvalRows.head(sorted, 1000));
  }

  @Test
  void theHeadOfAMixedFileIsKept() {
    assertArrayEquals(new int[] {0, 1, 2}, EvalRows.head(split(2, 0, 1, 1, 0, 2), 3));
  }

  /** 20 rows of each class in blocks: a head of 30 holds 10 expected rows of c and none of them: refused. */
  @Test
  void aHeadMissingACommonClassOfTheSplitIsRefusedNamingFileRowsAndMissingClasses() {
    int[] sorted = new int[60];
    for (int i = 0; i < 60; i++) sorted[i] = i / 20;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EvalRows.head(split(sorted), 30));
    String m = e.getMessage();
    assertTrue(m.startsWith(Path.of("data/toy/test.tsv") + ": "), m);
    assertTrue(m.contains("first 30 of 60 test rows"), m);
    assertTrue(m.contains("found no row of 1 of its 3 classes (c: 10 expected)"), m);
    assertTrue(m.contains("reorder_test.py"), m);
  }

  /** A small head may miss a class by chance (2 expected rows here): accepted, as random order allows it. */
  @Test
  void aSmallHeadMayMissARareClass() {
    int[] sorted = new int[60];
    for (int i = 0; i < 60; i++) sorted[i] = i / 20;
    assertEquals(6, EvalRows.head(split(sorted), 6).length);
  }

  @Test
  void aClassAbsentFromTheWholeSplitIsNotRequiredInTheHead() {
    // class c never occurs in this split, so a head with a and b is complete
    assertEquals(2, EvalRows.head(split(0, 1, 0, 1), 2).length);
  }
}
