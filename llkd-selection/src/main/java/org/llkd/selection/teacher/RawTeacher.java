package org.llkd.selection.teacher;

import java.util.List;
import java.util.Map;

/**
 * What a format parser hands to {@link TeacherValidation}: the file's content as found, not yet checked
 * for finiteness, class counts, duplicate ids or row sums.
 *
 * @param file               where the content was read from: path, format, provenance header, hashes
 * @param ids                one per row
 * @param labels             class names in file order (or none) and where they come from
 * @param values             {@code [N][C?]} per-row values; row lengths are checked by the validation
 * @param kind               probabilities or logits
 * @param rows               maps a row index to its place in the file
 * @param idsFromRowOrder    the file has no ids: row i was given the id {@code <split>-<i>} (alignment by row order)
 */
record RawTeacher(
    File file,
    List<String> ids,
    Labels labels,
    double[][] values,
    TeacherValueKind kind,
    RowLocator rows,
    boolean idsFromRowOrder) {

  /**
   * The file read.
   *
   * @param source      the file path as given (for messages)
   * @param format      the format it was parsed as
   * @param metadata    the file's provenance header ({@code _meta}, {@code meta.json}), empty if none
   * @param inputSha256 sha256 of every file read, the main file first
   */
  record File(String source, TeacherFormat format, Map<String, Object> metadata, Map<String, String> inputSha256) {
  }

  /**
   * The class names.
   *
   * @param names    class names in file order, or {@code null} if the file has none
   * @param location where the names come from, for messages ({@code "line 2"}, {@code "header"} ...)
   */
  record Labels(List<String> names, String location) {
  }

  /** A file with its own ids. */
  RawTeacher(File file, List<String> ids, Labels labels, double[][] values, TeacherValueKind kind, RowLocator rows) {
    this(file, ids, labels, values, kind, rows, false);
  }

  /** The file path as given (for messages). */
  String source() {
    return file.source();
  }

  /** The format it was parsed as. */
  TeacherFormat format() {
    return file.format();
  }

  /** The file's provenance header, empty if none. */
  Map<String, Object> metadata() {
    return file.metadata();
  }

  /** sha256 of every file read, the main file first. */
  Map<String, String> inputSha256() {
    return file.inputSha256();
  }

  /** Class names in file order, or {@code null} if the file has none. */
  List<String> labelNames() {
    return labels.names();
  }

  /** Where the names come from, for messages. */
  String labelNamesLocation() {
    return labels.location();
  }
}
