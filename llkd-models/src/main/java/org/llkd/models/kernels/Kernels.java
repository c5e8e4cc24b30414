package org.llkd.models.kernels;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which implementation of {@link FusedOps} runs: the fused Vector API kernels or the composed ND4J ops.
 *
 * <p>The switch is the system property {@value #PROPERTY}:
 * <ul>
 *   <li>unset or {@code vector}: the fused kernels for the ops in {@value #OPS_PROPERTY} (default
 *       {@link #DEFAULT_OPS}), when the module {@code jdk.incubator.vector} is in the boot layer (the JVM was started
 *       with {@code --add-modules jdk.incubator.vector}) and every array of the call is FLOAT and contiguous in c
 *       order; otherwise the ND4J ops for that call;</li>
 *   <li>{@code nd4j}: always the ND4J ops.</li>
 * </ul>
 * Both are read at every call (a map look-up), so a test can switch between them. Which path the process takes is
 * logged once (DEBUG; INFO when the module is missing) and is in {@link #describe()} (recorded in each run's provenance).
 *
 * <p>{@code jdk.incubator.vector} classes appear only in {@link VectorOps}, loaded by name here when the module is
 * present: a JVM without the module (an IDE run configuration without {@code --add-modules}) never loads them and
 * runs the ND4J ops.
 */
public final class Kernels {
  /** System property: {@code vector} (default) or {@code nd4j}. */
  public static final String PROPERTY = "llkd.kernels";
  /** System property: comma-separated ops that use the fused kernels when {@value #PROPERTY} allows it. */
  public static final String OPS_PROPERTY = "llkd.kernels.ops";
  /** The incubating module the fused kernels need. */
  public static final String MODULE = "jdk.incubator.vector";

  /**
   * The ops with a fused kernel, each direction on its own (a kernel is on by default only where it measured
   * faster). In {@value #OPS_PROPERTY} an op is named in lower case ({@code gelu_forward}), {@code gelu},
   * {@code softmax}, {@code layernorm} name both directions and {@code all} every op.
   */
  public enum Op {
    GELU_FORWARD, GELU_BACKWARD, SOFTMAX_FORWARD, SOFTMAX_BACKWARD, LAYERNORM_FORWARD, LAYERNORM_BACKWARD;

    /** The lower-case name used in {@value Kernels#OPS_PROPERTY}. */
    public String key() { return name().toLowerCase(Locale.ROOT); }
  }

  /**
   * The ops whose fused kernel runs by default: those that measured faster than the ND4J ops in KernelBench
   * (docs/performance.md, "Fused kernels (Vector API)"). Not {@link Op#SOFTMAX_FORWARD}: it measured level with
   * libnd4j's softmax (within 3% at all three shapes), so the ND4J ops keep it; {@code -Dllkd.kernels.ops=all}
   * turns it on too.
   */
  public static final Set<Op> DEFAULT_OPS = EnumSet.complementOf(EnumSet.of(Op.SOFTMAX_FORWARD));

  private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
  private static final boolean MODULE_PRESENT = ModuleLayer.boot().findModule(MODULE).isPresent();
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
  private static final LongAdder[] FALLBACKS = new LongAdder[Op.values().length];

  static {
    for (int i = 0; i < FALLBACKS.length; i++) FALLBACKS[i] = new LongAdder();
  }
  private static volatile FusedOps vector; // created on first use
  private static volatile ParsedOps parsedOps = new ParsedOps(null, DEFAULT_OPS);

  private record ParsedOps(String value, Set<Op> ops) {}

  private Kernels() {}

  /**
   * The implementation to run {@code op} on {@code arrays}: the fused kernels when they are switched on for
   * {@code op} and every array fits them ({@link #fits}), else {@link Nd4jOps#INSTANCE}. Null arrays are ignored.
   */
  public static FusedOps ops(Op op, INDArray... arrays) {
    if (!vectorEnabled(op)) return Nd4jOps.INSTANCE;
    for (INDArray a : arrays) {
      if (a != null && !fits(a)) {
        FALLBACKS[op.ordinal()].increment();
        logOnce("fallback-" + op, false, op + ": an array is not FLOAT and c-order contiguous ("
            + a.dataType() + ", shape " + java.util.Arrays.toString(a.shape()) + ", stride "
            + java.util.Arrays.toString(a.stride()) + "); the ND4J ops run for such calls");
        return Nd4jOps.INSTANCE;
      }
    }
    return vector();
  }

  /** Whether the fused kernel of {@code op} is switched on (property, op list, module); arrays not considered. */
  public static boolean vectorEnabled(Op op) {
    String mode = System.getProperty(PROPERTY, "vector").trim().toLowerCase(Locale.ROOT);
    switch (mode) {
      case "nd4j" -> {
        logOnce("nd4j", false, "fused kernels off (-D" + PROPERTY + "=nd4j): the ND4J ops run");
        return false;
      }
      case "vector", "" -> { }
      default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + mode + ": expected vector or nd4j");
    }
    if (!MODULE_PRESENT) {
      logOnce("no-module", true, "module " + MODULE + " not in the boot layer (start the JVM with --add-modules " + MODULE
          + "): the ND4J ops run instead of the fused kernels");
      return false;
    }
    boolean on = ops().contains(op);
    if (on) logOnce("vector", false, "fused Vector API kernels on for " + ops() + " (" + describeVector() + ")");
    return on;
  }

  /**
   * How many calls of {@code op} in this process had their fused kernel switched on but ran the ND4J ops because an
   * array did not fit (DOUBLE, a strided view); diagnostics and tests.
   */
  public static long fallbacks(Op op) { return FALLBACKS[op.ordinal()].sum(); }

  /** Whether {@code jdk.incubator.vector} is in the boot layer. */
  public static boolean modulePresent() { return MODULE_PRESENT; }

  /**
   * The fused kernels, whatever the switch says (benchmarks and tests compare them with {@link Nd4jOps}).
   *
   * @throws IllegalStateException when the module is absent
   */
  public static FusedOps vector() {
    FusedOps v = vector;
    if (v == null) {
      synchronized (Kernels.class) {
        if ((v = vector) == null) vector = v = load(-1);
      }
    }
    return v;
  }

  /** A fresh fused-kernel instance with its own {@code threads} threads (tests of thread-count independence). */
  static FusedOps vector(int threads) { return load(threads); }

  private static FusedOps load(int threads) {
    if (!MODULE_PRESENT) {
      throw new IllegalStateException("the fused kernels need the JVM option --add-modules " + MODULE);
    }
    try {
      Class<?> c = Class.forName("org.llkd.models.kernels.VectorOps");
      return (FusedOps) (threads < 0 ? c.getDeclaredConstructor().newInstance()
          : c.getDeclaredConstructor(int.class).newInstance(threads));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the Vector API kernels", e);
    }
  }

  /**
   * Whether the fused kernels take {@code a}: FLOAT, not empty, int-addressable, and its elements contiguous in
   * c order (each stride the product of the later dimensions; dimensions of size 1 may have any stride, as in the
   * [1, H] views of the gradient rows, for which ND4J's {@code Shape.hasDefaultStridesForShape} says no).
   */
  public static boolean fits(INDArray a) {
    if (a.dataType() != DataType.FLOAT || a.isEmpty()
        || (a.offset() + a.length()) * Float.BYTES > Integer.MAX_VALUE) {
      return false;
    }
    long[] shape = a.shape(), stride = a.stride();
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) return false;
      expected *= shape[d];
    }
    return true;
  }

  /**
   * What runs in this process, for provenance: {@code path} (vector or nd4j), the ops with their fused kernel on,
   * the vector species and thread count, and why the ND4J ops run when they do.
   */
  public static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    String mode = System.getProperty(PROPERTY, "vector");
    boolean vec = !"nd4j".equalsIgnoreCase(mode.trim()) && MODULE_PRESENT;
    m.put("path", vec ? "vector" : "nd4j");
    m.put("property", System.getProperty(PROPERTY));
    m.put("modulePresent", MODULE_PRESENT);
    m.put("vectorOps", vec ? ops().toString() : "[]");
    if (vec) m.put("vector", describeVector());
    m.put("note", "the fused kernels run for FLOAT c-order arrays only; DOUBLE runs the ND4J ops");
    return m;
  }

  private static String describeVector() {
    try {
      Class<?> c = Class.forName("org.llkd.models.kernels.VectorOps");
      Object species = c.getDeclaredField("SPECIES").get(null);
      return species + ", " + KernelThreads.configured() + " threads";
    } catch (ReflectiveOperationException e) {
      return "unavailable: " + e;
    }
  }

  private static Set<Op> ops() {
    String v = System.getProperty(OPS_PROPERTY);
    if (v == null) return DEFAULT_OPS;
    ParsedOps last = parsedOps;
    if (v.equals(last.value())) return last.ops();
    Set<Op> s = EnumSet.noneOf(Op.class);
    for (String part : v.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT).replace('-', '_');
      if (p.isEmpty()) continue;
      if (p.equals("all")) {
        s.addAll(EnumSet.allOf(Op.class));
        continue;
      }
      boolean known = false;
      for (Op op : Op.values()) {
        if (op.key().equals(p) || op.key().startsWith(p + "_")) {
          s.add(op);
          known = true;
        }
      }
      if (!known) {
        throw new IllegalArgumentException("-D" + OPS_PROPERTY + "=" + v + ": unknown op '" + part.trim()
            + "', expected all or some of gelu, softmax, layernorm, " + EnumSet.allOf(Op.class).stream().map(Op::key).toList());
      }
    }
    parsedOps = new ParsedOps(v, s);
    return s;
  }

  /** Logs {@code message} the first time {@code key} comes up: at INFO when {@code info}, else at DEBUG. */
  private static void logOnce(String key, boolean info, String message) {
    if (!LOGGED.add(key)) return;
    if (info) LOG.info(message);
    else LOG.debug(message);
  }
}
