package org.llkd.experiments.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.textfile.TextFileException;

class LabelSetTest {
  @TempDir Path dir;

  @Test
  void readsNamesVerbatimInLineOrder() throws Exception {
    Path f = Files.writeString(dir.resolve("labels.txt"), "study design\nSci/Tech\nSociety & Culture \n",
        StandardCharsets.UTF_8);
    LabelSet labels = LabelSet.read(f);
    assertEquals(List.of("study design", "Sci/Tech", "Society & Culture "), labels.names());
    assertEquals(2, labels.idOf("Society & Culture "));
    assertEquals(-1, labels.idOf("Society & Culture"));
  }

  @Test
  void rejectsDuplicateAndBlankLines() throws Exception {
    Path dup = Files.writeString(dir.resolve("dup.txt"), "a\nb\na\n", StandardCharsets.UTF_8);
    TextFileException e = assertThrows(TextFileException.class, () -> LabelSet.read(dup));
    assertEquals(3, e.line());
    assertEquals("\"a\" already on line 1", e.found());

    Path blank = Files.writeString(dir.resolve("blank.txt"), "a\n\nb\n", StandardCharsets.UTF_8);
    assertEquals(2, assertThrows(TextFileException.class, () -> LabelSet.read(blank)).line());
  }
}
