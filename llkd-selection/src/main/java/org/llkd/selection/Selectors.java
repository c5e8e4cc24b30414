package org.llkd.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Builds a selector by its name: the built-in ones ({@value #NAMES_DOC}) and any a {@link SelectorProvider} on the
 * class path adds (found with {@link ServiceLoader}). Names are what runs, CSVs and tables use.
 */
public final class Selectors {

    static final String NAMES_DOC = "llkd, llkd-no-teacher, llkd-no-student, llkd-no-classwise, llkd-no-weighting,"
            + " llkd-fixed, all, random, topk, threshold, uncertainty, freematch, smallloss, soft, gold";

    /** The provider of the shipped selectors (by name: baselines imports this package, not the reverse). */
    static final String BUILT_IN = "org.llkd.selection.baselines.BuiltInSelectors";

    private Selectors() {
    }

    /**
     * Everything any selector needs; each selector reads only its fields.
     *
     * @param numClasses C ≥ 2 (llkd*, uncertainty, freematch)
     * @param momentum λ ∈ [0,1] of the EMAs (llkd*, uncertainty, freematch); see
     *     {@link LlkdSelector.Config#momentumForSteps}
     * @param ratio fraction ∈ [0,1] kept by random, topk and smallloss (set to LLKD's mean ratio to compare at equal data)
     * @param confidenceThreshold fixed teacher-confidence threshold ∈ [0,1] (threshold)
     * @param temperature T > 0 (soft)
     * @param seed the run's selector seed (random)
     * @param rampSteps small-loss schedule length T_k ≥ 0 (smallloss)
     */
    public record Params(int numClasses, double momentum, double ratio, double confidenceThreshold, double temperature,
                         long seed, int rampSteps) {
        public Params {
            if (numClasses < 2) {
                throw new IllegalArgumentException("Selectors.Params.numClasses = " + numClasses + ", expected ≥ 2");
            }
            if (!(momentum >= 0 && momentum <= 1)) {
                throw new IllegalArgumentException("Selectors.Params.momentum = " + momentum + ", expected [0,1]");
            }
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("Selectors.Params.ratio = " + ratio + ", expected [0,1]");
            }
            if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
                throw new IllegalArgumentException("Selectors.Params.confidenceThreshold = " + confidenceThreshold
                        + ", expected [0,1]");
            }
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("Selectors.Params.temperature = " + temperature + ", expected finite > 0");
            }
            if (rampSteps < 0) {
                throw new IllegalArgumentException("Selectors.Params.rampSteps = " + rampSteps + ", expected ≥ 0");
            }
        }

        /**
         * Defaults: λ = 0.999 (the spec's; prefer {@code withMomentum(momentumForSteps(steps))}), ratio 0.5, threshold
         * 0.9, temperature 2, seed 0, rampSteps 0.
         */
        public static Params defaults(int numClasses) {
            return new Params(numClasses, LlkdSelector.Config.DEFAULT_MOMENTUM, 0.5, 0.9, 2.0, 0L, 0);
        }

        public Params withMomentum(double v) {
            return new Params(numClasses, v, ratio, confidenceThreshold, temperature, seed, rampSteps);
        }

        public Params withRatio(double v) {
            return new Params(numClasses, momentum, v, confidenceThreshold, temperature, seed, rampSteps);
        }

        public Params withConfidenceThreshold(double v) {
            return new Params(numClasses, momentum, ratio, v, temperature, seed, rampSteps);
        }

        public Params withTemperature(double v) {
            return new Params(numClasses, momentum, ratio, confidenceThreshold, v, seed, rampSteps);
        }

        public Params withSeed(long v) {
            return new Params(numClasses, momentum, ratio, confidenceThreshold, temperature, v, rampSteps);
        }

        public Params withRampSteps(int v) {
            return new Params(numClasses, momentum, ratio, confidenceThreshold, temperature, seed, v);
        }
    }

    /**
     * All valid names, in table order: the built-in ones first, then those of other providers found on the class path
     * (ordered by provider class name).
     *
     * @throws IllegalStateException when two providers claim one name
     */
    public static List<String> names() {
        return List.copyOf(registry().keySet());
    }

    /**
     * The selector called {@code name}, built from {@code p} by the provider that owns the name.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the valid ones)
     */
    public static SampleSelector create(String name, Params p) {
        if (p == null) {
            throw new IllegalArgumentException("Selectors.create(\"" + name + "\"): params are null; use Params.defaults(numClasses)");
        }
        Map<String, SelectorProvider> reg = registry();
        SelectorProvider provider = name == null ? null : reg.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown selector '" + name + "'; valid names: "
                    + String.join(", ", reg.keySet()) + " (a selector of your own: README, \"Write your own selector\")");
        }
        SampleSelector s = provider.create(name, p);
        if (s == null || !name.equals(s.name())) {
            throw new IllegalStateException(provider.getClass().getName() + ".create(\"" + name + "\") returned "
                    + (s == null ? "null" : "a selector named '" + s.name() + "'") + "; expected one named '" + name + "'");
        }
        return s;
    }

    /** Name -> provider over every {@link SelectorProvider} the context class loader finds (built-ins first). */
    static Map<String, SelectorProvider> registry() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        List<SelectorProvider> providers = new ArrayList<>();
        for (SelectorProvider p : ServiceLoader.load(SelectorProvider.class, cl != null ? cl : Selectors.class.getClassLoader())) {
            providers.add(p);
        }
        providers.sort(Comparator.comparing((SelectorProvider p) -> !BUILT_IN.equals(p.getClass().getName()))
                .thenComparing(p -> p.getClass().getName()));
        if (providers.isEmpty() || !BUILT_IN.equals(providers.get(0).getClass().getName())) {
            throw new IllegalStateException("the built-in selectors are not registered: META-INF/services/"
                    + SelectorProvider.class.getName() + " of llkd-selection is missing from the class path (a fat jar "
                    + "built without merging service files? use the shade plugin's ServicesResourceTransformer)");
        }
        Map<String, SelectorProvider> reg = new LinkedHashMap<>();
        for (SelectorProvider p : providers) {
            List<String> names = p.names();
            if (names == null || names.isEmpty()) {
                throw new IllegalStateException(p.getClass().getName() + ".names() is empty; a SelectorProvider names "
                        + "at least one selector");
            }
            for (String n : names) {
                if (n == null || n.isBlank() || !n.equals(n.strip()) || n.contains(",")) {
                    throw new IllegalStateException(p.getClass().getName() + " names a selector '" + n + "'; expected a "
                            + "non-blank name without commas or surrounding spaces");
                }
                SelectorProvider before = reg.putIfAbsent(n, p);
                if (before != null) {
                    throw new IllegalStateException("selector name '" + n + "' is claimed by both "
                            + before.getClass().getName() + " and " + p.getClass().getName() + "; rename one");
                }
            }
        }
        return reg;
    }
}
