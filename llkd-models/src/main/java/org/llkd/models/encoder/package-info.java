/**
 * The hand-written BERT-style (post-LayerNorm) student encoder classifier on ND4J INDArrays, in the
 * llm.c manner: every block is a forward/backward pair over named buffers that are allocated once at
 * the largest (batch, seqLen) seen and re-viewed when the shape changes; forwards cache what the
 * backward needs; backwards accumulate into the gradient twin of the flat parameter buffer
 * ({@link org.llkd.models.params.NamedParams}). Parameters carry HuggingFace BERT names, weight
 * matrices stored [in, out]. See {@code shared/notes/PERFORMANCE.md} for why (no SameDiff autodiff, no
 * allocating ops in the step loop, GEMM transposes as flags).
 *
 * <h2>One training step, end to end</h2>
 * B = batch, T = seqLen, M = B*T, H = hiddenSize, F = intermediateSize, nh = numHeads, d = headSize, C = numClasses.
 * Every buffer below is an {@code Arena} view (one per name, grown only, never freed in the step loop); a backward
 * reuses a forward buffer as scratch once what it cached is consumed (each block's field comments say which).
 * <pre>
 * StudentTransformer            blocks (package-private)                 buffers it fills / caches for backward
 * ----------------------------  ---------------------------------------  -----------------------------------------
 * zeroGrads()                   grads = 0 (word table: only rows the last backward wrote)
 *
 * forwardTrain(ids, mask, types, dropoutSeed)            one ND4J Random(dropoutSeed) for every dropout mask
 *   bind(B, T)                  every block: arena.view(name, shape) at [B, T]; no-op if the shape is unchanged
 *   maskBias = (1-mask)*-1e4    poolWeights = mask / rowsum(mask)         maskBias [B,T], poolWeights [B,T]
 *   h = Embeddings.forward      LN(word[ids] + pos[0..T) + type[types])   ids, typeIds [M]; LN xhat [M,H], rstd [M];
 *                               then dropout                              dropout mask [M,H]; output sum [M,H]
 *   for l in 0..L-1:            EncoderLayer l = SelfAttention, FeedForward, each [M,H] -> [M,H]
 *     SelfAttention.forward     q,k,v = x W + b; S = q k^T/sqrt(d)+mask;  x (caller's buffer), qh, kh [B,nh,T,d],
 *                               P = softmax S; ctx = dropout(P) v;        vhT [B,nh,d,T], probs P [B,nh,T,T],
 *                               out = LN(dropout(ctx Wo + bo) + x)       scores = Pd [B,nh,T,T], ctx, out [M,H]
 *     FeedForward.forward       h1 = x W1 + b1; a = gelu(h1);             x, h1, cdf, act [M,F], out [M,H]
 *                               out = LN(dropout(a W2 + b2) + x)
 *   logits = ClassifierHead     pooled = CLS row or poolWeights h;       pooled [B,H]
 *                               logits = pooled Wc + bc                  returns logits.dup() [B,C]
 *   trainCachesValid = true
 *
 * (the caller's selector reads the logits and picks rows; StudentTrainStep.forwardShared/finishShared)
 *
 * keepRows(rows)                optional: back-propagate only the rows [b] = rows.length of this forward
 *   Slabs.keep(buffer, B, rows) in every block, each cache above:      slab rows[j] -> slab j, in place (rows ascend,
 *                               (ids, xhat, rstd, masks, qh, kh, vhT,    so no source is overwritten before it is read)
 *                               probs, Pd, ctx, h1, cdf, act, out,
 *                               pooled, poolWeights)
 *   bind(b, T)                  every view re-made at [b, T]: its prefix is the kept rows
 *   reattach                    EncoderLayer.reattach(h): each block's cached input x and output point at the new
 *                               views (layer l's input = layer l-1's output; layer 0's = Embeddings.output())
 *
 * backward(dLogits [b or B, C]) accumulates (+=) dL/dparams into grads(); consumes the caches
 *   trainCachesValid = false    (the backward overwrites forward buffers as scratch)
 *   d = ClassifierHead.backward dWc += pooled^T dz; d [M,H] = dz spread over positions (CLS or poolWeights)
 *   for l in L-1..0:            d = FeedForward.backward(d) then SelfAttention.backward(d)   [M,H] -> [M,H]
 *                               LN backward from xhat, rstd; Linear: dW += x^T dY, db += 1^T dY, dX (+)= dY W^T
 *   Embeddings.backward(d)      dropout, LN backward; wordGrad[ids] += d, typeGrad[typeIds] += d (in-order
 *                               scatter-add, one thread: deterministic); posGrad += column sums over B
 *
 * (the caller's optimiser reads grads(); AdamW with lazy word rows reads touchedWordRows())
 * </pre>
 * Rules that follow from the buffers: {@code backward} must directly follow the {@code forwardTrain} (optionally
 * narrowed by one {@code keepRows}) it differentiates; {@code forwardLogits} and {@code encode} run the same
 * forward without dropout and invalidate the train caches; rows are independent through the encoder, so the
 * gradients after {@code keepRows(rows)} equal a full-batch backward with zero dL/dlogits on the other rows.
 * {@code reserve(B, T)} binds the largest shape up front so no step allocates.
 *
 * <h2>Files</h2>
 * {@code StudentTransformer} (the pass above), {@code Embeddings}, {@code EncoderLayer} ({@code SelfAttention},
 * {@code FeedForward}), {@code ClassifierHead}; their parts {@code Linear}, {@code LayerNorm}, {@code Dropout};
 * the memory helpers {@code Arena} (named growing buffers), {@code Slabs} (in-place row compaction) and
 * {@code ParamsAndGrads} (a parameter and its gradient by HF name). Each block's Javadoc has its maths and the
 * shape of each buffer.
 *
 * <p>Public: {@link org.llkd.models.encoder.StudentConfig}, {@link org.llkd.models.encoder.Pooling},
 * {@link org.llkd.models.encoder.StudentTransformer}; the blocks are package-private.
 * GELU, the attention softmax and LayerNorm run through {@link org.llkd.models.kernels.Kernels} (fused Vector API
 * kernels for FLOAT, the composed ND4J ops otherwise).
 *
 * <p>Imports only ND4J, {@code org.llkd.models.params}, {@code org.llkd.models.memory} and {@code org.llkd.models.kernels}; must not import selection, losses,
 * tokenizer, pretrained import or experiments.
 */
package org.llkd.models.encoder;
