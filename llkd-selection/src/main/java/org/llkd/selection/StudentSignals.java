package org.llkd.selection;

/**
 * Per-row signals computed from one row of logits or probabilities, in float64. Stateless; every method takes one row.
 *
 * <p>Softmax is the max-shifted form: {@code p_k = exp(z_k - max z) / Σ_j exp(z_j - max z)}; log-probabilities are
 * {@code z_k - max z - log Σ_j exp(z_j - max z)}, so no probability underflow reaches a {@code log}.
 */
public final class StudentSignals {

    private StudentSignals() {
    }

    /** Softmax of one row of logits {@code z} [C]. */
    public static double[] softmax(double[] z) {
        double max = max(z);
        double[] p = new double[z.length];
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            p[k] = Math.exp(z[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < z.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** log Σ_k exp(z_k), max-shifted. */
    public static double logSumExp(double[] z) {
        double max = max(z);
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /**
     * Normalised entropy of softmax(z): {@code H(p) / log C ∈ [0,1]}, with {@code H = -Σ p_k log p_k} (0·log 0 = 0).
     * Requires C ≥ 2.
     */
    public static double normalizedEntropy(double[] z) {
        int c = z.length;
        if (c < 2) {
            throw new IllegalArgumentException("normalizedEntropy needs at least 2 classes, got " + c);
        }
        double lse = logSumExp(z);
        double h = 0;
        for (double v : z) {
            double logp = v - lse;
            double p = Math.exp(logp);
            if (p > 0) {
                h -= p * logp;
            }
        }
        double u = h / Math.log(c);
        // Rounding can put a uniform row a few ulps above 1 or a one-hot row a few ulps below 0.
        return Math.min(1.0, Math.max(0.0, u));
    }

    /** Margin uncertainty {@code 1 - (p_(1) - p_(2)) ∈ [0,1]} of softmax(z): 1 when the top two tie. */
    public static double marginUncertainty(double[] z) {
        double[] p = softmax(z);
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (double v : p) {
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return 1.0 - (first - second);
    }

    /**
     * Normalised least-confidence uncertainty {@code (1 - max_k p_k) · C / (C - 1) ∈ [0,1]} of softmax(z): scaled like
     * the normalised entropy so that a uniform student scores 1.
     */
    public static double oneMinusMaxProb(double[] z) {
        int c = z.length;
        if (c < 2) {
            throw new IllegalArgumentException("oneMinusMaxProb needs at least 2 classes, got " + c);
        }
        double[] p = softmax(z);
        return Math.min(1.0, (1.0 - max(p)) * c / (c - 1.0));
    }

    /** Cross-entropy {@code -log softmax(z)[y]}. */
    public static double crossEntropy(double[] z, int y) {
        if (y < 0 || y >= z.length) {
            throw new IllegalArgumentException("label " + y + " out of range [0, " + z.length + ")");
        }
        return logSumExp(z) - z[y];
    }

    /** Largest value. */
    public static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
