package org.llkd.selection;

import java.util.List;

/**
 * Service-provider interface for sample selectors: how a selector of one's own becomes usable by name ({@code llkd run
 * --methods mine}, a sweep's {@code "method"}, {@code TrainConfig.method}). {@link Selectors} finds providers with
 * {@link java.util.ServiceLoader}: put a class implementing this interface (public, with a public no-argument
 * constructor) in a jar on the class path, and list its fully qualified name in that jar's
 * {@code META-INF/services/org.llkd.selection.SelectorProvider}. The built-in selectors come through the same route
 * ({@code org.llkd.selection.baselines.BuiltInSelectors}). README, "Write your own selector".
 *
 * <p>Names are global: two providers claiming one name are refused (the error names both classes).
 */
public interface SelectorProvider {
  /** The selector names this provider builds, in the order tables list them; non-empty, no duplicates. */
  List<String> names();

  /**
   * A fresh selector called {@code name} (one of {@link #names()}), configured from {@code p}; each run gets its own.
   * Read only the {@link Selectors.Params} fields the selector needs; use {@link Selectors.Params#seed()} for any
   * randomness. Throw {@link IllegalArgumentException} with a clear message for parameters it cannot work with.
   */
  SampleSelector create(String name, Selectors.Params p);
}
