package org.llkd.selection.teacher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Parses the two NumPy-based teacher formats.
 *
 * <p><b>NPY</b>: {@code teacher.npy} holds class <em>probabilities</em> {@code [N, C]} ({@code <f4} or
 * {@code <f8}); beside it {@code teacher.npy.ids.txt} (required, one id per line, row order) and optionally
 * {@code teacher.npy.labels.txt} (one class name per line) and {@code teacher.npy.meta.json} (provenance
 * object). Logits are not accepted in a bare .npy, since nothing in it says which kind it holds: use NPZ.
 *
 * <p><b>NPZ</b> (as written by {@code numpy.savez} / {@code savez_compressed}): entries {@code probs.npy} or
 * {@code logits.npy} {@code [N, C]}; {@code ids.npy} ({@code <U n}, {@code [N]}) or {@code ids.txt};
 * optionally {@code label_names.npy} ({@code <U n}, {@code [C]}) or {@code label_names.txt}, and
 * {@code meta.json}. Any other entry is an error.
 */
final class NpyTeacherParser {
  private static final Set<String> NPZ_ENTRIES = Set.of("probs.npy", "logits.npy", "ids.npy", "ids.txt",
      "label_names.npy", "label_names.txt", "meta.json");

  private NpyTeacherParser() {}

  static String idsSidecar(Path npy) {
    return npy.getFileName() + ".ids.txt";
  }

  static String labelsSidecar(Path npy) {
    return npy.getFileName() + ".labels.txt";
  }

  static String metaSidecar(Path npy) {
    return npy.getFileName() + ".meta.json";
  }

  static RawTeacher parseNpy(Path file) {
    return parseNpy(file, null);
  }

  /**
   * As {@link #parseNpy(Path)}; when {@code rowOrderSplit} is not null and the ids sidecar is absent, row i gets the
   * id {@code <rowOrderSplit>-<i>} (alignment by row order, for a user's file whose rows are the train file's rows).
   */
  static RawTeacher parseNpy(Path file, String rowOrderSplit) {
    String src = file.toString();
    byte[] bytes = readAll(file);
    Map<String, String> shas = new LinkedHashMap<>();
    shas.put(src, org.llkd.models.io.Sha256.of(bytes));
    double[][] values = Npy.readMatrix(bytes, src, ""); // [N][C]

    Path idsPath = file.resolveSibling(idsSidecar(file));
    List<String> ids = new ArrayList<>();
    if (!Files.isRegularFile(idsPath) && rowOrderSplit != null) {
      for (int i = 0; i < values.length; i++) ids.add(rowOrderSplit + "-" + i);
    } else if (!Files.isRegularFile(idsPath)) {
      String stem = file.getFileName().toString().replaceFirst("(?i)\\.npy$", "");
      boolean stemExists = Files.isRegularFile(file.resolveSibling(stem + ".ids.txt"));
      throw TeacherFormatException.in(src, "file")
          .problem("the ids sidecar is missing")
          .expected("a file " + idsPath.getFileName() + " beside it with one sample id per row")
          .found(stemExists ? "only " + stem + ".ids.txt (the sidecar name keeps the .npy)" : "no such file")
          .fix("write the ids (row order) to " + idsPath.getFileName() + "; TeacherOutputWriter.writeNpy does this")
          .build();
    } else {
      shas.put(idsPath.toString(), readTextLines(idsPath, ids));
    }
    if (ids.size() != values.length) {
      throw TeacherFormatException.in(idsPath.toString(), "file")
          .problem("number of ids does not match the array rows of " + file.getFileName())
          .expected(values.length + " ids (one per row)")
          .found(ids.size() + " ids")
          .fix("write exactly one id per array row, in row order")
          .build();
    }
    Path labelsPath = file.resolveSibling(labelsSidecar(file));
    List<String> names = null;
    if (Files.isRegularFile(labelsPath)) {
      names = new ArrayList<>();
      shas.put(labelsPath.toString(), readTextLines(labelsPath, names));
    }
    Path metaPath = file.resolveSibling(metaSidecar(file));
    Map<String, Object> meta = Map.of();
    if (Files.isRegularFile(metaPath)) {
      byte[] m = readAll(metaPath);
      shas.put(metaPath.toString(), org.llkd.models.io.Sha256.of(m));
      meta = parseMeta(m, metaPath.toString(), "file");
    }
    return new RawTeacher(new RawTeacher.File(src, TeacherFormat.NPY, meta, shas), ids,
        new RawTeacher.Labels(names, labelsPath.getFileName().toString()), values,
        TeacherValueKind.PROBS, RowLocator.arrayRows(""), !Files.isRegularFile(idsPath));
  }

