/**
 * Labelling a text file with the user's own LLM behind an OpenAI-compatible HTTP endpoint (OpenAI, Azure, vLLM,
 * llama.cpp server, Ollama) and writing the canonical JSONL teacher file ({@code llkd teacher label}).
 *
 * <p>The pieces, one job each: {@link org.llkd.experiments.teacher.llm.PromptTemplate} (the prompt, {@code {text}}
 * and {@code {labels}}; the gold label is never read), {@link org.llkd.experiments.teacher.llm.LabelMatcher}
 * (first-token scoring: which returned token starts which label, without the remote tokenizer, and the floor for a
 * label missing from the top list), {@link org.llkd.experiments.teacher.llm.SequenceScorer} (a label's full
 * log-likelihood from echoed prompt log-probabilities), {@link org.llkd.experiments.teacher.llm.OpenAiClient} (JDK
 * HttpClient + Jackson), {@link org.llkd.experiments.teacher.llm.Retrier} (exponential backoff with jitter,
 * Retry-After), {@link org.llkd.experiments.teacher.llm.AnswerCache} (append-only on-disk cache: a killed run resumes
 * and a rerun costs nothing), {@link org.llkd.experiments.teacher.llm.LlmLabeler} (bounded concurrency, progress,
 * the atomic output) and {@link org.llkd.experiments.teacher.llm.CostEstimate} ({@code --dry-run}).
 *
 * <p>Rules: the API key is read from the environment only and never written to a file, a log or an exception
 * message; nothing here loads ND4J or onnxruntime. Must not import {@code org.llkd.experiments.cli} or experiment
 * classes (the CLI depends on this package, not the reverse).
 */
package org.llkd.experiments.teacher.llm;
