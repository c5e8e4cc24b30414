package org.llkd.experiments.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.product.ProductFixtures.Run;

/** llkd teacher check: a good teacher gives the summary (exit 0); each mismatch exits 2 naming file and row. */
class TeacherCheckTest {
  @TempDir Path tmp;

  private Path train() throws IOException {
    return Files.writeString(tmp.resolve("train.csv"), """
        text,label
        "good, very good",pos
        bad movie,
        "so-so, meh",neu
        great,pos
        """);
  }

  private Path teacher(String... lines) throws IOException {
    return Files.writeString(tmp.resolve("teacher.jsonl"), String.join("\n", lines) + "\n");
  }

  private static String row(int i, String probs) {
    return "{\"id\": \"train-" + i + "\", \"probs\": [" + probs + "], \"label_names\": [\"neg\", \"neu\", \"pos\"]}";
  }

  @Test void goodTeacherGivesASummary() throws IOException {
    Path t = teacher(row(0, "0.1, 0.1, 0.8"), row(1, "0.7, 0.2, 0.1"), row(2, "0.3, 0.45, 0.25"), row(3, "0.5, 0.1, 0.4"));
    Run r = ProductFixtures.cli("teacher", "check", t.toString(), "--train", train().toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("4 rows aligned to the train file, 3 classes [neg, neu, pos]"), r.out());
    assertTrue(r.out().contains("alignment: by id: teacher ids train-<row>"), r.out());
    assertTrue(r.out().contains("teacher argmax per class: neg=2 neu=1 pos=1"), r.out());
    // gold on rows 0, 2, 3: teacher agrees on 0 (pos) and 2 (neu), not on 3 (neg vs pos)
    assertTrue(r.out().contains("agreement with gold: 2 of 3 labelled train rows (66.7%)"), r.out());
    assertTrue(r.out().contains("[0.7, 0.8)      1") && r.out().contains("[0.8, 0.9)      1"), r.out());
  }

  @Test void rowCountMismatch() throws IOException {
    Path t = teacher(row(0, "0.1, 0.1, 0.8"), row(1, "0.7, 0.2, 0.1"), row(2, "0.3, 0.45, 0.25"));
    Run r = ProductFixtures.cli("teacher", "check", t.toString(), "--train", train().toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(t + ": id 'train-3' of " + tmp.resolve("train.csv") + " row 3 (line 5) has no teacher "
        + "row; expected one teacher row per train row (4 rows in " + tmp.resolve("train.csv") + "), found 3 teacher rows"),
        r.err());
  }

  @Test void idMismatch() throws IOException {
    Path t = teacher(row(0, "0.1, 0.1, 0.8"), row(1, "0.7, 0.2, 0.1"), row(2, "0.3, 0.45, 0.25"), row(7, "0.5, 0.1, 0.4"));
    Run r = ProductFixtures.cli("teacher", "check", t.toString(), "--train", train().toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("id 'train-3' of " + tmp.resolve("train.csv") + " row 3 (line 5) has no teacher row"),
        r.err());
    assertTrue(r.err().contains("1 teacher ids not in the train file (first: 'train-7' line 4)"), r.err());
  }

  @Test void teacherClassesDifferFromTheLabels() throws IOException {
    Path t = teacher(row(0, "0.1, 0.1, 0.8"), row(1, "0.7, 0.2, 0.1"), row(2, "0.3, 0.45, 0.25"), row(3, "0.5, 0.1, 0.4"));
    Path labels = Files.writeString(tmp.resolve("labels.txt"), "neg\nneutral\npos\n");
    Run r = ProductFixtures.cli("teacher", "check", t.toString(), "--train", train().toString(), "--labels", labels.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(t.toString()) && r.err().contains("neutral"), r.err());
  }

  @Test void goldLabelOutsideTheLabelSet() throws IOException {
    Path tr = Files.writeString(tmp.resolve("train2.tsv"), "text\tlabel\nfine\tpos\nbad\tawful\n");
    Path t = teacher(row(0, "0.1, 0.1, 0.8"), row(1, "0.7, 0.2, 0.1"));
    Run r = ProductFixtures.cli("teacher", "check", t.toString(), "--train", tr.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(tr + " row 1 (line 3): expected a gold label in [neg, neu, pos] (or an empty cell), found 'awful'"),
        r.err());
  }

  @Test void noLabelNamesAnywhere() throws IOException {
    Path t = Files.writeString(tmp.resolve("nolabels.jsonl"), "{\"id\": \"train-0\", \"probs\": [0.2, 0.8]}\n");
    Path tr = Files.writeString(tmp.resolve("one.txt"), "hello\n");
    Run r = ProductFixtures.cli("teacher", "check", t.toString(), "--train", tr.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("expected label names (in the teacher file's metadata or via --labels FILE"), r.err());
  }
}
