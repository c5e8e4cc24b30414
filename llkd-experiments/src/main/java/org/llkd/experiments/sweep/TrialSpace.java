package org.llkd.experiments.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;

/**
 * The composite Arbiter space of a sweep: named leaves (one per swept parameter) or, for one-at-a-time, a
 * single discrete leaf of {@link Variant}s; plus an optional discrete leaf of training seeds, put last so that
 * Arbiter's sequential grid varies it slowest (all points of seed 1 first). Arbiter's generators assign leaf
 * indices through {@link #collectLeaves()} (by identity), so each leaf is its own object.
 */
public final class TrialSpace extends AbstractParameterSpace<TrialPoint> {
  private static final long serialVersionUID = 1L;

  private final LinkedHashMap<String, ParameterSpace<?>> leaves;
  private final DiscreteParameterSpace<Variant> variants;
  private final DiscreteParameterSpace<Long> seeds;

  /** Grid/random: one leaf per parameter name; {@code seeds} may be null (random search expands seeds itself). */
  public TrialSpace(LinkedHashMap<String, ParameterSpace<?>> leaves, DiscreteParameterSpace<Long> seeds) {
    if (leaves == null || leaves.isEmpty()) throw new IllegalArgumentException("TrialSpace needs at least one parameter");
    this.leaves = new LinkedHashMap<>(leaves);
    this.variants = null;
    this.seeds = seeds;
  }

  /** One-at-a-time: a discrete leaf over the variants, and the seeds. */
  TrialSpace(List<Variant> variants, DiscreteParameterSpace<Long> seeds) {
    if (variants == null || variants.isEmpty()) throw new IllegalArgumentException("TrialSpace needs at least one variant");
    this.leaves = new LinkedHashMap<>();
    this.variants = new DiscreteParameterSpace<>(variants);
    this.seeds = seeds;
  }

  @Override public TrialPoint getValue(double[] x) {
    long seed = seeds == null ? -1 : seeds.getValue(x);
    if (variants != null) {
      Variant v = variants.getValue(x);
      return new TrialPoint(v.varied(), v.values(), seed);
    }
    Map<String, Serializable> values = new LinkedHashMap<>();
    for (Map.Entry<String, ParameterSpace<?>> e : leaves.entrySet()) {
      values.put(e.getKey(), (Serializable) e.getValue().getValue(x));
    }
    return new TrialPoint("", values, seed);
  }

  @Override public int numParameters() {
    int n = 0;
    for (ParameterSpace<?> p : collectLeaves()) n += p.numParameters();
    return n;
  }

  @Override public List<ParameterSpace> collectLeaves() {
    List<ParameterSpace> out = new ArrayList<>();
    if (variants != null) out.add(variants);
    for (ParameterSpace<?> p : leaves.values()) out.addAll(p.collectLeaves());
    if (seeds != null) out.add(seeds);
    return out;
  }

  @Override public Map<String, ParameterSpace> getNestedSpaces() {
    Map<String, ParameterSpace> m = new LinkedHashMap<>(leaves);
    if (variants != null) m.put("variant", variants);
    if (seeds != null) m.put("seed", seeds);
    return m;
  }

  @Override public boolean isLeaf() { return false; }

  @Override public void setIndices(int... indices) {
    throw new UnsupportedOperationException("TrialSpace is not a leaf; Arbiter sets the indices of its leaves");
  }

  @Override public String toString() {
    return "TrialSpace" + getNestedSpaces();
  }
}
