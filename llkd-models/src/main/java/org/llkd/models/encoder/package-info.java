/**
 * The hand-written BERT-style (post-LayerNorm) student encoder classifier on ND4J INDArrays, in the
 * llm.c manner: every block is a forward/backward pair over named buffers that are allocated once at
 * the largest (batch, seqLen) seen and re-viewed when the shape changes; forwards cache what the
 * backward needs; backwards accumulate into the gradient twin of the flat parameter buffer
 * ({@link org.llkd.models.params.NamedParams}). Parameters carry HuggingFace BERT names, weight
 * matrices stored [in, out]. See {@code shared/notes/PERFORMANCE.md} for why (no SameDiff autodiff, no
 * allocating ops in the step loop, GEMM transposes as flags).
 *
 * <p>Public: {@link org.llkd.models.encoder.StudentConfig}, {@link org.llkd.models.encoder.Pooling},
 * {@link org.llkd.models.encoder.StudentTransformer}; the blocks are package-private.
 * Imports only ND4J and {@code org.llkd.models.params}; must not import selection, losses,
 * tokenizer, pretrained import or experiments.
 */
package org.llkd.models.encoder;
