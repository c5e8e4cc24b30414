package org.llkd.experiments.sweep;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * A continuous Arbiter leaf uniform in log space: u ∈ [0,1] ↦ min·(max/min)^u. Random search draws
 * log-uniformly; Arbiter's grid search (which treats unknown leaves as continuous, {@code discretizationCount}
 * points at u = 0, 1/(n−1), …, 1) gives log-spaced points including both ends.
 */
public final class LogUniformSpace extends AbstractParameterSpace<Double> {
  private static final long serialVersionUID = 1L;

  private final double min;
  private final double max;
  private int index = -1;

  /** Requires 0 < min < max, both finite. */
  public LogUniformSpace(double min, double max) {
    if (!(min > 0 && max > min && Double.isFinite(max))) {
      throw new IllegalArgumentException("LogUniformSpace(" + min + ", " + max + "): expected 0 < min < max, finite");
    }
    this.min = min;
    this.max = max;
  }

  @Override public Double getValue(double[] parameterValues) {
    if (index < 0) throw new IllegalStateException("LogUniformSpace: setIndices was not called (not part of a generator)");
    double u = parameterValues[index];
    if (!(u >= 0 && u <= 1)) throw new IllegalArgumentException("LogUniformSpace: u = " + u + ", expected [0,1]");
    if (u == 0) return min;
    if (u == 1) return max; // exact ends, not exp(log(max)) rounding
    return Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
  }

  @Override public int numParameters() { return 1; }

  @Override public List<ParameterSpace> collectLeaves() { return Collections.singletonList(this); }

  @Override public Map<String, ParameterSpace> getNestedSpaces() { return Collections.emptyMap(); }

  @Override public boolean isLeaf() { return true; }

  @Override public void setIndices(int... indices) {
    if (indices == null || indices.length != 1) {
      throw new IllegalArgumentException("LogUniformSpace takes exactly one index, got "
          + (indices == null ? "null" : indices.length));
    }
    this.index = indices[0];
  }

  @Override public String toString() { return "LogUniformSpace(" + min + ", " + max + ")"; }
}
