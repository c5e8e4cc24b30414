package org.llkd.experiments.serve;

/** A request the server refuses: the HTTP status and a message for the client (sent as {@code {"error": ...}}). */
final class HttpError extends RuntimeException {
  final int status;

  HttpError(int status, String message) {
    super(message);
    this.status = status;
  }
}
