package org.llkd.experiments.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.textfile.TextFileException;
import org.llkd.experiments.textfile.TextLines;

/**
 * The class names of a dataset in class-id order (id = index in {@link #names()} = 0-based line of
 * {@code labels.txt}). Names may contain spaces, {@code &} or {@code /}, never a TAB or a line break.
 */
public record LabelSet(List<String> names) {
  public LabelSet {
    names = List.copyOf(names);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a label set needs at least one class name");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n.isBlank() || n.indexOf('\t') >= 0 || n.indexOf('\n') >= 0 || n.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("class " + i + ": name must be non-blank without TAB/CR/LF, got '" + n + "'");
      }
      Integer prev = seen.put(n, i);
      if (prev != null) {
        throw new IllegalArgumentException("class name '" + n + "' appears twice, as class " + prev + " and " + i);
      }
    }
  }

  public static LabelSet of(String... names) {
    return new LabelSet(List.of(names));
  }

  /**
   * Reads {@code labels.txt}: UTF-8, one class name per line, no blank lines, no duplicates.
   *
   * @throws TextFileException naming the file and line of the first problem
   */
  public static LabelSet read(Path labelsTxt) {
    SourceFile.check(labelsTxt, "one class name per line");
    List<String> names = new java.util.ArrayList<>();
    Map<String, Long> firstLine = new HashMap<>();
    try (TextLines lines = TextLines.open(labelsTxt, false)) {
      while (lines.hasNext()) {
        TextLines.Line l = lines.next();
        if (l.text().isBlank()) {
          throw TextFileException.atLine(labelsTxt, l.number(), "a class name", "a blank line",
              "remove blank lines from labels.txt (class ids are line numbers)");
        }
        Long prev = firstLine.put(l.text(), l.number());
        if (prev != null) {
          throw TextFileException.atLine(labelsTxt, l.number(), "a class name not listed before",
              TextFileException.quote(l.text()) + " already on line " + prev, "remove the duplicate line");
        }
        names.add(l.text());
      }
    }
    return new LabelSet(names);
  }

  public int size() {
    return names.size();
  }

  public String name(int id) {
    if (id < 0 || id >= names.size()) {
      throw new IndexOutOfBoundsException("class id " + id + " outside [0, " + names.size() + ")");
    }
    return names.get(id);
  }

  /** The class id of {@code name}, or -1 if it is not in this set. */
  public int idOf(String name) {
    return names.indexOf(name);
  }
}
