package org.llkd.experiments.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

/**
 * What a sweep file says about one swept parameter: an explicit list of values, or a range
 * {@code [min, max]} (linear or log scale for continuous parameters; integers are linear), and its role
 * (tuning playbook: scientific = what the study is about; nuisance = tuned so the comparison is fair).
 *
 * @param values explicit values (null for a range)
 * @param min range start (null for values)
 * @param max range end (null for values)
 * @param scale LINEAR or LOG (null for values)
 */
public record ParameterRange(SweepParameter parameter, Role role, List<Serializable> values, Double min, Double max,
    Scale scale) {

  /** Tuning-playbook role of a swept parameter (fixed ones are listed under "fixed" in the sweep file). */
  public enum Role { SCIENTIFIC, NUISANCE }

  /** How a range is sampled. */
  public enum Scale { LINEAR, LOG }

  public ParameterRange {
    if (parameter == null || role == null) throw new IllegalArgumentException("ParameterRange: parameter and role required");
    if ((values == null) == (min == null || max == null)) {
      throw new IllegalArgumentException("ParameterRange " + parameter.key() + ": give values, or min and max");
    }
    if (values != null) values = List.copyOf(values);
  }

  public boolean isRange() {
    return values == null;
  }

  /** The Arbiter leaf: discrete for values; integer, continuous or {@link LogUniformSpace} for ranges. */
  public ParameterSpace<?> space() {
    if (!isRange()) return new DiscreteParameterSpace<>(new ArrayList<>(values));
    if (parameter.kind() == SweepParameter.Kind.INTEGER) {
      return new IntegerParameterSpace((int) Math.round(min), (int) Math.round(max));
    }
    return scale == Scale.LOG ? new LogUniformSpace(min, max) : new ContinuousParameterSpace(min, max);
  }

  /**
   * The values a one-at-a-time sweep visits: the explicit list, or {@code points} evenly spaced values of the
   * range (log-spaced on a log scale; integers rounded, duplicates dropped), ends included.
   */
  public List<Serializable> pointValues(int points) {
    if (!isRange()) return values;
    List<Serializable> out = new ArrayList<>();
    for (int i = 0; i < points; i++) {
      double u = points == 1 ? 0 : i / (double) (points - 1);
      double v = scale == Scale.LOG ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)))
          : min + u * (max - min);
      if (i == 0) v = min;
      if (i == points - 1) v = max;
      Serializable s = parameter.kind() == SweepParameter.Kind.INTEGER ? (Serializable) (int) Math.round(v) : v;
      if (!out.contains(s)) out.add(s);
    }
    return out;
  }
}
