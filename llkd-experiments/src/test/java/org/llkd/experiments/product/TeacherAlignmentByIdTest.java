package org.llkd.experiments.product;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.data.TextDataset;
import org.llkd.experiments.product.ProductFixtures.Run;
import org.llkd.experiments.train.TrainingSources;
import org.llkd.selection.teacher.TeacherOutputs;

/**
 * Teacher rows are matched to train rows by the train file's id column (--id-column): re-sorting the train file changes
 * nothing a row is taught; a duplicate, missing or extra id is an error naming the id and both files; {@code teacher
 * check} names the rule it applied.
 */
class TeacherAlignmentByIdTest {
  private static final List<String> LABELS = List.of("neg", "neu", "pos");
  @TempDir Path tmp;

  /** 40 rows "r<i*7>": text of class i % 3, gold on every other row. */
  private static List<String[]> rows() {
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      out.add(new String[] {"r" + (i * 7), "text number " + i + " about " + LABELS.get(i % 3), i % 2 == 0 ? LABELS.get(i % 3) : ""});
    }
    return out;
  }

  private Path csv(String name, List<String[]> rows) throws IOException {
    StringBuilder sb = new StringBuilder("text,id,label\n");
    for (String[] r : rows) sb.append('"').append(r[1]).append("\",").append(r[0]).append(',').append(r[2]).append('\n');
    return Files.writeString(tmp.resolve(name), sb.toString());
  }

  /** A JSONL teacher keyed by the id column, in an order of its own; wrong on every 5th row. */
  private Path teacher(List<String[]> rows) throws IOException {
    List<String[]> order = new ArrayList<>(rows);
    Collections.reverse(order);
    StringBuilder sb = new StringBuilder();
    for (String[] r : order) {
      int i = Integer.parseInt(r[0].substring(1)) / 7;
      int shown = i % 5 == 0 ? (i + 1) % 3 : i % 3;
      double[] p = {0.1, 0.1, 0.1};
      p[shown] = 0.8;
      sb.append("{\"id\": \"").append(r[0]).append("\", \"probs\": [").append(p[0]).append(", ").append(p[1]).append(", ")
          .append(p[2]).append("], \"label_names\": [\"neg\", \"neu\", \"pos\"]}\n");
    }
    return Files.writeString(tmp.resolve("teacher.jsonl"), sb.toString());
  }

  private static TextFileReader.Columns byId() {
    return new TextFileReader.Columns("text", "id", "label", false);
  }

  /** id -> teacher argmax, from the training sources exactly as llkd train builds them. */
  private static Map<String, Integer> pseudoLabels(Path train, Path teacher) {
    UserTraining.Request r = new UserTraining.Request(UserTraining.Request.Inputs.of(train.toString(), teacher, byId()),
        new UserTraining.Request.Recipe("llkd", "tiny", 1), UserTraining.Request.Overrides.NONE,
        UserTraining.Request.Keeping.DEFAULT, UserTraining.Request.Output.fresh(train.resolveSibling("never")));
    TrainingSources s = UserTraining.sources(r);
    List<TextRow> rows = TextFileReader.readAll(train.toString(), null, byId());
    TextDataset ds = s.train();
    TeacherOutputs t = s.teacher();
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i < ds.size(); i++) {
      int best = 0;
      for (int k = 1; k < 3; k++) if (t.prob(i, k) > t.prob(i, best)) best = k;
      out.put(rows.get(i).id(), best);
      assertEquals(rows.get(i).text(), ds.get(i).text(), "row " + i + ": dataset row = file row");
    }
    return out;
  }

  @Test void shuffledTrainFileGetsTheSamePseudoLabelPerRowAndTheSameAgreement() throws IOException {
    List<String[]> rows = rows();
    Path teacher = teacher(rows);
    Path sorted = csv("train.csv", rows);
    List<String[]> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(5));
    Path resorted = csv("train-shuffled.csv", shuffled);

    Map<String, Integer> a = pseudoLabels(sorted, teacher), b = pseudoLabels(resorted, teacher);
    assertEquals(40, a.size());
    assertEquals(a, b, "every row keeps its pseudo-label after re-sorting the train file");
    for (String[] r : rows) {
      int i = Integer.parseInt(r[0].substring(1)) / 7;
      assertEquals(i % 5 == 0 ? (i + 1) % 3 : i % 3, a.get(r[0]), r[0] + ": the teacher row with this id");
    }
    TeacherCheck.Summary s1 = TeacherCheck.run(teacher, sorted.toString(), null, byId(), null);
    TeacherCheck.Summary s2 = TeacherCheck.run(teacher, resorted.toString(), null, byId(), null);
    assertEquals(20, s1.goldRows());
    assertEquals(16, s1.agreeing(), "the teacher is wrong on rows 0, 10, 20, 30 of the 20 gold rows (even i)");
    assertEquals(s1.agreeing(), s2.agreeing());
    assertEquals(s1.goldRows(), s2.goldRows());
    assertEquals(TeacherCheck.Rule.ID_COLUMN, s2.alignment().rule());
  }

  @Test void teacherCheckSaysWhichRuleItApplied() throws IOException {
    List<String[]> rows = rows();
    Path teacher = teacher(rows);
    Path train = csv("train.csv", rows);
    Run r = ProductFixtures.cli("teacher", "check", teacher.toString(), "--train", train.toString(), "--id-column", "id");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("alignment: by id: teacher ids matched to the train file's column 'id' (--id-column)"),
        r.out());
    // --no-id-column: the teacher ids would have to be train-<row>; refused, pointing at --id-column
    Run noColumn = ProductFixtures.cli("teacher", "check", teacher.toString(), "--train", train.toString(), "--no-id-column");
    assertEquals(2, noColumn.exit());
    assertTrue(noColumn.err().contains("id 'train-0' of " + train + " row 0 (line 2) has no teacher row"), noColumn.err());
    assertTrue(noColumn.err().contains("pass --id-column COLUMN"), noColumn.err());
    Run both = ProductFixtures.cli("teacher", "check", teacher.toString(), "--train", train.toString(), "--no-id-column",
        "--id-column", "id");
    assertEquals(2, both.exit());
    assertTrue(both.err().contains("--id-column id and --no-id-column exclude each other"), both.err());
  }

  /**
   * A train file with a column named {@code id} and no --id-column (what pandas and HuggingFace users have): the
   * column is the id column, so a shuffled copy aligns row by row as with --id-column id, and the rule says so, in
   * {@code teacher check}'s output and in the trained model's provenance.
   */
  @Test void aColumnNamedIdIsTheIdColumnWithoutTheFlag() throws IOException {
    List<String[]> rows = rows();
    Path teacher = teacher(rows);
    List<String[]> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(11));
    Path train = csv("train-shuffled.csv", shuffled);
    Run r = ProductFixtures.cli("teacher", "check", teacher.toString(), "--train", train.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("alignment: by id: teacher ids matched to the train file's column 'id' (a column named "
        + "'id' is the id column without --id-column; --no-id-column matches train-<row> instead)"), r.out());
    assertTrue(r.out().contains("agreement with gold: 16 of 20 labelled train rows"), r.out());
    TeacherCheck.Summary flag = TeacherCheck.run(teacher, train.toString(), null, byId(), null);
    TeacherCheck.Summary auto = TeacherCheck.run(teacher, train.toString(), null, TextFileReader.Columns.defaults(), null);
    assertEquals(flag.agreeing(), auto.agreeing());
    assertArrayEquals(flag.teacher().probs(), auto.teacher().probs(), "the same teacher row for every train row");
    assertEquals(new TeacherCheck.Alignment(TeacherCheck.Rule.ID_COLUMN, "id", true), auto.alignment());

    Path out = tmp.resolve("auto-id-out");
    Run t = ProductFixtures.cli("train", "--train", train.toString(), "--teacher", teacher.toString(), "--tier", "tiny",
        "--max-steps", "5", "--out", out.toString());
    assertEquals(0, t.exit(), t.err());
    JsonNode align = new ObjectMapper().readTree(out.resolve("provenance.json").toFile()).get("teacherAlignment");
    assertEquals("ID_COLUMN", align.get("rule").asText(), align.toString());
    assertEquals("id", align.get("idColumn").asText(), align.toString());
    assertTrue(align.get("idColumnFoundByName").asBoolean(), align.toString());
  }

  /**
   * A teacher keyed train-&lt;row&gt; against a train file with an id column, no flag: not a silent alignment by row
   * (which a re-sorted file would turn into a wrong one), but an error naming the id, both files and the way out.
   */
  @Test void rowIdTeacherAgainstATrainFileWithAnIdColumnIsRefusedNamingTheWayOut() throws IOException {
    List<String[]> rows = rows();
    Path train = csv("train.csv", rows);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      sb.append("{\"id\": \"train-").append(i).append("\", \"probs\": [0.8, 0.1, 0.1], \"label_names\": [\"neg\", "
          + "\"neu\", \"pos\"]}\n");
    }
    Path teacher = Files.writeString(tmp.resolve("row-teacher.jsonl"), sb.toString());
    Run r = ProductFixtures.cli("teacher", "check", teacher.toString(), "--train", train.toString());
    assertEquals(2, r.exit(), r.out());
    assertTrue(r.err().contains(teacher + ": id 'r0' of " + train + " row 0 (line 2) has no teacher row"), r.err());
    assertTrue(r.err().contains("matched by the id column 'id'"), r.err());
    assertTrue(r.err().contains("the teacher ids look like train-<row>, but " + train + " has a column 'id', which is the "
        + "id column without --id-column: pass --no-id-column"), r.err());
    Run t = ProductFixtures.cli("train", "--train", train.toString(), "--teacher", teacher.toString(), "--tier", "tiny",
        "--out", tmp.resolve("never").toString());
    assertEquals(2, t.exit(), "llkd train refuses the same way");
    assertTrue(t.err().contains("id 'r0' of " + train), t.err());
    Run byRow = ProductFixtures.cli("teacher", "check", teacher.toString(), "--train", train.toString(), "--no-id-column");
    assertEquals(0, byRow.exit(), byRow.err());
    assertTrue(byRow.out().contains("alignment: by id: teacher ids train-<row>"), byRow.out());
  }

  /** A teacher id twice: the error names the teacher line, the train file and the train row the id belongs to. */
  @Test void duplicateTeacherIdNamesBothFiles() throws IOException {
    List<String[]> rows = rows();
    Path good = teacher(rows);
    List<String> lines = new ArrayList<>(Files.readAllLines(good));
    lines.add(lines.stream().filter(l -> l.contains("\"r14\"")).findFirst().orElseThrow()); // line 41 repeats r14
    Path teacher = Files.write(tmp.resolve("dup-teacher.jsonl"), lines);
    Path train = csv("train.csv", rows);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TeacherCheck.run(teacher, train.toString(), null, TextFileReader.Columns.defaults(), null));
    assertTrue(e.getMessage().startsWith(teacher + " line 41: duplicate id 'r14' (the id of " + train + " row 2, line 4); "
        + "expected each id once: one teacher row for each row of " + train + ", matched by the id column 'id'; found "
        + "'r14' also on line 38"), e.getMessage());
  }

  @Test void duplicateMissingAndExtraIdsNameTheIdAndBothFiles() throws IOException {
    List<String[]> rows = rows();
    Path teacher = teacher(rows);

    List<String[]> dup = new ArrayList<>(rows);
    dup.set(5, new String[] {"r14", "a copy", ""}); // r14 is row 2's id
    Path dupTrain = csv("dup.csv", dup);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TeacherCheck.run(teacher, dupTrain.toString(), null, byId(), null));
    assertTrue(e.getMessage().startsWith(dupTrain + " row 5 (line 7): expected each value of the id column 'id' once "
        + "(teacher rows in " + teacher + " are matched by it), found the id 'r14' again (first on row 2, line 4)"),
        e.getMessage());

    List<String[]> renamed = new ArrayList<>(rows);
    renamed.set(3, new String[] {"r999", rows.get(3)[1], ""});
    Path missTrain = csv("miss.csv", renamed);
    e = assertThrows(IllegalArgumentException.class, () -> TeacherCheck.run(teacher, missTrain.toString(), null, byId(), null));
    assertTrue(e.getMessage().startsWith(teacher + ": id 'r999' of " + missTrain + " row 3 (line 5) has no teacher row"),
        e.getMessage());
    assertTrue(e.getMessage().contains("1 teacher ids not in the train file (first: 'r21' line 37)"), e.getMessage());

    List<String[]> fewer = new ArrayList<>(rows.subList(0, 39)); // the teacher has r273 too
    Path fewerTrain = csv("fewer.csv", fewer);
    e = assertThrows(IllegalArgumentException.class, () -> TeacherCheck.run(teacher, fewerTrain.toString(), null, byId(), null));
    assertTrue(e.getMessage().startsWith(teacher + ": teacher id 'r273' (line 1) is not an id of " + fewerTrain
        + "; expected one teacher row per train row (39 rows in " + fewerTrain + "), found 40 teacher rows"), e.getMessage());
  }

  @Test void idLessNpyIsAlignedByRowOrderAndSaysSo() throws IOException {
    List<String[]> rows = rows();
    Path train = csv("train.csv", rows);
    double[][] p = new double[40][];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      p[i] = new double[] {0.2, 0.3, 0.5};
      ids.add("train-" + i);
    }
    Path npy = tmp.resolve("t.npy");
    org.llkd.selection.teacher.TeacherOutputWriter.writeNpy(TeacherOutputs.ofProbabilities(ids, LABELS, p, Map.of()), npy,
        org.llkd.selection.teacher.TeacherOutputWriter.NpyDtype.FLOAT32);
    Files.delete(tmp.resolve("t.npy.ids.txt"));
    Run r = ProductFixtures.cli("teacher", "check", npy.toString(), "--train", train.toString(), "--id-column", "id");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("alignment: by row order: the teacher file has no ids"), r.out());
    assertNotEquals(-1, r.out().indexOf("40 rows aligned"), r.out());
  }
}
