package org.llkd.models.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The project's one strict UTF-8 decoder: a {@link Reader} over a byte stream that refuses malformed UTF-8 (never
 * replaces it with U+FFFD, as {@code InputStreamReader} does) and hashes every byte it reads (SHA-256, for
 * provenance). Every text reader builds on it: the dataset readers, the reader of users' files, the teacher readers.
 *
 * <p>A malformed byte sequence is reported as a {@link MalformedUtf8Exception} naming its line (1 + the number of
 * {@code \n} bytes before it; {@code \n} never occurs inside a multi-byte sequence), its byte offset in the stream and
 * in its line, and its bytes. It is thrown only when the caller reads up to it: every character before the bad
 * bytes is delivered first, so a format error earlier in the file is still reported first. Memory: one 64 KiB byte
 * buffer and one 64 KiB char buffer.
 */
public final class StrictUtf8Reader extends Reader {
  /** A malformed UTF-8 byte sequence: where it is and what it holds. */
  public static final class MalformedUtf8Exception extends CharacterCodingException {
    private static final long serialVersionUID = 1L;

    private final long line;
    private final long byteOffset;
    private final long byteInLine;
    private final byte[] bytes;

    MalformedUtf8Exception(long line, long byteOffset, long byteInLine, byte[] bytes) {
      this.line = line;
      this.byteOffset = byteOffset;
      this.byteInLine = byteInLine;
      this.bytes = bytes.clone();
    }

    /** 1-based line of the first bad byte (lines end at {@code \n}). */
    public long line() { return line; }

    /** 0-based offset of the first bad byte in the stream (a byte-order mark counts). */
    public long byteOffset() { return byteOffset; }

    /** 0-based offset of the first bad byte in its line. */
    public long byteInLine() { return byteInLine; }

    /** The malformed sequence (at least one byte). */
    public byte[] bytes() { return bytes.clone(); }

    /** The first bad byte, 0..255. */
    public int firstByte() { return bytes[0] & 0xFF; }

    /** The bad bytes as upper-case hex pairs separated by spaces, e.g. {@code "E9"} or {@code "F0 9F"}. */
    public String hexBytes() {
      StringBuilder sb = new StringBuilder();
      for (byte b : bytes) {
        if (sb.length() > 0) sb.append(' ');
        sb.append(String.format("%02X", b & 0xFF));
      }
      return sb.toString();
    }

    @Override public String getMessage() {
      return "invalid UTF-8 byte sequence " + hexBytes() + " on line " + line + " at byte offset " + byteOffset;
    }
  }

  private static final int CHUNK = 1 << 16;

  private final InputStream in;
  private final MessageDigest sha = Sha256.newDigest();
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] chunk = new byte[CHUNK];
  private final ByteBuffer bytes = ByteBuffer.allocate(CHUNK + 8);     // undecoded bytes, write mode
  private final CharBuffer chars = CharBuffer.allocate(CHUNK + 8);     // decoded, not yet delivered, read mode
  private boolean skipByteOrderMark;
  private boolean eof;         // the stream is exhausted
  private boolean finished;    // ... and the decoder flushed
  private MalformedUtf8Exception pending;
  private long offset;         // stream offset of bytes[0]
  private long line = 1;       // line of bytes[0]
  private long lineStart;      // stream offset of the first byte of that line
  private long total;

  /**
   * @param in                the bytes; closed by {@link #close()}
   * @param skipByteOrderMark drop a leading UTF-8 byte-order mark (EF BB BF) from the characters (it is still hashed
   *                          and counted in byte offsets)
   */
  public StrictUtf8Reader(InputStream in, boolean skipByteOrderMark) {
    this.in = in;
    this.skipByteOrderMark = skipByteOrderMark;
    chars.flip();
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (len == 0) return 0;
    while (!chars.hasRemaining()) {
      if (pending != null) throw pending;
      if (finished) return -1;
      fill();
    }
    int n = Math.min(len, chars.remaining());
    chars.get(cbuf, off, n);
    return n;
  }

  /**
   * The next line without its terminator, or null at the end: lines end at {@code \n}, one {@code \r} before it (or
   * at the end of the stream) is dropped; a final line without {@code \n} counts, the empty piece after a final
   * {@code \n} does not. (The teacher formats' rule; {@link java.io.BufferedReader#readLine()} also ends lines at a
   * lone {@code \r}.)
   */
  public String readLine() throws IOException {
    StringBuilder sb = null;
    while (true) {
      while (!chars.hasRemaining()) {
        if (pending != null) throw pending;
        if (finished) return sb == null || sb.length() == 0 ? null : dropCr(sb);
        fill();
      }
      int start = chars.position();
      int end = chars.limit();
      char[] a = chars.array();
      for (int i = start; i < end; i++) {
        if (a[i] == '\n') {
          if (sb == null) sb = new StringBuilder(i - start);
          sb.append(a, start, i - start);
          chars.position(i + 1);
          return dropCr(sb);
        }
      }
      if (sb == null) sb = new StringBuilder(Math.max(16, end - start));
      sb.append(a, start, end - start);
      chars.position(end);
    }
  }

  private static String dropCr(StringBuilder sb) {
    int n = sb.length();
    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
  }

  /** Reads to the end of the stream, decoding (and so checking) every byte; returns the number of bytes. */
  public long drain() throws IOException {
    while (true) {
      chars.position(chars.limit());
      if (pending != null) throw pending;
      if (finished) return total;
      fill();
    }
  }

  /** Decodes the next chunk into {@link #chars}; called only when every decoded character was delivered. */
  private void fill() throws IOException {
    if (!eof) {
      int n = in.read(chunk, 0, Math.min(chunk.length, bytes.remaining()));
      if (n < 0) {
        eof = true;
      } else if (n > 0) {
        sha.update(chunk, 0, n);
        bytes.put(chunk, 0, n);
        total += n;
      }
    }
    bytes.flip();
    if (skipByteOrderMark) {
      if (bytes.remaining() < 3 && !eof) { // wait for three bytes (or the end) to decide
        bytes.compact();
        return;
      }
      skipByteOrderMark = false;
      if (bytes.remaining() >= 3 && (bytes.get(0) & 0xFF) == 0xEF && (bytes.get(1) & 0xFF) == 0xBB
          && (bytes.get(2) & 0xFF) == 0xBF) {
        bytes.position(3);
      }
    }
    chars.clear();
    int from = bytes.position();
    CoderResult r = utf8.decode(bytes, chars, eof);
    if (eof && !r.isError()) {
      r = utf8.flush(chars);
      finished = true;
    }
    for (int i = from; i < bytes.position(); i++) {
      if (bytes.get(i) == '\n') {
        line++;
        lineStart = offset + i + 1;
      }
    }
    if (r.isError()) {
      int at = bytes.position();
      byte[] bad = new byte[Math.max(1, Math.min(r.length(), bytes.limit() - at))];
      for (int i = 0; i < bad.length; i++) bad[i] = bytes.get(at + i);
      pending = new MalformedUtf8Exception(line, offset + at, offset + at - lineStart, bad);
      finished = true;
    }
    offset += bytes.position();
    bytes.compact();
    chars.flip();
  }

  /** SHA-256 (lower-case hex) of the bytes read so far: of the whole stream once {@link #read} returned -1. */
  public String sha256() {
    try {
      return Sha256.hex(((MessageDigest) sha.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  /** Bytes read from the stream so far. */
  public long bytesRead() {
    return total;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
