package org.llkd.experiments.sweep;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Arbiter candidate: the swept parameters' values (by sweep-file name, in file order), the training
 * seed, and for one-at-a-time sweeps which parameter this point varies ({@code "base"} for the centre,
 * "" for grid and random points). Serializable, as Arbiter requires of candidate values.
 *
 * @param varied the parameter varied away from the base ("base", or "" outside one-at-a-time)
 * @param values parameter name → Double, Integer, String (enum name) or Boolean
 * @param seed training seed (root of the run's named seed streams)
 */
public record TrialPoint(String varied, Map<String, Serializable> values, long seed) implements Serializable {
  private static final long serialVersionUID = 1L;

  public TrialPoint {
    if (varied == null || values == null) throw new IllegalArgumentException("TrialPoint: varied and values are required");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The same point with another seed. */
  public TrialPoint withSeed(long s) {
    return new TrialPoint(varied, values, s);
  }
}
