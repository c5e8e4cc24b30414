package org.llkd.experiments.teacher.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.data.TextDataset;
import org.llkd.experiments.teacher.plan.BudgetPlanner;
import org.llkd.experiments.train.Tier;

/**
 * {@code llkd teacher plan} with the LLM endpoint as the teacher (tiny student): the endpoint is asked for exactly
 * the planned rows, once each, and planning again from the same cache asks for nothing and gives the same plan.
 */
class PlanWithEndpointTest {
  @TempDir Path dir;

  @Test
  void theEndpointSeesExactlyThePlannedRowsOnceAndARerunIsFree() throws Exception {
    StringBuilder sb = new StringBuilder("text\n");
    String[] words = {"sad", "happy", "loving", "gloomy", "joyful", "tender", "tearful", "cheerful"};
    for (int i = 0; i < 40; i++) sb.append("I feel ").append(words[i % words.length]).append(" today number ").append(i).append('\n');
    Path pool = dir.resolve("pool.csv");
    Files.writeString(pool, sb.toString(), StandardCharsets.UTF_8);
    List<String> labels = List.of("sadness", "joy", "love");
    try (FakeEndpoint fake = new FakeEndpoint()) {
      fake.answers = t -> List.of(new TokenLogprob(t.contains("sad") || t.contains("gloomy") || t.contains("tearful")
          ? " sad" : " joy", Math.log(0.7)), new TokenLogprob(" love", Math.log(0.2)));
      TextDataset ds = PlanJob.readPool(pool.toString(), null, "text", labels);
      Path cache = dir.resolve("plan.cache.jsonl");
      LabelJob job = new LabelJob(LabelJob.Source.of(pool.toString(), "text"),
          new LabelJob.Question(labels, PromptTemplate.defaults(), Scoring.FIRST_TOKEN, 20),
          new LabelJob.Calls(new OpenAiClient.Settings(fake.base(), "fake-llm", Duration.ofSeconds(10), null), 2,
              new Retrier(3, Duration.ZERO, Duration.ZERO, Duration.ZERO, d -> { }, new AtomicLong()), null),
          new LabelJob.Output(dir.resolve("unused.jsonl"), cache, true), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
      BudgetPlanner planner = new BudgetPlanner(8, 2, 0.25, 2, 3);
      Path out = dir.resolve("plan.txt");
      List<Integer> plan = PlanJob.run(planner, ds, PlanJob.endpointTeacher(job, ds, dir.resolve("work")), cache, Tier.TINY,
          out, dir.resolve("work"));
      assertEquals(8, plan.size());
      assertEquals(8, new HashSet<>(plan).size());
      List<String> planned = plan.stream().map(i -> ds.get(i).text()).sorted().toList();
      assertEquals(planned, fake.texts.stream().sorted().toList(), "asked for exactly the planned rows, once each");
      assertEquals(plan.stream().map(i -> "train-" + i).toList(), Files.readAllLines(out));
      assertEquals(9, Files.readAllLines(dir.resolve("plan.txt.rows.csv")).size(), "header + 8 rows");

      fake.texts.clear();
      List<Integer> again = PlanJob.run(planner, ds, PlanJob.endpointTeacher(job, ds, dir.resolve("work2")), cache, Tier.TINY,
          dir.resolve("plan2.txt"), dir.resolve("work2"));
      assertEquals(plan, again, "same seed, same answers: same plan");
      assertEquals(0, fake.texts.size(), "the rerun was answered by the cache");
    }
  }
}
