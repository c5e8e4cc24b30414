package org.llkd.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.log.LogLevels;
import org.llkd.experiments.testsupport.ChildJvm;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.SLF4JServiceProvider;
import picocli.CommandLine;

/** --verbose/--quiet on every command; one SLF4J binding (logback); no "SLF4J:" line from any command. */
class LoggingCliTest {
  @Test
  void everyCommandHasVerboseAndQuiet() {
    List<String> missing = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    walk(LlkdCli.commandLine(), missing, seen);
    assertTrue(seen.size() >= 15, "walked the whole command tree: " + seen);
    assertEquals(List.of(), missing, "commands without --verbose/--quiet");
  }

  private static void walk(CommandLine cl, List<String> missing, List<String> seen) {
    String name = cl.getCommandSpec().qualifiedName();
    seen.add(name);
    if (cl.getCommandSpec().findOption("--verbose") == null || cl.getCommandSpec().findOption("--quiet") == null) {
      missing.add(name);
    }
    cl.getSubcommands().values().forEach(s -> walk(s, missing, seen));
  }

  @Test
  void flagsSetTheConsoleLevelAtAnyDepthAndExcludeEachOther() {
    try {
      assertEquals(0, run("teacher", "report", "--help", "--quiet").code);
      assertEquals(Level.WARN, LogLevels.console());
      assertEquals(0, run("--verbose", "teacher", "--help").code);
      assertEquals(Level.DEBUG, LogLevels.console());
      assertEquals(0, run("teacher", "--help").code);
      assertEquals(Level.INFO, LogLevels.console(), "no flag: back to INFO");
      Result both = run("--verbose", "sweep", "--quiet", "--help");
      assertEquals(2, both.code, both.err);
      assertTrue(both.err.contains("--verbose and --quiet exclude each other"), both.err);
    } finally {
      LogLevels.setConsole(Level.INFO);
    }
  }

  @Test
  void exactlyOneSlf4jBindingAndItIsLogback() {
    List<String> providers = new ArrayList<>();
    ServiceLoader.load(SLF4JServiceProvider.class).forEach(p -> providers.add(p.getClass().getName()));
    assertEquals(List.of("ch.qos.logback.classic.spi.LogbackServiceProvider"), providers);
    assertTrue(LoggerFactory.getILoggerFactory() instanceof LoggerContext);
    assertEquals(null, getClass().getClassLoader().getResource("org/slf4j/impl/StaticLoggerBinder.class"),
        "an SLF4J 1.7-style binding is on the class path");
  }

  @Test
  void noCommandPrintsAnSlf4jLine(@TempDir Path dir) throws Exception {
    List<List<String>> commands = List.of(List.of("--help"), List.of("run", "--help"),
        List.of("run", "MainResultsTable", "--help"), List.of("sweep", "--help"), List.of("teacher", "--help"),
        List.of("teacher", "export", "--help"), List.of("teacher", "report", "--help"), List.of("report", "--help"), List.of("help"));
    for (int i = 0; i < commands.size(); i++) {
      Path log = dir.resolve("cmd" + i + ".log");
      Process p = ChildJvm.start(LlkdCli.class, List.of("-Xmx512m"), commands.get(i), log);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "llkd " + commands.get(i) + " did not finish");
      String out = Files.readString(log);
      assertEquals(0, p.exitValue(), "llkd " + commands.get(i) + ":\n" + out);
      assertTrue(out.contains("Usage: llkd"), out);
      assertFalse(out.contains("SLF4J"), "llkd " + commands.get(i) + " printed an SLF4J line:\n" + out);
      assertFalse(out.contains("logback"), "llkd " + commands.get(i) + " printed logback status:\n" + out);
    }
  }

  private record Result(int code, String err) {}

  private static Result run(String... args) {
    CommandLine cl = LlkdCli.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    int code = cl.execute(args);
    return new Result(code, err.toString());
  }
}
