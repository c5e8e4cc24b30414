package org.llkd.experiments.product;

/**
 * Bad input in a user's file: names the file, the row/line, what was expected and what was found. An
 * {@link IllegalArgumentException}, so the CLI prints it as {@code llkd: <message>} with exit code 2.
 */
public final class UserFileException extends IllegalArgumentException {
  public UserFileException(String file, String where, String expected, String found) {
    super(file + (where.isEmpty() ? "" : " " + where) + ": expected " + expected + ", found " + found);
  }
}
