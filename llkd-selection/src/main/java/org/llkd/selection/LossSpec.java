package org.llkd.selection;

/**
 * The loss a {@link Selection} asks the trainer to apply.
 *
 * @param kind which loss
 * @param temperature softmax temperature of {@link LossKind#SOFT_KL}; exactly 1 for the other kinds
 */
public record LossSpec(LossKind kind, double temperature) {

    /** Weighted CE on pseudo-labels. */
    public static final LossSpec HARD_CE = new LossSpec(LossKind.HARD_WEIGHTED_CE, 1.0);
    /** CE on gold labels. */
    public static final LossSpec GOLD_CE = new LossSpec(LossKind.GOLD_CE, 1.0);

    public LossSpec {
        if (kind == null) {
            throw new IllegalArgumentException("LossSpec.kind is null; use one of " + java.util.Arrays.toString(LossKind.values()));
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("LossSpec.temperature = " + temperature + ", expected a finite value > 0");
        }
        if (kind != LossKind.SOFT_KL && temperature != 1.0) {
            throw new IllegalArgumentException("LossSpec.temperature = " + temperature + " for " + kind
                    + "; a temperature is only meaningful for SOFT_KL, use 1.0");
        }
    }

    /** Soft-label KL at temperature {@code t > 0}. */
    public static LossSpec softKl(double t) {
        return new LossSpec(LossKind.SOFT_KL, t);
    }
}
