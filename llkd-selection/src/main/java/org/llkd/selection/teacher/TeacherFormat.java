package org.llkd.selection.teacher;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The teacher-output file formats LLKD-J imports (see {@code docs/teacher-formats.md} for the exact
 * layout of each). {@link #detect(Path)} picks one from the file extension; callers that use another
 * extension pass the format explicitly in {@link TeacherOutputReader.Options#withFormat}.
 */
public enum TeacherFormat {
  /** One JSON object per line: {@code {"id", "probs"|"logits", "label_names"?}}, optional {@code _meta} header. */
  JSONL(".jsonl"),
  /** A {@code [N, C]} {@code <f4}/{@code <f8} probability array with {@code <file>.ids.txt} (and optional {@code .labels.txt}, {@code .meta.json}) beside it. */
  NPY(".npy"),
  /** A zip of {@code probs.npy} or {@code logits.npy}, {@code ids.npy} or {@code ids.txt}, optional {@code label_names.npy}/{@code .txt}, {@code meta.json}. */
  NPZ(".npz"),
  /** Comma-separated: header {@code id,<label>...} (probabilities) or {@code id,logit:<label>...} (logits). */
  CSV(".csv"),
  /** Like {@link #CSV} with TAB as the separator. */
  TSV(".tsv");

  private final String extension;

  TeacherFormat(String extension) {
    this.extension = extension;
  }

  /** The file extension this format is detected by, with its dot, lower case. */
  public String extension() {
    return extension;
  }

  /**
   * The format named by {@code file}'s extension (case-insensitive).
   *
   * @throws TeacherFormatException if the extension is none of {@code .jsonl .npy .npz .csv .tsv}
   */
  public static TeacherFormat detect(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    for (TeacherFormat f : values()) {
      if (name.endsWith(f.extension)) {
        return f;
      }
    }
    int dot = name.lastIndexOf('.');
    throw TeacherFormatException.in(file.toString(), "file name")
        .problem("cannot tell the teacher-output format from the file extension")
        .expected("one of .jsonl, .npy, .npz, .csv, .tsv")
        .found(dot < 0 ? "no extension" : "'" + name.substring(dot) + "'")
        .fix("rename the file, or pass the format explicitly (TeacherOutputReader.Options.withFormat)")
        .build();
  }
}
