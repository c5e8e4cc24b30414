package org.llkd.experiments.exp;

import java.util.List;

/**
 * An experiment over a fixed list of methods ({@code METHODS} of the subclass). Its package-private constructor is a
 * test hook: a smoke test runs a subset of the methods, in the list's order, to stay within the default suite's
 * time, while {@link #build} still tables every method found in raw.csv.
 */
abstract class MethodGridExperiment implements Experiment {
  /** The methods this instance runs. */
  protected final List<String> methods;

  MethodGridExperiment(List<String> methods, List<String> all, String name) {
    this.methods = ExperimentSupport.subsetOf(methods, all, name);
  }
}
