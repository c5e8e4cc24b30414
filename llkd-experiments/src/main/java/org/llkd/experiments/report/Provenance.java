package org.llkd.experiments.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.llkd.models.NativeBuild;
import org.llkd.models.kernels.Kernels;
import org.llkd.models.io.AtomicFiles;
import org.llkd.models.io.Sha256;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code provenance.json} written beside every result: git commit and dirty flag, full config,
 * seeds, SHA-256 of every input file, JVM, ND4J version, backend and native build ({@link NativeBuild}), the kernel path ({@link Kernels}), host, thread settings, start,
 * end and wall time. Unknown facts are recorded as such with the reason, never silently dropped.
 */
public final class Provenance {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Instant start = Instant.now();
  private final Map<String, Object> record = new LinkedHashMap<>();
  private final Map<String, String> inputs = new TreeMap<>();

  /** Starts a record for {@code what} (e.g. the experiment name) with its full config. */
  public Provenance(String what, Object config, List<Long> seeds) {
    record.put("what", what);
    record.put("config", JSON.convertValue(config, Object.class));
    record.put("seeds", seeds);
    record.put("git", git());
    record.put("java", Map.of(
        "version", System.getProperty("java.version"),
        "vendor", System.getProperty("java.vendor"),
        "vm", System.getProperty("java.vm.name"),
        "maxHeapBytes", Runtime.getRuntime().maxMemory()));
    record.put("nd4j", nd4j());
    record.put("host", host());
    Map<String, String> env = new TreeMap<>();
    for (String k : List.of("OMP_NUM_THREADS", "OPENBLAS_THREAD_TIMEOUT", "OMP_WAIT_POLICY", "OPENBLAS_CORETYPE")) {
      env.put(k, System.getenv().getOrDefault(k, "(unset)"));
    }
    env.put("org.bytedeco.javacpp.maxbytes", System.getProperty("org.bytedeco.javacpp.maxbytes", "(unset)"));
    record.put("threadSettings", env);
  }

  /**
   * Sets the start of what this record describes (default: when the record was created), so that {@code start}
   * and {@code wallSeconds} cover the whole run when the record is built at its end.
   */
  public Provenance startedAt(Instant when) {
    if (when == null || when.isAfter(Instant.now())) {
      throw new IllegalArgumentException("start must be a past instant, found " + when);
    }
    this.start = when;
    return this;
  }

  /** Records the SHA-256 of an input file under a label (e.g. "dataset.train"). */
  public Provenance input(String label, Path file) {
    inputs.put(label, file.toString() + " sha256:" + Sha256.of(file));
    return this;
  }

  /** Adds any extra fact (must be JSON-serialisable). */
  public Provenance put(String key, Object value) {
    record.put(key, JSON.convertValue(value, Object.class));
    return this;
  }

  /** Stamps end and wall time and writes {@code file} atomically. */
  public void write(Path file) {
    Instant end = Instant.now();
    Map<String, Object> out = new LinkedHashMap<>(record);
    out.put("inputs", inputs);
    out.put("start", start.toString());
    out.put("end", end.toString());
    out.put("wallSeconds", Duration.between(start, end).toMillis() / 1000.0);
    try {
      AtomicFiles.writeString(file, JSON.writeValueAsString(out) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("could not serialise provenance for " + file, e);
    }
  }

  /**
   * The checkout's HEAD and dirty flag at run time ({@code commit}, {@code dirty}), and the commit the running classes
   * were built from ({@code build}: {@code commit}, {@code dirty}, {@code time}, stamped into
   * {@code llkd-git.properties} by the build). {@code buildMatchesCheckout} is false when the code that ran is not the
   * checkout's HEAD (an older build, or a build with uncommitted changes).
   */
  static Map<String, Object> git() {
    Map<String, Object> g = new LinkedHashMap<>();
    Path root = repoRoot();
    try {
      g.put("commit", run(root, "git", "rev-parse", "HEAD"));
      g.put("dirty", !run(root, "git", "status", "--porcelain", "--untracked-files=no").isEmpty());
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      g.put("commit", "unknown");
      g.put("reason", "git not available: " + e.getMessage());
    }
    Map<String, Object> build = buildStamp();
    g.put("build", build);
    g.put("buildMatchesCheckout", build.get("commit").equals(g.get("commit")) && Boolean.FALSE.equals(build.get("dirty"))
        && Boolean.FALSE.equals(g.get("dirty")));
    return g;
  }

  /** The build's stamp from {@code llkd-git.properties} on the classpath, or {@code commit: unknown} with the reason. */
  static Map<String, Object> buildStamp() {
    Map<String, Object> b = new LinkedHashMap<>();
    try (var in = Provenance.class.getResourceAsStream("/llkd-git.properties")) {
      if (in == null) {
        b.put("commit", "unknown");
        b.put("reason", "llkd-git.properties not on the classpath (built without git)");
        return b;
      }
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      b.put("commit", p.getProperty("git.commit.id", "unknown"));
      b.put("dirty", Boolean.parseBoolean(p.getProperty("git.dirty", "true")));
      b.put("time", p.getProperty("git.build.time", ""));
    } catch (IOException e) {
      b.put("commit", "unknown");
      b.put("reason", "llkd-git.properties unreadable: " + e.getMessage());
    }
    return b;
  }

  /** The repository root: system property {@code llkd.repo.root}, else the working directory. */
  public static Path repoRoot() {
    return Path.of(System.getProperty("llkd.repo.root", ".")).toAbsolutePath().normalize();
  }

  private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
    return out;
  }

  private static Map<String, Object> nd4j() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("backend", Nd4j.getBackend().getClass().getName());
    m.put("executioner", Nd4j.getExecutioner().getClass().getSimpleName());
    m.put("version", Nd4j.class.getPackage().getImplementationVersion() == null
        ? "1.0.0-M2.1 (from pom; jar manifest has no version)" : Nd4j.class.getPackage().getImplementationVersion());
    m.put("dataType", Nd4j.dataType().toString());
    // The nd4j-native build read from the loaded library file; throws if it is not the one requested.
    m.put("nativeBuild", NativeBuild.loaded().toMap());
    // GELU, softmax, LayerNorm: fused Vector API kernels or the ND4J ops (they round differently; docs/performance.md)
    m.put("kernels", Kernels.describe());
    return m;
  }

  private static Map<String, Object> host() {
    Map<String, Object> h = new LinkedHashMap<>();
    try {
      h.put("name", InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      h.put("name", "unknown (" + e.getMessage() + ")");
    }
    h.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    h.put("cores", Runtime.getRuntime().availableProcessors());
    h.put("cpu", cpuModel());
    return h;
  }

  /** The CPU model line of /proc/cpuinfo, or "unknown" with the reason. */
  public static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
      }
      return "unknown (no 'model name' in /proc/cpuinfo)";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
