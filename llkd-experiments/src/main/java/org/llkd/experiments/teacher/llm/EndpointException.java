package org.llkd.experiments.teacher.llm;

import java.time.Duration;

/**
 * A failed request to the endpoint: its HTTP status (0 where no response came: timeout, connection error), whether
 * trying again can help (429, 5xx, 408, timeouts, connection errors, a malformed body), and the server's
 * {@code Retry-After}, if any. Messages never hold the API key ({@link ApiKey#redact}).
 */
public final class EndpointException extends Exception {
  private final int status;
  private final boolean retryable;
  private final Duration retryAfter;

  public EndpointException(String message, int status, boolean retryable, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The server's Retry-After, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Whether HTTP {@code status} is worth retrying. */
  static boolean retryableStatus(int status) {
    return status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
  }
}
