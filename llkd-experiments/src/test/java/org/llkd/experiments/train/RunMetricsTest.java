package org.llkd.experiments.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RunMetrics} owns metrics.csv's column order; these are the columns every committed result has. */
class RunMetricsTest {
  @Test
  void columnsAreTheCommittedMetricsCsvHeader() {
    assertEquals(List.of("run_id", "dataset", "method", "seed", "train_rows", "epochs", "steps", "updates",
        "test_accuracy", "test_macro_f1", "test_ece", "dev_accuracy", "dev_macro_f1", "data_used", "mean_ratio",
        "empty_steps", "teacher_acc_all", "teacher_acc_selected", "teacher_acc_ever_selected",
        "student_train_acc_all", "student_train_acc_selected", "momentum", "wall_seconds", "test_top_pred_share",
        "test_majority_acc", "train_majority_share"), RunMetrics.COLUMNS);
  }

  @Test
  void eachValueLandsUnderItsOwnColumn() {
    RunMetrics m = new RunMetrics(new RunMetrics.Run("r", "d", "llkd", 7L, 64, 2, 8, 6L),
        new RunMetrics.Scores(0.1, 0.2, 0.3, 0.4, 0.5), new RunMetrics.SelectionUse(0.6, 0.7, 2L, 0.8, 0.9, 0.95),
        new RunMetrics.StudentFit(0.11, 0.12), 0.375, 9.5, new RunMetrics.Baselines(0.13, 0.14, 0.15));
    assertEquals(RunMetrics.COLUMNS.size(), m.values().size());
    assertEquals("r", m.toMap().get("run_id"));
    assertEquals(8, m.toMap().get("steps"));
    assertEquals(6L, m.toMap().get("updates"));
    assertEquals(0.2, m.toMap().get("test_macro_f1"));
    assertEquals(0.4, m.toMap().get("dev_accuracy"));
    assertEquals(2L, m.toMap().get("empty_steps"));
    assertEquals(0.95, m.toMap().get("teacher_acc_ever_selected"));
    assertEquals(0.12, m.toMap().get("student_train_acc_selected"));
    assertEquals(0.375, m.toMap().get("momentum"));
    assertEquals(9.5, m.toMap().get("wall_seconds"));
    assertEquals(0.15, m.toMap().get("train_majority_share"));
  }
}
