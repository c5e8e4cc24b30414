package org.llkd.selection.teacher;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks every teacher table passes before a {@link TeacherOutputs} exists, whatever its format:
 * non-empty; ids of the form {@code <split>-<rowIndex>} (or, for a user's own file, any non-empty string) and
 * unique; label names (if any) non-empty and
 * unique; every row has C values; every value finite; probabilities non-negative with row sums 1 within
 * the tolerance; logits turned into probabilities by a temperature softmax. The first violation throws.
 */
final class TeacherValidation {
  /** {@code <split>-<rowIndex>}: split of letters, digits, '_' or '.', row index without leading zeros. */
  static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9_.]+-(0|[1-9][0-9]*)");

  private TeacherValidation() {}

  /**
   * Checks {@code raw} and returns its probabilities {@code [N][C]} (a fresh array).
   *
   * @param temperature softmax temperature, for logits only; must be 1 for probability input
   * @param tolerance   largest accepted |row sum - 1| for probability input
   */
  static double[][] toProbabilities(RawTeacher raw, double temperature, double tolerance) {
    return toProbabilities(raw, temperature, tolerance, false);
  }

  /**
   * As {@link #toProbabilities(RawTeacher, double, double)}; with {@code freeIds} an id may be any non-empty string
   * (a user's own id column) instead of {@code <split>-<rowIndex>}.
   */
  static double[][] toProbabilities(RawTeacher raw, double temperature, double tolerance, boolean freeIds) {
    String src = raw.source();
    int n = raw.ids().size();
    if (n == 0) {
      throw TeacherFormatException.in(src, "file")
          .problem("no teacher rows")
          .expected("at least one data row")
          .found("none")
          .fix("check that the teacher export finished and wrote its rows")
          .build();
    }
    if (raw.values().length != n) {
      throw new IllegalStateException("parser bug: " + n + " ids but " + raw.values().length + " value rows");
    }
    if (raw.kind() == TeacherValueKind.PROBS && temperature != 1.0) {
      throw TeacherFormatException.in(src, "file")
          .problem("a temperature was requested but the file holds probabilities, not logits")
          .expected("temperature 1 for probability input")
          .found("temperature " + temperature)
          .fix("drop the temperature option, or export logits instead of probabilities")
          .build();
    }
    checkIds(raw, freeIds);
    int numClasses;
    String classSource;
    if (raw.labelNames() != null) {
      checkLabelNames(raw);
      numClasses = raw.labelNames().size();
      classSource = "one per label in label_names at " + raw.labelNamesLocation();
    } else {
      numClasses = raw.values()[0].length;
      classSource = "as on " + raw.rows().at(0);
      if (numClasses == 0) {
        throw TeacherFormatException.in(src, raw.rows().at(0))
            .problem("row has no class values")
            .expected("one value per class")
            .found("0 values")
            .fix("write one " + word(raw.kind()) + " per class")
            .build();
      }
    }
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] v = raw.values()[i];
      String at = raw.rows().at(i);
      if (v.length != numClasses) {
        throw TeacherFormatException.in(src, at)
            .problem("wrong number of classes for id '" + raw.ids().get(i) + "'")
            .expected(numClasses + " " + word(raw.kind()) + " (" + classSource + ")")
            .found(v.length + " values")
            .fix("re-export every row with the same label map of " + numClasses + " classes")
            .build();
      }
      for (int k = 0; k < v.length; k++) {
        if (!Double.isFinite(v[k])) {
          throw TeacherFormatException.in(src, at)
              .problem("non-finite " + singular(raw.kind()) + " for id '" + raw.ids().get(i) + "' at class " + k
                  + className(raw, k))
              .expected("a finite number")
              .found(String.valueOf(v[k]))
              .fix("fix the teacher run for this row (a NaN/Inf usually means an overflow or a failed"
                  + " generation); LLKD-J never replaces it by 0")
              .build();
        }
      }
      if (raw.kind() == TeacherValueKind.PROBS) {
        out[i] = checkProbabilityRow(raw, i, v, tolerance);
      } else {
        out[i] = softmax(v, temperature);
      }
    }
    return out;
  }

  private static double[] checkProbabilityRow(RawTeacher raw, int i, double[] v, double tolerance) {
    String at = raw.rows().at(i);
    double sum = 0;
    for (int k = 0; k < v.length; k++) {
      if (v[k] < 0) {
        throw TeacherFormatException.in(raw.source(), at)
            .problem("negative probability for id '" + raw.ids().get(i) + "' at class " + k + className(raw, k))
            .expected("a probability >= 0")
            .found(String.valueOf(v[k]))
            .fix("if these are logits or log-probabilities, store them as logits (\"logits\" key, logit: columns,"
                + " logits.npy) so the reader applies a softmax")
            .build();
      }
      sum += v[k];
    }
    if (Math.abs(sum - 1.0) > tolerance) {
      throw TeacherFormatException.in(raw.source(), at)
          .problem("probabilities of id '" + raw.ids().get(i) + "' do not sum to 1")
          .expected("a row sum of 1 +/- " + tolerance)
          .found("sum " + sum)
          .fix("normalise each row (p / p.sum()), or store logits instead of probabilities")
          .build();
    }
    return v.clone();
  }

  private static void checkIds(RawTeacher raw, boolean freeIds) {
    Map<String, Integer> firstRow = new HashMap<>(raw.ids().size() * 2);
    for (int i = 0; i < raw.ids().size(); i++) {
      String id = raw.ids().get(i);
      if (freeIds && (id == null || id.isEmpty())) {
        throw TeacherFormatException.in(raw.source(), raw.rows().at(i))
            .problem("empty sample id")
            .expected("a non-empty id: a value of the train file's id column (--id-column), or train-<row>")
            .found(id == null ? "no id" : "''")
            .fix("write the id of the train row this teacher row belongs to")
            .build();
      }
      if (!freeIds && (id == null || !ID_PATTERN.matcher(id).matches())) {
        throw TeacherFormatException.in(raw.source(), raw.rows().at(i))
            .problem("malformed sample id")
            .expected("an id \"<split>-<rowIndex>\" such as \"train-0\" (0-based row of the split's TSV, header"
                + " excluded, no leading zeros)")
            .found(id == null ? "no id" : "'" + id + "'")
            .fix("write ids exactly as the dataset names its rows")
            .build();
      }
      Integer prev = firstRow.putIfAbsent(id, i);
      if (prev != null) {
        throw TeacherFormatException.in(raw.source(), raw.rows().at(i))
            .problem("duplicate id '" + id + "'")
            .expected("each id once")
            .found("'" + id + "' also on " + raw.rows().at(prev))
            .fix("remove the repeated row (a teacher run that was resumed often appends rows twice)")
            .build();
      }
    }
  }

  private static void checkLabelNames(RawTeacher raw) {
    List<String> names = raw.labelNames();
    if (names.isEmpty()) {
      throw TeacherFormatException.in(raw.source(), raw.labelNamesLocation())
          .problem("empty label name list")
          .expected("one name per class")
          .found("[]")
          .fix("list the class names, or leave label names out entirely")
          .build();
    }
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < names.size(); k++) {
      String name = names.get(k);
      if (name == null || name.isEmpty()) {
        throw TeacherFormatException.in(raw.source(), raw.labelNamesLocation())
            .problem("empty label name at class " + k)
            .expected("a non-empty class name")
            .found(name == null ? "null" : "\"\"")
            .fix("name every class")
            .build();
      }
      if (!seen.add(name)) {
        throw TeacherFormatException.in(raw.source(), raw.labelNamesLocation())
            .problem("duplicate label name '" + name + "'")
            .expected("distinct class names")
            .found(names.toString())
            .fix("give each class its own name")
            .build();
      }
    }
  }

  /** {@code softmax(z / t)}, computed stably. {@code t} > 0 and finite. */
  static double[] softmax(double[] z, double t) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : z) {
      max = Math.max(max, x);
    }
    double[] p = new double[z.length];
    double sum = 0;
    for (int k = 0; k < z.length; k++) {
      p[k] = Math.exp((z[k] - max) / t);
      sum += p[k];
    }
    for (int k = 0; k < z.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  private static String className(RawTeacher raw, int k) {
    return raw.labelNames() != null && k < raw.labelNames().size() ? " ('" + raw.labelNames().get(k) + "')" : "";
  }

  private static String word(TeacherValueKind kind) {
    return kind == TeacherValueKind.PROBS ? "probabilities" : "logits";
  }

  private static String singular(TeacherValueKind kind) {
    return kind == TeacherValueKind.PROBS ? "probability" : "logit";
  }
}
