package org.llkd.experiments.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.ort.OrtRuntime;
import org.llkd.models.classifier.Prediction;
import org.llkd.models.classifier.TextClassifier;
import org.llkd.models.encoder.Pooling;

/**
 * The Java example in an exported bundle's README.md runs without LLKD-J: the test cuts the ```java block out of the
 * README that {@code llkd export onnx} wrote, compiles it against the onnxruntime and DJL jars only (no LLKD-J class
 * on its compile class path), runs its main on the bundle and checks every printed probability against the ND4J
 * student's within 1e-4.
 */
class OnnxBundleReadmeTest {
  @TempDir Path tmp;

  @Test void theReadmeExampleCompilesWithoutLlkdAndAgreesWithNd4j() throws Exception {
    Path model = ProductFixtures.modelDir(tmp.resolve("model"), Pooling.MEAN, 5L);
    Path bundle = tmp.resolve("bundle");
    ProductFixtures.Run e = ProductFixtures.cli("export", "onnx", "--model", model.toString(), "--out", bundle.toString());
    assertEquals(0, e.exit(), e.err());
    String readme = Files.readString(bundle.resolve(OnnxBundle.README));
    Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "README.md has a ```java block:\n" + readme);
    String source = m.group(1);
    assertFalse(source.contains("org.llkd"), "the example must not use LLKD-J:\n" + source);

    Path src = tmp.resolve("src/Classify.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    String cp = String.join(java.io.File.pathSeparator, jarOf(OrtEnvironment.class), jarOf(HuggingFaceTokenizer.class),
        jarOf(Class.forName("ai.djl.modality.nlp.preprocess.Tokenizer"))); // DJL api: what the tokenizer jar needs
    assertFalse(cp.contains("llkd-"), "compile class path holds no LLKD-J module: " + cp);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diag = new ByteArrayOutputStream();
    int rc = javac.run(null, diag, diag, "-proc:none", "-cp", cp, "-d", classes.toString(), src.toString());
    assertEquals(0, rc, "javac on the README example:\n" + diag.toString(StandardCharsets.UTF_8) + "\n" + source);

    String text = "the music was brilliant but the plot dragged";
    OrtRuntime.environment(); // the project's rule: onnxruntime starts through OrtRuntime (the example then reuses it)
    String out;
    try (URLClassLoader cl = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      PrintStream saved = System.out;
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      try {
        cl.loadClass("Classify").getMethod("main", String[].class).invoke(null, (Object) new String[] {bundle.toString(), text});
      } finally {
        System.setOut(saved);
      }
      out = buf.toString(StandardCharsets.UTF_8);
    }
    Map<String, Double> printed = new LinkedHashMap<>();
    for (String line : out.strip().split("\n")) {
      String[] f = line.split("\t");
      assertEquals(2, f.length, "example output line 'label<TAB>probability': " + line);
      printed.put(f[0], Double.parseDouble(f[1]));
    }
    try (TextClassifier clf = TextClassifier.load(model)) {
      Prediction p = clf.predict(text);
      assertEquals(new ArrayList<>(p.probabilities().keySet()), new ArrayList<>(printed.keySet()), "labels in model order");
      for (Map.Entry<String, Double> en : p.probabilities().entrySet()) {
        assertEquals(en.getValue(), printed.get(en.getKey()), 1e-4, en.getKey() + ": example vs ND4J");
      }
      // the fixture's probabilities are spread out, so a wrong column order could not pass
      List<Double> v = new ArrayList<>(p.probabilities().values());
      assertTrue(Math.abs(v.get(0) - v.get(1)) > 1e-3 || Math.abs(v.get(1) - v.get(2)) > 1e-3, "probabilities " + v);
    }
  }

  private static String jarOf(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
