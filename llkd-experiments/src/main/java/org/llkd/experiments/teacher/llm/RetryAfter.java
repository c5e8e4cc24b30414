package org.llkd.experiments.teacher.llm;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The wait a server asks for: {@code retry-after-ms} (OpenAI's, milliseconds) or {@code Retry-After} (RFC 9110:
 * seconds, or an HTTP date). Null when absent or unreadable.
 */
final class RetryAfter {
  private RetryAfter() {}

  static Duration parse(HttpHeaders h) {
    var ms = h.firstValue("retry-after-ms");
    if (ms.isPresent()) {
      try {
        return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.get().trim())));
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    return h.firstValue("retry-after").map(v -> parse(v, Instant.now())).orElse(null);
  }

  static Duration parse(String v, Instant now) {
    String s = v.trim();
    try {
      return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(s) * 1000)));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
