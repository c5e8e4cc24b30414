package org.llkd.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code llkd teacher label} on the command line, against a minimal chat-completions server on 127.0.0.1. */
class TeacherLabelCommandTest {
  @TempDir Path dir;

  private static String[] run(Map<String, String> env, String... args) {
    CommandLine cl = LlkdCli.commandLine();
    TeacherLabelCommand cmd = (TeacherLabelCommand) cl.getSubcommands().get("teacher").getSubcommands().get("label")
        .getCommand();
    cmd.env = env::get;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void helpListsTheOptions() {
    String[] r = run(Map.of(), "teacher", "label", "--help");
    assertEquals("0", r[0], r[2]);
    for (String o : new String[] {"--input", "--labels", "--endpoint", "--model", "--api-key-env", "--prompt", "--scoring",
        "--concurrency", "--max-rows", "--text-column", "--id-column", "--out", "--cache", "--dry-run",
        "--price-per-1k-tokens"}) {
      assertTrue(r[1].contains(o), o + " missing:\n" + r[1]);
    }
    assertTrue(run(Map.of(), "teacher", "--help")[1].contains("label"));
  }

  /** The labelling job of {@code args} as picocli parses them (defaults applied), without running it. */
  private static org.llkd.experiments.teacher.llm.LabelJob job(String... args) {
    CommandLine cl = LlkdCli.commandLine();
    cl.parseArgs(args);
    return ((TeacherLabelCommand) cl.getSubcommands().get("teacher").getSubcommands().get("label").getCommand()).job();
  }

  /**
   * A column named id is the teacher ids' column without --id-column, as llkd train and teacher check read the same
   * file: the teacher file written for it aligns with it; --no-id-column falls back to train-&lt;row&gt;.
   */
  @Test
  void aColumnNamedIdGivesTheTeacherIdsWithoutTheFlag() throws Exception {
    Path in = Files.writeString(dir.resolve("with-id.csv"), "id,text\nq7,awful\nq3,lovely\n");
    Path noId = Files.writeString(dir.resolve("no-id.csv"), "text\nawful\n");
    Path labels = Files.writeString(dir.resolve("labels.txt"), "negative\npositive\n");
    String[] common = {"teacher", "label", "--labels", labels.toString(), "--endpoint", "http://127.0.0.1:9/v1",
        "--model", "m", "--out", dir.resolve("t.jsonl").toString(), "--dry-run"};
    java.util.function.Function<String[], String> idColumn = extra -> {
      String[] args = java.util.Arrays.copyOf(common, common.length + extra.length);
      System.arraycopy(extra, 0, args, common.length, extra.length);
      return job(args).source().idColumn();
    };
    assertEquals("id", idColumn.apply(new String[] {"--input", in.toString()}));
    assertEquals(null, idColumn.apply(new String[] {"--input", in.toString(), "--no-id-column"}));
    assertEquals(null, idColumn.apply(new String[] {"--input", noId.toString()}));
    assertEquals("text", idColumn.apply(new String[] {"--input", in.toString(), "--id-column", "text"}));
  }

  @Test
  void labelsAFileAndTheResultPassesTeacherCheck() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    StringBuilder auth = new StringBuilder();
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    s.createContext("/v1/chat/completions", ex -> {
      calls.incrementAndGet();
      auth.append(ex.getRequestHeaders().getFirst("Authorization"));
      ex.getRequestBody().readAllBytes();
      byte[] b = ("{\"choices\":[{\"logprobs\":{\"content\":[{\"token\":\"neg\",\"logprob\":-0.2,\"top_logprobs\":["
          + "{\"token\":\"neg\",\"logprob\":-0.2},{\"token\":\" pos\",\"logprob\":-1.8}]}]}}],"
          + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":1}}").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    s.start();
    try {
      Path in = dir.resolve("train.tsv");
      Files.writeString(in, "label\ttext\nnegative\tawful\npositive\tlovely\n\tno gold here\n");
      Path labels = dir.resolve("labels.txt");
      Files.writeString(labels, "negative\npositive\n");
      Path out = dir.resolve("teacher.jsonl");
      String endpoint = "http://127.0.0.1:" + s.getAddress().getPort() + "/v1";
      Map<String, String> env = Map.of("MY_KEY", "sk-cli-secret-42");
      String[] dry = run(env, "teacher", "label", "--input", in.toString(), "--labels", labels.toString(), "--endpoint",
          endpoint, "--model", "m", "--out", out.toString(), "--dry-run", "--price-per-1k-tokens", "2");
      assertEquals("0", dry[0], dry[2]);
      assertTrue(dry[1].contains("Text: awful") && dry[1].contains("estimated cost"), dry[1]);
      assertEquals(0, calls.get());

      String[] r = run(env, "teacher", "label", "--input", in.toString(), "--labels", labels.toString(), "--endpoint",
          endpoint, "--model", "m", "--api-key-env", "MY_KEY", "--out", out.toString(), "--concurrency", "2");
      assertEquals("0", r[0], r[2]);
      assertTrue(r[1].contains("labelled 3 rows"), r[1]);
      assertEquals(3, calls.get());
      assertTrue(auth.toString().contains("Bearer sk-cli-secret-42"));
      assertFalse(Files.readString(out).contains("sk-cli-secret-42"));
      assertFalse((r[1] + r[2]).contains("sk-cli-secret-42"));

      String[] check = LlkdCliTest.run("teacher", "check", out.toString(), "--train", in.toString());
      assertEquals("0", check[0], check[2]);
      assertTrue(check[1].contains("OK, 3 rows aligned"), check[1]);

      String[] again = run(env, "teacher", "label", "--input", in.toString(), "--labels", labels.toString(),
          "--endpoint", endpoint, "--model", "m", "--out", out.toString());
      assertEquals("2", again[0]);
      assertTrue(again[2].contains("--force"), again[2]);

      String[] noKey = run(Map.of(), "teacher", "label", "--input", in.toString(), "--labels", labels.toString(),
          "--endpoint", endpoint, "--model", "m", "--api-key-env", "MY_KEY", "--out", dir.resolve("x.jsonl").toString());
      assertEquals("2", noKey[0]);
      assertTrue(noKey[2].contains("MY_KEY") && noKey[2].contains("unset"), noKey[2]);
      assertEquals(3, calls.get());
    } finally {
      s.stop(0);
    }
  }
}
