package org.llkd.models.classifier;

import java.nio.file.Path;

/**
 * A model directory that cannot be loaded: names the directory, the file inside it and what is wrong (expected vs
 * found). An {@link IllegalArgumentException}, so the CLI reports it as bad input (exit 2).
 */
public final class ModelFormatException extends IllegalArgumentException {
  public ModelFormatException(Path dir, String file, String problem) {
    super("model directory " + dir + ": " + file + ": " + problem);
  }

  public ModelFormatException(Path dir, String file, String problem, Throwable cause) {
    super("model directory " + dir + ": " + file + ": " + problem, cause);
  }
}
