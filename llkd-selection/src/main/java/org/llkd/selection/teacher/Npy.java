package org.llkd.selection.teacher;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small reader and writer for the NumPy {@code .npy} format (versions 1.0, 2.0, 3.0), restricted to what
 * teacher files need: float32/float64 matrices {@code [N, C]} in either byte order ({@code <f4 <f8 >f4 >f8}) and
 * either memory order (C, or Fortran = column-major), and little-endian unicode {@code <U n} (or integer) vectors
 * {@code [N]}. Everything numpy.save writes for such arrays is read; the writer writes C-order little-endian.
 *
 * <p>Layout: magic {@code \x93NUMPY}, major and minor version bytes, header length (uint16 LE in v1, uint32
 * LE in v2/v3), an ASCII (v3: UTF-8) Python dict literal such as
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }} padded with spaces and ending in
 * {@code \n}, then the raw data. See numpy/lib/format.py.
 *
 * <p><b>ND4J and this class.</b> The header is always parsed and checked here first (the messages are part of
 * the teacher-format contract). The data of a checked matrix is then decoded by ND4J
 * ({@link Nd4j#createNpyFromByteArray}) when the file is exactly what {@code numpy.save} writes for that
 * case: format 1.0, the canonical header dict {@code {'descr': '<f4'|'<f8', 'fortran_order': False,
 * 'shape': (N, C), }}, N, C &gt; 0, and the exact data length. Everything else stays here, because ND4J
 * 1.0.0-M2.1's native reader (libnd4j {@code cnpy.cpp}) cannot do it; {@code NpyNd4jDelegationTest} pins
 * each of these behaviours:
 * <ul>
 *   <li>big-endian {@code >f4}/{@code >f8}: the native reader fails {@code assert(littleEndian)} and aborts
 *       the JVM (exit 134). Decoded here ({@link #decodeOwn}, the header's byte order);
 *   <li>Fortran order: ND4J ignores {@code fortran_order} and returns the data read in C order, i.e. wrong
 *       values with the right shape. Decoded here (column-major: value (i, k) is element {@code k * N + i});
 *   <li>format 2.0/3.0 headers: ND4J throws "Pointer doesn't look like a NumPy header"; decoded here;
 *   <li>valid but non-canonical header dicts (no spaces after ':', keys in another order): the native parser
 *       reads at fixed offsets and aborts the JVM (assertion or SIGSEGV); decoded here;
 *   <li>{@code <U n} string arrays (the ids/label names of NPZ bundles): SIGSEGV in the native reader;
 *       decoded here ({@link #readStrings});
 *   <li>empty arrays (N or C = 0): trivially built here;
 *   <li>NPZ bundles: {@code Nd4j.createFromNpzFile(File)} needs a file and would hand the {@code <U} entries
 *       to the same native reader, so {@link NpyTeacherParser} unpacks the zip itself;
 *   <li>truncated files and malformed headers are never given to ND4J (a native reader fed a length or
 *       header it trusts can crash the JVM); they are reported by the checks here.
 * </ul>
 */
final class Npy {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** Float dtypes the writer can produce. */
  enum FloatDtype {
    F4("<f4", 4),
    F8("<f8", 8);

    final String descr;
    final int size;

    FloatDtype(String descr, int size) {
      this.descr = descr;
      this.size = size;
    }
  }

  /**
   * A parsed header; {@code dataOffset} is where the array data starts in the file; {@code numpySaveForm}:
   * format 1.0 with the header dict exactly as numpy.save writes it (the only headers ND4J's reader parses).
   */
  record Header(String descr, boolean fortranOrder, long[] shape, int dataOffset, boolean numpySaveForm) {}

  private Npy() {}

  // ---------------------------------------------------------------- reading

  /** Parses and checks the header of {@code bytes} (a whole .npy file). */
  static Header header(byte[] bytes, String src, String prefix) {
    String where = prefix.isEmpty() ? "header" : prefix + " header";
    if (bytes.length == 0) {
      throw err(src, where, "empty file", "an NPY file (magic \\x93NUMPY)", "0 bytes",
          "check that the teacher export finished");
    }
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
      throw err(src, where, "not an NPY file", "the magic bytes 93 4E 55 4D 50 59 (\\x93NUMPY)",
          "first bytes " + hexPrefix(bytes, 6), "write the array with numpy.save");
    }
    int major = bytes[6] & 0xFF;
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw truncatedHeader(src, where, 12, bytes.length);
      }
      long len = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
      if (len > Integer.MAX_VALUE - 12) {
        throw truncatedHeader(src, where, len + 12, bytes.length);
      }
      headerLen = (int) len;
      start = 12;
    } else {
      throw err(src, where, "unsupported NPY format version", "version 1.0, 2.0 or 3.0",
          "version " + major + "." + (bytes[7] & 0xFF), "write the array with numpy.save");
    }
    if ((long) start + headerLen > bytes.length) {
      throw truncatedHeader(src, where, (long) start + headerLen, bytes.length);
    }
    String dict = new String(bytes, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Header h = new DictParser(dict, src, where).parse(start + headerLen);
    boolean numpySaveForm = major == 1 && !h.fortranOrder() && h.descr().startsWith("<")
        && dict.endsWith("\n") && dict.stripTrailing().equals(canonicalDict(h.descr(), h.shape()));
    return new Header(h.descr(), h.fortranOrder(), h.shape(), h.dataOffset(), numpySaveForm);
  }

  /** Reads a {@code [N, C]} {@code <f4}/{@code <f8} matrix. */
  static double[][] readMatrix(byte[] bytes, String src, String prefix) {
    Header h = header(bytes, src, prefix);
    String where = prefix.isEmpty() ? "header" : prefix + " header";
    int size = floatSize(h.descr(), src, where);
    if (h.shape().length != 2) {
      throw err(src, where, "wrong array rank", "a 2-D array [N, C] (rows = samples, columns = classes)",
          "shape " + shapeString(h.shape()), "reshape to [num_samples, num_classes] before saving");
    }
    long n = h.shape()[0];
    long c = h.shape()[1];
    long expectedBytes = n * c * size;
    long dataBytes = bytes.length - (long) h.dataOffset();
    if (n * c > Integer.MAX_VALUE - 8) {
      throw err(src, where, "array too large", "at most " + (Integer.MAX_VALUE - 8) + " values",
          "shape " + shapeString(h.shape()), "split the teacher file");
    }
    if (dataBytes < expectedBytes) {
      long rowBytes = Math.max(1, c * size);
      long firstIncomplete = dataBytes / rowBytes;
      throw err(src, RowLocator.arrayRows(prefix).at((int) Math.min(firstIncomplete, Integer.MAX_VALUE)),
          "truncated NPY data (rows from here on are missing or incomplete)",
          expectedBytes + " data bytes for shape " + shapeString(h.shape()) + " " + h.descr(),
          dataBytes + " bytes",
          "the file was cut short (interrupted copy or write); export it again");
    }
    if (dataBytes > expectedBytes) {
      throw err(src, where, "trailing bytes after the array data",
          expectedBytes + " data bytes for shape " + shapeString(h.shape()) + " " + h.descr(),
          dataBytes + " bytes", "write the file with numpy.save and nothing appended");
    }
    return h.numpySaveForm() && n > 0 && c > 0 ? decodeWithNd4j(bytes, h) : decodeOwn(bytes, h, size);
  }

  /** Decodes a checked numpy.save-form {@code <f4}/{@code <f8} [N, C] file (N, C &gt; 0) with ND4J. */
  static double[][] decodeWithNd4j(byte[] bytes, Header h) {
    INDArray a = Nd4j.createNpyFromByteArray(bytes);
    DataType want = h.descr().equals("<f4") ? DataType.FLOAT : DataType.DOUBLE;
    if (a.dataType() != want || !Arrays.equals(a.shape(), h.shape())) {
      throw new IllegalStateException("ND4J read " + a.dataType() + " " + Arrays.toString(a.shape()) + " from a checked "
          + h.descr() + " " + shapeString(h.shape()) + " NPY file");
    }
    return a.toDoubleMatrix(); // [N][C]
  }

  /**
   * Decodes the data of a checked {@code <f4 <f8 >f4 >f8} [N, C] file that ND4J cannot read: the byte order from
   * the descr's first character, C order (row-major: (i, k) at {@code i * C + k}) or Fortran order (column-major:
   * (i, k) at {@code k * N + i}) from {@code fortran_order}.
   */
  static double[][] decodeOwn(byte[] bytes, Header h, int size) {
    int n = (int) h.shape()[0];
    int c = (int) h.shape()[1];
    ByteOrder order = h.descr().charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer buf = ByteBuffer.wrap(bytes, h.dataOffset(), n * c * size).slice().order(order);
    double[][] out = new double[n][c]; // [N][C]
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c; k++) {
        int at = (h.fortranOrder() ? k * n + i : i * c + k) * size; // byte offset of element (i, k)
        out[i][k] = size == 4 ? buf.getFloat(at) : buf.getDouble(at);
      }
    }
    return out;
  }

  /** Reads a 1-D {@code <U n} string array {@code [N]} (UTF-32LE code points, NUL-padded). */
  static List<String> readStrings(byte[] bytes, String src, String prefix) {
    Header h = header(bytes, src, prefix);
    String where = prefix.isEmpty() ? "header" : prefix + " header";
    String d = h.descr();
    if (d.matches("[<>|][iu][1248]")) {
      return readIntegers(bytes, h, src, where);
    }
    if (!d.matches("<U[1-9][0-9]*")) {
      throw err(src, where, "wrong dtype for a string array",
          "a little-endian unicode array '<U<n>' (numpy.array(list_of_str))", "descr '" + d + "'",
          d.startsWith("|O") ? "object arrays need pickle; save numpy.array(ids, dtype=str) instead"
              : "save numpy.array(list_of_str, dtype=str)");
    }
    int width = Integer.parseInt(d.substring(2));
    if (h.shape().length != 1) {
      throw err(src, where, "wrong array rank", "a 1-D array [N]", "shape " + shapeString(h.shape()),
          "save a flat list of strings");
    }
    long n = h.shape()[0];
    long expectedBytes = n * width * 4L;
    long dataBytes = bytes.length - (long) h.dataOffset();
    if (dataBytes != expectedBytes) {
      throw err(src, dataBytes < expectedBytes ? RowLocator.arrayRows(prefix).at((int) (dataBytes / (width * 4L))) : where,
          dataBytes < expectedBytes ? "truncated NPY data" : "trailing bytes after the array data",
          expectedBytes + " data bytes for shape " + shapeString(h.shape()) + " " + d, dataBytes + " bytes",
          "export the file again with numpy.save / numpy.savez");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes, h.dataOffset(), (int) expectedBytes).order(ByteOrder.LITTLE_ENDIAN);
    List<String> out = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      boolean ended = false;
      for (int j = 0; j < width; j++) {
        int cp = buf.getInt();
        if (cp == 0) {
          ended = true;
        } else if (ended) {
          throw err(src, RowLocator.arrayRows(prefix).at(i), "NUL inside a string", "NUL padding only at the end",
              "code point " + cp + " after a NUL", "do not put NUL characters in ids or label names");
        } else if (!Character.isValidCodePoint(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
          throw err(src, RowLocator.arrayRows(prefix).at(i), "invalid unicode code point",
              "a Unicode scalar value", String.format("0x%X", cp), "save the strings with numpy.array(list_of_str)");
        } else {
          sb.appendCodePoint(cp);
        }
      }
      out.add(sb.toString());
    }
    return out;
  }

  /** A 1-D integer array ({@code <i8}, {@code >i4}, {@code |u1} ...; what numpy saves for integer ids) as decimal strings. */
  private static List<String> readIntegers(byte[] bytes, Header h, String src, String where) {
    String d = h.descr();
    int size = d.charAt(2) - '0';
    if (h.shape().length != 1) {
      throw err(src, where, "wrong array rank", "a 1-D array [N]", "shape " + shapeString(h.shape()),
          "save a flat list of ids");
    }
    long n = h.shape()[0];
    long dataBytes = bytes.length - (long) h.dataOffset();
    if (dataBytes != n * size) {
      throw err(src, where, dataBytes < n * size ? "truncated NPY data" : "trailing bytes after the array data",
          n * size + " data bytes for shape " + shapeString(h.shape()) + " " + d, dataBytes + " bytes",
          "export the file again with numpy.save / numpy.savez");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes, h.dataOffset(), (int) dataBytes).slice()
        .order(d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    boolean unsigned = d.charAt(1) == 'u';
    List<String> out = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) {
      long v = switch (size) {
        case 1 -> unsigned ? buf.get() & 0xFFL : buf.get();
        case 2 -> unsigned ? buf.getShort() & 0xFFFFL : buf.getShort();
        case 4 -> unsigned ? buf.getInt() & 0xFFFFFFFFL : buf.getInt();
        default -> buf.getLong();
      };
      out.add(unsigned && size == 8 ? Long.toUnsignedString(v) : Long.toString(v));
    }
    return out;
  }

  private static int floatSize(String descr, String src, String where) {
    switch (descr) {
      case "<f4", ">f4":
        return 4;
      case "<f8", ">f8":
        return 8;
      default:
        throw err(src, where, "unsupported dtype", "dtype float32 or float64 ('<f4', '<f8', '>f4' or '>f8')",
            "descr '" + descr + "'", "save arr.astype(numpy.float32) (class probabilities are floats)");
    }
  }

  private static TeacherFormatException truncatedHeader(String src, String where, long need, long have) {
    return err(src, where, "truncated NPY header", "at least " + need + " bytes for the declared header",
        have + " bytes", "the file was cut short; export it again");
  }

  static TeacherFormatException err(String src, String where, String problem, String expected, String found,
      String fix) {
    return TeacherFormatException.in(src, where).problem(problem).expected(expected).found(found).fix(fix).build();
  }

  static String shapeString(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(shape[i]);
      if (i + 1 < shape.length || shape.length == 1) {
        sb.append(shape.length == 1 ? "," : ", ");
      }
    }
    return sb.append(')').toString();
  }

  private static String hexPrefix(byte[] b, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(n, b.length); i++) {
      sb.append(String.format("%02X ", b[i] & 0xFF));
    }
    return sb.toString().trim();
  }

  /** Parses numpy's header dict literal: exactly the keys descr, fortran_order, shape. */
  private static final class DictParser {
    private final String s;
    private final String src;
    private final String where;
    private int pos;

    DictParser(String s, String src, String where) {
      this.s = s;
      this.src = src;
      this.where = where;
    }

    Header parse(int dataOffset) {
      String descr = null;
      Boolean fortran = null;
      long[] shape = null;
      ws();
      expect('{');
      while (true) {
        ws();
        if (peek() == '}') {
          pos++;
          break;
        }
        String key = string();
        ws();
        expect(':');
        ws();
        switch (key) {
          case "descr" -> descr = string();
          case "fortran_order" -> fortran = bool();
          case "shape" -> shape = tuple();
          default -> throw bad("unknown header key '" + key + "'");
        }
        ws();
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw bad("expected ',' or '}' at header character " + pos);
        }
      }
      ws();
      if (pos != s.length()) {
        throw bad("unexpected text after the header dict");
      }
      if (descr == null || fortran == null || shape == null) {
        throw bad("header lacks one of descr, fortran_order, shape");
      }
      return new Header(descr, fortran, shape, dataOffset, false);
    }

    private TeacherFormatException bad(String what) {
      return err(src, where, "malformed NPY header (" + what + ")",
          "a dict {'descr': ..., 'fortran_order': ..., 'shape': (...)}", JsonlTeacherParser.snippet(s.trim()),
          "write the array with numpy.save");
    }

    private char peek() {
      if (pos >= s.length()) {
        throw bad("header ends early");
      }
      return s.charAt(pos);
    }

    private void ws() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private void expect(char c) {
      if (peek() != c) {
        throw bad("expected '" + c + "' at header character " + pos);
      }
      pos++;
    }

    private String string() {
      char q = peek();
      if (q != '\'' && q != '"') {
        throw bad("expected a quoted string at header character " + pos);
      }
      pos++;
      int end = s.indexOf(q, pos);
      if (end < 0) {
        throw bad("unterminated string");
      }
      String out = s.substring(pos, end);
      pos = end + 1;
      return out;
    }

    private boolean bool() {
      if (s.startsWith("True", pos)) {
        pos += 4;
        return true;
      }
      if (s.startsWith("False", pos)) {
        pos += 5;
        return false;
      }
      throw bad("expected True or False at header character " + pos);
    }

    private long[] tuple() {
      expect('(');
      List<Long> dims = new ArrayList<>();
      while (true) {
        ws();
        if (peek() == ')') {
          pos++;
          break;
        }
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
        if (start == pos || pos - start > 15) {
          throw bad("expected a dimension at header character " + start);
        }
        dims.add(Long.parseLong(s.substring(start, pos)));
        ws();
        if (peek() == ',') {
          pos++;
        } else if (peek() != ')') {
          throw bad("expected ',' or ')' in shape at header character " + pos);
        }
      }
      return dims.stream().mapToLong(Long::longValue).toArray();
    }
  }

  // ---------------------------------------------------------------- writing

  /** Encodes {@code data} {@code [N][C]} as a version-1.0 .npy file, byte-identical to numpy.save. */
  static byte[] writeMatrix(double[][] data, int numClasses, FloatDtype dtype) {
    int n = data.length;
    byte[] head = headerBytes(dtype.descr, new long[] {n, numClasses});
    ByteBuffer buf = ByteBuffer.allocate(head.length + n * numClasses * dtype.size).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(head);
    for (double[] row : data) {
      for (int k = 0; k < numClasses; k++) {
        if (dtype == FloatDtype.F4) {
          buf.putFloat((float) row[k]);
        } else {
          buf.putDouble(row[k]);
        }
      }
    }
    return buf.array();
  }

  /** Encodes {@code strings} as a 1-D {@code <U n} .npy file, as numpy.save(numpy.array(strings)). */
  static byte[] writeStrings(List<String> strings) {
    int width = 1;
    for (String x : strings) {
      width = Math.max(width, x.codePointCount(0, x.length()));
    }
    byte[] head = headerBytes("<U" + width, new long[] {strings.size()});
    ByteBuffer buf = ByteBuffer.allocate(head.length + strings.size() * width * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(head);
    for (String x : strings) {
      int[] cps = x.codePoints().toArray();
      for (int j = 0; j < width; j++) {
        buf.putInt(j < cps.length ? cps[j] : 0);
      }
    }
    return buf.array();
  }

  /** The header dict numpy.save writes for a C-order array, without padding. */
  static String canonicalDict(String descr, long[] shape) {
    return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeString(shape) + ", }";
  }

  private static byte[] headerBytes(String descr, long[] shape) {
    String dict = canonicalDict(descr, shape);
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padded = (unpadded + 63) / 64 * 64; // numpy aligns the data to 64 bytes
    StringBuilder sb = new StringBuilder(dict);
    sb.append(" ".repeat(padded - unpadded)).append('\n');
    byte[] text = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
    return b.array();
  }
}
