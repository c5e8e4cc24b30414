package org.llkd.selection.teacher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Reads a text file as strict UTF-8 lines in one pass while hashing its bytes.
 *
 * <p>Lines end at {@code \n}; one {@code \r} before it is dropped. A final line without {@code \n} counts;
 * the empty piece after a final {@code \n} does not. Malformed UTF-8 throws with the line and byte column
 * of the first bad byte (a {@link CharsetDecoder} with {@link CodingErrorAction#REPORT}). A UTF-8 byte-order
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
    MessageDigest sha = org.llkd.models.io.Sha256.newDigest();
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
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
    byte[] line = new byte[256];
    int len = 0;
    int lineNo = 1;
    boolean first = true;
    {
      byte[] chunk = new byte[1 << 16];
      int r;
      while ((r = in.read(chunk)) > 0) {
        sha.update(chunk, 0, r);
        for (int i = 0; i < r; i++) {
          byte b = chunk[i];
          if (b == '\n') {
            blanksAtEndDropped.accept(lineNo, decode(src, prefix, decoder, line, len, lineNo, first));
            first = false;
            len = 0;
            lineNo++;
          } else {
            if (len == line.length) {
              line = Arrays.copyOf(line, line.length * 2);
            }
            line[len++] = b;
          }
        }
      }
      if (len > 0) {
        blanksAtEndDropped.accept(lineNo, decode(src, prefix, decoder, line, len, lineNo, first));
      }
    }
    return org.llkd.models.io.Sha256.hex(sha.digest());
  }

  private static String decode(String src, String prefix, CharsetDecoder decoder, byte[] bytes, int len, int lineNo, boolean first) {
    int start = first && len >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF ? 3 : 0; // a UTF-8 byte-order mark: skipped
    int end = len > start && bytes[len - 1] == '\r' ? len - 1 : len;
    ByteBuffer in = ByteBuffer.wrap(bytes, start, end - start);
    CharBuffer out = CharBuffer.allocate(end - start);
    decoder.reset();
    CoderResult res = decoder.decode(in, out, true);
    if (!res.isError()) {
      res = decoder.flush(out);
    }
    if (res.isError()) {
      int pos = in.position();
      StringBuilder bad = new StringBuilder();
      for (int i = pos; i < Math.min(end, pos + Math.max(1, res.length())); i++) {
        bad.append(String.format("%02X ", bytes[i] & 0xFF));
      }
      throw TeacherFormatException.in(src, where(prefix, lineNo))
          .problem("invalid UTF-8 at byte " + (pos + 1) + " of the line")
          .expected("UTF-8 text")
          .found("byte sequence " + bad.toString().trim())
          .fix("re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8), or write it with encoding=\"utf-8\"")
          .build();
    }
    out.flip();
    return out.toString();
  }

  static String where(String prefix, int lineNo) {
    return prefix.isEmpty() ? "line " + lineNo : prefix + " line " + lineNo;
  }
}
