package org.llkd.experiments.engine;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.train.TrainConfig;

/**
 * A {@link TrainConfig} as Java-serialisable values, for shipping a run to a Spark executor: its
 * {@link TrainConfig#flat()} form (so a value added to TrainConfig travels without a change here); a {@link Path}
 * travels as its string, exactly as given (relative paths resolve against the executor's working directory: use
 * absolute paths on a cluster). The executor rebuilds the config through {@link TrainConfig#fromFlat}, so it is
 * validated again there.
 *
 * @param names value names, in {@link TrainConfig#flat()} order (checked on the executor against its TrainConfig)
 * @param values the values: String, boxed primitives, enums, and {@link PathValue} for paths
 */
public record TrainConfigDto(List<String> names, List<Serializable> values) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A {@link Path} value. */
  public record PathValue(String path) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  public TrainConfigDto {
    if (names.size() != values.size()) {
      throw new IllegalArgumentException("TrainConfigDto: " + names.size() + " names but " + values.size() + " values");
    }
    names = List.copyOf(names);
    values = Collections.unmodifiableList(new ArrayList<>(values)); // values may hold nulls
  }

  /** The serialisable form of {@code c}; fails for a value type that cannot travel. */
  public static TrainConfigDto of(TrainConfig c) {
    List<String> names = new ArrayList<>();
    List<Serializable> values = new ArrayList<>();
    for (Map.Entry<String, Object> e : c.flat().entrySet()) {
      Object v = e.getValue();
      names.add(e.getKey());
      if (v == null) values.add(null);
      else if (v instanceof Path p) values.add(new PathValue(p.toString()));
      else if (v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Enum<?>) {
        values.add((Serializable) v);
      } else {
        throw new IllegalArgumentException("TrainConfig." + e.getKey() + " has type " + v.getClass().getName()
            + ", which TrainConfigDto cannot ship to a Spark executor; add a case for it in TrainConfigDto.of");
      }
    }
    return new TrainConfigDto(names, values);
  }

  /** The config again (validated by TrainConfig's constructors). */
  public TrainConfig toConfig() {
    TrainConfig probe = TrainConfig.tiny("probe", Path.of("."), Path.of("."), "all", 0);
    List<String> here = List.copyOf(probe.flat().keySet());
    // flat() names evaluateTrainRows only when it is on: either key list is this executor's TrainConfig
    List<String> hereOn = List.copyOf(probe.withSchedule(probe.schedule().withTrainRowsEvaluated(true)).flat().keySet());
    if (!here.equals(names) && !hereOn.equals(names)) {
      throw new IllegalStateException("TrainConfig differs between driver and executor: driver sent " + names
          + ", executor has " + here + "; submit the same llkd-experiments jar to both");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Object v = values.get(i);
      m.put(names.get(i), v instanceof PathValue p ? Path.of(p.path()) : v);
    }
    return TrainConfig.fromFlat(m);
  }
}
