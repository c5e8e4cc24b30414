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

  /**
   * The first difference between two tensor lists, in words, or null when they are equal: an extra or missing tensor
   * ({@code "<expectedSide> N tensors, <foundSide> M; first extra: ..."}), a shape mismatch of a same-named tensor
   * (with {@code shapeSource} after the expected shape, e.g. {@code " (from architecture)"}), or another tensor.
   */
  public static String firstMismatch(java.util.List<ParamSpec> expected, java.util.List<ParamSpec> found,
      String expectedSide, String foundSide, String shapeSource) {
    for (int i = 0; i < Math.max(expected.size(), found.size()); i++) {
      ParamSpec e = i < expected.size() ? expected.get(i) : null;
      ParamSpec f = i < found.size() ? found.get(i) : null;
      if (e != null && e.equals(f)) continue;
      String counts = expectedSide + " " + expected.size() + " tensors, " + foundSide + " " + found.size();
      if (e == null) return counts + "; first extra: " + f;
      if (f == null) return counts + "; first missing: " + e;
      if (e.name().equals(f.name())) {
        return "tensor " + i + " '" + e.name() + "': expected shape " + Arrays.toString(e.shape()) + shapeSource
            + ", found " + Arrays.toString(f.shape());
      }
      return "tensor " + i + ": expected " + e + ", found " + f;
    }
    return null;
  }
}
