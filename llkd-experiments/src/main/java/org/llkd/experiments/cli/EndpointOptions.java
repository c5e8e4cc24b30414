package org.llkd.experiments.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The LLM endpoint and how to ask it, shared by {@code llkd teacher label} (a mixin: required there) and
 * {@code llkd teacher plan} (an argument group, the alternative to {@code --teacher-file}): one declaration of each
 * option, so both commands ask the endpoint the same way and their answers share one cache.
 */
public final class EndpointOptions {
  @Option(names = "--endpoint", required = true, description = "Base URL of the OpenAI-compatible API, e.g. https://api.openai.com/v1 or http://localhost:8000/v1.")
  String url;

  @Option(names = "--model", required = true, description = "Model name sent with every request.")
  String model;

  @Option(names = "--api-key-env", paramLabel = "VAR", description = "Environment variable holding the API key (default: OPENAI_API_KEY if set, else no key, as local servers need none). Never pass the key itself.")
  String apiKeyEnv;

  @Option(names = "--prompt", paramLabel = "FILE", description = "Prompt template file with {text} and optionally {labels} (default: docs/llm-teacher.md).")
  Path prompt;

  @Option(names = "--scoring", defaultValue = "first-token", description = "first-token (one chat completion per text) or sequence (full label log-likelihood via completions with echo) (default: ${DEFAULT-VALUE}).")
  String scoring = "first-token";

  @Option(names = "--concurrency", defaultValue = "4", description = "Requests in flight at most (default: ${DEFAULT-VALUE}).")
  int concurrency = 4;

  @Option(names = "--cache", description = "Answer cache (default: <out>.cache.jsonl). Keep it: it is what makes a rerun free.")
  Path cache;

  @Option(names = "--top-logprobs", defaultValue = "20", description = "top_logprobs asked for, 1..20 (default: ${DEFAULT-VALUE}).")
  int topLogprobs = 20;

  @Option(names = "--timeout-s", defaultValue = "60", description = "Seconds per request before it counts as hung and is retried (default: ${DEFAULT-VALUE}).")
  int timeoutS = 60;

  @Option(names = "--max-attempts", defaultValue = "8", description = "Attempts per row on 429/5xx/timeouts, with exponential backoff and jitter, honouring Retry-After (default: ${DEFAULT-VALUE}).")
  int maxAttempts = 8;
}
