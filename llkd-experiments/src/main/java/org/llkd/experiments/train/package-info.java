/**
 * The LLKD training loop: seeded batches, a gradient-free forward of every row, the selector, then
 * forward and backward of the selected rows only; per-step CSV log, per-epoch dev evaluation,
 * checkpoints and resume. Uses models and selection; nothing outside experiments imports it.
 */
package org.llkd.experiments.train;
