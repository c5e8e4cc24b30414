package org.llkd.experiments.teacher.llm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A classification prompt with the placeholders {@code {text}} (required) and {@code {labels}} (the label names
 * joined by ", "). Only the row's text is substituted: the gold label of an input row is never read, so it cannot
 * leak into a prompt. Placeholders are replaced literally (no format-string escapes), the text last, so braces in a
 * text are sent as they are.
 *
 * @param template the template text, recorded verbatim in the teacher file's {@code _meta}
 */
public record PromptTemplate(String template) {
  /** The documented default (docs/llm-teacher.md); the same wording as scripts/llm_teacher.py, answer on its own. */
  public static final String DEFAULT = "Classify the text into one of these categories: {labels}.\n"
      + "Answer with the category name only.\n"
      + "\n"
      + "Text: {text}\n"
      + "Category:";

  public PromptTemplate {
    if (template == null || !template.contains("{text}")) {
      throw new IllegalArgumentException("prompt template: expected the placeholder {text}, found "
          + (template == null ? "no template" : "none in '" + abbreviate(template) + "'"));
    }
  }

  /** The default template. */
  public static PromptTemplate defaults() {
    return new PromptTemplate(DEFAULT);
  }

  /** Reads a template file (UTF-8); a final line break is dropped. */
  public static PromptTemplate read(Path file) {
    try {
      String t = Files.readString(file, StandardCharsets.UTF_8);
      if (t.endsWith("\n")) t = t.substring(0, t.length() - 1);
      if (!t.contains("{text}")) {
        throw new IllegalArgumentException(file + ": expected a prompt template with the placeholder {text} "
            + "(and optionally {labels}), found none");
      }
      return new PromptTemplate(t);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": expected a prompt template file, found no such file");
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The prompt for one text. */
  public String render(String text, List<String> labels) {
    return template.replace("{labels}", String.join(", ", labels)).replace("{text}", text);
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
