/**
 * Honest stand-in teachers for the LLM of the paper, built from real pretrained sentence encoders shipped
 * on Maven Central and run through onnxruntime ({@link org.llkd.experiments.teacher.OnnxSentenceEncoder}):
 * {@link org.llkd.experiments.teacher.ZeroShotTeacher} (bge-small-en-v1.5, label descriptions) and
 * {@link org.llkd.experiments.teacher.FewShotTeacher} (all-MiniLM-L6-v2 by default, k-shot class
 * prototypes; minilm is also the student's initialisation, so that teacher shares the student's prior).
 * {@link org.llkd.experiments.teacher.TeacherExporter} writes their probabilities as canonical teacher JSONL
 * with provenance and measured quality; {@link org.llkd.experiments.teacher.TeacherReport} rebuilds
 * {@code teachers/README.md} from the provenance files.
 *
 * <p>Rule: a teacher never sees gold labels beyond the k shots per class drawn from train; gold is read
 * again only after export, to measure the file.
 *
 * <p>Must not import {@code org.llkd.experiments.cli} or experiment classes; the CLI depends on this
 * package, not the reverse.
 */
package org.llkd.experiments.teacher;
