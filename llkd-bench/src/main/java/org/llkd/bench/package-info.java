/**
 * JMH benchmarks of LLKD-J, one question per class: the student's train step ({@link TrainStepBench}) and
 * inference forward ({@link InferenceBench}), one LLKD step at a forced selected fraction against an
 * all-data step ({@link LlkdStepBench}), selector steps ({@link SelectorStepBench}), teacher import
 * ({@link TeacherImportBench}), tokenizer throughput ({@link TokenizerBench}) and checkpoint save/load
 * ({@link CheckpointBench}).
 *
 * <p>Uses llkd-models and llkd-selection only; must not import {@code org.llkd.experiments} ({@link LlkdStepBench}
 * times the trainer's own step, {@code org.llkd.models.train.SelectiveTrainStep}, which lives in models for that
 * reason). Sizes are {@code @Param}s;
 * {@code model=tiny} with small sizes is what the smoke test runs. Run the suite with {@code scripts/bench.sh},
 * which records the machine, the thread settings and the foreign load next to the JMH JSON.
 */
package org.llkd.bench;
