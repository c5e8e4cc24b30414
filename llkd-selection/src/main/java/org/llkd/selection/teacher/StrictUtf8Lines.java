package org.llkd.selection.teacher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.llkd.models.io.StrictUtf8Reader;

/**
 * Reads a text file as strict UTF-8 lines in one pass while hashing its bytes, through the project's one strict
 * UTF-8 decoder ({@link StrictUtf8Reader}, which also hashes); this class adds the teacher formats' line rules and
 * error message.
 *
 * <p>Lines end at {@code \n}; one {@code \r} before it is dropped. A final line without {@code \n} counts;
 * the empty piece after a final {@code \n} does not. Malformed UTF-8 throws with the line and byte column
 * of the first bad byte. A UTF-8 byte-order
 * mark (what Windows tools and Python's {@code utf-8-sig} write) is skipped; the hash still covers it. Blank
 * (empty or whitespace-only) lines at the end of the file are dropped, as editors and pandas leave them; a blank
 * line followed by more lines is handed to the consumer, whose format decides (every teacher format refuses it).
 */
final class StrictUtf8Lines {
  /** Receives each decoded line; {@code lineNo} is 1-based. */
  interface LineConsumer {
    void accept(int lineNo, String line);
  }

  private StrictUtf8Lines() {}

  /** Feeds every line of {@code file} to {@code consumer}; returns the file's sha256 (hex). */
  static String read(Path file, LineConsumer consumer) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), "", consumer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read teacher file " + file, e);
    }
  }

  /**
   * Feeds every line of {@code in} to {@code consumer}; returns the sha256 (hex) of its bytes.
   *
   * @param src    the file named in errors
   * @param prefix put before {@code "line N"} in errors (e.g. {@code "entry ids.txt"}), or empty
   */
  static String read(InputStream in, String src, String prefix, LineConsumer consumer) throws IOException {
    LineConsumer blanksAtEndDropped = new LineConsumer() {
      private int pendingNo = -1;       // first blank line since the last non-blank one
      private String pending;

      @Override public void accept(int lineNo, String text) {
        if (text.isBlank()) {
          if (pendingNo < 0) {
            pendingNo = lineNo;
            pending = text;
          }
          return;
        }
        if (pendingNo >= 0) {
          consumer.accept(pendingNo, pending); // a blank line between rows: the format's own error
          pendingNo = -1;
        }
        consumer.accept(lineNo, text);
      }
    };
    StrictUtf8Reader utf8 = new StrictUtf8Reader(in, true);
    int lineNo = 1;
    try {
      for (String line; (line = utf8.readLine()) != null; lineNo++) {
        blanksAtEndDropped.accept(lineNo, line);
      }
    } catch (StrictUtf8Reader.MalformedUtf8Exception e) {
      throw TeacherFormatException.in(src, where(prefix, (int) e.line()))
          .problem("invalid UTF-8 at byte " + (e.byteInLine() + 1) + " of the line")
          .expected("UTF-8 text")
          .found("byte sequence " + e.hexBytes())
          .fix("re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8), or write it with encoding=\"utf-8\"")
          .build();
    }
    return utf8.sha256();
  }

  static String where(String prefix, int lineNo) {
    return prefix.isEmpty() ? "line " + lineNo : prefix + " line " + lineNo;
  }
}
