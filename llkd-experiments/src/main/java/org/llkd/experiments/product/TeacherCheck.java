package org.llkd.experiments.product;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.llkd.selection.teacher.TeacherFormatException;
import org.llkd.selection.teacher.TeacherOutputReader;
import org.llkd.selection.teacher.TeacherOutputs;

/**
 * Checks a user's teacher file against their train file, without training: reads the teacher with
 * {@link TeacherOutputReader} (every format and rule of docs/teacher-formats.md), aligns it to the train rows and
 * the label list, and summarises it. Teacher ids are the train file's rows as {@code train-<row>} (0-based data
 * row, header excluded), so alignment is by id; an NPY file without an ids sidecar is aligned by row order (row i =
 * train row i). Either way the teacher must have exactly one row per train row.
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
      int goldRows, int agreeing) {

    public String format() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "teacher %s: OK, %d rows aligned to the train file, %d classes %s%n",
          teacher.source(), rows, labels.size(), labels));
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
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String l = lines.get(i).strip();
        if (i == 0 && l.startsWith("\uFEFF")) l = l.substring(1);
        if (l.isEmpty()) continue;
        if (out.contains(l)) {
          throw new UserFileException(file.toString(), "line " + (i + 1), "each label once", "'" + l + "' again");
        }
        out.add(l);
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new UserFileException(file.toString(), "", "UTF-8 text", "bytes that are not valid UTF-8");
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UserFileException(file.toString(), "", "an existing labels file (one label per line)", "no such file");
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
    }
    if (out.size() < 2) {
      throw new UserFileException(file.toString(), "", "at least 2 labels, one per line", out.size() + " label(s) " + out);
    }
    return out;
  }

  /**
   * The teacher table aligned to {@code trainRows} (row i = train-i) and the label list ({@code labels}, or the
   * teacher's names when null).
   */
  public static TeacherOutputs align(Path teacherFile, int trainRows, List<String> labels, String trainName) {
    try {
      if (!java.nio.file.Files.isRegularFile(teacherFile)) {
        throw new UserFileException(teacherFile.toString(), "", "an existing teacher file", "no such file");
      }
      boolean npy = teacherFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy");
      TeacherOutputs t = npy ? TeacherOutputReader.readNpyByRowOrder(teacherFile, "train") // ids sidecar optional
          : TeacherOutputReader.read(teacherFile);
      List<String> names = labels;
      if (names == null) {
        if (!t.hasLabelNames()) {
          throw new IllegalArgumentException(teacherFile + ": expected label names (in the teacher file's metadata or "
              + "via --labels FILE, one label per line, in the teacher's column order), found none in either");
        }
        names = t.labelNames();
      }
      if (t.numRows() != trainRows) {
        throw new IllegalArgumentException(teacherFile + ": expected one teacher row per train row (" + trainRows + " rows in "
            + trainName + "), found " + t.numRows() + " teacher rows");
      }
      List<String> ids = new ArrayList<>(trainRows);
      for (int i = 0; i < trainRows; i++) ids.add("train-" + i);
      return t.forSplit("train").alignTo(ids, names);
    } catch (TeacherFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Runs the whole check. */
  public static Summary run(Path teacherFile, String trainFile, TextFileReader.Format format, TextFileReader.Columns columns,
      Path labelsFile) {
    List<TextRow> rows = TextFileReader.readAll(trainFile, format, columns);
    if (rows.isEmpty()) throw new UserFileException(trainFile, "", "at least one train row", "no rows");
    List<String> labels = labelsFile == null ? null : readLabels(labelsFile);
    TeacherOutputs t = align(teacherFile, rows.size(), labels, trainFile);
    labels = t.labelNames();
    double[][] p = t.probs();
    long[] hist = new long[10];
    long[] predicted = new long[labels.size()];
    int gold = 0, agree = 0;
    HashSet<String> labelSet = new HashSet<>(labels);
    for (int i = 0; i < p.length; i++) {
      int best = 0;
      for (int k = 1; k < p[i].length; k++) if (p[i][k] > p[i][best]) best = k;
      predicted[best]++;
      hist[Math.min(9, (int) Math.floor(p[i][best] * 10))]++;
      String g = rows.get(i).label();
      if (g != null) {
        if (!labelSet.contains(g)) {
          TextRow r = rows.get(i);
          throw new UserFileException(trainFile, "row " + r.row() + " (line " + r.line() + ")", "a gold label in " + labels
              + " (or an empty cell)", "'" + g + "'");
        }
        gold++;
        if (labels.get(best).equals(g)) agree++;
      }
    }
    return new Summary(rows.size(), labels, t, hist, predicted, gold, agree);
  }
}
