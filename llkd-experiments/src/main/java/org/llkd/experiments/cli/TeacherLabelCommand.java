package org.llkd.experiments.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.llkd.experiments.product.TeacherCheck;
import org.llkd.experiments.teacher.llm.ApiKey;
import org.llkd.experiments.teacher.llm.CostEstimate;
import org.llkd.experiments.teacher.llm.LabelJob;
import org.llkd.experiments.teacher.llm.LlmLabeler;
import org.llkd.experiments.teacher.llm.OpenAiClient;
import org.llkd.experiments.teacher.llm.PromptTemplate;
import org.llkd.experiments.teacher.llm.Retrier;
import org.llkd.experiments.teacher.llm.Scoring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llkd teacher label}: label a text file with an LLM behind an OpenAI-compatible endpoint (docs/llm-teacher.md). */
@Command(
    name = "label",
    mixinStandardHelpOptions = true,
    description = {"Label a text file with your own LLM endpoint (OpenAI, Azure, vLLM, llama.cpp server, Ollama: the "
        + "OpenAI chat-completions protocol with logprobs) and write the canonical JSONL teacher file with logits.",
        "Every answer is cached on disk first (--cache): a killed run resumes where it stopped and a rerun pays for "
        + "nothing. The API key is read from the environment only. docs/llm-teacher.md has the details."})
public final class TeacherLabelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Environment lookup (tests replace it). */
  Function<String, String> env = System::getenv;

  @Option(names = "--input", required = true, description = "The texts to label (.csv, .tsv, .jsonl, .txt). The label column, if any, is never read.")
  String input;

  @Option(names = "--labels", required = true, description = "Label names, one per line, in the output's column order.")
  Path labels;

  /** --endpoint, --model, --api-key-env, --prompt, --scoring, --concurrency, --cache, --top-logprobs, --timeout-s, --max-attempts. */
  @Mixin EndpointOptions endpoint = new EndpointOptions();

  @Option(names = "--max-rows", description = "Label only the first N rows.")
  Integer maxRows;

  /** --text-column, --id-column, --no-id-column, --input-format; not --label-column: the labeller never reads a label. */
  @Mixin TextColumnOptions columns = new TextColumnOptions();

  @Option(names = "--split", defaultValue = "train", description = "Without an id column (--id-column, or a column "
      + "named 'id' in the input), the teacher file's ids are <split>-<0-based row> (default: ${DEFAULT-VALUE}, what "
      + "llkd train expects); with one, the column's values as they are (llkd train and teacher check use the same "
      + "column by the same rule).")
  String split;

  @Option(names = "--out", required = true, description = "The teacher file to write (JSONL, written atomically at the end).")
  Path out;

  @Option(names = "--dry-run", description = "Print the first prompt and the estimated tokens and cost; send nothing.")
  boolean dryRun;

  @Option(names = "--price-per-1k-tokens", description = "Price per 1,000 tokens for the --dry-run cost estimate.")
  Double price;

  @Option(names = "--force", description = "Replace an existing --out.")
  boolean force;

  @Option(names = "--stop-after-calls", hidden = true, description = "Stop as if killed after N paid calls (trials, tests).")
  Integer stopAfterCalls;

  @Override
  public Integer call() {
    LabelJob job = job();
    if (dryRun) {
      spec.commandLine().getOut().print(CostEstimate.of(job).format(job, price));
      spec.commandLine().getOut().flush();
      return 0;
    }
    try {
      LlmLabeler.Result r = LlmLabeler.run(job);
      spec.commandLine().getOut().println(r.summary());
      spec.commandLine().getOut().flush();
      return 0;
    } catch (LlmLabeler.Stopped e) {
      spec.commandLine().getErr().println("llkd: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
  }

  LabelJob job() {
    if (price != null && !(price >= 0)) throw new IllegalArgumentException("--price-per-1k-tokens: expected >= 0, found " + price);
    if (endpoint.timeoutS < 1) throw new IllegalArgumentException("--timeout-s: expected >= 1, found " + endpoint.timeoutS);
    List<String> names = TeacherCheck.readLabels(labels);
    PromptTemplate template = endpoint.prompt == null ? PromptTemplate.defaults() : PromptTemplate.read(endpoint.prompt);
    URI uri;
    try {
      uri = new URI(endpoint.url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--endpoint: expected a URL such as http://localhost:8000/v1, found '" + endpoint.url + "'");
    }
    String keyVar = endpoint.apiKeyEnv;
    ApiKey key = dryRun ? null : ApiKey.fromEnvironment(keyVar == null ? "OPENAI_API_KEY" : keyVar, keyVar != null, env);
    OpenAiClient.Settings settings = new OpenAiClient.Settings(uri, endpoint.model, Duration.ofSeconds(endpoint.timeoutS), key);
    return new LabelJob(
        new LabelJob.Source(input, columns.format(), columns.textColumn, columns.idColumnOf(input), split, maxRows),
        new LabelJob.Question(names, template, Scoring.parse(endpoint.scoring), endpoint.topLogprobs),
        new LabelJob.Calls(settings, endpoint.concurrency, Retrier.defaults().withMaxAttempts(endpoint.maxAttempts),
            stopAfterCalls),
        new LabelJob.Output(out, endpoint.cache, force), Clock.systemUTC());
  }
}
