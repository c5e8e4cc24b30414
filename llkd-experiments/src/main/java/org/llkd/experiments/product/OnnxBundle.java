package org.llkd.experiments.product;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.llkd.models.classifier.ModelBundle;
import org.llkd.models.classifier.ModelDirectory;
import org.llkd.models.onnx.OnnxExporter;

/**
 * What {@code llkd export onnx} writes: a directory that runs without LLKD-J.
 * <pre>
 *   model.onnx      the student ({@link OnnxExporter}); metadata: labels, max_length, weights_sha256 of the model dir
 *   tokenizer.json  the model directory's HuggingFace tokenizer (byte for byte)
 *   labels.txt      one label per line, line i = column i of probabilities (UTF-8)
 *   README.md       how to run it from Java with onnxruntime and DJL tokenizers only (the example is tested)
 * </pre>
 * Written into a hidden sibling and moved into place, so a failed export leaves no directory under the final name.
 */
public final class OnnxBundle {
  public static final String MODEL = "model.onnx", TOKENIZER = "tokenizer.json", LABELS = "labels.txt", README = "README.md";

  /** What the README's example compiles against (Maven coordinates; OnnxBundleReadmeTest compiles it with exactly these). */
  static final List<String> COMPILE_JARS = List.of("com.microsoft.onnxruntime:onnxruntime:1.29.0", "ai.djl:api:0.38.0",
      "ai.djl.huggingface:tokenizers:0.38.0");
  /** What it needs besides those to run (OnnxBundleReadmeTest runs it in a JVM with exactly these and the above). */
  static final List<String> RUN_JARS = List.of("org.slf4j:slf4j-api:2.0.17");

  private OnnxBundle() {}

  /** Exports model directory {@code model} to bundle directory {@code out}; an existing {@code out} is replaced only with {@code force}. */
  public static ModelBundle write(Path model, Path out, boolean force) {
    Path target = out.toAbsolutePath().normalize();
    if (target.getFileName().toString().endsWith(".onnx")) {
      throw new IllegalArgumentException("--out " + out + ": expected a directory for the bundle (model.onnx, tokenizer.json, "
          + "labels.txt, README.md), found a name ending in .onnx; pass e.g. --out out/onnx");
    }
    if (Files.exists(target) && !force) {
      throw new IllegalArgumentException(out + " already exists; pass --force to overwrite or choose another --out");
    }
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new IllegalArgumentException("--out " + out + " is a file; expected a directory for the bundle (remove the file or choose another --out)");
    }
    ModelBundle b = ModelDirectory.read(model);
    for (String l : b.labels()) {
      if (l.contains("\n") || l.contains("\r")) {
        throw new IllegalArgumentException("label '" + l.replace("\n", "\\n").replace("\r", "\\r") + "' contains a line break; "
            + "labels.txt holds one label per line, so it cannot be exported; rename the label and train again");
      }
    }
    String sha = ModelDirectory.weightsSha256(model);
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
      OnnxExporter.export(b, sha, tmp.resolve(MODEL));
      Files.write(tmp.resolve(TOKENIZER), b.tokenizerJson());
      Files.writeString(tmp.resolve(LABELS), String.join("\n", b.labels()) + "\n", StandardCharsets.UTF_8);
      Files.writeString(tmp.resolve(README), readme(b, sha), StandardCharsets.UTF_8);
      shareable(tmp); // createTempDirectory made it rwx------: a bundle is for others to read (serving user, CI)
      if (Files.exists(target)) deleteTree(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the ONNX bundle " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) deleteTree(tmp);
    }
    return b;
  }

  /** The README of a bundle; its first ```java block is the example {@code OnnxBundleReadmeTest} compiles and runs. */
  static String readme(ModelBundle b, String weightsSha256) {
    return """
        # LLKD-J student, exported for onnxruntime

        | file | what it is |
        |---|---|
        | `model.onnx` | the classifier (opset 13): inputs `input_ids`, `attention_mask` (int64 `[batch, sequence]`), output `probabilities` (float `[batch, %d]`, softmax) |
        | `tokenizer.json` | the HuggingFace WordPiece tokenizer it was trained with; texts are cut to %d tokens (`[CLS]`, `[SEP]` included) |
        | `labels.txt` | %d labels, line *i* = column *i* of `probabilities`: %s |

        `model.onnx` metadata: `labels`, `max_length` = %d, `weights_sha256` = `%s` (the `weights.bin` of the model
        directory it came from; `llkd predict --runtime onnx` refuses a bundle whose hash or labels differ).

        ## Run it from Java without LLKD-J

        Jars (from Maven Central, or any copy): compile with `%s`; run with those and `%s` (DJL logs through it; add
        `org.slf4j:slf4j-nop:2.0.17` to silence its three "no providers" lines). DJL's api also declares gson, jna and
        commons-compress: this example loads none of them (tested with exactly these jars), other DJL features may. Run
        with `-Dai.djl.offline=true` (otherwise DJL contacts a cloud metadata endpoint when the tokenizer is created),
        and keep the JVM's command line short (an `@argfile` for a long class path): onnxruntime 1.29.0 crashes on one
        over about 4 KB.

        ```java
        import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
        import ai.onnxruntime.*;
        import java.nio.file.*;
        import java.util.*;

        public class Classify { // java -Dai.djl.offline=true -cp JARS:. Classify BUNDLE_DIR "text to classify"
          public static void main(String[] a) throws Exception {
            var e = HuggingFaceTokenizer.newInstance(Path.of(a[0], "tokenizer.json"),
                Map.of("maxLength", "%d", "truncation", "true", "padding", "false")).encode(a[1]);
            var env = OrtEnvironment.getEnvironment();
            var in = Map.of("input_ids", OnnxTensor.createTensor(env, new long[][] {e.getIds()}),
                "attention_mask", OnnxTensor.createTensor(env, new long[][] {e.getAttentionMask()}));
            try (var s = env.createSession(a[0] + "/model.onnx"); var r = s.run(in)) {
              float[] p = ((float[][]) r.get("probabilities").get().getValue())[0];
              List<String> labels = Files.readAllLines(Path.of(a[0], "labels.txt"));
              for (int i = 0; i < p.length; i++) System.out.println(labels.get(i) + "\\t" + p[i]);
            }
          }
        }
        ```

        For a batch, pad every text's ids with the tokenizer's pad id (0) and its mask with 0 to the longest text; the
        mask keeps padding out of the result. Probabilities agree with `llkd predict` (ND4J) within 1e-4.
        """.formatted(b.labels().size(), b.maxLength(), b.labels().size(), String.join(", ", b.labels()), b.maxLength(),
        weightsSha256, String.join("`, `", COMPILE_JARS), String.join("`, `", RUN_JARS), b.maxLength());
  }

  /** The bundle's modes where the file system has them: directory rwxr-xr-x, files rw-r--r--, as mkdir and cp give. */
  private static void shareable(Path dir) throws IOException {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.toList()) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root + ": " + e.getMessage(), e);
    }
  }

  /** The labels of a bundle's labels.txt (for tests and tools). */
  static List<String> labels(Path bundle) throws IOException {
    return Files.readAllLines(bundle.resolve(LABELS), StandardCharsets.UTF_8);
  }
}
