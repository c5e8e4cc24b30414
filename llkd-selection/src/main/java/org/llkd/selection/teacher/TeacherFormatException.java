package org.llkd.selection.teacher;

import java.util.Objects;

/**
 * A teacher-output file (or an in-memory teacher table) that breaks the documented format, or that does
 * not fit the dataset it is aligned to.
 *
 * <p>The message is one paragraph of the form
 * {@code "<source> <location>: <problem>; expected <expected>, found <found>. Fix: <fix>"}, e.g.
 * {@code "/data/teacher.jsonl line 41: wrong number of classes; expected 5 values (one per label in
 * label_names), found 6. Fix: re-export with this label map"}. The parts are also available one by one
 * so that callers and tests can check them without parsing the message.
 */
public final class TeacherFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String location;
  private final String problem;
  private final String expected;
  private final String found;
  private final String fix;

  private TeacherFormatException(Builder b, Throwable cause) {
    super(format(b), cause);
    this.source = b.source;
    this.location = b.location;
    this.problem = b.problem;
    this.expected = b.expected;
    this.found = b.found;
    this.fix = b.fix;
  }

  private static String format(Builder b) {
    StringBuilder sb = new StringBuilder();
    sb.append(b.source);
    if (b.location != null && !b.location.isEmpty()) {
      sb.append(' ').append(b.location);
    }
    sb.append(": ").append(b.problem);
    sb.append("; expected ").append(b.expected).append(", found ").append(b.found).append('.');
    sb.append(" Fix: ").append(b.fix);
    return sb.toString();
  }

  /** Starts an error about {@code source} (a file path, or a description of an in-memory table). */
  static Builder in(String source, String location) {
    return new Builder(source, location);
  }

  /** The file (or in-memory source) the error is about. */
  public String source() {
    return source;
  }

  /** Where in the source: {@code "line 41"}, {@code "row 3"}, {@code "header"}, {@code "file"} ... */
  public String location() {
    return location;
  }

  /** What is wrong, in a few words. */
  public String problem() {
    return problem;
  }

  /** What the format requires at that place. */
  public String expected() {
    return expected;
  }

  /** What the file holds at that place. */
  public String found() {
    return found;
  }

  /** How to repair the file or the call. */
  public String fix() {
    return fix;
  }

  /** Collects the parts of one error; every part is required. */
  static final class Builder {
    private final String source;
    private final String location;
    private String problem;
    private String expected;
    private String found;
    private String fix;

    private Builder(String source, String location) {
      this.source = Objects.requireNonNull(source, "source");
      this.location = Objects.requireNonNull(location, "location");
    }

    Builder problem(String p) {
      this.problem = p;
      return this;
    }

    Builder expected(String e) {
      this.expected = e;
      return this;
    }

    Builder found(String f) {
      this.found = f;
      return this;
    }

    Builder fix(String f) {
      this.fix = f;
      return this;
    }

    TeacherFormatException build() {
      return build(null);
    }

    TeacherFormatException build(Throwable cause) {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(found, "found");
      Objects.requireNonNull(fix, "fix");
      return new TeacherFormatException(this, cause);
    }
  }
}