  static RawTeacher parseNpz(Path file) {
    return parseNpz(file, null);
  }

  /**
   * As {@link #parseNpz(Path)}; when {@code rowOrderSplit} is not null and the archive has no ids entry, row i gets
   * the id {@code <rowOrderSplit>-<i>} (alignment by row order).
   */
  static RawTeacher parseNpz(Path file, String rowOrderSplit) {
    String src = file.toString();
    if (isEmpty(file)) {
      throw TeacherFormatException.in(src, "file")
          .problem("empty file")
          .expected("a zip archive written by numpy.savez")
          .found("0 bytes")
          .fix("check that the teacher export finished")
          .build();
    }
    Map<String, String> shas = new LinkedHashMap<>();
    shas.put(src, org.llkd.models.io.Sha256.of(file));
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> en = zip.entries();
      while (en.hasMoreElements()) {
        ZipEntry e = en.nextElement();
        if (!NPZ_ENTRIES.contains(e.getName())) {
          throw TeacherFormatException.in(src, "entry " + e.getName())
              .problem("unexpected archive entry")
              .expected("only " + NPZ_ENTRIES.stream().sorted().toList())
              .found("'" + e.getName() + "'")
              .fix("save only the teacher arrays: numpy.savez(f, probs=..., ids=..., label_names=...)")
              .build();
        }
        try (InputStream in = zip.getInputStream(e)) {
          entries.put(e.getName(), in.readAllBytes());
        }
      }
    } catch (ZipException e) {
      throw TeacherFormatException.in(src, "file")
          .problem("not a readable zip archive (" + e.getMessage() + ")")
          .expected("an .npz archive written by numpy.savez or savez_compressed")
          .found(org.llkd.models.io.Sha256.of(file).substring(0, 12) + "... (" + size(file) + " bytes)")
          .fix("the file may be truncated or not an .npz; export it again")
          .build(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read teacher file " + file, e);
    }
    boolean probs = entries.containsKey("probs.npy");
    boolean logits = entries.containsKey("logits.npy");
    if (probs == logits) {
      throw TeacherFormatException.in(src, "file")
          .problem(probs ? "both probs.npy and logits.npy" : "neither probs.npy nor logits.npy")
          .expected("exactly one of the entries probs.npy or logits.npy")
          .found("entries " + entries.keySet())
          .fix("numpy.savez(f, probs=p, ids=ids) or numpy.savez(f, logits=z, ids=ids)")
          .build();
    }
    String valuesEntry = probs ? "probs.npy" : "logits.npy";
    double[][] values = Npy.readMatrix(entries.get(valuesEntry), src, "entry " + valuesEntry); // [N][C]
    boolean rowOrder = rowOrderSplit != null && !entries.containsKey("ids.npy") && !entries.containsKey("ids.txt");
    List<String> ids = new ArrayList<>();
    if (rowOrder) {
      for (int i = 0; i < values.length; i++) ids.add(rowOrderSplit + "-" + i);
    } else {
      ids = oneOf(entries, "ids", src, true);
    }
    if (ids.size() != values.length) {
      throw TeacherFormatException.in(src, "entry " + (entries.containsKey("ids.npy") ? "ids.npy" : "ids.txt"))
          .problem("number of ids does not match the rows of " + valuesEntry)
          .expected(values.length + " ids (one per row)")
          .found(ids.size() + " ids")
          .fix("store exactly one id per array row, in row order")
          .build();
    }
    List<String> names = oneOf(entries, "label_names", src, false);
    Map<String, Object> meta = entries.containsKey("meta.json")
        ? parseMeta(entries.get("meta.json"), src, "entry meta.json") : Map.of();
    return new RawTeacher(new RawTeacher.File(src, TeacherFormat.NPZ, meta, shas), ids,
        new RawTeacher.Labels(names,
            "entry " + (entries.containsKey("label_names.npy") ? "label_names.npy" : "label_names.txt")), values,
        probs ? TeacherValueKind.PROBS : TeacherValueKind.LOGITS, RowLocator.arrayRows("entry " + valuesEntry),
        rowOrder);
  }

