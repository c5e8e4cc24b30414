package org.llkd.experiments.sweep;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.llkd.experiments.teacher.TeacherFiles;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.models.io.Sha256;

/**
 * Every trial of a sweep, drawn up front from Arbiter's generators: {@link GridSearchCandidateGenerator}
 * (sequential) for grid and one-at-a-time sweeps, {@link RandomSearchGenerator} (seeded) for random ones. Drawing
 * first gives the exact trial count (Arbiter's runner stops on a candidate count), drops duplicate draws (two
 * workers must never train one directory), fails on a bad config before anything trains, and fixes every trial's
 * id, so that machines sharing the directory agree on who does what (docs/sweeps.md).
 *
 * <p>A trial's id is readable values plus a hash of its whole {@link TrainConfig} (paths reduced to file names):
 * the same candidate always maps to the same directory, and a changed fixed value to a new one.
 */
public record SweepPlan(SweepSpec spec, TrainConfig base, TrialSpace space, List<Trial> trials) {

  /** One trial: its index in the plan (= Arbiter candidate index), point, full config, id and Arbiter's flat values. */
  public record Trial(int index, TrialPoint point, TrainConfig config, String id, double[] flat) {}

  public SweepPlan {
    trials = List.copyOf(trials);
  }

  /** Plans {@code spec} against the data and teacher files under the given roots (both must exist). */
  public static SweepPlan create(SweepSpec spec, Path dataRoot, Path teachersRoot) {
    SweepSpec.Study study = spec.study();
    SweepSpec.SearchPlan search = spec.searchPlan();
    Path file = spec.origin().file();
    if (!Files.isDirectory(dataRoot.resolve(study.dataset()))) {
      throw new IllegalArgumentException(file + ": dataset: no directory " + dataRoot.resolve(study.dataset())
          + "; pass --data-root or fix the dataset name");
    }
    Path teacherFile = TeacherFiles.of(teachersRoot, study.dataset(), study.teacher());
    if (!Files.isRegularFile(teacherFile)) {
      throw new IllegalArgumentException(file + ": teacher: missing teacher file " + teacherFile + "; export it with"
          + " `llkd teacher export --dataset " + study.dataset() + " --teacher " + study.teacher() + "`");
    }
    long firstSeed = spec.seeds().get(0);
    TrainConfig base = study.tier().config(study.dataset(), dataRoot, teacherFile, study.method(), firstSeed);
    for (Map.Entry<SweepParameter, Serializable> e : spec.space().fixed().entrySet()) {
      base = configure(spec, "fixed." + e.getKey().key(), base, e.getKey(), e.getValue());
    }
    DiscreteParameterSpace<Long> seedSpace = new DiscreteParameterSpace<>(new ArrayList<>(spec.seeds()));
    List<TrialPoint> points = new ArrayList<>();
    List<double[]> flats = new ArrayList<>();
    TrialSpace space;
    switch (search.search()) {
      case GRID -> {
        space = new TrialSpace(leaves(spec), seedSpace);
        drainGrid(new GridSearchCandidateGenerator(space, search.gridPoints() == null ? 2 : search.gridPoints(),
            GridSearchCandidateGenerator.Mode.Sequential, null), points, flats, spec);
      }
      case ONE_AT_A_TIME -> {
        space = new TrialSpace(variants(spec, base), seedSpace);
        drainGrid(new GridSearchCandidateGenerator(space, 2, GridSearchCandidateGenerator.Mode.Sequential, null),
            points, flats, spec);
      }
      case RANDOM -> {
        space = new TrialSpace(leaves(spec), null);
        RandomSearchGenerator g = new RandomSearchGenerator(space, null);
        g.setRngSeed(search.rngSeed());
        drawRandom(g, spec, points, flats);
      }
      default -> throw new IllegalStateException("unhandled search " + search.search());
    }
    if (search.candidates() != null && search.search() != SweepSpec.Search.RANDOM
        && points.size() > search.candidates()) {
      throw new IllegalArgumentException(file + ": candidates: the " + search.search().key() + " has "
          + points.size() + " trials (points x " + spec.seeds().size() + " seeds) > candidates " + search.candidates()
          + "; raise candidates or shrink the ranges/gridPoints");
    }
    List<Trial> trials = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < points.size(); i++) {
      TrialPoint p = points.get(i);
      TrainConfig cfg = base;
      for (Map.Entry<String, Serializable> e : p.values().entrySet()) {
        SweepParameter sp = SweepParameter.byKey(e.getKey(), file.toString());
        cfg = configure(spec, "parameters." + e.getKey() + " (trial " + p.values() + ", seed " + p.seed() + ")", cfg,
            sp, e.getValue());
      }
      cfg = cfg.withSeed(p.seed());
      String id = trialId(spec, p, cfg);
      if (!ids.add(id)) continue; // e.g. a one-at-a-time value equal to the base: trained once, as "base"
      trials.add(new Trial(trials.size(), p, cfg, id, flats.get(i)));
    }
    return new SweepPlan(spec, base, space, trials);
  }

  private static TrainConfig configure(SweepSpec spec, String field, TrainConfig cfg, SweepParameter p, Serializable v) {
    try {
      return p.apply(cfg, v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(spec.origin().file() + ": " + field + ": " + e.getMessage(), e);
    }
  }

  private static LinkedHashMap<String, ParameterSpace<?>> leaves(SweepSpec spec) {
    LinkedHashMap<String, ParameterSpace<?>> leaves = new LinkedHashMap<>();
    for (ParameterRange r : spec.space().parameters()) leaves.put(r.parameter().key(), r.space());
    return leaves;
  }

  /** The base point, then each parameter's values other than its base value, the rest at base. */
  static List<Variant> variants(SweepSpec spec, TrainConfig base) {
    Map<String, Serializable> baseValues = new LinkedHashMap<>();
    for (ParameterRange r : spec.space().parameters()) baseValues.put(r.parameter().key(), r.parameter().valueIn(base));
    List<Variant> out = new ArrayList<>();
    out.add(new Variant("base", baseValues));
    Integer gridPoints = spec.searchPlan().gridPoints();
    for (ParameterRange r : spec.space().parameters()) {
      for (Serializable v : r.pointValues(gridPoints == null ? 2 : gridPoints)) {
        if (v.equals(baseValues.get(r.parameter().key()))) continue;
        Map<String, Serializable> values = new LinkedHashMap<>(baseValues);
        values.put(r.parameter().key(), v);
        out.add(new Variant(r.parameter().key(), values));
      }
    }
    return out;
  }

  private static void drainGrid(GridSearchCandidateGenerator g, List<TrialPoint> points, List<double[]> flats,
      SweepSpec spec) {
    while (g.hasMoreCandidates()) {
      Candidate c = g.getCandidate();
      if (c.getException() != null) {
        throw new IllegalArgumentException(spec.origin().file() + ": Arbiter could not build a candidate: "
            + c.getException().getMessage(), c.getException());
      }
      points.add((TrialPoint) c.getValue());
      flats.add(c.getFlatParameters());
    }
  }

  private static void drawRandom(CandidateGenerator g, SweepSpec spec, List<TrialPoint> points, List<double[]> flats) {
    Set<Map<String, Serializable>> seen = new HashSet<>();
    List<TrialPoint> distinct = new ArrayList<>();
    List<double[]> distinctFlats = new ArrayList<>();
    int attempts = 0;
    int candidates = spec.searchPlan().candidates();
    int maxAttempts = 100 * candidates + 100;
    while (distinct.size() < candidates) {
      if (++attempts > maxAttempts) {
        throw new IllegalArgumentException(spec.origin().file() + ": candidates: only " + distinct.size()
            + " distinct points in " + maxAttempts + " random draws; the parameter values allow fewer than " + candidates
            + " points: lower candidates or use grid search");
      }
      Candidate c = g.getCandidate();
      if (c.getException() != null) {
        throw new IllegalArgumentException(spec.origin().file() + ": Arbiter could not build a candidate: "
            + c.getException().getMessage(), c.getException());
      }
      TrialPoint p = (TrialPoint) c.getValue();
      if (seen.add(p.values())) {
        distinct.add(p);
        distinctFlats.add(c.getFlatParameters());
      }
    }
    for (int i = 0; i < distinct.size(); i++) { // point-major: a point's seeds run together
      for (long s : spec.seeds()) {
        points.add(distinct.get(i).withSeed(s));
        flats.add(distinctFlats.get(i));
      }
    }
  }

  /**
   * {@code <readable>-<hash8>}: swept values by short key and the seed (e.g. {@code lr1E-4_bs32_s1-3fa9b2c0}), and
   * the first 8 hex digits of the SHA-256 of {@link #canonical(TrainConfig)}.
   */
  static String trialId(SweepSpec spec, TrialPoint p, TrainConfig cfg) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Serializable> e : p.values().entrySet()) {
      SweepParameter sp = SweepParameter.byKey(e.getKey(), spec.origin().file().toString());
      sb.append(sp.shortKey()).append(SweepParameter.format(e.getValue())).append('_');
    }
    sb.append('s').append(p.seed());
    String readable = sb.toString().replaceAll("[^A-Za-z0-9._+-]", "-");
    if (readable.length() > 80) readable = readable.substring(0, 80);
    String hash = Sha256.of(canonical(cfg).getBytes(StandardCharsets.UTF_8)).substring(0, 8);
    return readable + "-" + hash;
  }

  /**
   * Every {@link TrainConfig#flat()} value as {@code name=value;}, paths reduced to their last two names
   * (machine-independent). The flat form keeps the names and order of the ungrouped config, so trial ids, and with
   * them existing sweep directories, are unchanged.
   */
  static String canonical(TrainConfig cfg) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : cfg.flat().entrySet()) {
      if (e.getKey().equals("dataRoot")) continue; // the dataset name is its own value
      Object v = e.getValue();
      if (v instanceof Path path) {
        int n = path.getNameCount();
        v = n >= 2 ? path.subpath(n - 2, n).toString().replace('\\', '/') : path.toString();
      }
      sb.append(e.getKey()).append('=').append(v).append(';');
    }
    return sb.toString();
  }

  /** The trial with plan index {@code index}. */
  public Trial trial(int index) {
    return trials.get(index);
  }

  /** Parameter names in file order (raw.csv columns {@code p_<name>}). */
  public List<String> parameterNames() {
    return Collections.unmodifiableList(new ArrayList<>(spec.parameterMap().keySet()));
  }
}
