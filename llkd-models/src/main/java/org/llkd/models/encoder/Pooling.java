package org.llkd.models.encoder;

/** How the classifier head pools the last hidden states [B, T, H] into [B, H]. */
public enum Pooling {
  /** The hidden state at position 0 ([CLS]). */
  CLS,
  /** The mean over positions with attention mask 1 (sentence-transformers style). */
  MEAN
}
