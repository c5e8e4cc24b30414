package org.llkd.experiments.report;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Degenerate-run flags of the result tables, computed from one raw.csv row (runs are flagged, never dropped):
 * <ul>
 *   <li>{@link Flag#FEW_UPDATES} {@code U}: fewer than 5% of the steps made an update ({@code updates / steps});</li>
 *   <li>{@link Flag#ONE_CLASS} {@code C}: 90% or more of the test predictions fall in one class
 *       ({@code test_top_pred_share});</li>
 *   <li>{@link Flag#BELOW_MAJORITY} {@code M}: test accuracy below the majority-class baseline
 *       ({@code test_majority_acc}).</li>
 * </ul>
 * A row without the columns a flag needs (a raw.csv written before they existed) gets {@link State#UNKNOWN}, never a
 * guess. The group-level weak-teacher condition is {@link #weakTeacher}.
 */
public final class RunFlags {
  private RunFlags() {}

  public static final double MIN_UPDATE_SHARE = 0.05;
  public static final double ONE_CLASS_SHARE = 0.90;

  /** One degenerate-run condition: its marker letter, the raw.csv columns it reads, and its legend text. */
  public enum Flag {
    FEW_UPDATES("U", List.of("updates", "steps"), "fewer than 5% of the training steps made an update"),
    ONE_CLASS("C", List.of("test_top_pred_share"), "90% or more of the test predictions fall in one class"),
    BELOW_MAJORITY("M", List.of("test_accuracy", "test_majority_acc"),
        "test accuracy below the majority-class baseline");

    public final String marker;
    public final List<String> columns;
    public final String legend;

    Flag(String marker, List<String> columns, String legend) {
      this.marker = marker;
      this.columns = columns;
      this.legend = legend;
    }
  }

  public enum State { FLAGGED, CLEAR, UNKNOWN }

  /** Every flag's state for one raw.csv row; {@code source} names the file in errors. */
  public static Map<Flag, State> of(Map<String, String> row, Path source) {
    Map<Flag, State> out = new EnumMap<>(Flag.class);
    Double updates = number(row, "updates", source);
    Double steps = number(row, "steps", source);
    out.put(Flag.FEW_UPDATES, updates == null || steps == null || steps <= 0 ? State.UNKNOWN
        : updates < MIN_UPDATE_SHARE * steps ? State.FLAGGED : State.CLEAR);
    Double share = number(row, "test_top_pred_share", source);
    out.put(Flag.ONE_CLASS, share == null ? State.UNKNOWN : share >= ONE_CLASS_SHARE ? State.FLAGGED : State.CLEAR);
    Double acc = number(row, "test_accuracy", source);
    Double majority = number(row, "test_majority_acc", source);
    out.put(Flag.BELOW_MAJORITY, acc == null || majority == null ? State.UNKNOWN
        : acc < majority ? State.FLAGGED : State.CLEAR);
    return out;
  }

  /**
   * The marker of a method row over its runs, e.g. {@code "U3 C?"}: per flag the number of flagged runs, with
   * {@code ?} when some runs cannot be judged (columns missing); empty when every run is clear.
   */
  public static String marker(List<Map<Flag, State>> runs) {
    StringBuilder sb = new StringBuilder();
    for (Flag f : Flag.values()) {
      long flagged = runs.stream().filter(r -> r.get(f) == State.FLAGGED).count();
      boolean unknown = runs.stream().anyMatch(r -> r.get(f) == State.UNKNOWN);
      if (flagged == 0 && !unknown) continue;
      if (sb.length() > 0) sb.append(' ');
      sb.append(f.marker);
      if (flagged > 0) sb.append(flagged);
      if (unknown) sb.append('?');
    }
    return sb.toString();
  }

  /**
   * The weak-teacher condition of a group (dataset, or dataset/teacher): the teacher's accuracy on the training rows
   * ({@code teacher_acc_all}) at or below the majority-class share of those rows ({@code train_majority_share}), both
   * averaged over the group's runs that have them.
   *
   * @param state FLAGGED, CLEAR, or UNKNOWN when no run has both columns
   */
  public record WeakTeacher(State state, double teacherAcc, double majorityShare, int runs) {
    /** One line for the table, e.g. "**Weak teacher**: teacher accuracy 0.41 ≤ majority-class share 0.45 ...". */
    public String line() {
      return switch (state) {
        case FLAGGED -> String.format(Locale.ROOT, "**Weak teacher**: the teacher's accuracy on the training rows "
            + "(%.3f) is at or below their majority-class share (%.3f), mean over %d runs: the pseudo-labels are no "
            + "better than always answering the majority class.", teacherAcc, majorityShare, runs);
        case CLEAR -> String.format(Locale.ROOT, "Teacher accuracy on the training rows %.3f vs majority-class share "
            + "%.3f (mean over %d runs).", teacherAcc, majorityShare, runs);
        case UNKNOWN -> "Weak-teacher check: ? (raw.csv has no `teacher_acc_all` / `train_majority_share` for this "
            + "group).";
      };
    }
  }

  public static WeakTeacher weakTeacher(List<Map<String, String>> rows, Path source) {
    double t = 0;
    double m = 0;
    int n = 0;
    for (Map<String, String> r : rows) {
      Double ta = number(r, "teacher_acc_all", source);
      Double ms = number(r, "train_majority_share", source);
      if (ta == null || ms == null) continue;
      t += ta;
      m += ms;
      n++;
    }
    if (n == 0) return new WeakTeacher(State.UNKNOWN, Double.NaN, Double.NaN, 0);
    t /= n;
    m /= n;
    return new WeakTeacher(t <= m ? State.FLAGGED : State.CLEAR, t, m, n);
  }

  /** The column's value, null when the column is absent or empty; a non-number is an error naming file and run. */
  static Double number(Map<String, String> row, String column, Path source) {
    String v = row.get(column);
    if (v == null || v.isEmpty()) return null;
    try {
      double d = Double.parseDouble(v);
      if (Double.isNaN(d)) throw new NumberFormatException("NaN");
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": run " + row.getOrDefault("run_id", "?") + ", column " + column
          + ": expected a number, found '" + v + "'");
    }
  }
}
