package org.llkd.selection.teacher;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Imports teacher class probabilities from a file in one of the {@link TeacherFormat}s.
 *
 * <p>Import is strict and all-or-nothing: {@link #read} returns a complete {@link TeacherOutputs} that passed
 * every check (format, UTF-8, dtype, shape, ids, label names, finiteness, probability rows) or throws a
 * {@link TeacherFormatException} naming the file, line or row, what was expected, what was found, and a fix.
 * Nothing is defaulted, skipped or repaired. Formats and rules: {@code docs/teacher-formats.md}.
 *
 * <pre>{@code
 * TeacherOutputs t = TeacherOutputReader.read(Path.of("teacher/emotion_llama.jsonl"))
 *     .forSplit("train")
 *     .alignTo(trainIds, labelNames);      // rows in dataset order, classes in label-list order
 * }</pre>
 */
public final class TeacherOutputReader {
  /** Default largest accepted |row sum - 1| for probability input. */
  public static final double DEFAULT_SUM_TOLERANCE = 1e-3;

  /**
   * How to read.
   *
   * @param format       the format, or {@code null} to detect it from the extension
   * @param temperature  softmax temperature for logits ({@code softmax(z / T)}), finite and > 0; must stay 1
   *                     for files that hold probabilities
   * @param sumTolerance largest accepted |row sum - 1| for probabilities, in (0, 0.1]
   */
  public record Options(TeacherFormat format, double temperature, double sumTolerance) {
    public Options {
      checkTemperature(temperature);
      if (!(sumTolerance > 0 && sumTolerance <= 0.1)) {
        throw new IllegalArgumentException("sumTolerance must be in (0, 0.1], got " + sumTolerance);
      }
    }

    /** Format from the extension, temperature 1, tolerance 1e-3. */
    public static Options defaults() {
      return new Options(null, 1.0, DEFAULT_SUM_TOLERANCE);
    }

    /** These options with an explicit format (overrides the extension). */
    public Options withFormat(TeacherFormat f) {
      return new Options(Objects.requireNonNull(f, "format"), temperature, sumTolerance);
    }

    /** These options with a softmax temperature for logits. */
    public Options withTemperature(double t) {
      return new Options(format, t, sumTolerance);
    }

    /** These options with another row-sum tolerance. */
    public Options withSumTolerance(double tol) {
      return new Options(format, temperature, tol);
    }

    static void checkTemperature(double t) {
      if (!(t > 0) || !Double.isFinite(t)) {
        throw new IllegalArgumentException("temperature must be finite and > 0, got " + t);
      }
    }
  }

  private TeacherOutputReader() {}

  /** Reads {@code file} with {@link Options#defaults()}. */
  public static TeacherOutputs read(Path file) {
    return read(file, Options.defaults());
  }

  /**
   * Reads an NPY teacher ({@code [N, C]} probabilities, optional {@code .labels.txt} / {@code .meta.json} sidecars);
   * without a {@code .ids.txt} sidecar, row i is sample {@code <split>-<i>}: alignment by row order, so the caller
   * must check that the row count equals its data's. With the sidecar this is {@link #read(Path)}.
   */
  public static TeacherOutputs readNpyByRowOrder(Path file, String split) {
    Objects.requireNonNull(file, "file");
    if (split == null || split.isEmpty() || split.contains("-")) {
      throw new IllegalArgumentException("split must be a non-empty name without '-', got " + split);
    }
    if (!Files.isRegularFile(file)) {
      throw new UncheckedIOException(new NoSuchFileException(file.toString(), null, "no such teacher file"));
    }
    Options o = Options.defaults();
    return TeacherOutputs.fromRaw(NpyTeacherParser.parseNpy(file, split), o.temperature(), o.sumTolerance());
  }

  /**
   * Reads a user's own teacher file ({@code llkd train}, {@code llkd teacher check}), checked by every rule of
   * {@link #read(Path)} except the id form: an id may be any non-empty string (a value of the train file's id column)
   * or an integral JSON number / integer NPZ array (written as its decimal text), still unique. An NPY without an
   * {@code .ids.txt} sidecar or an NPZ without an ids entry gets the ids {@code <rowOrderSplit>-<i>} and
   * {@link TeacherOutputs#idsFromRowOrder()} true: the caller aligns it by row order and must check the row count.
   */
  public static TeacherOutputs readUserFile(Path file, String rowOrderSplit) {
    Objects.requireNonNull(file, "file");
    if (rowOrderSplit == null || rowOrderSplit.isEmpty() || rowOrderSplit.contains("-")) {
      throw new IllegalArgumentException("split must be a non-empty name without '-', got " + rowOrderSplit);
    }
    TeacherFormat format = TeacherFormat.detect(file);
    if (!Files.isRegularFile(file)) {
      throw new UncheckedIOException(new NoSuchFileException(file.toString(), null, "no such teacher file"));
    }
    RawTeacher raw = switch (format) {
      case JSONL -> JsonlTeacherParser.parse(file, true);
      case NPY -> NpyTeacherParser.parseNpy(file, rowOrderSplit);
      case NPZ -> NpyTeacherParser.parseNpz(file, rowOrderSplit);
      case CSV, TSV -> DelimitedTeacherParser.parse(file, format);
    };
    Options o = Options.defaults();
    return TeacherOutputs.fromRaw(raw, o.temperature(), o.sumTolerance(), true);
  }

  /**
   * Reads and validates {@code file}.
   *
   * @throws TeacherFormatException if the file breaks its format or the validation rules
   * @throws UncheckedIOException   if it cannot be read at all (missing, permissions)
   */
  public static TeacherOutputs read(Path file, Options options) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    TeacherFormat format = options.format() != null ? options.format() : TeacherFormat.detect(file);
    if (!Files.isRegularFile(file)) {
      throw new UncheckedIOException(new NoSuchFileException(file.toString(), null, "no such teacher file"));
    }
    RawTeacher raw = switch (format) {
      case JSONL -> JsonlTeacherParser.parse(file);
      case NPY -> NpyTeacherParser.parseNpy(file);
      case NPZ -> NpyTeacherParser.parseNpz(file);
      case CSV, TSV -> DelimitedTeacherParser.parse(file, format);
    };
    return TeacherOutputs.fromRaw(raw, options.temperature(), options.sumTolerance());
  }
}
