package org.llkd.selection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A selector's adaptive state as plain data, for checkpoints. Immutable (maps sorted by key, arrays copied on the way in
 * and out), and JSON-round-trippable exactly: Jackson writes doubles with {@link Double#toString}, which reads back
 * bit-for-bit. Non-finite values are rejected, since JSON has no portable form for them.
 *
 * @param selector the {@link SampleSelector#name()} that wrote it
 * @param version that selector's state layout version
 * @param config a canonical description of the configuration the state belongs to (restore rejects another)
 * @param scalars named float64 scalars (e.g. {@code tauT})
 * @param counters named integer counters (e.g. {@code steps}, {@code skipped})
 * @param arrays named float64 vectors (e.g. {@code mT} [C])
 */
public record SelectorState(String selector, int version, String config, Map<String, Double> scalars,
                            Map<String, Long> counters, Map<String, double[]> arrays) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public SelectorState {
        if (selector == null || selector.isBlank() || config == null) {
            throw new IllegalArgumentException("SelectorState: selector name and config are required, got selector="
                    + selector + ", config=" + config);
        }
        scalars = scalars == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(scalars));
        counters = counters == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(counters));
        TreeMap<String, double[]> a = new TreeMap<>();
        if (arrays != null) {
            arrays.forEach((k, v) -> a.put(k, v.clone()));
        }
        arrays = Collections.unmodifiableMap(a);
        scalars.forEach((k, v) -> {
            if (v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException("SelectorState '" + selector + "': scalar " + k + " = " + v + ", expected finite");
            }
        });
        arrays.forEach((k, v) -> {
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw new IllegalArgumentException("SelectorState '" + selector + "': " + k + "[" + i + "] = " + v[i]
                            + ", expected finite");
                }
            }
        });
    }

    /** A deep copy of the arrays (the state stays immutable). */
    @Override
    public Map<String, double[]> arrays() {
        TreeMap<String, double[]> a = new TreeMap<>();
        arrays.forEach((k, v) -> a.put(k, v.clone()));
        return Collections.unmodifiableMap(a);
    }

    /** A copy of one array; fails if absent or of the wrong length. */
    public double[] array(String key, int expectedLength) {
        double[] v = arrays.get(key);
        if (v == null) {
            throw new IllegalArgumentException("SelectorState '" + selector + "': no array '" + key + "', has " + arrays.keySet());
        }
        if (v.length != expectedLength) {
            throw new IllegalArgumentException("SelectorState '" + selector + "': array '" + key + "' has length " + v.length
                    + ", expected " + expectedLength + " (numClasses of this selector)");
        }
        return v.clone();
    }

    /** One scalar; fails if absent. */
    public double scalar(String key) {
        Double v = scalars.get(key);
        if (v == null) {
            throw new IllegalArgumentException("SelectorState '" + selector + "': no scalar '" + key + "', has " + scalars.keySet());
        }
        return v;
    }

    /** One counter; fails if absent. */
    public long counter(String key) {
        Long v = counters.get(key);
        if (v == null) {
            throw new IllegalArgumentException("SelectorState '" + selector + "': no counter '" + key + "', has " + counters.keySet());
        }
        return v;
    }

    /**
     * Fails unless this state was written by selector {@code name}, layout {@code version}, configuration {@code config}.
     */
    public void requireOwner(String name, int expectedVersion, String expectedConfig) {
        if (!selector.equals(name) || version != expectedVersion || !config.equals(expectedConfig)) {
            throw new IllegalArgumentException("cannot restore selector state written by '" + selector + "' v" + version
                    + " [" + config + "] into '" + name + "' v" + expectedVersion + " [" + expectedConfig
                    + "]; resume with the selector and configuration the checkpoint was written with");
        }
    }

    /** Pretty JSON, keys sorted. */
    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise selector state '" + selector + "'", e);
        }
    }

    /** Parses {@link #toJson()} output. */
    public static SelectorState fromJson(String json) {
        try {
            return JSON.readValue(json, SelectorState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a selector state: " + e.getOriginalMessage(), e);
        }
    }

    /** Value equality (records compare arrays by reference). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SelectorState s)) {
            return false;
        }
        if (!selector.equals(s.selector) || version != s.version || !config.equals(s.config) || !scalars.equals(s.scalars)
                || !counters.equals(s.counters) || !arrays.keySet().equals(s.arrays.keySet())) {
            return false;
        }
        for (String k : arrays.keySet()) {
            if (!Arrays.equals(arrays.get(k), s.arrays.get(k))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = selector.hashCode() * 31 + version;
        h = h * 31 + config.hashCode();
        h = h * 31 + scalars.hashCode();
        h = h * 31 + counters.hashCode();
        for (Map.Entry<String, double[]> e : arrays.entrySet()) {
            h = h * 31 + e.getKey().hashCode() + Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SelectorState[").append(selector).append(" v").append(version)
                .append(", config=").append(config).append(", scalars=").append(scalars).append(", counters=").append(counters)
                .append(", arrays={");
        arrays.forEach((k, v) -> sb.append(k).append('=').append(Arrays.toString(v)).append(' '));
        return sb.append("}]").toString();
    }
}
