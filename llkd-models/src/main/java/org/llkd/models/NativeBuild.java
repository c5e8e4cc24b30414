package org.llkd.models;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Which nd4j-native build (generic, onednn-avx2, onednn-avx512, ...) JavaCPP really loaded, read from the file it
 * loaded, and whether that is the build that was asked for.
 *
 * <p>The build is asked for with {@code -Dorg.bytedeco.javacpp.platform.extension=-onednn-avx512} ({@code ""} for
 * the generic build); {@code scripts/native-build.sh} chooses it from the CPU flags for {@code ./llkd}, {@code .ci/run}
 * and {@code scripts/bench.sh}. JavaCPP falls back to the generic build, without a word, when the asked-for jar is
 * not on the class path, and picks one of the jars present by itself when nothing is asked for; {@link #loaded()}
 * therefore names the build from the directory of the loaded {@code libnd4jcpu} (e.g.
 * {@code .../bindings/linux-x86_64-onednn-avx512/libnd4jcpu.so}), cross-checks it against libnd4j's own build info
 * ({@code HAVE_ONEDNN}), and refuses a build other than the one asked for. See docs/performance.md.
 *
 * @param name the build: {@code generic} or the extension without its dash ({@code onednn-avx512})
 * @param requested the build asked for through the system property, or {@code null} when the property is unset
 * @param platform JavaCPP's platform, e.g. {@code linux-x86_64}
 * @param library the loaded {@code libnd4jcpu} file (JavaCPP's cache copy), or {@code null} for a non-CPU backend
 * @param oneDnn whether libnd4j reports {@code HAVE_ONEDNN} in its build info
 */
public record NativeBuild(String name, String requested, String platform, String library, boolean oneDnn) {
  /** The JavaCPP system property that selects the build. */
  public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
  /** The builds Maven Central serves for linux-x86_64 (1.0.0-M2.1), fastest first. */
  public static final List<String> KNOWN = List.of("onednn-avx512", "avx512", "onednn-avx2", "avx2", "onednn", "generic");
  /** The builds this project ships as dependencies (llkd-models/pom.xml). */
  public static final List<String> SHIPPED = List.of("onednn-avx512", "onednn-avx2", "generic");

  private static volatile NativeBuild loaded;

  /**
   * The build loaded in this JVM (loads ND4J's backend if nothing has yet), checked against the requested one.
   *
   * @throws IllegalStateException when a build was requested and another one was loaded (e.g. its jar is missing)
   */
  public static NativeBuild loaded() {
    NativeBuild b = loaded;
    if (b == null) {
      Nd4j.getBackend(); // makes JavaCPP load libnd4jcpu (or the CUDA library)
      String platform = Loader.getPlatform();
      String lib = Loader.getLoadedLibraries().get("nd4jcpu");
      String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
      boolean oneDnn = info != null && info.contains("HAVE_ONEDNN");
      String name = lib == null ? "none (backend " + Nd4j.getBackend().getClass().getSimpleName() + ")"
          : buildOf(platform, Path.of(lib));
      b = check(new NativeBuild(name, requestedBuild(System.getProperty(EXTENSION_PROPERTY)), platform, lib, oneDnn));
      loaded = b;
    }
    return b;
  }

  /**
   * The build named by the directory a JavaCPP library was loaded from: {@code <platform>} is the generic build,
   * {@code <platform>-<ext>} is {@code <ext>}.
   */
  static String buildOf(String platform, Path library) {
    Path dir = library.getParent();
    String d = dir == null ? "" : dir.getFileName().toString();
    if (d.equals(platform)) {
      return "generic";
    }
    if (d.startsWith(platform + "-")) {
      return d.substring(platform.length() + 1);
    }
    throw new IllegalStateException("cannot tell the nd4j-native build from " + library + ": expected its directory to"
        + " be '" + platform + "' or '" + platform + "-<extension>', found '" + d + "'");
  }

  /** The build named by a value of {@link #EXTENSION_PROPERTY}: {@code ""} is generic; {@code null} stays null. */
  static String requestedBuild(String extension) {
    if (extension == null) {
      return null;
    }
    String e = extension.strip();
    if (e.isEmpty()) {
      return "generic";
    }
    if (!e.startsWith("-")) {
      throw new IllegalArgumentException("-D" + EXTENSION_PROPERTY + "=" + extension + ": expected '' (generic) or a"
          + " dash and a build name, e.g. -onednn-avx512 (one of " + KNOWN + ")");
    }
    return e.substring(1);
  }

  /** Refuses a loaded build that is not the requested one, or whose build info contradicts its name. */
  static NativeBuild check(NativeBuild b) {
    if (b.library == null) {
      return b;
    }
    if (b.requested != null && !b.requested.equals(b.name)) {
      throw new IllegalStateException("nd4j-native build '" + b.requested + "' was requested (-D" + EXTENSION_PROPERTY
          + "=" + (b.requested.equals("generic") ? "" : "-" + b.requested) + ") but JavaCPP loaded '" + b.name + "' from "
          + b.library + ": nd4j-native-<version>-" + b.platform + "-" + b.requested + ".jar is not on the class path."
          + " This project ships " + SHIPPED + " for linux-x86_64 (docs/performance.md); set LLKD_NATIVE_BUILD to one of"
          + " them, or add that jar as a dependency of llkd-models");
    }
    if (b.name.startsWith("onednn") != b.oneDnn) {
      throw new IllegalStateException("nd4j-native build '" + b.name + "' loaded from " + b.library + " but libnd4j's"
          + " build info says HAVE_ONEDNN=" + b.oneDnn + ": the library file and its directory name disagree");
    }
    return b;
  }

  /** One line for the start of a run, e.g. {@code nd4j-native build onednn-avx512 (linux-x86_64, oneDNN, ...)}. */
  public String describe() {
    return "nd4j-native build " + name + " (" + platform + (oneDnn ? ", oneDNN" : "")
        + (requested == null ? "; -D" + EXTENSION_PROPERTY + " unset, so JavaCPP picked it" : "") + ") " + library;
  }

  /** The fields for provenance.json. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("requested", requested == null ? "(unset: JavaCPP's own pick)" : requested);
    m.put("platform", platform);
    m.put("library", library == null ? "(none)" : library);
    m.put("oneDnn", oneDnn);
    return m;
  }
}
