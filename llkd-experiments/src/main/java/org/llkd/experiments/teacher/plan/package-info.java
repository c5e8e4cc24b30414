/**
 * Spending the teacher's calls only where they help ({@code llkd teacher plan --budget N}, issue 28 item 4): which
 * N rows of an unlabelled pool to send to the LLM at all. {@link org.llkd.experiments.teacher.plan.BudgetPlanner}
 * runs the rounds (a seeded random seed set; then train the student on what is labelled, and pick the next rows by
 * the student's uncertainty and diversity: greedy {@link org.llkd.experiments.teacher.plan.KCenter} over the
 * student's sentence embeddings among the most uncertain rows) behind the small
 * {@link org.llkd.experiments.teacher.plan.PlanStudent} interface, so the algorithm is tested without training.
 *
 * <p>Must not import {@code org.llkd.experiments.cli}, experiment classes, {@code product} or {@code teacher.llm}
 * (product depends on exp, which runs {@code TeacherBudget} on this package); the CLI's driver with the LLM endpoint,
 * {@link org.llkd.experiments.teacher.llm.PlanJob}, lives beside the labeller.
 */
package org.llkd.experiments.teacher.plan;
