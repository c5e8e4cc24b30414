package org.llkd.selection;

/**
 * Diagnostic keys shared by all selectors (convention 10: logged every step to {@code metrics.csv}). A selector emits a
 * key only where it is meaningful; a value that is undefined for the step (e.g. weight statistics of an empty
 * selection) is {@code NaN}, never a made-up 0.
 */
public final class Diagnostics {

    private Diagnostics() {
    }

    /** |selected| / B. */
    public static final String RATIO = "ratio";
    /** |selected|. */
    public static final String N_SELECTED = "n_selected";
    /** B. */
    public static final String BATCH_SIZE = "batch_size";
    /** 1 if nothing was selected this step (the step does no update), else 0. */
    public static final String SKIPPED = "skipped";
    /** Steps so far (including this one) with nothing selected. */
    public static final String SKIPPED_TOTAL = "skipped_total";
    /** Steps so far, including this one. */
    public static final String STEP = "step";
    /** Min / mean / max of the weights of the selected rows (mean is 1 by construction); NaN if none selected. */
    public static final String WEIGHT_MIN = "weight_min";
    public static final String WEIGHT_MEAN = "weight_mean";
    public static final String WEIGHT_MAX = "weight_max";
    /** 1 if the raw weights of the selected rows summed to 0 and uniform weights were used instead (logged, never silent). */
    public static final String WEIGHT_UNIFORM_FALLBACK = "weight_uniform_fallback";
    /** Fraction of selected rows whose pseudo-label equals the gold label (gold given; NaN if none selected). */
    public static final String TEACHER_ACC_SELECTED = "teacher_acc_selected";
    /** Fraction of all rows of the batch whose pseudo-label equals the gold label (gold given). */
    public static final String TEACHER_ACC_ALL = "teacher_acc_all";
    /** Mean teacher confidence of the batch / of the selected rows. */
    public static final String MEAN_CONF_ALL = "mean_conf_all";
    public static final String MEAN_CONF_SELECTED = "mean_conf_selected";
    /** Global teacher-confidence threshold τ^T (LLKD; the fixed threshold; top-k's effective k-th confidence). */
    public static final String TAU_T = "tauT";
    /** Global student-uncertainty threshold τ^S (LLKD and its student-only baseline). */
    public static final String TAU_S = "tauS";
    /** Global threshold on the student's own confidence (FreeMatch's τ_t). */
    public static final String TAU_STUDENT_CONF = "tau_student_conf";
    /** Fraction of rows kept by a ratio-based selector's schedule this step (random, small-loss). */
    public static final String TARGET_RATIO = "target_ratio";
    /** Temperature of a soft-label selection. */
    public static final String TEMPERATURE = "temperature";

    /** Per-class teacher threshold τ^T_t(c). */
    public static String tauTClass(int c) {
        return "tauT_c" + c;
    }

    /** Per-class student threshold τ^S_t(c). */
    public static String tauSClass(int c) {
        return "tauS_c" + c;
    }

    /** Per-class threshold on the student's own confidence (FreeMatch). */
    public static String tauStudentConfClass(int c) {
        return "tau_student_conf_c" + c;
    }
}
