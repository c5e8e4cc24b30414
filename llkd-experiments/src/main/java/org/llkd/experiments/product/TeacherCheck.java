package org.llkd.experiments.product;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.llkd.experiments.textfile.TextFileException;
import org.llkd.experiments.textfile.TextLines;
import org.llkd.models.label.PseudoLabel;
import org.llkd.selection.teacher.TeacherFormatException;
import org.llkd.selection.teacher.TeacherOutputReader;
import org.llkd.selection.teacher.TeacherOutputs;

/**
 * Checks a user's teacher file against their train file, without training: reads the teacher with
 * {@link TeacherOutputReader#readUserFile} (every format and rule of docs/teacher-formats.md, ids free-form), aligns
 * it to the train rows and the label list, and summarises it. One of three rules ({@link Rule}) lines teacher rows
 * up with train rows, and the summary names it:
 * <ul>
 *   <li>{@link Rule#ID_COLUMN}: with {@code --id-column}, or when the train file has a column named exactly {@code id}
 *       (found by its name, unless {@code --no-id-column}), teacher ids are that column's values (re-sorting or
 *       filtering the train file cannot shift the supervision);
 *   <li>{@link Rule#ROW_ID}: without an id column, teacher ids are {@code train-<row>} (0-based data row, header
 *       excluded);
 *   <li>{@link Rule#ROW_ORDER}: an NPY without an {@code .ids.txt} sidecar or an NPZ without ids has no ids at all:
 *       row i = train row i (the only rule possible; the row counts must be equal).
 * </ul>
 * By id, every train id needs exactly one teacher row and every teacher row a train id: a duplicate id (in either
 * file), a missing or an extra one is an error naming the id, the row and both files.
 *
 * <p>Labels come from the labels file (one name per line) if given, else from the teacher file's label names,
 * else it is an error naming both. Every refusal is an {@link IllegalArgumentException} naming the file, row,
 * what was expected and what was found.
 */
