package org.llkd.selection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.llkd.selection.baselines.AllPseudoLabels;
import org.llkd.selection.baselines.FreeMatchSelector;
import org.llkd.selection.baselines.GoldLabels;
import org.llkd.selection.baselines.RandomSelector;
import org.llkd.selection.baselines.SmallLossSelector;
import org.llkd.selection.baselines.SoftLabelSelector;
import org.llkd.selection.baselines.StudentUncertaintyOnly;
import org.llkd.selection.baselines.TeacherConfidenceThreshold;
import org.llkd.selection.baselines.TeacherConfidenceTopK;

/**
 * Builds a selector by its name: {@value #NAMES_DOC}. Names are what runs, CSVs and tables use.
 */
public final class Selectors {

    static final String NAMES_DOC = "llkd, llkd-no-teacher, llkd-no-student, llkd-no-classwise, llkd-no-weighting,"
            + " llkd-fixed, all, random, topk, threshold, uncertainty, freematch, smallloss, soft, gold";

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

    /** All valid names, in table order. */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (LlkdSelector.Ablation a : LlkdSelector.Ablation.values()) {
            n.add(a.registryName());
        }
        n.addAll(List.of("all", "random", "topk", "threshold", "uncertainty", "freematch", "smallloss", "soft", "gold"));
        return Collections.unmodifiableList(n);
    }

    /**
     * The selector called {@code name}, built from {@code p}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the valid ones)
     */
    public static SampleSelector create(String name, Params p) {
        if (p == null) {
            throw new IllegalArgumentException("Selectors.create(\"" + name + "\"): params are null; use Params.defaults(numClasses)");
        }
        for (LlkdSelector.Ablation a : LlkdSelector.Ablation.values()) {
            if (a.registryName().equals(name)) {
                return new LlkdSelector(name, LlkdSelector.Config.ablation(a, p.numClasses(), p.momentum()));
            }
        }
        return switch (name == null ? "" : name) {
            case "all" -> new AllPseudoLabels();
            case "random" -> new RandomSelector(p.ratio(), p.seed());
            case "topk" -> new TeacherConfidenceTopK(p.ratio());
            case "threshold" -> new TeacherConfidenceThreshold(p.confidenceThreshold());
            case "uncertainty" -> new StudentUncertaintyOnly(p.numClasses(), p.momentum());
            case "freematch" -> new FreeMatchSelector(FreeMatchSelector.Config.usb(p.numClasses(), p.momentum()));
            case "smallloss" -> new SmallLossSelector(new SmallLossSelector.Config(p.ratio(), p.rampSteps()));
            case "soft" -> new SoftLabelSelector(p.temperature());
            case "gold" -> new GoldLabels();
            default -> throw new IllegalArgumentException("unknown selector '" + name + "'; valid names: "
                    + String.join(", ", names()));
        };
    }
}
