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
 * <p>Imports only the JDK, Jackson and ND4J (for {@code TeacherOutputs.toINDArray}); must not import
 * selectors ({@code org.llkd.selection}), models or experiments.
 */
package org.llkd.selection.teacher;
