package org.llkd.selection.example;

import java.util.Map;
import org.llkd.selection.AbstractSelector;
import org.llkd.selection.LossSpec;
import org.llkd.selection.SelectorState;
import org.llkd.selection.StepBatch;

/**
 * Keeps the rows whose teacher is decisive: top-1 minus top-2 teacher probability at least {@code margin}; weight 1,
 * hard cross-entropy on the pseudo-label. Stateless (the state a snapshot holds is its configuration only).
 */
public final class MarginSelector extends AbstractSelector {
  private final double margin;

  public MarginSelector(double margin) {
    super(MarginSelectorProvider.NAME);
    if (!(margin >= 0 && margin <= 1)) throw new IllegalArgumentException("margin " + margin + ", expected [0,1]");
    this.margin = margin;
  }

  @Override
  protected Decision decide(StepBatch b) {
    double[][] p = b.teacherMatrix(); // [batch][C]
    boolean[] mask = new boolean[b.size()];
    for (int i = 0; i < p.length; i++) {
      double first = 0;
      double second = 0;
      for (double v : p[i]) {
        if (v > first) {
          second = first;
          first = v;
        } else if (v > second) {
          second = v;
        }
      }
      mask[i] = first - second >= margin;
    }
    return new Decision(mask, null, LossSpec.HARD_CE, Map.of());
  }

  @Override protected int stateVersion() { return 1; }
  @Override protected String configKey() { return "margin=" + margin; }
  @Override protected void saveState(Map<String, Double> s, Map<String, Long> c, Map<String, double[]> a) { }
  @Override protected void loadState(SelectorState s) { }
}
