package org.llkd.experiments.data;

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

/**
 * One streaming pass over a data file before its reader runs: SHA-256 for provenance, a strict UTF-8
 * check (DataVec's {@code LineRecordReader} decodes through an {@code InputStreamReader}, which silently
 * replaces malformed bytes with U+FFFD), and a non-empty check. Memory: one 64 KiB buffer.
 */
final class SourceFile {
  private SourceFile() {}

  /**
   * @param firstLineExpected what the format expects on line 1, for the empty-file message
   * @return the file's SHA-256 as lower-case hex
   */
  static String check(Path file, String firstLineExpected) {
    MessageDigest sha = org.llkd.models.io.Sha256.newDigest();
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    byte[] chunk = new byte[1 << 16];
    ByteBuffer in = ByteBuffer.allocate((1 << 16) + 8);
    CharBuffer out = CharBuffer.allocate((1 << 16) + 8);
    long line = 1;        // 1-based line of the next undecoded byte
    long offset = 0;      // file offset of in[0]
    long total = 0;
    try (InputStream is = Files.newInputStream(file)) {
      boolean eof = false;
      while (!eof) {
        int n = is.read(chunk, 0, Math.min(chunk.length, in.remaining()));
        eof = n < 0;
        if (n > 0) {
          sha.update(chunk, 0, n);
          in.put(chunk, 0, n);
          total += n;
        }
        in.flip();
        CoderResult r = utf8.decode(in, out, eof);
        if (eof && !r.isError()) {
          r = utf8.flush(out);
        }
        // '\n' (0x0A) never occurs inside a multi-byte UTF-8 sequence, so counting bytes counts lines.
        for (int i = 0; i < in.position(); i++) {
          if (in.get(i) == '\n') {
            line++;
          }
        }
        if (r.isError()) {
          int bad = in.get(in.position()) & 0xFF;
          throw new DatasetFormatException(file, line, "UTF-8 text",
              String.format("invalid UTF-8 byte 0x%02X at byte offset %d", bad, offset + in.position()),
              "re-encode the file as UTF-8 (e.g. iconv -f <source-encoding> -t UTF-8)");
        }
        offset += in.position();
        in.compact();
        out.clear();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
    }
    if (total == 0) {
      throw new DatasetFormatException(file, 1, firstLineExpected, "an empty file (0 bytes)",
          "re-export the file; an empty data file is never valid");
    }
    return org.llkd.models.io.Sha256.hex(sha.digest());
  }
}
