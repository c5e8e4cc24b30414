package org.llkd.models.params;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llkd.models.memory.NativeArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An ordered set of named tensors that are c-order views into one flat buffer {@code [1, N]}.
 *
 * <p>The same layout serves parameters, their gradients and optimiser moments: {@link #zerosLike()}
 * gives an identically laid-out twin, so an optimiser updates {@link #flat()} in one op and a
 * checkpoint writes one array plus the spec list.
 */
public final class NamedParams implements AutoCloseable {
  private final List<ParamSpec> specs;
  private final DataType dataType;
  private final INDArray flat; // [1, N]
  private final Map<String, INDArray> views = new LinkedHashMap<>();
  private final Map<String, ParamSpec> specByName = new LinkedHashMap<>();

  /** Allocates a zero-filled flat buffer for {@code specs} (in that order). */
  public NamedParams(List<ParamSpec> specs, DataType dataType) {
    this(specs, dataType, null);
  }

  private NamedParams(List<ParamSpec> specs, DataType dataType, INDArray existingFlat) {
    this.specs = List.copyOf(specs);
    this.dataType = dataType;
    long total = 0;
    for (ParamSpec s : this.specs) {
      if (specByName.put(s.name(), s) != null) {
        throw new IllegalArgumentException("duplicate parameter name: " + s.name());
      }
      total += s.length();
    }
    if (existingFlat != null) {
      if (existingFlat.length() != total || existingFlat.dataType() != dataType) {
        throw new IllegalArgumentException("flat buffer has " + existingFlat.length() + " " + existingFlat.dataType()
            + " values, expected " + total + " " + dataType);
      }
      this.flat = existingFlat.reshape('c', 1, total);
    } else {
      this.flat = NativeArrays.detachedZeros(dataType, 1, Math.max(total, 1)); // [1, N], outside any workspace
    }
    long offset = 0;
    for (ParamSpec s : this.specs) {
      long len = s.length();
      INDArray view = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + len)).reshape('c', s.shape());
      views.put(s.name(), view);
      offset += len;
    }
  }

  /** Wraps an existing flat buffer (e.g. read from a checkpoint); its length must match the specs. */
  public static NamedParams wrap(List<ParamSpec> specs, INDArray flat) {
    return new NamedParams(specs, flat.dataType(), flat);
  }

  /** A copy (same layout, own buffer outside any workspace) of the current values; close it when done. */
  public NamedParams copy() {
    return new NamedParams(specs, dataType, NativeArrays.detachedCopy(flat));
  }

  /**
   * Frees the flat buffer now instead of leaving it to the garbage collector (which, with a large and mostly empty
   * heap, collects rarely: docs/memory.md); every view from {@link #get} is invalid afterwards. A wrapped buffer
   * ({@link #wrap}) that is a view of a larger array is left to its owner.
   */
  @Override
  public void close() {
    NativeArrays.close(flat);
  }

  /** A new, zero-filled set with the same names, shapes, order and data type. */
  public NamedParams zerosLike() {
    return new NamedParams(specs, dataType);
  }

  /** The tensor called {@code name}; fails naming the closest known names if absent. */
  public INDArray get(String name) {
    INDArray v = views.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no parameter named '" + name + "'; known: " + views.size()
          + " parameters, e.g. " + specs.subList(0, Math.min(3, specs.size())));
    }
    return v;
  }

  public boolean contains(String name) { return views.containsKey(name); }

  public List<ParamSpec> specs() { return specs; }

  public List<String> names() {
    List<String> names = new ArrayList<>(specs.size());
    for (ParamSpec s : specs) names.add(s.name());
    return Collections.unmodifiableList(names);
  }

  public ParamSpec spec(String name) {
    ParamSpec s = specByName.get(name);
    if (s == null) throw new IllegalArgumentException("no parameter named '" + name + "'");
    return s;
  }

  /** The flat buffer {@code [1, N]} that every named tensor is a view of. */
  public INDArray flat() { return flat; }

  public DataType dataType() { return dataType; }

  /** Total number of scalars. */
  public long count() {
    long n = 0;
    for (ParamSpec s : specs) n += s.length();
    return n;
  }

  /** Copies {@code value} into the tensor {@code name}, failing with a clear message on a shape mismatch. */
  public void set(String name, INDArray value) {
    INDArray target = get(name);
    if (!Arrays.equals(target.shape(), value.shape())) {
      throw new IllegalArgumentException("parameter '" + name + "': expected shape " + Arrays.toString(target.shape())
          + ", found " + Arrays.toString(value.shape()));
    }
    target.assign(value.castTo(dataType));
  }
}
