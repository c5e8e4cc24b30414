package org.llkd.selection.teacher;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes teacher outputs in the canonical JSONL format or as NPY with sidecars, in exactly the layout
 * {@link TeacherOutputReader} reads.
 *
 * <p>Every file is written atomically: to a temporary file in the target directory, flushed to disk, then
 * renamed over the target, so a reader never sees a half-written file. For NPY the sidecars are renamed
 * first and the array last; a set interrupted between renames is caught by the reader's id-count check.
 */
public final class TeacherOutputWriter {
  /** Element type of a written .npy array. */
  public enum NpyDtype {
    /** {@code <f4}: half the size; probabilities keep ~7 significant digits. */
    FLOAT32(Npy.FloatDtype.F4),
    /** {@code <f8}: exact round trip of the doubles. */
    FLOAT64(Npy.FloatDtype.F8);

    final Npy.FloatDtype npy;

    NpyDtype(Npy.FloatDtype npy) {
      this.npy = npy;
    }
  }

  private TeacherOutputWriter() {}

  /**
   * Writes {@code t} as JSONL: a {@code {"_meta": ...}} header line if {@link TeacherOutputs#metadata()} is
   * non-empty, then one {@code {"id", "probs", "label_names"?}} line per row ({@code label_names} on every
   * line when the table has names). Doubles are written in their shortest round-trip form.
   */
  public static void writeJsonl(TeacherOutputs t, Path file) {
    writeJsonlRows(file, t.ids(), t.labelNames(), t.probs(), "probs", t.metadata());
  }

  /**
   * Writes raw logits {@code [N][C]} as JSONL with a {@code "logits"} key (the reader applies the softmax,
   * with its temperature option). The values are first checked as {@link TeacherOutputs#ofLogits} would.
   */
  public static void writeJsonlLogits(List<String> ids, List<String> labelNames, double[][] logits,
      Map<String, Object> metadata, Path file) {
    writeJsonlLogits(ids, labelNames, logits, metadata, file, false);
  }

  /**
   * As above; with {@code freeIds} the ids are a user file's id column (any non-empty, unique strings), checked as
   * {@link TeacherOutputReader#readUserFile} reads them back.
   */
  public static void writeJsonlLogits(List<String> ids, List<String> labelNames, double[][] logits,
      Map<String, Object> metadata, Path file, boolean freeIds) {
    TeacherOutputs.ofLogits(ids, labelNames, logits, 1.0, metadata, freeIds); // same checks as on import
    List<String> names = labelNames == null ? List.of() : labelNames;
    writeJsonlRows(file, ids, names, logits, "logits", metadata);
  }

  private static void writeJsonlRows(Path file, List<String> ids, List<String> names, double[][] values, String key,
      Map<String, Object> metadata) {
    checkNames(file, names);
    atomicWrite(file, out -> {
      Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      if (!metadata.isEmpty()) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("_meta", metadata);
        w.write(JsonlTeacherParser.MAPPER.writeValueAsString(head));
        w.write('\n');
      }
      for (int i = 0; i < ids.size(); i++) {
        java.io.StringWriter line = new java.io.StringWriter();
        try (JsonGenerator g = JsonlTeacherParser.MAPPER.getFactory().createGenerator(line)) {
          g.writeStartObject();
          g.writeStringField("id", ids.get(i));
          g.writeArrayFieldStart(key);
          for (double v : values[i]) {
            g.writeNumber(v);
          }
          g.writeEndArray();
          if (!names.isEmpty()) {
            g.writeArrayFieldStart("label_names");
            for (String n : names) {
              g.writeString(n);
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        }
        w.write(line.toString());
        w.write('\n');
      }
      w.flush();
    });
  }

  /**
   * Writes {@code t}'s probabilities as {@code file} ({@code [N, C]}, {@code dtype}) with the sidecars
   * {@code <file>.ids.txt} (always), {@code <file>.labels.txt} (if the table has label names) and
   * {@code <file>.meta.json} (if it has metadata). A stale optional sidecar from an earlier write is deleted.
   */
  public static void writeNpy(TeacherOutputs t, Path file, NpyDtype dtype) {
    checkNames(file, t.labelNames());
    Path ids = file.resolveSibling(NpyTeacherParser.idsSidecar(file));
    Path labels = file.resolveSibling(NpyTeacherParser.labelsSidecar(file));
    Path meta = file.resolveSibling(NpyTeacherParser.metaSidecar(file));
    List<Path[]> staged = new ArrayList<>(); // {tmp, target}
    try {
      staged.add(new Path[] {stage(ids, out -> out.write(lines(t.ids()))), ids});
      if (t.hasLabelNames()) {
        staged.add(new Path[] {stage(labels, out -> out.write(lines(t.labelNames()))), labels});
      }
      if (!t.metadata().isEmpty()) {
        staged.add(new Path[] {stage(meta, out -> out.write(
            JsonlTeacherParser.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(t.metadata()))), meta});
      }
      byte[] npy = Npy.writeMatrix(t.probs(), t.numClasses(), dtype.npy);
      staged.add(new Path[] {stage(file, out -> out.write(npy)), file});
      if (!t.hasLabelNames()) {
        Files.deleteIfExists(labels);
      }
      if (t.metadata().isEmpty()) {
        Files.deleteIfExists(meta);
      }
      for (Path[] p : staged) {
        Files.move(p[0], p[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write teacher outputs to " + file, e);
    } finally {
      for (Path[] p : staged) {
        try {
          Files.deleteIfExists(p[0]);
        } catch (IOException ignored) {
          // best effort: the temporary file is named .<target>.*.tmp
        }
      }
    }
  }

  private static byte[] lines(List<String> items) {
    StringBuilder sb = new StringBuilder();
    for (String s : items) {
      sb.append(s).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void checkNames(Path file, List<String> names) {
    for (int k = 0; k < names.size(); k++) {
      String n = names.get(k);
      if (n.indexOf('\n') >= 0 || n.indexOf('\r') >= 0) {
        throw TeacherFormatException.in(file.toString(), "label names")
            .problem("label name " + k + " contains a line break")
            .expected("names without CR/LF (text sidecars hold one name per line)")
            .found(JsonlTeacherParser.snippet(n))
            .fix("rename the class")
            .build();
      }
    }
  }

  /** Body of a file write. */
  @FunctionalInterface
  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  private static void atomicWrite(Path target, Body body) {
    Path tmp = null;
    try {
      tmp = stage(target, body);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write teacher outputs to " + target, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  /** Writes {@code body} to a new temporary file beside {@code target}, forced to disk; returns its path. */
  private static Path stage(Path target, Body body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.WRITE))) {
        body.write(out);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      return tmp;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }
}
