/**
 * Teacher-output import: reads the class probabilities an LLM teacher produced offline (JSONL, NPY with
 * sidecars, NPZ, CSV/TSV), validates them strictly, aligns them to dataset rows and label lists, and writes
 * them back (JSONL, NPY) for exporters. Formats and rules: {@code docs/teacher-formats.md}; the
 * bring-your-own-LLM script that produces JSONL: {@code scripts/llm_teacher.py}.
 *
 * <p>Entry points: {@link org.llkd.selection.teacher.TeacherOutputReader},
 * {@link org.llkd.selection.teacher.TeacherOutputs}, {@link org.llkd.selection.teacher.TeacherOutputWriter};
 * every format or alignment error is a {@link org.llkd.selection.teacher.TeacherFormatException}.
 *
 * <p>Imports only the JDK, Jackson, Commons CSV, ND4J (for {@code TeacherOutputs.toINDArray}) and
 * {@code org.llkd.models.io} (the project's one SHA-256 and strict UTF-8 decoder); must not import selectors
 * ({@code org.llkd.selection}), other models packages or experiments.
 */
package org.llkd.selection.teacher;
