package org.llkd.experiments.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.cli.LlkdCli;
import org.llkd.experiments.exp.ExperimentOptions;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.report.ResultDirs;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.train.Tier;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.experiments.train.Trainer;
import picocli.CommandLine;

/**
 * The bad-input matrix (docs/bad-input.md): every case is refused through the CLI ({@code llkd run ...},
 * exit code != 0, a one-line message on stderr, no stack trace) and through the Java API (an exception),
 * and each message names what is wrong and where (file and line, or flag/field and value). Cases on the
 * data and teacher files run on a temp copy of {@code pubmed_rct_sample}; nothing is trained.
 */
class BadInputTest {
  private static final String D = Fixtures.DATASET;
  private static final String TEACHER = "zeroshot-bge";

  @TempDir Path tmp;
  Path dataRoot;
  Path teachersRoot;

  @BeforeEach
  void copyDataset() throws Exception {
    dataRoot = tmp.resolve("data");
    teachersRoot = tmp.resolve("teachers");
    Files.createDirectories(dataRoot.resolve(D));
    Files.createDirectories(teachersRoot.resolve(D));
    for (String f : List.of("labels.txt", "train.tsv", "dev.tsv", "test.tsv")) {
      Files.copy(Fixtures.dataRoot().resolve(D).resolve(f), dataRoot.resolve(D).resolve(f));
    }
    Files.copy(Fixtures.teacher(TEACHER), teacherFile());
  }

  // ---- data and teacher files ----

  @Test
  void datasetRowWithoutTab() throws Exception {
    Path train = editLine(dataRoot.resolve(D).resolve("train.tsv"), 5, l -> l.replace('\t', ' '));
    assertRefusedByTraining(train.toString(), "line 5", "no TAB");
  }

  @Test
  void datasetUnknownLabel() throws Exception {
    editLine(dataRoot.resolve(D).resolve("train.tsv"), 7, l -> "NOT_A_LABEL" + l.substring(l.indexOf('\t')));
    assertRefusedByTraining("train.tsv", "line 7", "found label \"NOT_A_LABEL\"");
  }

  @Test
  void teacherEmptyId() throws Exception {
    editLine(teacherFile(), 3, l -> l.replace("\"id\":\"train-1\"", "\"id\":\"\""));
    assertRefusedByTraining(TEACHER + ".jsonl", "line 3", "id", "found ''");
  }

  @Test
  void teacherDuplicateId() throws Exception {
    editLine(teacherFile(), 4, l -> l.replace("\"id\":\"train-2\"", "\"id\":\"train-1\""));
    assertRefusedByTraining(TEACHER + ".jsonl", "line 4", "duplicate id 'train-1'", "line 3");
  }

  @Test
  void teacherNaN() throws Exception {
    editLine(teacherFile(), 5, l -> l.replaceFirst("\"probs\":\\[[0-9.eE-]+", "\"probs\":[NaN"));
    assertRefusedByTraining(TEACHER + ".jsonl", "line 5", "train-3", "found NaN");
  }

  @Test
  void teacherWrongClassCount() throws Exception {
    editLine(teacherFile(), 6, l -> l.replaceFirst(",[0-9.eE-]+\\],\"label_names\"", "],\"label_names\""));
    assertRefusedByTraining(TEACHER + ".jsonl", "line 6", "expected 5", "found 4");
  }

  @Test
  void teacherIdsMissingForDataset() throws Exception {
    List<String> lines = Files.readAllLines(teacherFile(), StandardCharsets.UTF_8);
    lines.removeIf(l -> l.contains("\"id\":\"train-10\""));
    Files.write(teacherFile(), lines, StandardCharsets.UTF_8);
    assertRefusedByTraining(TEACHER + ".jsonl", "'train-10' has no teacher row");
  }

