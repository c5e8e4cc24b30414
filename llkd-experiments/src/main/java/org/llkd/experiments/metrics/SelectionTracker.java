package org.llkd.experiments.metrics;

import java.util.Arrays;
import java.util.BitSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bookkeeping of which training rows a selector kept, over a whole run (LLKD_METHOD.md "Metrics"):
 * <ul>
 *   <li>data used = distinct rows selected at least once / N;</li>
 *   <li>mean per-step selection ratio = mean over steps of selected / batch size (empty steps count as 0);</li>
 *   <li>empty steps = steps that selected nothing (and so did no update);</li>
 *   <li>teacher accuracy (pseudo-label == gold; gold labels are used for this analysis only) on all rows
 *       seen and on the selected rows, both counted per occurrence (a row seen in three epochs counts three
 *       times, as it does in the loss), and on the distinct rows ever selected.</li>
 * </ul>
 * State is a few counters and three {@link BitSet}s over the N rows; {@link #snapshot()} and
 * {@link #restore(State)} turn it into a JSON-able record for checkpoints.
 */
public final class SelectionTracker {
  /** Written into every snapshot; {@link #restore(State)} rejects any other. */
  public static final String STATE_FORMAT = "llkd.SelectionTracker/1";

  /** What one step did. {@code teacherAccuracySelected} is NaN when nothing was selected. */
  public record StepStats(int batchSize, int selected, double ratio, double teacherAccuracyBatch,
      double teacherAccuracySelected) {}

  /**
   * Snapshot of a tracker, made of JSON-friendly types (Jackson writes records, long[] and double).
   *
   * @param format         {@link #STATE_FORMAT}
   * @param numRows        N, the training rows
   * @param steps          steps recorded
   * @param emptySteps     steps with nothing selected
   * @param sumStepRatio   sum over steps of selected / batch size
   * @param rowsSeen       row occurrences recorded
   * @param rowsSeenTeacherCorrect     of those, with pseudo-label == gold
   * @param rowsSelected   selected row occurrences
   * @param rowsSelectedTeacherCorrect of those, with pseudo-label == gold
   * @param everSelected   {@link BitSet#toLongArray()} of the rows selected at least once
   * @param seen           {@link BitSet#toLongArray()} of the rows seen at least once
   * @param teacherCorrect {@link BitSet#toLongArray()} of the seen rows whose pseudo-label is right
   */
  public record State(String format, int numRows, long steps, long emptySteps, double sumStepRatio, long rowsSeen,
      long rowsSeenTeacherCorrect, long rowsSelected, long rowsSelectedTeacherCorrect, long[] everSelected,
      long[] seen, long[] teacherCorrect) {
    public State {
      everSelected = everSelected.clone();
      seen = seen.clone();
      teacherCorrect = teacherCorrect.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s && format.equals(s.format) && numRows == s.numRows && steps == s.steps
          && emptySteps == s.emptySteps && Double.compare(sumStepRatio, s.sumStepRatio) == 0 && rowsSeen == s.rowsSeen
          && rowsSeenTeacherCorrect == s.rowsSeenTeacherCorrect && rowsSelected == s.rowsSelected
          && rowsSelectedTeacherCorrect == s.rowsSelectedTeacherCorrect && Arrays.equals(everSelected, s.everSelected)
          && Arrays.equals(seen, s.seen) && Arrays.equals(teacherCorrect, s.teacherCorrect);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(everSelected) + Long.hashCode(steps);
    }

    @Override
    public String toString() {
      return "SelectionTracker.State[numRows=" + numRows + ", steps=" + steps + ", emptySteps=" + emptySteps + "]";
    }
  }

  private final int numRows;
  private long steps;
  private long emptySteps;
  private double sumStepRatio;
  private long rowsSeen;
  private long rowsSeenTeacherCorrect;
  private long rowsSelected;
  private long rowsSelectedTeacherCorrect;
  private final BitSet everSelected;
  private final BitSet seen;
  private final BitSet teacherCorrect;

  /** @param numRows N, the number of training rows (row indices are 0..N-1) */
  public SelectionTracker(int numRows) {
    if (numRows <= 0) {
      throw new IllegalArgumentException("numRows must be > 0, got " + numRows);
    }
    this.numRows = numRows;
    this.everSelected = new BitSet(numRows);
    this.seen = new BitSet(numRows);
    this.teacherCorrect = new BitSet(numRows);
  }

  /**
   * Records one step.
   *
   * @param rows          training-row indices of the batch, [batch]
   * @param selected      whether each batch row was selected, [batch]
   * @param teacherLabels the teacher's pseudo-label of each batch row, [batch]
   * @param goldLabels    the gold label of each batch row, [batch] (analysis only)
   */
  public StepStats record(int[] rows, boolean[] selected, int[] teacherLabels, int[] goldLabels) {
    int b = rows.length;
    if (b == 0 || selected.length != b || teacherLabels.length != b || goldLabels.length != b) {
      throw new IllegalArgumentException("batch arrays must be non-empty and equally long: rows " + b + ", selected "
          + selected.length + ", teacherLabels " + teacherLabels.length + ", goldLabels " + goldLabels.length);
    }
    for (int i = 0; i < b; i++) {
      int r = rows[i];
      if (r < 0 || r >= numRows) {
        throw new IllegalArgumentException("batch row " + i + " has training index " + r + ", expected [0, " + numRows + ")");
      }
      boolean ok = teacherLabels[i] == goldLabels[i];
      if (seen.get(r) && teacherCorrect.get(r) != ok) {
        throw new IllegalArgumentException("training row " + r + ": teacher label vs gold changed from "
            + (ok ? "wrong to right" : "right to wrong") + " between steps; teacher and gold labels are fixed, so the "
            + "batch's row indices and labels are misaligned");
      }
    }
    int sel = 0;
    int okBatch = 0;
    int okSel = 0;
    for (int i = 0; i < b; i++) {
      int r = rows[i];
      boolean ok = teacherLabels[i] == goldLabels[i];
      seen.set(r);
      teacherCorrect.set(r, ok);
      okBatch += ok ? 1 : 0;
      if (selected[i]) {
        sel++;
        okSel += ok ? 1 : 0;
        everSelected.set(r);
      }
    }
    double ratio = (double) sel / b;
    steps++;
    emptySteps += sel == 0 ? 1 : 0;
    sumStepRatio += ratio;
    rowsSeen += b;
    rowsSeenTeacherCorrect += okBatch;
    rowsSelected += sel;
    rowsSelectedTeacherCorrect += okSel;
    return new StepStats(b, sel, ratio, (double) okBatch / b, sel == 0 ? Double.NaN : (double) okSel / sel);
  }

  /** As {@link #record(int[], boolean[], int[], int[])} with the selector's mask, [batch], each entry 0 or 1. */
  public StepStats record(int[] rows, INDArray mask, int[] teacherLabels, int[] goldLabels) {
    if (mask.length() != rows.length) {
      throw new IllegalArgumentException("mask has " + mask.length() + " entries, batch has " + rows.length);
    }
    boolean[] selected = new boolean[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double m = mask.getDouble(i);
      if (m != 0.0 && m != 1.0) {
        throw new IllegalArgumentException("mask[" + i + "] is " + m + ", expected 0 or 1");
      }
      selected[i] = m == 1.0;
    }
    return record(rows, selected, teacherLabels, goldLabels);
  }

  public int numRows() {
    return numRows;
  }

  public long steps() {
    return steps;
  }

  public long emptySteps() {
    return emptySteps;
  }

  /** Distinct rows selected at least once. */
  public int distinctSelected() {
    return everSelected.cardinality();
  }

  /** Whether training row {@code row} (0..N-1) was selected at least once. */
  public boolean everSelected(int row) {
    if (row < 0 || row >= numRows) throw new IllegalArgumentException("row " + row + " outside 0.." + (numRows - 1));
    return everSelected.get(row);
  }

  /** Distinct rows selected at least once / N. */
  public double dataUsed() {
    return (double) everSelected.cardinality() / numRows;
  }

  /** Mean over steps of selected / batch size; NaN before the first step. */
  public double meanSelectionRatio() {
    return steps == 0 ? Double.NaN : sumStepRatio / steps;
  }

  /** Teacher accuracy over all row occurrences recorded; NaN before the first step. */
  public double teacherAccuracyAll() {
    return rowsSeen == 0 ? Double.NaN : (double) rowsSeenTeacherCorrect / rowsSeen;
  }

  /** Teacher accuracy over selected row occurrences; NaN if nothing was ever selected. */
  public double teacherAccuracySelected() {
    return rowsSelected == 0 ? Double.NaN : (double) rowsSelectedTeacherCorrect / rowsSelected;
  }

  /** Teacher accuracy over the distinct rows ever selected; NaN if nothing was ever selected. */
  public double teacherAccuracyEverSelected() {
    int n = everSelected.cardinality();
    if (n == 0) {
      return Double.NaN;
    }
    BitSet both = (BitSet) everSelected.clone();
    both.and(teacherCorrect);
    return (double) both.cardinality() / n;
  }

  public State snapshot() {
    return new State(STATE_FORMAT, numRows, steps, emptySteps, sumStepRatio, rowsSeen, rowsSeenTeacherCorrect,
        rowsSelected, rowsSelectedTeacherCorrect, everSelected.toLongArray(), seen.toLongArray(),
        teacherCorrect.toLongArray());
  }

  /**
   * Replaces this tracker's state with {@code s}.
   *
   * @throws IllegalArgumentException if {@code s} is of another format, for another N, or inconsistent
   */
  public void restore(State s) {
    if (!STATE_FORMAT.equals(s.format())) {
      throw new IllegalArgumentException("state format " + s.format() + ", expected " + STATE_FORMAT);
    }
    if (s.numRows() != numRows) {
      throw new IllegalArgumentException("state is for " + s.numRows() + " training rows, this tracker has " + numRows
          + "; resume with the same training set");
    }
    BitSet ever = BitSet.valueOf(s.everSelected());
    BitSet sn = BitSet.valueOf(s.seen());
    BitSet tc = BitSet.valueOf(s.teacherCorrect());
    BitSet outside = (BitSet) ever.clone();
    outside.andNot(sn);
    BitSet tcOutside = (BitSet) tc.clone();
    tcOutside.andNot(sn);
    if (sn.length() > numRows || !outside.isEmpty() || !tcOutside.isEmpty() || s.steps() < 0
        || s.emptySteps() < 0 || s.emptySteps() > s.steps() || s.rowsSelected() > s.rowsSeen()
        || s.rowsSeenTeacherCorrect() > s.rowsSeen() || s.rowsSelectedTeacherCorrect() > s.rowsSelected()
        || !(s.sumStepRatio() >= 0 && s.sumStepRatio() <= s.steps())) {
      throw new IllegalArgumentException("inconsistent SelectionTracker state: " + s
          + "; the checkpoint is damaged or was edited");
    }
    steps = s.steps();
    emptySteps = s.emptySteps();
    sumStepRatio = s.sumStepRatio();
    rowsSeen = s.rowsSeen();
    rowsSeenTeacherCorrect = s.rowsSeenTeacherCorrect();
    rowsSelected = s.rowsSelected();
    rowsSelectedTeacherCorrect = s.rowsSelectedTeacherCorrect();
    everSelected.clear();
    everSelected.or(ever);
    seen.clear();
    seen.or(sn);
    teacherCorrect.clear();
    teacherCorrect.or(tc);
  }
}
