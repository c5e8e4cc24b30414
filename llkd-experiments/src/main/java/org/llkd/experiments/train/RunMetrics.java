package org.llkd.experiments.train;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The final row of a run, {@code metrics.csv}: one column per leaf component, in declaration order (groups
 * flattened depth-first), named in snake case ({@code testMacroF1} is {@code test_macro_f1}). The record owns the
 * column order: the header ({@link #COLUMNS}) and the row ({@link #values()}) are read from the same components, so a
 * column cannot be written under another's name. Experiment tables are built from these columns.
 *
 * @param run which run, and how long it trained
 * @param scores the final model on test and dev (NaN where a split is absent)
 * @param selection what the selector used, and how good the teacher's labels of it were (NaN without gold)
 * @param studentFit the final model's accuracy on the train rows, all and ever selected (NaN without gold)
 * @param momentum the EMA momentum the selector used (the config's, or the auto value 1 − 5/steps)
 * @param wallSeconds the run's wall time (the one column that differs between identical runs)
 * @param baselines trivial predictors to read the scores against (NaN without gold)
 */
public record RunMetrics(Run run, Scores scores, SelectionUse selection, StudentFit studentFit, double momentum,
    double wallSeconds, Baselines baselines) {

  /** Columns of metrics.csv, in order. */
  public static final List<String> COLUMNS = Collections.unmodifiableList(columns(RunMetrics.class, new ArrayList<>()));

  /**
   * Which run, and its length.
   *
   * @param trainRows training rows used
   * @param steps steps taken (fewer than epochs × steps per epoch with {@code --max-steps})
   * @param updates steps that updated the model (the others selected nothing)
   */
  public record Run(String runId, String dataset, String method, long seed, int trainRows, int epochs, int steps,
      long updates) {}

  /** Accuracy, macro-F1 and ECE of the final model on test; accuracy and macro-F1 on dev. */
  public record Scores(double testAccuracy, double testMacroF1, double testEce, double devAccuracy,
      double devMacroF1) {}

  /**
   * The selection over the whole run ({@code metrics.SelectionTracker}): fraction of rows ever selected, mean
   * per-step ratio, steps with nothing selected, teacher accuracy on all seen / selected / ever-selected rows.
   */
  public record SelectionUse(double dataUsed, double meanRatio, long emptySteps, double teacherAccAll,
      double teacherAccSelected, double teacherAccEverSelected) {}

  /** The final student's accuracy on all train rows and on the rows it was ever trained on. */
  public record StudentFit(double studentTrainAccAll, double studentTrainAccSelected) {}

  /**
   * Test share of the most predicted class (a collapsed model predicts one class), accuracy of always predicting the
   * train majority class on test, and that class's share of train.
   */
  public record Baselines(double testTopPredShare, double testMajorityAcc, double trainMajorityShare) {}

  /** The row, in {@link #COLUMNS} order. */
  public List<Object> values() {
    return values(this, new ArrayList<>());
  }

  /** Column to value, in {@link #COLUMNS} order (provenance.json's {@code metrics}). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> v = values();
    for (int i = 0; i < COLUMNS.size(); i++) m.put(COLUMNS.get(i), v.get(i));
    return m;
  }

  private static List<String> columns(Class<?> type, List<String> out) {
    for (RecordComponent rc : type.getRecordComponents()) {
      if (rc.getType().isRecord()) columns(rc.getType(), out);
      else out.add(snake(rc.getName()));
    }
    return out;
  }

  private static List<Object> values(Record r, List<Object> out) {
    for (RecordComponent rc : r.getClass().getRecordComponents()) {
      Object v;
      try {
        v = rc.getAccessor().invoke(r);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + r.getClass().getSimpleName() + "." + rc.getName(), e);
      }
      if (rc.getType().isRecord()) values((Record) v, out);
      else out.add(v);
    }
    return out;
  }

  /** {@code testMacroF1} → {@code test_macro_f1}. */
  static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) sb.append('_').append(Character.toLowerCase(ch));
      else sb.append(ch);
    }
    return sb.toString();
  }
}
