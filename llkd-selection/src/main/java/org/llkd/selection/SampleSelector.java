package org.llkd.selection;

/**
 * Decides, per training step, which rows of a batch the student learns from and with which weights.
 *
 * <p>A selector owns its adaptive state (EMAs, counters, RNG position) and nothing else; it never computes a loss or a
 * gradient. {@link #snapshot()} / {@link #restore(SelectorState)} move that state into and out of checkpoints, so that a
 * resumed run selects exactly what an unbroken run would.
 */
public interface SampleSelector {

    /** Registry name of this selector, e.g. {@code "llkd"}, {@code "freematch"}; also stamped into its state. */
    String name();

    /**
     * One training step: updates the selector's state with batch {@code b} (if it is adaptive) and returns the mask,
     * weights, diagnostics and loss kind for it. Called exactly once per optimisation step, in step order.
     */
    Selection select(StepBatch b);

    /** A deep, JSON-serialisable copy of the state; later calls to {@link #select} do not change it. */
    SelectorState snapshot();

    /**
     * Replaces this selector's state by {@code s}.
     *
     * @throws IllegalArgumentException if {@code s} was written by another selector, another state version or a
     *     selector with a different configuration (the message names both sides)
     */
    void restore(SelectorState s);
}
