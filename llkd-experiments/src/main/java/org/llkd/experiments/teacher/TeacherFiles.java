package org.llkd.experiments.teacher;

import java.nio.file.Path;

/** Where a stand-in teacher's export lives: {@code <teachers root>/<dataset>/<teacher>.jsonl} (experiments, sweeps). */
public final class TeacherFiles {
  private TeacherFiles() {}

  public static Path of(Path teachersRoot, String dataset, String teacher) {
    return teachersRoot.resolve(dataset).resolve(teacher + ".jsonl");
  }
}
