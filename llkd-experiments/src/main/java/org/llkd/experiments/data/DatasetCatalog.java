package org.llkd.experiments.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.llkd.experiments.textfile.TextFileException;
import org.llkd.experiments.textfile.TextLines;

/**
 * The shipped datasets under a data root ({@code data/} of this repository): {@code <root>/<name>/labels.txt}
 * and {@code <root>/<name>/{train,dev,test}.tsv}, read by {@link NormalisedTsvReader}.
 *
 * <p>If {@code <root>/SHA256SUMS} exists, every file loaded must be listed there with a matching hash (so a
 * result can only come from the data the manifest describes); without it, hashes are only recorded.
 */
public final class DatasetCatalog {
  /** The datasets shipped in {@code data/}; see {@code data/README.md} for what each stands in for. */
  public static final List<String> SHIPPED = List.of(
      "emotion", "yahoo_answers", "pubmed_rct_sample", "nicta_piboso", "scicite", "ag_news", "mag_fos");

  /** File of expected hashes in the data root, {@code sha256sum} format. */
  public static final String SHA256SUMS = "SHA256SUMS";

  private DatasetCatalog() {}

  /** Loads one split, e.g. {@code load(Path.of("data"), "emotion", Split.TRAIN)}. */
  public static TextDataset load(Path dataRoot, String name, Split split) {
    Path dir = datasetDir(dataRoot, name);
    LabelSet labels = labels(dataRoot, name);
    Path tsv = dir.resolve(split.tsvFileName());
    if (!Files.isRegularFile(tsv)) {
      throw new IllegalArgumentException("dataset " + name + " has no " + split.id() + " split: " + tsv + " is missing");
    }
    TextDataset ds = NormalisedTsvReader.read(tsv, name, split, labels);
    verify(dataRoot, name + "/" + split.tsvFileName(), tsv, ds.sha256());
    return ds;
  }

  /** Reads {@code <root>/<name>/labels.txt}. */
  public static LabelSet labels(Path dataRoot, String name) {
    Path labelsTxt = datasetDir(dataRoot, name).resolve("labels.txt");
    if (!Files.isRegularFile(labelsTxt)) {
      throw new IllegalArgumentException("dataset " + name + ": " + labelsTxt + " is missing");
    }
    LabelSet labels = LabelSet.read(labelsTxt);
    verify(dataRoot, name + "/labels.txt", labelsTxt, SourceFile.check(labelsTxt, "one class name per line"));
    return labels;
  }

  private static Path datasetDir(Path dataRoot, String name) {
    if (name == null || !name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
      throw new IllegalArgumentException("dataset name must be a plain directory name, got '" + name + "'");
    }
    Path dir = dataRoot.resolve(name);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no dataset '" + name + "' under " + dataRoot.toAbsolutePath()
          + "; found " + listDatasets(dataRoot));
    }
    return dir;
  }

  private static List<String> listDatasets(Path dataRoot) {
    if (!Files.isDirectory(dataRoot)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dataRoot)) {
      return s.filter(p -> Files.isRegularFile(p.resolve("labels.txt"))).map(p -> p.getFileName().toString()).sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void verify(Path dataRoot, String relative, Path file, String actual) {
    Path sums = dataRoot.resolve(SHA256SUMS);
    if (!Files.isRegularFile(sums)) {
      return;
    }
    Map<String, String> expected = new HashMap<>();
    Map<String, Long> lineOf = new HashMap<>();
    try (TextLines lines = TextLines.open(sums, false)) {
      while (lines.hasNext()) {
        TextLines.Line l = lines.next();
        String[] parts = l.text().split(" [ *]", 2);
        if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}")) {
          throw TextFileException.atLine(sums, l.number(), "'<sha256>  <path>'",
              TextFileException.quote(l.text()), "regenerate it with sha256sum");
        }
        expected.put(parts[1], parts[0]);
        lineOf.put(parts[1], l.number());
      }
    }
    String want = expected.get(relative);
    if (want == null) {
      throw TextFileException.atLine(sums, 1, "an entry for " + relative, "none",
          "add the file's hash (sha256sum " + relative + " >> " + SHA256SUMS + ") or load it from another root");
    }
    if (!want.equals(actual)) {
      throw TextFileException.atLine(sums, lineOf.get(relative), "sha256 " + want + " for " + file,
          "sha256 " + actual, "the file was changed: restore it (sh verify.sh shows every mismatch)");
    }
  }
}
