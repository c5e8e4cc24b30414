package org.llkd.experiments.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.llkd.experiments.textfile.TextFileException;
import org.llkd.models.io.StrictUtf8Reader;
import org.llkd.models.io.StrictUtf8Reader.MalformedUtf8Exception;

/**
 * One streaming pass over a data file before its reader runs, through the project's strict UTF-8 decoder
 * ({@link StrictUtf8Reader}): SHA-256 for provenance, the UTF-8 check, and a non-empty check. Doing it first makes
 * an encoding error win over any format error further up the file, and the hash cover the whole file even when
 * the reader stops early. Memory: two 64 KiB buffers.
 */
final class SourceFile {
  private SourceFile() {}

  /**
   * @param firstLineExpected what the format expects on line 1, for the empty-file message
   * @return the file's SHA-256 as lower-case hex
   * @throws TextFileException on invalid UTF-8 (naming the line and byte offset of the first bad byte) or an empty file
   */
  static String check(Path file, String firstLineExpected) {
    long total;
    String sha256;
    try (InputStream in = Files.newInputStream(file)) {
      StrictUtf8Reader utf8 = new StrictUtf8Reader(in, false);
      total = utf8.drain();
      sha256 = utf8.sha256();
    } catch (MalformedUtf8Exception e) {
      throw TextFileException.invalidUtf8(file.toString(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
    }
    if (total == 0) {
      throw TextFileException.atLine(file, 1, firstLineExpected, "an empty file (0 bytes)",
          "re-export the file; an empty data file is never valid");
    }
    return sha256;
  }
}
