package org.llkd.models.params;

import java.util.Arrays;

/** The name and shape of one parameter tensor, e.g. {@code encoder.layer.0.attention.self.query.weight [384, 384]}. */
public record ParamSpec(String name, long[] shape) {
  public ParamSpec {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("parameter name must not be blank");
    if (shape == null || shape.length == 0) throw new IllegalArgumentException("parameter " + name + ": shape must have rank >= 1");
    for (long d : shape) {
      if (d <= 0) throw new IllegalArgumentException("parameter " + name + ": every dimension must be > 0, found " + Arrays.toString(shape));
    }
    shape = shape.clone();
  }

  /** Number of scalars in the tensor. */
  public long length() {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  @Override public long[] shape() { return shape.clone(); }

  @Override public boolean equals(Object o) {
    return o instanceof ParamSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape);
  }

  @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }

  @Override public String toString() { return name + " " + Arrays.toString(shape); }
}