  @Test
  void testSplitSortedByClass() throws Exception {
    // the tiny/quick tiers score the first evalRows test rows; a file in class blocks would score one class
    Path test = dataRoot.resolve(D).resolve("test.tsv");
    List<String> lines = new ArrayList<>(Files.readAllLines(test, StandardCharsets.UTF_8));
    List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
    rows.sort(null);
    rows.add(0, lines.get(0));
    Files.write(test, rows, StandardCharsets.UTF_8);
    assertRefusedByTraining(test.toString(), "first 32 of 100 test rows", "RESULTS: ", "expected", "random order");
  }

  @Test
  void unknownDataset() {
    String[] r = cli("run", "MainResultsTable", "--tiny", "--seeds", "1", "--dataset", "no_such_dataset",
        "--data-root", dataRoot.toString(), "--teachers-root", teachersRoot.toString(), "--out", out().toString());
    assertCliRefused(r, "no_such_dataset", dataRoot.toString(), D);
    assertFalse(Files.exists(out()), "a refused command created its output directory");
    TrainConfig cfg = TrainConfig.tiny("no_such_dataset", dataRoot, teacherFile(), "llkd", 1);
    assertApiRefused(() -> new Trainer(cfg, tmp.resolve("run")).train(), "no_such_dataset", dataRoot.toString(), D);
  }

  @Test
  void missingTeacherFile() {
    String[] r = cli("run", "MainResultsTable", "--tiny", "--seeds", "1", "--dataset", D, "--teacher", "no-such-teacher",
        "--data-root", dataRoot.toString(), "--teachers-root", teachersRoot.toString(), "--out", out().toString());
    assertCliRefused(r, "no-such-teacher.jsonl", "llkd teacher export");
    assertFalse(Files.exists(out()), "a refused command created its output directory");
    Path missing = teachersRoot.resolve(D).resolve("no-such-teacher.jsonl");
    TrainConfig cfg = TrainConfig.tiny(D, dataRoot, missing, "llkd", 1);
    assertApiRefused(() -> new Trainer(cfg, tmp.resolve("run")).train(), missing.toString());
  }

  // ---- config values (TrainConfig validates them; the CLI passes --lr/--momentum/--batch-size/--max-length) ----

  @Test
  void negativeLearningRate() {
    assertFlagRefused(List.of("--lr", "-1e-4"), "learningRate", "-1.0E-4", "(0, 1)");
    assertApiRefused(() -> config(c -> c.withSchedule(c.schedule().withLearningRate(-1e-4))), "learningRate", "-1.0E-4",
        "(0, 1)");
  }

  @Test
  void momentumOne() {
    assertFlagRefused(List.of("--momentum", "1"), "momentum", "1.0", "[0, 1)");
    assertApiRefused(() -> config(c -> c.withSelector(c.selector().withMomentum(1.0))), "momentum", "1.0", "[0, 1)");
  }

  @Test
  void momentumNegative() {
    assertFlagRefused(List.of("--momentum", "-0.1"), "momentum", "-0.1", "[0, 1)");
    assertApiRefused(() -> config(c -> c.withSelector(c.selector().withMomentum(-0.1))), "momentum", "-0.1", "[0, 1)");
  }

  @Test
  void batchZero() {
    assertFlagRefused(List.of("--batch-size", "0"), "batchSize", "0", ">= 1");
    assertApiRefused(() -> config(c -> c.withSchedule(c.schedule().withBatchSize(0))), "batchSize", "0", ">= 1");
  }

  @Test
  void unknownSelectionForward() {
    assertFlagRefused(List.of("--selection-forward", "sideways"), "--selection-forward", "separate or shared",
        "'sideways'");
    assertApiRefused(() -> config(c -> c.withSelector(c.selector().withSelectionForward(null))), "selectionForward", "SEPARATE or SHARED");
  }

  @Test
  void maxLengthTooShort() {
    assertFlagRefused(List.of("--max-length", "4"), "maxLength", "4", "8..512");
    assertApiRefused(() -> config(c -> c.withStudent(c.student().withMaxLength(4))), "maxLength", "4", "8..512");
  }