public final class TeacherCheck {
  /**
   * @param rows        train rows
   * @param labels      the label list used
   * @param teacher     the aligned teacher table (row i = train row i, column k = labels[k])
   * @param histogram   count of rows by teacher confidence (max probability) in 10 bins [0, 0.1) ... [0.9, 1]
   * @param predicted   rows per teacher argmax class
   * @param goldRows    train rows carrying a gold label
   * @param agreeing    of those, rows where the teacher's argmax is the gold label
   */
  public record Summary(int rows, List<String> labels, TeacherOutputs teacher, long[] histogram, long[] predicted,
      int goldRows, int agreeing, Alignment alignment) {

    public String format() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "teacher %s: OK, %d rows aligned to the train file, %d classes %s%n",
          teacher.source(), rows, labels.size(), labels));
      sb.append("  alignment: ").append(alignment.describe()).append(String.format(Locale.ROOT, "%n"));
      sb.append("  teacher argmax per class:");
      for (int k = 0; k < labels.size(); k++) sb.append(' ').append(labels.get(k)).append('=').append(predicted[k]);
      sb.append(String.format(Locale.ROOT, "%n  confidence (max probability) histogram:%n"));
      long max = 1;
      for (long h : histogram) max = Math.max(max, h);
      for (int b = 0; b < histogram.length; b++) {
        sb.append(String.format(Locale.ROOT, "    [%.1f, %.1f%s %6d %s%n", b / 10.0, (b + 1) / 10.0, b == 9 ? "]" : ")",
            histogram[b], "#".repeat((int) Math.round(40.0 * histogram[b] / max))));
      }
      if (goldRows > 0) {
        sb.append(String.format(Locale.ROOT, "  agreement with gold: %d of %d labelled train rows (%.1f%%)%n", agreeing,
            goldRows, 100.0 * agreeing / goldRows));
      } else {
        sb.append(String.format(Locale.ROOT, "  agreement with gold: no train row has a gold label%n"));
      }
      return sb.toString();
    }
  }

  private TeacherCheck() {}

  /** Reads a labels file: one non-empty, distinct name per line (UTF-8). */
  public static List<String> readLabels(Path file) {
    List<String> out = new ArrayList<>();
    try (TextLines lines = TextLines.open(file, false)) {
      while (lines.hasNext()) {
        TextLines.Line line = lines.next();
        String l = line.text().strip();
        if (line.number() == 1 && l.startsWith("\uFEFF")) l = l.substring(1);
        if (l.isEmpty()) continue;
        if (out.contains(l)) {
          throw TextFileException.atLine(file.toString(), line.number(), "each label once", "'" + l + "' again", null,
              null);
        }
        out.add(l);
      }
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof java.nio.file.NoSuchFileException) {
        throw TextFileException.inFile(file.toString(), "an existing labels file (one label per line)", "no such file");
      }
      throw e;
    }
    if (out.size() < 2) {
      throw TextFileException.inFile(file.toString(), "at least 2 labels, one per line", out.size() + " label(s) " + out);
    }
    return out;
  }

  /** How teacher rows were lined up with train rows. */
  public enum Rule { ID_COLUMN, ROW_ID, ROW_ORDER }

  /**
   * The rule applied and, for {@link Rule#ID_COLUMN}, the column, and whether it was found by its name {@code id}
   * (no --id-column).
   */
  public record Alignment(Rule rule, String idColumn, boolean idColumnFound) {
    public Alignment(Rule rule, String idColumn) {
      this(rule, idColumn, false);
    }

    public String describe() {
      return switch (rule) {
        case ID_COLUMN -> idColumnFound ? "by id: teacher ids matched to the train file's column '" + idColumn + "' (a "
            + "column named '" + idColumn + "' is the id column without --id-column; --no-id-column matches train-<row> "
            + "instead)" : "by id: teacher ids matched to the train file's column '" + idColumn + "' (--id-column)";
        case ROW_ID -> "by id: teacher ids train-<row> (0-based data row of the train file; --id-column COLUMN "
            + "matches an id column of the train file instead)";
        case ROW_ORDER -> "by row order: the teacher file has no ids (row i = train row i; re-sorting either file "
            + "breaks this: add ids to align by id)";
      };
    }
  }

  /** A teacher table aligned to the train rows, and the rule that aligned it. */
  public record Aligned(TeacherOutputs teacher, Alignment alignment) {}

  /**
   * The teacher table aligned to the train rows (row i = train row i) and the label list ({@code labels}, or the
   * teacher's names when null), by the values of the train file's id column when it has one (see {@link Rule}).
   */
  public static Aligned align(Path teacherFile, TextFileReader.Table train, List<String> labels, String trainName) {
    List<TextRow> rows = train.rows();
    String idColumn = train.idColumn();
    int trainRows = rows.size();
    TeacherOutputs t;
    try {
      if (!java.nio.file.Files.isRegularFile(teacherFile)) {
        throw TextFileException.inFile(teacherFile.toString(), "an existing teacher file", "no such file");
      }
      t = TeacherOutputReader.readUserFile(teacherFile, "train");
    } catch (TeacherFormatException e) {
      if (e.problem().startsWith("duplicate id")) throw duplicateTeacherId(e, train, trainName);
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    try {
      List<String> names = labels;
      if (names == null) {
        if (!t.hasLabelNames()) {
          throw new IllegalArgumentException(teacherFile + ": expected label names (in the teacher file's metadata or "
              + "via --labels FILE, one label per line, in the teacher's column order), found none in either");
        }
        names = t.labelNames();
      }
      Alignment how = t.idsFromRowOrder() ? new Alignment(Rule.ROW_ORDER, null)
          : idColumn != null ? new Alignment(Rule.ID_COLUMN, idColumn, train.idColumnFound())
          : new Alignment(Rule.ROW_ID, null);
      List<String> ids = new ArrayList<>(trainRows);
      for (int i = 0; i < trainRows; i++) ids.add(how.rule() == Rule.ID_COLUMN ? rows.get(i).id() : "train-" + i);
      if (how.rule() == Rule.ROW_ORDER) {
        if (t.numRows() != trainRows) {
          throw new IllegalArgumentException(teacherFile + ": expected one teacher row per train row (" + trainRows
              + " rows in " + trainName + "), found " + t.numRows() + " teacher rows (the file has no ids, so rows are "
              + "matched by order)");
        }
      } else {
        checkIds(teacherFile, t, rows, ids, how, trainName);
      }
      return new Aligned(t.alignTo(ids, names), how);
    } catch (TeacherFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * A teacher id twice in the teacher file: the reader's error, with the train file whose rows the teacher rows are
   * matched to and, when the id is one of them, its train row.
   */
  private static IllegalArgumentException duplicateTeacherId(TeacherFormatException e, TextFileReader.Table train,
      String trainName) {
    String p = e.problem();
    String id = p.indexOf('\'') >= 0 && p.lastIndexOf('\'') > p.indexOf('\'')
        ? p.substring(p.indexOf('\'') + 1, p.lastIndexOf('\'')) : null;
    String rule = train.idColumn() != null ? "by the id column '" + train.idColumn() + "'" : "by the ids train-<row>";
    String which = "";
    for (int i = 0; i < train.rows().size() && id != null; i++) {
      TextRow r = train.rows().get(i);
      if (id.equals(train.idColumn() != null ? r.id() : "train-" + i)) {
        which = " (the id of " + trainName + " row " + r.row() + ", line " + r.line() + ")";
        break;
      }
    }
    return new IllegalArgumentException(e.source() + (e.location() == null || e.location().isEmpty() ? "" : " "
        + e.location()) + ": " + p + which + "; expected each id once: one teacher row for each row of " + trainName
        + ", matched " + rule + "; found " + e.found() + ". Fix: " + e.fix(), e);
  }

  /** Every train id once, each with exactly one teacher row, and no other teacher row; else an error naming the id. */
  private static void checkIds(Path teacherFile, TeacherOutputs t, List<TextRow> rows, List<String> ids, Alignment how,
      String trainName) {
    Map<String, Integer> trainRow = new HashMap<>(ids.size() * 2);
    for (int i = 0; i < ids.size(); i++) {
      Integer prev = trainRow.putIfAbsent(ids.get(i), i);
      if (prev != null) {
        TextRow r = rows.get(i), p = rows.get(prev);
        throw TextFileException.atRow(trainName, r.row(), r.line(), "each value of the id "
            + "column '" + how.idColumn() + "' once (teacher rows in " + teacherFile + " are matched by it)", "the id '"
            + ids.get(i) + "' again (first on row " + p.row() + ", line " + p.line() + ")");
      }
    }
    Set<String> teacherIds = new HashSet<>(t.ids());
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) if (!teacherIds.contains(ids.get(i))) missing.add(i);
    List<Integer> extra = new ArrayList<>();
    for (int j = 0; j < t.numRows(); j++) if (!trainRow.containsKey(t.ids().get(j))) extra.add(j);
    if (missing.isEmpty() && extra.isEmpty()) return;
    String rule = how.rule() == Rule.ID_COLUMN ? "by the id column '" + how.idColumn() + "'" : "by the ids train-<row>";
    StringBuilder found = new StringBuilder();
    found.append(t.numRows()).append(" teacher rows");
    if (!missing.isEmpty()) {
      found.append(", ").append(missing.size()).append(" train ids without one (first: ");
      for (int k = 0; k < Math.min(5, missing.size()); k++) {
        TextRow r = rows.get(missing.get(k));
        found.append(k > 0 ? ", " : "").append('\'').append(ids.get(missing.get(k))).append("' row ").append(r.row())
            .append(" line ").append(r.line());
      }
      found.append(missing.size() > 5 ? ", ...)" : ")");
    }
    if (!extra.isEmpty()) {
      found.append(", ").append(extra.size()).append(" teacher ids not in the train file (first: ");
      for (int k = 0; k < Math.min(5, extra.size()); k++) {
        found.append(k > 0 ? ", " : "").append('\'').append(t.ids().get(extra.get(k))).append("' ")
            .append(t.sourceLocation(extra.get(k)));
      }
      found.append(extra.size() > 5 ? ", ...)" : ")");
    }
    String problem;
    if (!missing.isEmpty()) {
      TextRow r = rows.get(missing.get(0));
      problem = "id '" + ids.get(missing.get(0)) + "' of " + trainName + " row " + r.row() + " (line " + r.line()
          + ") has no teacher row";
    } else {
      problem = "teacher id '" + t.ids().get(extra.get(0)) + "' (" + t.sourceLocation(extra.get(0)) + ") is not an id of "
          + trainName;
    }
    String fix;
    boolean teacherLooksRowIds = t.ids().stream().allMatch(id -> id.matches("train-(0|[1-9][0-9]*)"));
    if (how.rule() == Rule.ROW_ID && !teacherLooksRowIds) {
      fix = "the teacher ids are not train-<row>: pass --id-column COLUMN to match them against an id column of "
          + trainName;
    } else if (how.rule() == Rule.ID_COLUMN && teacherLooksRowIds && how.idColumnFound()) {
      fix = "the teacher ids look like train-<row>, but " + trainName + " has a column '" + how.idColumn() + "', which "
          + "is the id column without --id-column: pass --no-id-column to match the teacher ids train-<row> by row, or "
          + "write the '" + how.idColumn() + "' values into the teacher file";
    } else if (how.rule() == Rule.ID_COLUMN && teacherLooksRowIds) {
      fix = "the teacher ids look like train-<row>: leave out --id-column to match by row, or write the id column's "
          + "values into the teacher file";
    } else {
      fix = "run the teacher on exactly the rows of " + trainName + " (one row per id), or remove the rows it lacks";
    }
    String count = t.numRows() != ids.size() ? "; expected one teacher row per train row (" + ids.size() + " rows in "
        + trainName + "), found " + t.numRows() + " teacher rows" : "";
    throw new IllegalArgumentException(teacherFile + ": " + problem + count + "; expected one teacher row for each of "
        + "the " + ids.size() + " train ids, matched " + rule + ", found " + found + ". Fix: " + fix);
  }

  /** Runs the whole check. */
  public static Summary run(Path teacherFile, String trainFile, TextFileReader.Format format, TextFileReader.Columns columns,
      Path labelsFile) {
    TextFileReader.Table table = TextFileReader.readTable(trainFile, format, columns);
    List<TextRow> rows = table.rows();
    if (rows.isEmpty()) throw TextFileException.inFile(trainFile, "at least one train row", "no rows");
    List<String> labels = labelsFile == null ? null : readLabels(labelsFile);
    Aligned aligned = align(teacherFile, table, labels, trainFile);
    TeacherOutputs t = aligned.teacher();
    labels = t.labelNames();
    double[][] p = t.probs();
    long[] hist = new long[10];
    long[] predicted = new long[labels.size()];
    int gold = 0, agree = 0;
    LabelIndex goldIndex = new LabelIndex(labels, "a gold label in", " (or an empty cell)");
    for (int i = 0; i < p.length; i++) {
      int best = PseudoLabel.argmax(p[i]);
      predicted[best]++;
      hist[Math.min(9, (int) Math.floor(p[i][best] * 10))]++;
      if (rows.get(i).label() != null) {
        int g = goldIndex.of(trainFile, rows.get(i));
        gold++;
        if (g == best) agree++;
      }
    }
    return new Summary(rows.size(), labels, t, hist, predicted, gold, agree, aligned.alignment());
  }
}
