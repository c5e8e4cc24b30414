package org.llkd.experiments.engine;

import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.llkd.experiments.train.TrainConfig;

/**
 * A {@link TrainConfig} as Java-serialisable values, for shipping a run to a Spark executor. Built from the
 * record's components (so a field added to TrainConfig travels without a change here); a {@link Path} travels
 * as its string, exactly as given (relative paths resolve against the executor's working directory: use absolute
 * paths on a cluster). The executor rebuilds the config through the canonical constructor, so it is validated
 * again there.
 *
 * @param names component names, in declaration order (checked on the executor against its TrainConfig)
 * @param values component values: String, boxed primitives, enums, and {@link PathValue} for paths
 */
public record TrainConfigDto(List<String> names, List<Serializable> values) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A {@link Path} component. */
  public record PathValue(String path) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  public TrainConfigDto {
    if (names.size() != values.size()) {
      throw new IllegalArgumentException("TrainConfigDto: " + names.size() + " names but " + values.size() + " values");
    }
    names = List.copyOf(names);
    values = java.util.Collections.unmodifiableList(new ArrayList<>(values)); // values may hold nulls
  }

  /** The serialisable form of {@code c}; fails for a component type that cannot travel. */
  public static TrainConfigDto of(TrainConfig c) {
    List<String> names = new ArrayList<>();
    List<Serializable> values = new ArrayList<>();
    for (RecordComponent rc : TrainConfig.class.getRecordComponents()) {
      Object v;
      try {
        v = rc.getAccessor().invoke(c);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read TrainConfig." + rc.getName(), e);
      }
      names.add(rc.getName());
      if (v == null) values.add(null);
      else if (v instanceof Path p) values.add(new PathValue(p.toString()));
      else if (v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Enum<?>) {
        values.add((Serializable) v);
      } else {
        throw new IllegalArgumentException("TrainConfig." + rc.getName() + " has type " + v.getClass().getName()
            + ", which TrainConfigDto cannot ship to a Spark executor; add a case for it in TrainConfigDto.of");
      }
    }
    return new TrainConfigDto(names, values);
  }

  /** The config again (validated by TrainConfig's constructor). */
  public TrainConfig toConfig() {
    RecordComponent[] rcs = TrainConfig.class.getRecordComponents();
    List<String> here = Arrays.stream(rcs).map(RecordComponent::getName).toList();
    if (!here.equals(names)) {
      throw new IllegalStateException("TrainConfig differs between driver and executor: driver sent " + names
          + ", executor has " + here + "; submit the same llkd-experiments jar to both");
    }
    Class<?>[] types = Arrays.stream(rcs).map(RecordComponent::getType).toArray(Class<?>[]::new);
    Object[] args = new Object[rcs.length];
    for (int i = 0; i < rcs.length; i++) {
      Object v = values.get(i);
      args[i] = v instanceof PathValue p ? Path.of(p.path()) : v;
    }
    try {
      Constructor<TrainConfig> ctor = TrainConfig.class.getDeclaredConstructor(types);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException re) throw re; // a validation error, as on the driver
      throw new IllegalStateException("cannot rebuild TrainConfig", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot rebuild TrainConfig from " + names, e);
    }
  }
}