  @Test
  void batchTimesLengthTooLarge() {
    // 128 x 512 = 65,536 tokens per batch > MAX_TOKENS_PER_BATCH (32,768): refused before any allocation.
    assertFlagRefused(List.of("--batch-size", "128", "--max-length", "512"), "batchSize x maxLength", "65536",
        Long.toString(TrainConfig.MAX_TOKENS_PER_BATCH));
    assertApiRefused(() -> new TrainConfig(new TrainConfig.Data(D, dataRoot, teacherFile(), 0, 0),
        TrainConfig.Student.FULL.withMaxLength(512), TrainConfig.Schedule.FULL.withBatchSize(128),
        TrainConfig.Selector.defaults("llkd"), TrainConfig.LlkdChoices.DEFAULT, 1), "batchSize x maxLength", "65536",
        Long.toString(TrainConfig.MAX_TOKENS_PER_BATCH));
  }

  /** {@code llkd run MainResultsTable --tiny ... <flags>} is refused naming {@code expected}; nothing is written. */
  private void assertFlagRefused(List<String> flags, String... expected) {
    List<String> args = new ArrayList<>(List.of(tinyRun(out())));
    args.addAll(flags);
    assertCliRefused(cli(args.toArray(String[]::new)), expected);
    assertFalse(Files.exists(out()), "a refused command created its output directory");
  }

  @Test
  void unknownMethodOrExperiment() {
    assertApiRefused(() -> config(c -> c.withMethod("no-such-selector")), "method", "no-such-selector", "llkd",
        "freematch");
    String[] r = cli("run", "NoSuchExperiment", "--tiny");
    assertCliRefused(r, "NoSuchExperiment");
  }

  // ---- output directory and flags ----

