package org.llkd.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
