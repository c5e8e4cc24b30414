package org.llkd.experiments.teacher.llm;

import java.util.Locale;

/** How a label is scored: by its first token in one chat completion, or by its full echoed log-likelihood. */
public enum Scoring {
  FIRST_TOKEN("first-token"),
  SEQUENCE("sequence");

  private final String cli;

  Scoring(String cli) {
    this.cli = cli;
  }

  /** The name on the command line and in {@code _meta}. */
  public String cli() {
    return cli;
  }

  public static Scoring parse(String s) {
    for (Scoring v : values()) if (v.cli.equals(s.toLowerCase(Locale.ROOT).replace('_', '-'))) return v;
    throw new IllegalArgumentException("--scoring: expected first-token or sequence, found '" + s + "'");
  }
}
