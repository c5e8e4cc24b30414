package org.llkd.experiments.teacher;

/**
 * How a teacher's softmax temperature is chosen: {@code auto} (few-shot: fit; zero-shot: the documented
 * per-dataset default), {@code fit} (grid NLL minimum on the k labelled shots, see
 * {@link TemperatureFit}) or a fixed positive number.
 */
public record TemperatureSpec(Mode mode, double value) {
  public enum Mode { AUTO, FIT, FIXED }

  public TemperatureSpec {
    if (mode == Mode.FIXED && !(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException("a fixed temperature must be a positive finite number, got " + value);
    }
  }

  public static final TemperatureSpec AUTO = new TemperatureSpec(Mode.AUTO, Double.NaN);
  public static final TemperatureSpec FIT = new TemperatureSpec(Mode.FIT, Double.NaN);

  public static TemperatureSpec fixed(double t) {
    return new TemperatureSpec(Mode.FIXED, t);
  }

  /** Parses {@code auto}, {@code fit} or a number such as {@code 0.02}. */
  public static TemperatureSpec parse(String s) {
    String v = s.trim().toLowerCase(java.util.Locale.ROOT);
    if (v.equals("auto")) return AUTO;
    if (v.equals("fit")) return FIT;
    try {
      return fixed(Double.parseDouble(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("temperature '" + s + "': expected auto, fit or a positive number such as 0.02");
    }
  }

  @Override
  public String toString() {
    return mode == Mode.FIXED ? Double.toString(value) : mode.name().toLowerCase(java.util.Locale.ROOT);
  }
}
