package org.llkd.experiments.sweep;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of a one-at-a-time sweep (every parameter at its base value except {@code varied}); the values
 * of the discrete Arbiter leaf that such a sweep grid-searches.
 */
record Variant(String varied, Map<String, Serializable> values) implements Serializable {
  private static final long serialVersionUID = 1L;

  Variant {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  @Override public String toString() {
    return varied + values;
  }
}