  @Test
  void unwritableOutputDirectory() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "not a directory\n");
    Path under = file.resolve("results");
    String[] r = cli(tinyRun(under));
    assertCliRefused(r, under.toString(), "--out");
    assertApiRefused(() -> ResultDirs.prepare(under, false), under.toString());
    assertApiRefused(() -> new Trainer(Fixtures.tiny("llkd", 1), under).train(), under.toString());
    assertEquals("not a directory\n", Files.readString(file));
  }

  @Test
  void existingResultsWithoutForce() throws Exception {
    Path precious = preciousResult();
    byte[] before = Files.readAllBytes(precious);
    FileTime mtime = Files.getLastModifiedTime(precious);
    String[] r = cli(tinyRun(out()));
    assertCliRefused(r, out().toString(), "--force", "--resume");
    assertApiRefused(() -> ResultDirs.prepare(out(), false), out().toString(), "--force");
    assertArrayEquals(before, Files.readAllBytes(precious), "existing result changed");
    assertEquals(mtime, Files.getLastModifiedTime(precious), "existing result touched");
    try (var s = Files.list(out())) {
      assertEquals(1, s.count(), "a refused run added files to " + out());
    }
  }

  @Test
  void forceWithResume() throws Exception {
    Path precious = preciousResult();
    byte[] before = Files.readAllBytes(precious);
    FileTime mtime = Files.getLastModifiedTime(precious);
    List<String> args = new ArrayList<>(List.of(tinyRun(out())));
    args.add("--force");
    args.add("--resume");
    String[] r = cli(args.toArray(String[]::new));
    assertCliRefused(r, "--force", "--resume");
    assertApiRefused(() -> options(out(), true, true, 1), "--force", "--resume");
    assertArrayEquals(before, Files.readAllBytes(precious), "existing result changed");
    assertEquals(mtime, Files.getLastModifiedTime(precious), "existing result touched");
  }

  @Test
  void seedsZero() {
    List<String> args = new ArrayList<>(List.of(tinyRun(out())));
    args.set(args.indexOf("--seeds") + 1, "0");
    assertCliRefused(cli(args.toArray(String[]::new)), "--seeds", "0");
    assertFalse(Files.exists(out()), "a refused command created its output directory");
    assertApiRefused(() -> options(out(), false, false, 0), "--seeds", "0");
  }

  @Test
  void buildOnlyWithoutRawCsv() throws Exception {
    Files.createDirectories(out());
    String[] r = cli("run", "MainResultsTable", "--build-only", "--out", out().toString());
    assertCliRefused(r, out().resolve("raw.csv").toString(), "does not exist", "without --build-only");
    assertApiRefused(() -> RawTable.read(out().resolve("raw.csv")), out().resolve("raw.csv").toString());
    try (var s = Files.list(out())) {
      assertEquals(0, s.count(), "a refused build wrote into " + out());
    }
  }

  // ---- helpers ----

  private Path teacherFile() {
    return teachersRoot.resolve(D).resolve(TEACHER + ".jsonl");
  }

  private Path out() {
    return tmp.resolve("out");
  }

  private String[] tinyRun(Path out) {
    return new String[] {"run", "MainResultsTable", "--tiny", "--seeds", "1", "--dataset", D,
        "--data-root", dataRoot.toString(), "--teachers-root", teachersRoot.toString(), "--out", out.toString()};
  }

  private TrainConfig config(UnaryOperator<TrainConfig> change) {
    return change.apply(TrainConfig.tiny(D, dataRoot, teacherFile(), "llkd", 1));
  }

  private ExperimentOptions options(Path out, boolean force, boolean resume, int seeds) {
    ExperimentOptions.Inputs inputs = new ExperimentOptions.Inputs(List.of(D), dataRoot, teachersRoot, TEACHER);
    return new ExperimentOptions(Tier.TINY, seeds, inputs, new ExperimentOptions.Output(out, force, resume));
  }

  private Path preciousResult() throws Exception {
    Files.createDirectories(out());
    Path precious = Files.writeString(out().resolve("raw.csv"), "run_id,status\nearlier-run,ok\n");
    Files.setLastModifiedTime(precious, FileTime.fromMillis(1_000_000_000_000L));
    return precious;
  }

  private static Path editLine(Path file, int lineNo, UnaryOperator<String> edit) throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    String changed = edit.apply(lines.get(lineNo - 1));
    assertNotEquals(lines.get(lineNo - 1), changed, "the fixture edit did not change line " + lineNo + " of " + file);
    lines.set(lineNo - 1, changed);
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  /** The CLI refuses the (corrupted) temp dataset before training; so does Trainer.run. */
  private void assertRefusedByTraining(String... mustName) {
    String[] r = cli(tinyRun(out()));
    assertCliRefused(r, mustName);
    TrainConfig cfg = TrainConfig.tiny(D, dataRoot, teacherFile(), "llkd", 1);
    assertApiRefused(() -> new Trainer(cfg, tmp.resolve("api-run")).train(), mustName);
    assertFalse(Files.exists(tmp.resolve("api-run").resolve("steps.csv")), "training started on bad input");
  }

  /** Runs {@code llkd args}; returns {exitCode, stdout, stderr}. */
  static String[] cli(String... args) {
    CommandLine cl = LlkdCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  /** Exit code 2 (invalid input), every fragment in the message, and no stack trace. */
  static void assertCliRefused(String[] r, String... mustName) {
    String err = r[2];
    assertEquals(Integer.toString(LlkdCli.EXIT_INVALID), r[0], "exit code; stderr:\n" + err);
    for (String s : mustName) assertTrue(err.contains(s), "stderr does not name '" + s + "':\n" + err);
    assertFalse(err.contains("\tat "), "stderr shows a stack trace instead of a message:\n" + err);
    System.out.println("CLI  -> " + err.strip().replace('\n', ' '));
  }

  /** An IllegalArgumentException whose message contains every fragment. */
  static void assertApiRefused(Executable call, String... mustName) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String s : mustName) {
      assertTrue(e.getMessage().contains(s), "message does not name '" + s + "': " + e.getMessage());
    }
    System.out.println("API  -> " + e.getMessage());
  }
}