  private static List<String> oneOf(Map<String, byte[]> entries, String stem, String src, boolean required) {
    byte[] npy = entries.get(stem + ".npy");
    byte[] txt = entries.get(stem + ".txt");
    if (npy != null && txt != null) {
      throw TeacherFormatException.in(src, "file")
          .problem("both " + stem + ".npy and " + stem + ".txt")
          .expected("one of the two entries")
          .found("entries " + entries.keySet())
          .fix("keep only one of them")
          .build();
    }
    if (npy != null) {
      return Npy.readStrings(npy, src, "entry " + stem + ".npy");
    }
    if (txt != null) {
      List<String> out = new ArrayList<>();
      try {
        StrictUtf8Lines.read(new ByteArrayInputStream(txt), src, "entry " + stem + ".txt",
            (lineNo, line) -> addLine(src, "entry " + stem + ".txt", lineNo, line, out));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out;
    }
    if (required) {
      throw TeacherFormatException.in(src, "file")
          .problem("no " + stem + " entry")
          .expected(stem + ".npy (a '<U' string array) or " + stem + ".txt (one per line)")
          .found("entries " + entries.keySet())
          .fix("numpy.savez(f, probs=p, " + stem + "=numpy.array(" + stem + "))")
          .build();
    }
    return null;
  }

  /** Reads one string per line (ids or label names); blank lines are errors. Returns the sha256. */
  private static String readTextLines(Path file, List<String> out) {
    return StrictUtf8Lines.read(file, (lineNo, line) -> addLine(file.toString(), "", lineNo, line, out));
  }

  private static void addLine(String src, String prefix, int lineNo, String line, List<String> out) {
    if (line.isEmpty()) {
      throw TeacherFormatException.in(src, StrictUtf8Lines.where(prefix, lineNo))
          .problem("blank line")
          .expected("one non-empty entry per line")
          .found("an empty line")
          .fix("remove the blank line (blank lines are ignored only at the end of the file)")
          .build();
    }
    out.add(line);
  }

  private static Map<String, Object> parseMeta(byte[] bytes, String src, String where) {
    try {
      JsonNode node = JsonlTeacherParser.MAPPER.readTree(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      if (node == null || !node.isObject()) {
        throw TeacherFormatException.in(src, where)
            .problem("metadata is not a JSON object")
            .expected("a JSON object {...}")
            .found(node == null ? "nothing" : JsonlTeacherParser.snippet(node.toString()))
            .fix("write the provenance as one JSON object")
            .build();
      }
      return JsonlTeacherParser.MAPPER.convertValue(node, Metadata.MAP_TYPE);
    } catch (JsonProcessingException e) {
      throw TeacherFormatException.in(src, where)
          .problem("malformed JSON metadata (" + e.getOriginalMessage() + ")")
          .expected("a JSON object")
          .found("line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr())
          .fix("write the provenance with json.dump")
          .build(e);
    }
  }

  private static byte[] readAll(Path file) {
    try {
      long size = Files.size(file);
      if (size > Integer.MAX_VALUE - 16) {
        throw TeacherFormatException.in(file.toString(), "file")
            .problem("file too large")
            .expected("less than 2 GiB")
            .found(size + " bytes")
            .fix("split the teacher outputs by split (train/dev/test)")
            .build();
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read teacher file " + file, e);
    }
  }

  private static boolean isEmpty(Path file) {
    return size(file) == 0;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read teacher file " + file, e);
    }
  }
}
