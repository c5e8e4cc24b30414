package org.llkd.experiments.teacher.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.cli.LlkdCli;
import picocli.CommandLine;

/**
 * {@code llkd teacher plan --endpoint ...} asks the endpoint the way {@code llkd teacher label} does, with the same
 * options: a {@code --prompt} template reaches every request, and {@code --top-logprobs} is what is asked for.
 */
class PlanCommandEndpointOptionsTest {
  @TempDir Path dir;

  @Test
  void planSendsTheGivenPromptAndTopLogprobs() throws Exception {
    StringBuilder sb = new StringBuilder("text\n");
    String[] words = {"sad", "happy", "gloomy", "joyful"};
    for (int i = 0; i < 24; i++) sb.append("I feel ").append(words[i % words.length]).append(" number ").append(i).append('\n');
    Path pool = dir.resolve("pool.csv");
    Files.writeString(pool, sb.toString(), StandardCharsets.UTF_8);
    Path labels = dir.resolve("labels.txt");
    Files.writeString(labels, "sadness\njoy\n", StandardCharsets.UTF_8);
    Path prompt = dir.resolve("prompt.txt");
    Files.writeString(prompt, "Sort this feeling into {labels}.\nText: {text}\nCategory:", StandardCharsets.UTF_8);
    Path out = dir.resolve("plan.txt");
    try (FakeEndpoint fake = new FakeEndpoint()) {
      fake.answers = t -> List.of(new TokenLogprob(t.contains("sad") || t.contains("gloomy") ? " sad" : " joy", Math.log(0.8)));
      CommandLine cli = LlkdCli.commandLine();
      StringWriter err = new StringWriter();
      cli.setErr(new PrintWriter(err));
      cli.setOut(new PrintWriter(new StringWriter()));
      int code = cli.execute("teacher", "plan", "--input", pool.toString(), "--labels", labels.toString(),
          "--budget", "6", "--rounds", "1", "--student-tier", "tiny", "--seed", "2",
          "--endpoint", fake.base().toString(), "--model", "fake-llm", "--prompt", prompt.toString(),
          "--concurrency", "2", "--top-logprobs", "5", "--out", out.toString());
      assertEquals(0, code, err.toString());
      assertEquals(6, Files.readAllLines(out).size());
      assertEquals(6, fake.bodies.size(), "one request per planned row");
      for (String body : fake.bodies) {
        assertTrue(body.contains("Sort this feeling into"), "the --prompt template was sent: " + body);
        assertTrue(body.contains("\"top_logprobs\":5"), "--top-logprobs 5 was asked for: " + body);
      }
    }
  }
}
