package org.llkd.experiments.teacher;

/** How token states {@code last_hidden_state [batch, seq, hidden]} become one sentence vector. */
public enum Pooling {
  /** The state of the first token ({@code [CLS]}): what bge-small-en-v1.5 was trained with. */
  CLS,
  /** Mean of the token states under the attention mask: what all-MiniLM-L6-v2 was trained with. */
  MEAN
}
