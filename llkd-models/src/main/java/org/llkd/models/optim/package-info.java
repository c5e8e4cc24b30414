/**
 * Optimisation over the flat parameter buffer of {@link org.llkd.models.params.NamedParams}:
 * {@link org.llkd.models.optim.AdamW} (decoupled weight decay, Loshchilov and Hutter 2019, with
 * PyTorch's update rule), global-norm gradient clipping, a per-tensor weight-decay mask (BERT's rule:
 * no decay on biases and LayerNorm), and the learning-rate schedule
 * {@link org.llkd.models.optim.WarmupLinearDecaySchedule} (an ND4J {@code ISchedule}).
 *
 * <p>Imports ND4J and {@code org.llkd.models.params} only; never the encoder, losses or checkpoints.
 */
package org.llkd.models.optim;
