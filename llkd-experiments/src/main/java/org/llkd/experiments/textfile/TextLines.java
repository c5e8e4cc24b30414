package org.llkd.experiments.textfile;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.llkd.models.io.StrictUtf8Reader;
import org.llkd.models.io.StrictUtf8Reader.MalformedUtf8Exception;

/**
 * The lines of one strict UTF-8 text file, streamed, each with its 1-based line number. A line ends at {@code \n},
 * {@code \r\n} or a lone {@code \r} ({@link BufferedReader#readLine()}); a final line without terminator counts, the
 * empty piece after a final terminator does not; empty lines are returned (the format decides what they mean).
 * Malformed UTF-8 is a {@link TextFileException} at the line of the bad byte, thrown when that line is reached.
 */
public final class TextLines implements Closeable {
  /** One physical line without its terminator. */
  public record Line(long number, String text) {}

  private final String name;
  private final StrictUtf8Reader utf8;
  private final BufferedReader reader;
  private long number;
  private Line next;

  private TextLines(String name, InputStream in, boolean skipByteOrderMark) {
    this.name = name;
    this.utf8 = new StrictUtf8Reader(in, skipByteOrderMark);
    this.reader = new BufferedReader(utf8, 1 << 16);
  }

  /**
   * Opens {@code file}.
   *
   * @param skipByteOrderMark drop a leading UTF-8 byte-order mark (else it is the first character of line 1)
   */
  public static TextLines open(Path file, boolean skipByteOrderMark) {
    try {
      return new TextLines(file.toString(), Files.newInputStream(file), skipByteOrderMark);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads {@code in}, named {@code name} in errors. */
  public static TextLines of(String name, InputStream in, boolean skipByteOrderMark) {
    return new TextLines(name, in, skipByteOrderMark);
  }

  public boolean hasNext() {
    if (next == null) {
      String text = readLine();
      if (text != null) next = new Line(++number, text);
    }
    return next != null;
  }

  public Line next() {
    if (!hasNext()) throw new NoSuchElementException("no line after line " + number + " of " + name);
    Line l = next;
    next = null;
    return l;
  }

  private String readLine() {
    try {
      return reader.readLine();
    } catch (MalformedUtf8Exception e) {
      throw TextFileException.invalidUtf8(name, e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + name + ": " + e.getMessage(), e);
    }
  }

  /** SHA-256 (lower-case hex) of the file's bytes: of the whole file once {@link #hasNext()} returned false. */
  public String sha256() {
    return utf8.sha256();
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not close " + name + ": " + e.getMessage(), e);
    }
  }
}
