package org.llkd.selection.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Test helpers: temp files and the common assertion on error messages. */
final class TeacherTestFiles {
  static final List<String> LABELS = List.of("sadness", "joy", "love");

  private TeacherTestFiles() {}

  static Path text(Path dir, String name, String content) {
    return bytes(dir, name, content.getBytes(StandardCharsets.UTF_8));
  }

  static Path bytes(Path dir, String name, byte[] content) {
    try {
      return Files.write(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path resource(String name) {
    try {
      return Path.of(TeacherTestFiles.class.getResource("/teacher/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code call}, expects a {@link TeacherFormatException} about {@code file} at {@code location}, and
   * checks that its one-paragraph message names the file, the location, and every fragment (expected and
   * found values).
   */
  static TeacherFormatException assertRejects(Path file, String location, Executable call, String... fragments) {
    TeacherFormatException e = assertThrows(TeacherFormatException.class, call);
    String msg = e.getMessage();
    assertTrue(msg.contains(file.getFileName().toString()), () -> "no file name in: " + msg);
    assertEquals(location, e.location(), () -> "location in: " + msg);
    assertTrue(msg.contains(" " + location + ": "), () -> "no location '" + location + "' in: " + msg);
    assertTrue(msg.contains("; expected ") && msg.contains(", found ") && msg.contains(" Fix: "),
        () -> "not the expected/found/fix paragraph: " + msg);
    assertTrue(!msg.contains("\n"), () -> "multi-line message: " + msg);
    for (String f : fragments) {
      assertTrue(msg.contains(f), () -> "missing '" + f + "' in: " + msg);
    }
    return e;
  }
}
