package org.llkd.experiments.teacher.llm;

import java.util.function.Function;

/**
 * The API key, read from the environment only. {@link #toString()} never shows it, and {@link #redact} removes it
 * from any text before that text reaches an exception, a log or a file.
 */
public final class ApiKey {
  private final String value;
  private final String variable;

  private ApiKey(String variable, String value) {
    this.variable = variable;
    this.value = value;
  }

  /**
   * The key in environment variable {@code variable}: null when the variable is not set and was not asked for
   * ({@code required} false: a local server needs no key); a set but empty variable counts as not set.
   */
  public static ApiKey fromEnvironment(String variable, boolean required, Function<String, String> env) {
    String v = env.apply(variable);
    if (v == null || v.isBlank()) {
      if (required) {
        throw new IllegalArgumentException("--api-key-env " + variable + ": expected the environment variable "
            + variable + " to hold the API key, found it " + (v == null ? "unset" : "empty")
            + "; export it in the shell (the key is never taken from the command line or a file)");
      }
      return null;
    }
    return new ApiKey(variable, v.strip());
  }

  /** The value for the Authorization header. */
  String bearer() {
    return "Bearer " + value;
  }

  /** The environment variable's name (safe to record). */
  public String variable() {
    return variable;
  }

  /** {@code text} with every occurrence of the key replaced by {@code ***}. */
  public String redact(String text) {
    return text == null ? null : text.replace(value, "***");
  }

  /** Redacts with {@code key} when there is one. */
  static String redact(ApiKey key, String text) {
    return key == null ? text : key.redact(text);
  }

  @Override
  public String toString() {
    return "ApiKey[$" + variable + ", ***]";
  }
}
