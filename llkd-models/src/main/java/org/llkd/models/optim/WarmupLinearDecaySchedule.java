package org.llkd.models.optim;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * Linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then linear decay to 0 at
 * {@code totalSteps}; the schedule of HF {@code get_linear_schedule_with_warmup}, indexed by the
 * 0-based update number {@code i}:
 * <pre>
 *   lr(i) = peak * i / W                       for i &lt; W
 *   lr(i) = peak * max(0, T - i) / (T - W)     for i &gt;= W
 * </pre>
 * so the first update of a warm-up has learning rate 0 (as in HF), the peak is reached at {@code i = W}
 * and the last update {@code i = T-1} has {@code peak / (T - W)}. With {@code W = 0} it starts at the peak.
 *
 * <p>No ND4J schedule fits: {@code RampSchedule} over {@code PolySchedule} multiplies the two ramps
 * during warm-up and decays from iteration 0, not from the end of the warm-up.
 */
public final class WarmupLinearDecaySchedule implements ISchedule {
  private final double peak;
  private final int warmupSteps;
  private final int totalSteps;

  public WarmupLinearDecaySchedule(double peak, int warmupSteps, int totalSteps) {
    if (!(peak > 0) || Double.isInfinite(peak)) throw new IllegalArgumentException("peak learning rate must be finite and > 0, found " + peak);
    if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0, found " + warmupSteps);
    if (totalSteps <= warmupSteps) {
      throw new IllegalArgumentException("totalSteps must exceed warmupSteps, found totalSteps " + totalSteps
          + " <= warmupSteps " + warmupSteps);
    }
    this.peak = peak;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
  }

  /** Learning rate of the 0-based update {@code iteration}; {@code epoch} is ignored. */
  @Override public double valueAt(int iteration, int epoch) {
    if (iteration < 0) throw new IllegalArgumentException("iteration must be >= 0, found " + iteration);
    if (iteration < warmupSteps) return peak * iteration / warmupSteps;
    return peak * Math.max(0, totalSteps - iteration) / (totalSteps - warmupSteps);
  }

  @Override public ISchedule clone() { return new WarmupLinearDecaySchedule(peak, warmupSteps, totalSteps); }

  public double peak() { return peak; }

  public int warmupSteps() { return warmupSteps; }

  public int totalSteps() { return totalSteps; }

  @Override public String toString() {
    return "WarmupLinearDecaySchedule(peak=" + peak + ", warmupSteps=" + warmupSteps + ", totalSteps=" + totalSteps + ")";
  }
}
