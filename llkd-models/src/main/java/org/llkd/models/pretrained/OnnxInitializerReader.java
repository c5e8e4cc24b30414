package org.llkd.models.pretrained;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads an ONNX model file with nd4j-api's {@code onnx.Onnx} protobuf classes and converts its
 * initializers to INDArrays under their stored names (e.g. {@code embeddings.word_embeddings.weight},
 * {@code onnx::MatMul_787}).
 *
 * <p>Supported tensor types: FLOAT, DOUBLE and INT64, stored as little-endian {@code raw_data} or in
 * the typed repeated fields. Anything else (other dtypes, external data files) fails naming the
 * tensor; nothing is skipped.
 */
public final class OnnxInitializerReader {
  private OnnxInitializerReader() {}

  /** A parsed model with where it came from and the SHA-256 of its bytes. */
  public record OnnxFile(Onnx.ModelProto model, String source, String sha256, long sizeBytes) {}

  /** Parses an ONNX file on disk. */
  public static OnnxFile parse(Path onnx) {
    try (InputStream in = Files.newInputStream(onnx)) {
      return parse(in, onnx.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read ONNX file " + onnx + ": " + e.getMessage(), e);
    }
  }

  /** Parses an ONNX model from the classpath, e.g. {@code /all-minilm-l6-v2.onnx}. */
  public static OnnxFile parseResource(String resource) {
    try (InputStream in = OnnxInitializerReader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("classpath resource " + resource + " not found; is the langchain4j "
            + "embeddings jar that ships it on the classpath?");
      }
      return parse(in, "classpath:" + resource);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read classpath resource " + resource + ": " + e.getMessage(), e);
    }
  }

  private static OnnxFile parse(InputStream raw, String source) throws IOException {
    MessageDigest md = org.llkd.models.io.Sha256.newDigest();
    CountingDigestStream in = new CountingDigestStream(new BufferedInputStream(raw, 1 << 20), md);
    Onnx.ModelProto model;
    try {
      model = Onnx.ModelProto.parseFrom(in);
    } catch (IOException e) {
      throw new IOException(source + ": not a valid ONNX ModelProto: " + e.getMessage(), e);
    }
    in.transferTo(java.io.OutputStream.nullOutputStream()); // hash any trailing bytes the parser did not consume
    return new OnnxFile(model, source, org.llkd.models.io.Sha256.hex(md.digest()), in.count);
  }

  /** Every initializer of the ONNX file, by stored name, in file order. */
  public static Map<String, INDArray> readInitializers(Path onnx) {
    return readInitializers(parse(onnx));
  }

  /** Every initializer of a classpath ONNX model, by stored name, in file order. */
  public static Map<String, INDArray> readInitializersFromResource(String resource) {
    return readInitializers(parseResource(resource));
  }

  /** Every initializer of a parsed model, by stored name, in file order. */
  public static Map<String, INDArray> readInitializers(OnnxFile file) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Onnx.TensorProto t : file.model().getGraph().getInitializerList()) {
      if (out.put(t.getName(), toINDArray(t, file.source())) != null) {
        throw new IllegalArgumentException(file.source() + ": initializer '" + t.getName() + "' appears twice");
      }
    }
    return out;
  }

  /** Number of scalars of a tensor from its dims alone (no data conversion). */
  static long elementCount(Onnx.TensorProto t) {
    long n = 1;
    for (long d : t.getDimsList()) n *= d;
    return n;
  }

  /** Converts one ONNX tensor to a c-order INDArray of the same dtype and shape. */
  static INDArray toINDArray(Onnx.TensorProto t, String source) {
    String where = source + ": initializer '" + t.getName() + "'";
    if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
      throw new IllegalArgumentException(where + " uses external data, which this reader does not support; "
          + "re-export the model with weights embedded");
    }
    long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    long n = elementCount(t);
    if (n > Integer.MAX_VALUE) throw new IllegalArgumentException(where + ": " + n + " elements exceed 2^31");
    boolean raw = !t.getRawData().isEmpty();
    ByteBuffer bytes = raw ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
    Onnx.TensorProto.DataType dt = Onnx.TensorProto.DataType.forNumber(t.getDataType());
    if (dt == null) throw new IllegalArgumentException(where + ": unknown ONNX data type " + t.getDataType());
    INDArray out;
    switch (dt) {
      case FLOAT -> {
        float[] v = new float[(int) n];
        if (raw) {
          checkBytes(where, bytes, n, 4);
          bytes.asFloatBuffer().get(v);
        } else {
          checkCount(where, t.getFloatDataCount(), n);
          for (int i = 0; i < n; i++) v[i] = t.getFloatData(i);
        }
        out = Nd4j.createFromArray(v);
      }
      case DOUBLE -> {
        double[] v = new double[(int) n];
        if (raw) {
          checkBytes(where, bytes, n, 8);
          bytes.asDoubleBuffer().get(v);
        } else {
          checkCount(where, t.getDoubleDataCount(), n);
          for (int i = 0; i < n; i++) v[i] = t.getDoubleData(i);
        }
        out = Nd4j.createFromArray(v);
      }
      case INT64 -> {
        long[] v = new long[(int) n];
        if (raw) {
          checkBytes(where, bytes, n, 8);
          bytes.asLongBuffer().get(v);
        } else {
          checkCount(where, t.getInt64DataCount(), n);
          for (int i = 0; i < n; i++) v[i] = t.getInt64Data(i);
        }
        out = Nd4j.createFromArray(v);
      }
      default -> throw new IllegalArgumentException(where + ": data type " + dt + " is not supported "
          + "(supported: FLOAT, DOUBLE, INT64)");
    }
    return shape.length == 0 ? out.reshape() : out.reshape('c', shape);
  }

  /** ND4J data type an ONNX element type maps to (for reports). */
  static DataType nd4jType(int onnxType) {
    Onnx.TensorProto.DataType dt = Onnx.TensorProto.DataType.forNumber(onnxType);
    if (dt == null) return DataType.UNKNOWN;
    return switch (dt) {
      case FLOAT -> DataType.FLOAT;
      case DOUBLE -> DataType.DOUBLE;
      case INT64 -> DataType.INT64;
      default -> DataType.UNKNOWN;
    };
  }

  private static void checkBytes(String where, ByteBuffer b, long n, int width) {
    if (b.remaining() != n * width) {
      throw new IllegalArgumentException(where + ": raw_data has " + b.remaining() + " bytes, expected " + n * width
          + " for " + n + " elements of " + width + " bytes");
    }
  }

  private static void checkCount(String where, int found, long n) {
    if (found != n) throw new IllegalArgumentException(where + ": " + found + " typed values, expected " + n);
  }

  /** Digest stream that also counts the bytes read. */
  private static final class CountingDigestStream extends DigestInputStream {
    long count;

    CountingDigestStream(InputStream in, MessageDigest md) { super(in, md); }

    @Override public int read() throws IOException {
      int r = super.read();
      if (r >= 0) count++;
      return r;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
      int r = super.read(b, off, len);
      if (r > 0) count += r;
      return r;
    }

    /** Skipped bytes must be hashed too, so skip reads. */
    @Override public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) break;
        done += r;
      }
      return done;
    }
  }
}
