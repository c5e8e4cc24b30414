/**
 * Training checkpoints: model parameters, AdamW state and a JSON metadata map (selector and RNG state,
 * run info) in one zip file written atomically (temporary sibling, fsync, atomic rename, fsync of the
 * directory), so a crash leaves either the previous checkpoint or the complete new one under the final
 * name; {@link org.llkd.models.checkpoint.CheckpointWriter} writes them on a background thread while training goes
 * on. Loading checks the tensor list (names, shapes, dtype) against the caller's model and the CRC-32
 * of every binary entry, and fails naming the first mismatch.
 *
 * <p>Imports ND4J, Jackson, {@code org.llkd.models.params} and {@code org.llkd.models.optim}; never the
 * encoder, losses, selection or experiments.
 */
package org.llkd.models.checkpoint;
