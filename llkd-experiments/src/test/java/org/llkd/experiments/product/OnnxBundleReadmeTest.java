package org.llkd.experiments.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.models.classifier.Prediction;
import org.llkd.models.classifier.TextClassifier;
import org.llkd.models.encoder.Pooling;

/**
 * The Java example in an exported bundle's README.md runs without LLKD-J and without Maven: the test cuts the ```java
 * block out of the README that {@code llkd export onnx} wrote, checks it is short (at most {@value #MAX_CODE_LINES}
 * lines besides imports, blank lines and closing braces), compiles it against exactly the jars the README lists for
 * compiling, runs its main in a fresh JVM whose class path is exactly the README's compile and run jars (from the
 * local Maven repository, the versions this build resolves; an empty DJL cache, so the tokenizer's native library is
 * unpacked from its jar as on a new machine), and checks every printed probability against the ND4J student's within
 * 1e-4. It also checks the bundle's modes: a directory others can list (rwxr-xr-x) and files they can read.
 */
class OnnxBundleReadmeTest {
  static final int MAX_CODE_LINES = 12;
  @TempDir Path tmp;

  @Test void theReadmeExampleCompilesAndRunsWithTheListedJarsOnlyAndAgreesWithNd4j() throws Exception {
    Path model = ProductFixtures.modelDir(tmp.resolve("model"), Pooling.MEAN, 5L);
    Path bundle = tmp.resolve("bundle");
    ProductFixtures.Run e = ProductFixtures.cli("export", "onnx", "--model", model.toString(), "--out", bundle.toString());
    assertEquals(0, e.exit(), e.err());
    String readme = Files.readString(bundle.resolve(OnnxBundle.README));
    Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "README.md has a ```java block:\n" + readme);
    String source = m.group(1);
    assertFalse(source.contains("org.llkd"), "the example must not use LLKD-J:\n" + source);
    List<String> code = source.lines().filter(l -> !l.isBlank() && !l.startsWith("import ") && !l.strip().matches("}+"))
        .toList();
    assertTrue(code.size() <= MAX_CODE_LINES, code.size() + " code lines, expected at most " + MAX_CODE_LINES + ":\n"
        + String.join("\n", code));
    for (String jar : concat(OnnxBundle.COMPILE_JARS, OnnxBundle.RUN_JARS)) {
      assertTrue(readme.contains(jar), "README lists " + jar + ":\n" + readme);
    }

    Path src = tmp.resolve("src/Classify.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    String cp = classPath(OnnxBundle.COMPILE_JARS);
    assertFalse(cp.contains("llkd-"), "compile class path holds no LLKD-J module: " + cp);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diag = new ByteArrayOutputStream();
    int rc = javac.run(null, diag, diag, "-proc:none", "-cp", cp, "-d", classes.toString(), src.toString());
    assertEquals(0, rc, "javac on the README example:\n" + diag.toString(StandardCharsets.UTF_8) + "\n" + source);

    String text = "the music was brilliant but the plot dragged";
    String runCp = classes + File.pathSeparator + classPath(concat(OnnxBundle.COMPILE_JARS, OnnxBundle.RUN_JARS));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", runCp, "Classify", bundle.toString(), text).redirectErrorStream(true);
    pb.environment().put("DJL_CACHE_DIR", tmp.resolve("djl-cache").toString()); // a new machine: nothing unpacked yet
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the example did not finish");
    assertEquals(0, p.exitValue(), "java -cp " + runCp + " Classify:\n" + out);
    Map<String, Double> printed = new LinkedHashMap<>();
    for (String line : out.strip().split("\n")) {
      if (line.startsWith("SLF4J")) continue; // slf4j-api without a provider says so, as the README warns
      String[] f = line.split("\t");
      assertEquals(2, f.length, "example output line 'label<TAB>probability': " + line + "\n" + out);
      printed.put(f[0], Double.parseDouble(f[1]));
    }
    try (TextClassifier clf = TextClassifier.load(model)) {
      Prediction pr = clf.predict(text);
      assertEquals(new ArrayList<>(pr.probabilities().keySet()), new ArrayList<>(printed.keySet()), "labels in model order");
      for (Map.Entry<String, Double> en : pr.probabilities().entrySet()) {
        assertEquals(en.getValue(), printed.get(en.getKey()), 1e-4, en.getKey() + ": example vs ND4J");
      }
      // the fixture's probabilities are spread out, so a wrong column order could not pass
      List<Double> v = new ArrayList<>(pr.probabilities().values());
      assertTrue(Math.abs(v.get(0) - v.get(1)) > 1e-3 || Math.abs(v.get(1) - v.get(2)) > 1e-3, "probabilities " + v);
    }

    if (bundle.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)),
          "the bundle directory is readable by others (not createTempDirectory's rwx------)");
      for (String f : List.of(OnnxBundle.MODEL, OnnxBundle.TOKENIZER, OnnxBundle.LABELS, OnnxBundle.README)) {
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle.resolve(f))), f);
      }
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * The jars of Maven coordinates {@code group:artifact:version}, as this test JVM's class path holds them (the local
   * Maven repository): a coordinate the build does not resolve at that version fails the test, so the README's list
   * follows the build.
   */
  private static String classPath(List<String> coordinates) {
    List<String> jars = new ArrayList<>();
    List<String> entries = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    for (String c : coordinates) {
      String[] g = c.split(":");
      String tail = File.separator + g[1] + File.separator + g[2] + File.separator + g[1] + "-" + g[2] + ".jar";
      String jar = entries.stream().filter(en -> en.endsWith(tail) && en.contains(g[0].replace('.', File.separatorChar)))
          .findFirst().orElse(null);
      assertTrue(jar != null, c + " is not on the build's class path (" + tail + "); update OnnxBundle's jar list");
      jars.add(jar);
    }
    return String.join(File.pathSeparator, jars);
  }
}
