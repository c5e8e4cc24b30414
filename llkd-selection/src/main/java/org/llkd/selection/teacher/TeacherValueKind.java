package org.llkd.selection.teacher;

/** What a teacher file stores per class: probabilities, or logits that the reader turns into probabilities. */
public enum TeacherValueKind {
  /** Class probabilities: finite, non-negative, each row summing to 1 within the reader's tolerance. */
  PROBS,
  /** Unnormalised class scores; the reader applies {@code softmax(logits / temperature)}. */
  LOGITS
}
