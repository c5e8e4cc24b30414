package org.llkd.selection.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.llkd.selection.teacher.TeacherTestFiles.LABELS;
import static org.llkd.selection.teacher.TeacherTestFiles.resource;
import static org.llkd.selection.teacher.TeacherTestFiles.text;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link TeacherOutputs#alignTo} and {@link TeacherOutputs#forSplit}: rows by id, classes by name or position. */
class TeacherAlignmentTest {
  @TempDir Path dir;

  @Test
  void rowsByIdAndClassesByName() {
    // numpy_probs_f4.npy: rows train-2, train-0, train-1; columns joy, sadness, love (float32)
    TeacherOutputs t = TeacherOutputReader.read(resource("numpy_probs_f4.npy"));
    TeacherOutputs a = t.alignTo(List.of("train-0", "train-1", "train-2"), LABELS);
    assertEquals(List.of("train-0", "train-1", "train-2"), a.ids());
    assertEquals(LABELS, a.labelNames());
    double[][] expected = { // [dataset row][sadness, joy, love]
        {0.3f, 0.6f, 0.1f},
        {0.1f, 0.1f, 0.8f},
        {0.7f, 0.2f, 0.1f}};
    assertArrayEquals(expected, a.probs());
    assertEquals("row 1", a.sourceLocation(0)); // train-0 is array row 1
    assertEquals(t.sourceSha256(), a.sourceSha256());
  }

  @Test
  void classesByPositionWhenTheFileNamesNone() {
    Path f = text(dir, "pos.jsonl", "{\"id\": \"dev-1\", \"probs\": [0.2, 0.3, 0.5]}\n"
        + "{\"id\": \"dev-0\", \"probs\": [0.6, 0.3, 0.1]}\n");
    TeacherOutputs a = TeacherOutputReader.read(f).alignTo(List.of("dev-0", "dev-1"), LABELS);
    assertArrayEquals(new double[][] {{0.6, 0.3, 0.1}, {0.2, 0.3, 0.5}}, a.probs());
    assertEquals(LABELS, a.labelNames());
    assertEquals("line 2", a.sourceLocation(0));
  }

  @Test
  void forSplitThenAlign() {
    Path f = text(dir, "splits.csv", "id,love,joy,sadness\ntrain-1,0.1,0.2,0.7\ndev-0,0.3,0.3,0.4\ntrain-0,1,0,0\n");
    TeacherOutputs all = TeacherOutputReader.read(f);
    TeacherOutputs train = all.forSplit("train");
    assertEquals(List.of("train-1", "train-0"), train.ids());
    assertEquals("line 4", train.sourceLocation(1));
    TeacherOutputs a = train.alignTo(List.of("train-0", "train-1"), LABELS);
    assertArrayEquals(new double[][] {{0, 0, 1}, {0.7, 0.2, 0.1}}, a.probs());
    assertEquals("line 4", a.sourceLocation(0));
    TeacherFormatException e = assertThrows(TeacherFormatException.class, () -> all.forSplit("test"));
    assertEquals("found only the splits [dev, train]", e.getMessage().replaceAll(".*(found [^.]*)\\..*", "$1"));
  }

  @Test
  void missingDatasetClassIsAClassCountError() {
    Path f = text(dir, "two.csv", "id,sadness,joy\ntrain-0,0.5,0.5\n");
    TeacherOutputs t = TeacherOutputReader.read(f);
    TeacherFormatException e = assertThrows(TeacherFormatException.class, () -> t.alignTo(List.of("train-0"), LABELS));
    assertEquals("3 classes [sadness, joy, love]", e.expected());
    assertEquals("2 classes [sadness, joy]", e.found());
  }

  @Test
  void toINDArrayIsDoubleNByC() {
    TeacherOutputs t = TeacherOutputs.ofProbabilities(List.of("train-0", "train-1"), LABELS,
        new double[][] {{0.2, 0.3, 0.5}, {1, 0, 0}}, Map.of());
    INDArray a = t.toINDArray();
    assertEquals(DataType.DOUBLE, a.dataType());
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertEquals(0.3, a.getDouble(0, 1));
    assertEquals(1.0, a.getDouble(1, 0));
  }
}
