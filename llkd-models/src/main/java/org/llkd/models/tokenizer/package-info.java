/**
 * Text to token ids: {@link org.llkd.models.tokenizer.WordPieceTokenizer} wraps DJL's HuggingFace
 * tokenizer for the shipped {@code tokenizer.json} (BERT uncased WordPiece), truncates to a maximum
 * length and pads each batch dynamically to its longest item, returning an
 * {@link org.llkd.models.tokenizer.EncodedBatch} (ids, attention mask, token type ids, lengths).
 *
 * <p>Imports DJL tokenizers, Jackson and ND4J only; nothing from the encoder, losses, selection or
 * experiments. Sets {@code ai.djl.offline=true} before DJL is touched (DJL phones home otherwise).
 */
package org.llkd.models.tokenizer;
