package org.llkd.experiments.train;

/**
 * One root seed per run, split into named, independent streams (init, data, selector, dropout), so that
 * changing one consumer (e.g. a new selector) never changes another's draws. SplitMix64 over the root
 * seed and the stream name's hash.
 */
public record SeedStreams(long root) {
  public long init() { return derive("init"); }
  public long data() { return derive("data"); }
  public long selector() { return derive("selector"); }
  public long dropout() { return derive("dropout"); }

  /** The seed of stream {@code name}. */
  public long derive(String name) {
    return mix(root ^ mix(name.hashCode() * 0x9E3779B97F4A7C15L));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
