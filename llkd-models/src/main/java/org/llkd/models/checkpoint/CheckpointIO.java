package org.llkd.models.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.llkd.models.optim.AdamW;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saves and loads checkpoints: one zip file holding
 * <pre>
 *   params.bin   flat parameters [N], raw little-endian float32 or float64 (the params' dtype)
 *   adam_m.bin   AdamW first moment [N], same encoding     (only with optimiser state)
 *   adam_v.bin   AdamW second moment [N], same encoding    (only with optimiser state)
 *   meta.json    format + version, dtype, the tensor list (name, shape) in storage order, parameter count,
 *                optimiser step and config, size and CRC-32 of each .bin entry, and the caller's metadata map
 * </pre>
 * Binary entries are STORED (float data does not compress); meta.json is written last.
 *
 * <p><b>Atomicity.</b> The zip is written to a temporary file in the target's directory, forced to disk,
 * renamed over the target with {@code ATOMIC_MOVE}, and the directory is forced. A crash before the
 * rename leaves the old checkpoint (or none) under the final name, plus a {@code .<name>.*.tmp} file that
 * loading never reads. A file system without atomic rename fails the save; there is no fallback.
 *
 * <p><b>Metadata</b> is any Jackson-serialisable map (numbers, strings, booleans, lists, maps). It comes
 * back as plain JSON types: integers as Integer or Long, decimals as Double (exact round trip), so store
 * 64-bit RNG state as a long or a string. Non-finite numbers are rejected (JSON would turn them into strings).
 */
public final class CheckpointIO {
  public static final String FORMAT = "llkd-checkpoint";
  public static final int VERSION = 1;
  static final String PARAMS = "params.bin", ADAM_M = "adam_m.bin", ADAM_V = "adam_v.bin", META = "meta.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CheckpointIO() {}

  /** A loaded checkpoint. {@code optimizer} and {@code optimizerConfig} are null if it was saved without them. */
  public record Checkpoint(NamedParams params, AdamW.State optimizer, AdamW.Config optimizerConfig, Map<String, Object> metadata) {}

  /** Test seam: runs after the temporary file is complete and forced, before the rename. */
  @FunctionalInterface
  interface BeforeCommit {
    void run(Path tmp) throws IOException;
  }

  /** Saves parameters, the optimiser's state and config (if {@code optimizer} is not null) and metadata. */
  public static void save(Path file, NamedParams params, AdamW optimizer, Map<String, ?> metadata) {
    AdamW.State state = optimizer == null ? null : optimizer.snapshot(); // two detached copies, freed below
    try {
      save(file, params, state, optimizer == null ? null : optimizer.config(), metadata, tmp -> {});
    } finally {
      if (state != null) state.close();
    }
  }

  /** Saves parameters, an optimiser state with its config (both null for a params-only file) and metadata. */
  public static void save(Path file, NamedParams params, AdamW.State state, AdamW.Config config, Map<String, ?> metadata) {
    save(file, params, state, config, metadata, tmp -> {});
  }

  static void save(Path file, NamedParams params, AdamW.State state, AdamW.Config config, Map<String, ?> metadata,
      BeforeCommit beforeCommit) {
    Objects.requireNonNull(params, "params");
    if ((state == null) != (config == null)) {
      throw new IllegalArgumentException("optimiser state and config must be given together (both null for params only)");
    }
    DataType dt = params.dataType();
    if (dt != DataType.FLOAT && dt != DataType.DOUBLE) {
      throw new IllegalArgumentException("checkpoints hold FLOAT or DOUBLE parameters, found " + dt);
    }
    if (state != null && (state.m().length() != params.count() || state.m().dataType() != dt)) {
      throw new IllegalArgumentException("optimiser state has " + state.m().length() + " " + state.m().dataType()
          + " values, params have " + params.count() + " " + dt);
    }
    if (metadata != null) checkFinite(metadata, "metadata");
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream raw = Channels.newOutputStream(ch);
        ZipOutputStream zip = new ZipOutputStream(raw);
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put(PARAMS, writeStored(zip, PARAMS, params.flat(), dt));
        if (state != null) {
          entries.put(ADAM_M, writeStored(zip, ADAM_M, state.m(), dt));
          entries.put(ADAM_V, writeStored(zip, ADAM_V, state.v(), dt));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("dtype", dt.name());
        meta.put("parameterCount", params.count());
        List<Map<String, Object>> specs = new ArrayList<>();
        for (ParamSpec s : params.specs()) specs.add(ordered("name", s.name(), "shape", s.shape()));
        meta.put("tensors", specs);
        meta.put("optimizer", state == null ? null : ordered("type", "AdamW", "step", state.step(), "config", config));
        meta.put("entries", entries);
        meta.put("metadata", metadata == null ? Map.of() : metadata);
        zip.putNextEntry(new ZipEntry(META));
        zip.write(JSON.writeValueAsBytes(meta)); // last: a failure here must not leave a file under the final name
        zip.closeEntry();
        zip.finish();
        zip.flush();
        ch.force(true);
      }
      beforeCommit.run(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true); // make the rename durable
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not save checkpoint " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // our own temporary file; the original failure is what the caller needs to see
        }
      }
    }
  }

  /** Writes {@code x} as one STORED entry of raw little-endian values; returns its size and CRC for meta.json. */
  private static Map<String, Object> writeStored(ZipOutputStream zip, String name, INDArray x, DataType dt) throws IOException {
    ByteBuffer bytes = littleEndianBytes(x, dt);
    long size = bytes.remaining();
    CRC32 crc = new CRC32();
    crc.update(bytes.duplicate());
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(size);
    e.setCompressedSize(size);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    byte[] chunk = new byte[1 << 20]; // 1 MiB at a time: no heap copy of the whole 62 MB tensor
    while (bytes.hasRemaining()) {
      int k = Math.min(chunk.length, bytes.remaining());
      bytes.get(chunk, 0, k);
      zip.write(chunk, 0, k);
    }
    zip.closeEntry();
    return ordered("bytes", size, "crc32", Long.toHexString(crc.getValue()));
  }

  /**
   * The values of {@code x} as raw little-endian bytes: the array's own native memory when it is a whole c-order
   * buffer of type {@code dt} on a little-endian machine (no copy), else a heap copy.
   */
  private static ByteBuffer littleEndianBytes(INDArray x, DataType dt) {
    long n = x.length();
    int width = dt == DataType.FLOAT ? 4 : 8;
    boolean whole = !x.isView() && x.ordering() == 'c' && x.dataType() == dt && x.data().length() == n
        && x.data().offset() == 0 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && n * width < Integer.MAX_VALUE;
    if (whole) {
      ByteBuffer nio = x.data().asNio().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      nio.position(0).limit((int) (n * width));
      return nio.slice().order(ByteOrder.LITTLE_ENDIAN);
    }
    return ByteBuffer.wrap(toBytes(x, dt)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] toBytes(INDArray x, DataType dt) {
    long n = x.length();
    int width = dt == DataType.FLOAT ? 4 : 8;
    if (n * width > Integer.MAX_VALUE - 64) throw new IllegalArgumentException(n + " values do not fit one zip entry buffer");
    ByteBuffer b = ByteBuffer.allocate((int) (n * width)).order(ByteOrder.LITTLE_ENDIAN);
    if (dt == DataType.FLOAT) {
      b.asFloatBuffer().put(x.toFloatVector());
    } else {
      b.asDoubleBuffer().put(x.toDoubleVector());
    }
    return b.array();
  }

  /**
   * Loads a checkpoint whose tensor list must equal {@code expected} (names, shapes, order) in dtype
   * {@code dataType}; fails naming the first mismatched tensor, expected vs found.
   */
  public static Checkpoint load(Path file, List<ParamSpec> expected, DataType dataType) {
    try (ZipFile zip = open(file)) {
      Map<String, Object> meta = readMeta(zip, file);
      DataType dt = DataType.valueOf(str(meta, "dtype", file));
      if (dt != dataType) {
        throw new IllegalArgumentException("checkpoint " + file + ": dtype " + dt + ", expected " + dataType);
      }
      List<ParamSpec> found = specs(meta, file);
      checkSpecs(file, expected, found);
      Map<String, Object> entries = map(meta, "entries", file);
      long n = 0;
      for (ParamSpec s : found) n += s.length();
      NamedParams params = NamedParams.wrap(expected, readFlat(zip, file, PARAMS, entries, n, dt));
      AdamW.State state = null;
      AdamW.Config config = null;
      Object opt = meta.get("optimizer");
      if (opt != null) {
        @SuppressWarnings("unchecked") Map<String, Object> o = (Map<String, Object>) opt;
        config = JSON.convertValue(o.get("config"), AdamW.Config.class);
        int step = ((Number) o.get("step")).intValue();
        state = new AdamW.State(step, readFlat(zip, file, ADAM_M, entries, n, dt), readFlat(zip, file, ADAM_V, entries, n, dt));
      }
      return new Checkpoint(params, state, config, map(meta, "metadata", file));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Restores {@code target}'s parameters and, if {@code optimizer} is not null, its state from {@code file}.
   * The optimiser's config must equal the saved one (resume with the saved config or start a fresh
   * optimiser). Nothing is modified unless the whole file checks out.
   *
   * @return the metadata map
   */
  public static Map<String, Object> loadInto(Path file, NamedParams target, AdamW optimizer) {
    Checkpoint c = load(file, target.specs(), target.dataType());
    if (optimizer != null) {
      if (c.optimizer() == null) {
        throw new IllegalArgumentException("checkpoint " + file + " has no optimiser state, but an optimiser was given to restore");
      }
      if (!c.optimizerConfig().equals(optimizer.config())) {
        throw new IllegalArgumentException("checkpoint " + file + ": optimiser config " + c.optimizerConfig()
            + " differs from the running one " + optimizer.config());
      }
      optimizer.restore(c.optimizer());
    }
    target.flat().assign(c.params().flat());
    c.params().close(); // the loaded copies are not needed once assigned
    if (c.optimizer() != null) c.optimizer().close();
    return c.metadata();
  }

  /** The metadata map alone (reads only meta.json). */
  public static Map<String, Object> readMetadata(Path file) {
    try (ZipFile zip = open(file)) {
      return map(readMeta(zip, file), "metadata", file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  private static ZipFile open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no checkpoint file at " + file);
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IllegalArgumentException("checkpoint " + file + " is not a readable zip (" + e.getMessage()
          + "); it is truncated or corrupted", e);
    }
  }

  private static Map<String, Object> readMeta(ZipFile zip, Path file) throws IOException {
    ZipEntry e = zip.getEntry(META);
    if (e == null) throw new IllegalArgumentException("checkpoint " + file + " has no " + META + "; not an LLKD checkpoint");
    Map<String, Object> meta;
    try (InputStream in = zip.getInputStream(e)) {
      meta = JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
    }
    if (!FORMAT.equals(meta.get("format"))) {
      throw new IllegalArgumentException("checkpoint " + file + ": format '" + meta.get("format") + "', expected '" + FORMAT + "'");
    }
    if (!Integer.valueOf(VERSION).equals(meta.get("version"))) {
      throw new IllegalArgumentException("checkpoint " + file + ": version " + meta.get("version") + ", this code reads " + VERSION);
    }
    return meta;
  }

  @SuppressWarnings("unchecked")
  private static List<ParamSpec> specs(Map<String, Object> meta, Path file) {
    Object t = meta.get("tensors");
    if (!(t instanceof List<?> list)) throw new IllegalArgumentException("checkpoint " + file + ": meta.json has no tensor list");
    List<ParamSpec> out = new ArrayList<>();
    for (Object o : list) {
      Map<String, Object> m = (Map<String, Object>) o;
      List<Number> shape = (List<Number>) m.get("shape");
      out.add(new ParamSpec((String) m.get("name"), shape.stream().mapToLong(Number::longValue).toArray()));
    }
    return out;
  }

  private static void checkSpecs(Path file, List<ParamSpec> expected, List<ParamSpec> found) {
    String what = ParamSpec.firstMismatch(expected, found, "the model has", "the checkpoint has", "");
    if (what != null) {
      throw new IllegalArgumentException("checkpoint " + file + " does not fit this model: " + what
          + " (load it into the architecture that saved it)");
    }
  }

  private static INDArray readFlat(ZipFile zip, Path file, String name, Map<String, Object> entries, long n, DataType dt)
      throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) throw new IllegalArgumentException("checkpoint " + file + " has no entry " + name);
    int width = dt == DataType.FLOAT ? 4 : 8;
    byte[] bytes;
    try (InputStream in = zip.getInputStream(e)) {
      bytes = in.readAllBytes();
    }
    if (bytes.length != n * width) {
      throw new IllegalArgumentException("checkpoint " + file + ": " + name + " has " + bytes.length + " bytes, expected "
          + n * width + " (" + n + " " + dt + " values); the file is corrupted");
    }
    @SuppressWarnings("unchecked") Map<String, Object> info = (Map<String, Object>) entries.get(name);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    String actual = Long.toHexString(crc.getValue());
    if (info == null || !actual.equals(info.get("crc32"))) {
      throw new IllegalArgumentException("checkpoint " + file + ": " + name + " CRC-32 is " + actual + ", meta.json records "
          + (info == null ? "none" : info.get("crc32")) + "; the file is corrupted");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    INDArray out;
    if (dt == DataType.FLOAT) {
      float[] v = new float[(int) n];
      b.asFloatBuffer().get(v);
      out = Nd4j.createFromArray(v);
    } else {
      double[] v = new double[(int) n];
      b.asDoubleBuffer().get(v);
      out = Nd4j.createFromArray(v);
    }
    return out.reshape('c', 1, n); // [1, N]
  }

  /** JSON has no NaN or infinity: they would come back as strings, so they are rejected up front. */
  private static void checkFinite(Object v, String path) {
    if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) checkFinite(e.getValue(), path + "." + e.getKey());
    } else if (v instanceof Iterable<?> it) {
      int i = 0;
      for (Object o : it) checkFinite(o, path + "[" + i++ + "]");
    } else if ((v instanceof Double d && !Double.isFinite(d)) || (v instanceof Float f && !Float.isFinite(f))) {
      throw new IllegalArgumentException("checkpoint " + path + " = " + v + ": JSON cannot hold non-finite numbers; "
          + "store it as a string explicitly if it is meant");
    }
  }

  /** A map with keys in the given order, so meta.json is byte-for-byte reproducible. */
  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  private static String str(Map<String, Object> meta, String key, Path file) {
    Object v = meta.get(key);
    if (!(v instanceof String s)) throw new IllegalArgumentException("checkpoint " + file + ": meta.json field '" + key + "' missing");
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> meta, String key, Path file) {
    Object v = meta.get(key);
    if (!(v instanceof Map<?, ?>)) throw new IllegalArgumentException("checkpoint " + file + ": meta.json field '" + key + "' missing");
    return (Map<String, Object>) v;
  }
}
