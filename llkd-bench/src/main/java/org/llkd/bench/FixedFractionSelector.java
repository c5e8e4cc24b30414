package org.llkd.bench;

import java.util.Map;
import org.llkd.selection.AbstractSelector;
import org.llkd.selection.LossSpec;
import org.llkd.selection.SelectorState;
import org.llkd.selection.StepBatch;

/**
 * A benchmark-only selector that keeps exactly {@code round(fraction * B)} rows of every batch, evenly
 * spaced (row i is kept when {@code floor((i + 1) k / B) > floor(i k / B)}), weight 1, pseudo-label CE.
 * Stateless and deterministic, so an LLKD step's cost can be measured at a forced selected fraction.
 */
final class FixedFractionSelector extends AbstractSelector {
  private final double fraction;

  FixedFractionSelector(double fraction) {
    super("fixed-fraction");
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1], found " + fraction);
    }
    this.fraction = fraction;
  }

  /** Number of rows kept of a batch of {@code batch}: round(fraction * batch), at least 1. */
  static int kept(double fraction, int batch) {
    return Math.max(1, (int) Math.round(fraction * batch));
  }

  @Override
  protected Decision decide(StepBatch b) {
    int n = b.size();
    int k = kept(fraction, n);
    boolean[] mask = new boolean[n];
    for (int i = 0; i < n; i++) mask[i] = (long) (i + 1) * k / n > (long) i * k / n;
    return new Decision(mask, null, LossSpec.HARD_CE, Map.of());
  }

  @Override
  protected int stateVersion() { return 1; }

  @Override
  protected String configKey() { return "fraction=" + fraction; }

  @Override
  protected void saveState(Map<String, Double> scalars, Map<String, Long> counters, Map<String, double[]> arrays) {}

  @Override
  protected void loadState(SelectorState s) {}
}
