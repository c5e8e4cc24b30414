package org.llkd.selection.teacher;

import java.util.List;
import java.util.Map;

/**
 * What a format parser hands to {@link TeacherValidation}: the file's content as found, not yet checked
 * for finiteness, class counts, duplicate ids or row sums.
 *
 * @param source             the file path as given (for messages)
 * @param format             the format it was parsed as
 * @param ids                one per row
 * @param labelNames         class names in file order, or {@code null} if the file has none
 * @param labelNamesLocation where the names come from, for messages ({@code "line 2"}, {@code "header"} ...)
 * @param values             {@code [N][C?]} per-row values; row lengths are checked by the validation
 * @param kind               probabilities or logits
 * @param rows               maps a row index to its place in the file
 * @param metadata           the file's provenance header ({@code _meta}, {@code meta.json}), empty if none
 * @param inputSha256        sha256 of every file read, the main file first
 * @param idsFromRowOrder    the file has no ids: row i was given the id {@code <split>-<i>} (alignment by row order)
 */
record RawTeacher(
    String source,
    TeacherFormat format,
    List<String> ids,
    List<String> labelNames,
    String labelNamesLocation,
    double[][] values,
    TeacherValueKind kind,
    RowLocator rows,
    Map<String, Object> metadata,
    Map<String, String> inputSha256,
    boolean idsFromRowOrder) {

  RawTeacher(String source, TeacherFormat format, List<String> ids, List<String> labelNames, String labelNamesLocation,
      double[][] values, TeacherValueKind kind, RowLocator rows, Map<String, Object> metadata,
      Map<String, String> inputSha256) {
    this(source, format, ids, labelNames, labelNamesLocation, values, kind, rows, metadata, inputSha256, false);
  }
}
