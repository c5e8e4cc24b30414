package org.llkd.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LlkdCliTest {
  /** Runs {@code llkd args}; returns {exitCode, stdout, stderr}. */
  static String[] run(String... args) {
    CommandLine cl = LlkdCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  /**
   * ./llkd runs java in the caller's directory (relative file names are the caller's), so the defaults that name the
   * repository's folders resolve against llkd.repo.root (the launcher passes it), not the working directory.
   */
  @Test
  void defaultFoldersAreTheRepositorysNotTheWorkingDirectorys(@TempDir Path repo) throws Exception {
    Files.createDirectories(repo.resolve("results"));
    Files.createDirectories(repo.resolve("teachers"));
    String before = System.getProperty("llkd.repo.root");
    System.setProperty("llkd.repo.root", repo.toString());
    try {
      String[] report = run("report");
      assertEquals("2", report[0], report[1]);
      assertTrue(report[2].contains(repo.resolve("results") + " holds no <Experiment>/table.md"), report[2]);
      String[] teachers = run("teacher", "report", "--no-verify");
      assertEquals("2", teachers[0], teachers[1]);
      assertTrue(teachers[2].contains("files under " + repo.resolve("teachers")), teachers[2]);
    } finally {
      if (before == null) System.clearProperty("llkd.repo.root"); else System.setProperty("llkd.repo.root", before);
    }
  }

  @Test
  void rootHelpListsTheTeacherGroup() {
    String[] r = run("--help");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("Usage: llkd"), r[1]);
    assertTrue(r[1].contains("teacher"), r[1]);
  }

  @Test
  void teacherHelpListsExportAndReport() {
    String[] r = run("teacher", "--help");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("Usage: llkd teacher"), r[1]);
    assertTrue(r[1].contains("export") && r[1].contains("report"), r[1]);
  }

  @Test
  void exportHelpShowsItsOptions() {
    String[] r = run("teacher", "export", "--help");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("Usage: llkd teacher export"), r[1]);
    for (String opt : new String[] {"--dataset", "--teacher", "--split", "--out", "--data-root", "--k", "--seed", "--threads", "--force"}) {
      assertTrue(r[1].contains(opt), opt + " missing from\n" + r[1]);
    }
  }

  /**
   * The options of the commands built from shared mixins ({@code ModelDirectoryOption}, {@code RuntimeOptions},
   * {@code InputColumnOptions}/{@code TextColumnOptions}, {@code LabelNamesOption}, {@code GridFlags}), as they were
   * before the mixins: each is listed in its {@code --help}; {@code teacher label} has no {@code --label-column}.
   */
  @Test
  void helpOfTheMixinCommandsListsEveryOption() {
    String columns = "--text-column --id-column --no-id-column --label-column --input-format";
    String runtime = "--runtime --onnx --threads";
    String grid = "--data-root --teachers-root --allow-dirty --engine --master --keep-models";
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("train", "--train --teacher --dev --test --labels --method --tier --seed --epochs --max-steps "
        + "--max-train-rows --checkpoint-minutes --resume --lr --batch-size --max-length --eval-every --patience --out "
        + "--force " + columns);
    expected.put("predict", "--model --input --output --format --batch-size " + columns + " " + runtime);
    expected.put("evaluate", "--model --test --out --force " + columns + " " + runtime);
    expected.put("serve", "--model --host --port --max-batch --max-wait-ms --queue --max-texts --max-body-bytes "
        + "--http-threads --workers --grace " + runtime);
    expected.put("export onnx", "--model --out --force");
    expected.put("teacher check", "--train --labels " + columns);
    expected.put("teacher label", "--input --labels --endpoint --model --api-key-env --prompt --scoring --concurrency "
        + "--max-rows --text-column --id-column --no-id-column --input-format --split --out --cache --top-logprobs --timeout-s "
        + "--max-attempts --dry-run --price-per-1k-tokens --force");
    expected.put("sweep", "--out --force --resume --report-only --workers --shard --limit " + grid);
    expected.put("run MainResultsTable", "--quick --standard --full --tiny --seeds --dataset --teacher --out --force "
        + "--resume --build-only --collect --lr --momentum --batch-size --max-length --epochs --methods "
        + "--selection-forward " + grid);
    for (Map.Entry<String, String> e : expected.entrySet()) {
      List<String> args = new ArrayList<>(List.of(e.getKey().split(" ")));
      args.add("--help");
      String[] r = run(args.toArray(String[]::new));
      assertEquals("0", r[0], e.getKey() + ": " + r[2]);
      for (String opt : (e.getValue() + " --help --version --verbose --quiet").split(" ")) {
        assertTrue(Pattern.compile("(?m)^\\s+(-\\w, )?" + opt + "[=\\s]").matcher(r[1]).find(),
            "llkd " + e.getKey() + " --help does not list " + opt + ":\n" + r[1]);
      }
    }
    assertFalse(run("teacher", "label", "--help")[1].contains("--label-column"), "the labeller reads no label column");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    String[] r = run("teacher", "export", "--dataset", "emotion");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--out") || r[2].contains("--teacher"), r[2]);
  }

  @Test
  void exportRefusesToOverwriteWithoutForce(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("emotion.jsonl");
    Files.writeString(out, "precious\n");
    String[] r = run("teacher", "export", "--dataset", "emotion", "--teacher", "zeroshot-bge", "--split", "dev",
        "--data-root", dataRoot().toString(), "--out", out.toString(), "--no-progress");
    assertEquals(Integer.toString(LlkdCli.EXIT_INVALID), r[0], r[2]);
    assertTrue(r[2].contains("exists") && r[2].contains("--force"), r[2]);
    assertEquals("precious\n", Files.readString(out, StandardCharsets.UTF_8));
  }

  static Path dataRoot() throws Exception {
    return Path.of(LlkdCliTest.class.getResource("/teacher/data/emotion/labels.txt").toURI()).getParent().getParent();
  }
}
