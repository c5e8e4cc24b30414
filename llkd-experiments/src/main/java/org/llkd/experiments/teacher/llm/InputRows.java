package org.llkd.experiments.teacher.llm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.product.TextFileReader;
import org.llkd.experiments.product.TextRow;
import org.llkd.experiments.textfile.TextFileException;

/**
 * The rows to label: ids and texts only (the label column is not even read, so a gold label cannot reach a prompt),
 * the first {@code maxRows} of them, and the input's SHA-256.
 *
 * @param ids    teacher ids: {@code <split>-<row>} (0-based data row), or the id column's values verbatim (any
 *               non-empty, unique string: {@code llkd train --id-column} and {@code teacher check} align on them)
 * @param texts  the texts, in input order
 * @param sha256 of the whole input file
 */
record InputRows(List<String> ids, List<String> texts, String sha256) {
  static InputRows read(LabelJob job) {
    LabelJob.Source source = job.source();
    TextFileReader.Columns cols = new TextFileReader.Columns(source.textColumn(), source.idColumn(), null, false);
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    Map<String, Long> seen = new HashMap<>();
    try (TextFileReader r = TextFileReader.open(job.source().input(), job.source().format(), cols)) {
      while (r.hasNext() && (job.source().maxRows() == null || texts.size() < job.source().maxRows())) {
        TextRow row = r.next();
        String id = job.source().idColumn() == null ? job.source().split() + "-" + row.row() : row.id();
        if (job.source().idColumn() != null && id.isBlank()) {
          throw TextFileException.atRow(job.source().input(), row.row(), row.line(), "a non-empty id in "
              + "column '" + job.source().idColumn() + "'", "an empty cell");
        }
        Long first = seen.putIfAbsent(id, row.row());
        if (first != null) {
          throw TextFileException.atRow(job.source().input(), row.row(), row.line(), "a unique id in column '"
              + job.source().idColumn() + "'", "'" + id + "' again (first on row " + first + ")");
        }
        ids.add(id);
        texts.add(row.text());
      }
    }
    if (texts.isEmpty()) throw TextFileException.inFile(job.source().input(), "at least one row to label", "no rows");
    return new InputRows(List.copyOf(ids), List.copyOf(texts), sha256(Path.of(job.source().input())));
  }

  static String sha256(Path file) {
    return org.llkd.models.io.Sha256.of(file);
  }
}
