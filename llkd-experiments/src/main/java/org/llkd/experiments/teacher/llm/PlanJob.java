package org.llkd.experiments.teacher.llm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.llkd.experiments.csv.Csv;
import org.llkd.experiments.data.LabelSet;
import org.llkd.experiments.data.Sample;
import org.llkd.experiments.data.Split;
import org.llkd.experiments.data.TextDataset;
import org.llkd.experiments.product.TextFileReader;
import org.llkd.experiments.product.TextRow;
import org.llkd.experiments.teacher.plan.BudgetPlanner;
import org.llkd.experiments.teacher.plan.PoolStudent;
import org.llkd.experiments.train.Tier;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.selection.teacher.TeacherOutputReader;
import org.llkd.selection.teacher.TeacherOutputs;

/**
 * {@code llkd teacher plan} (here, beside the labeller it drives, because the planner package must not depend on
 * product: product -> exp -> teacher.plan): reads the pool, runs the {@link BudgetPlanner} with the real student
 * ({@link PoolStudent}) and a teacher that is either the user's LLM endpoint (each round's rows labelled through
 * {@link LlmLabeler}, so every answer lands in its cache: a rerun of the same plan costs nothing) or an existing
 * teacher file (simulation: a row's output is read only once planned), and writes the plan: {@code out} (one id
 * per line, in the order the rows were sent) and {@code out.rows.csv} (id,text of the planned rows, ready for
 * {@code llkd teacher label}, which then answers from the cache).
 */
public final class PlanJob {
  private PlanJob() {}

  /** The pool as a train split of its own (row i = pool row i; gold labels are not read). */
  public static TextDataset readPool(String input, TextFileReader.Format format, String textColumn, List<String> labels) {
    List<TextRow> rows = TextFileReader.readAll(input, format, new TextFileReader.Columns(textColumn, null, null, false));
    if (rows.isEmpty()) throw new IllegalArgumentException(input + ": expected at least one row in the pool, found none");
    List<Sample> samples = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) samples.add(new Sample(Split.TRAIN.sampleId(i), rows.get(i).text(), Sample.NO_LABEL));
    return new TextDataset("pool", Split.TRAIN, samples, new LabelSet(labels), Path.of(input).toAbsolutePath(),
        org.llkd.models.io.Sha256.of(Path.of(input)));
  }

  /** A teacher that labels rows through the endpoint of {@code job} (its input and out are replaced per round). */
  public static Function<List<Integer>, double[][]> endpointTeacher(LabelJob job, TextDataset pool, Path workDir) {
    int[] round = {0};
    return rows -> {
      round[0]++;
      Path in = workDir.resolve("round-" + round[0] + ".rows.csv");
      Path out = workDir.resolve("round-" + round[0] + ".teacher.jsonl");
      writeRows(in, pool, rows);
      LabelJob.Source rowsIn = new LabelJob.Source(in.toString(), TextFileReader.Format.CSV, "text", null, "train", null);
      LabelJob.Calls calls = new LabelJob.Calls(job.calls().client(), job.calls().concurrency(), job.calls().retrier(), null);
      LabelJob j = new LabelJob(rowsIn, job.question(), calls, new LabelJob.Output(out, job.output().cache(), true),
          job.clock());
      LlmLabeler.run(j);
      return TeacherOutputReader.read(out).probs();
    };
  }

  /** A teacher read from an existing file aligned to the pool (train-&lt;row&gt; ids): the simulation mode. */
  public static Function<List<Integer>, double[][]> fileTeacher(Path teacherFile, TextDataset pool) {
    List<String> ids = pool.samples().stream().map(Sample::id).toList();
    TeacherOutputs t = TeacherOutputReader.read(teacherFile).forSplit("train").alignTo(ids, pool.labels().names());
    double[][] p = t.probs();
    return rows -> rows.stream().map(i -> p[i].clone()).toArray(double[][]::new);
  }

  /**
   * The round student's config: the quick tier's (or the tiny tier's, for tests) with method all. The rows and
   * teacher outputs are given to the trainer directly; {@code teacherSource} (the teacher file, or the endpoint's
   * answer cache) is only hashed into each round's provenance.
   */
  public static TrainConfig roundConfig(Tier tier, Path workDir, long seed, Path teacherSource) {
    TrainConfig c = tier == Tier.TINY ? TrainConfig.tiny("pool", workDir, teacherSource, "all", seed)
        : TrainConfig.quick("pool", workDir, teacherSource, "all", seed);
    return c.withData(c.data().withEvalRows(0));
  }

  /** Runs the plan and writes {@code out} and {@code out.rows.csv}; returns the plan. */
  public static List<Integer> run(BudgetPlanner planner, TextDataset pool, Function<List<Integer>, double[][]> teacher,
      Path teacherSource, Tier tier, Path out, Path workDir) {
    TrainConfig cfg = roundConfig(tier, workDir, planner.seed(), teacherSource);
    int minSteps = tier == Tier.TINY ? 8 : 189;
    List<Integer> plan = planner.plan(pool.size(), teacher, new PoolStudent(cfg, pool, workDir, minSteps));
    StringBuilder sb = new StringBuilder();
    for (int i : plan) sb.append(pool.get(i).id()).append('\n');
    try {
      Path dir = out.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
      Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + out + ": " + e.getMessage(), e);
    }
    writeRows(out.resolveSibling(out.getFileName() + ".rows.csv"), pool, plan);
    return plan;
  }

  private static void writeRows(Path file, TextDataset pool, List<Integer> rows) {
    List<List<String>> cells = new ArrayList<>();
    for (int i : rows) cells.add(List.of(pool.get(i).id(), pool.get(i).text()));
    Csv.write(file, List.of("id", "text"), cells);
  }
}
