package org.llkd.selection.teacher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A complete, validated table of teacher class probabilities: one row per sample id, one column per class.
 *
 * <p>Instances only exist in a valid state: ids of the form {@code <split>-<rowIndex>} (a user's own file read by
 * {@link TeacherOutputReader#readUserFile}: any non-empty string) and unique, every
 * row with {@link #numClasses()} finite, non-negative probabilities summing to 1 (within the reader's
 * tolerance; logits were turned into probabilities by a temperature softmax on import). The table keeps
 * its provenance: source file, format, sha256 of every file read, and the file's metadata header.
 *
 * <p>Rows are in file order until {@link #alignTo} puts them in dataset order. Immutable; accessors return
 * copies or unmodifiable views.
 */
public final class TeacherOutputs {
  /** The {@link #source()} of tables built in memory by {@link #ofProbabilities} / {@link #ofLogits}. */
  public static final String IN_MEMORY = "<in-memory teacher outputs>";

  private final String source;
  private final TeacherFormat format; // null when built in memory
  private final List<String> ids;
  private final List<String> labelNames; // empty when the source had none
  private final double[][] probs; // [N][C]
  private final TeacherValueKind storedAs;
  private final double temperature;
  private final Map<String, Object> metadata;
  private final Map<String, String> inputSha256;
  private final RowLocator rows;
  private final int[] sourceRows; // row i came from source data row sourceRows[i]; null = identity
  private final boolean idsFromRowOrder; // the source had no ids: row i got "<split>-<i>"

  /**
   * Where a table came from: what every table cut or reordered from it ({@link #forSplit}, {@link #alignTo}) keeps.
   *
   * @param source the file read ({@link #IN_MEMORY} for tables built in memory)
   * @param format its format, null when built in memory
   * @param storedAs probabilities or logits, as stored
   * @param temperature the softmax temperature applied on import
   * @param metadata the file's metadata header
   * @param inputSha256 sha256 of every file read
   * @param rows where each row sits in the source, for messages
   * @param idsFromRowOrder the source had no ids: row i got {@code <split>-<i>}
   */
  private record Origin(String source, TeacherFormat format, TeacherValueKind storedAs, double temperature,
      Map<String, Object> metadata, Map<String, String> inputSha256, RowLocator rows, boolean idsFromRowOrder) {}

  private TeacherOutputs(Origin origin, List<String> ids, List<String> labelNames, double[][] probs, int[] sourceRows) {
    this.source = origin.source();
    this.format = origin.format();
    this.ids = Collections.unmodifiableList(new ArrayList<>(ids));
    this.labelNames = labelNames == null ? List.of() : List.copyOf(labelNames);
    this.probs = probs;
    this.storedAs = origin.storedAs();
    this.temperature = origin.temperature();
    this.metadata = Metadata.freeze(origin.metadata());
    this.inputSha256 = Collections.unmodifiableMap(new LinkedHashMap<>(origin.inputSha256()));
    this.rows = origin.rows();
    this.sourceRows = sourceRows;
    this.idsFromRowOrder = origin.idsFromRowOrder();
  }

  private Origin origin() {
    return new Origin(source, format, storedAs, temperature, metadata, inputSha256, rows, idsFromRowOrder);
  }

  /** Validates {@code raw} (see {@link TeacherValidation}) and wraps the result. */
  static TeacherOutputs fromRaw(RawTeacher raw, double temperature, double tolerance) {
    return fromRaw(raw, temperature, tolerance, false);
  }

  /** As {@link #fromRaw(RawTeacher, double, double)}; {@code freeIds}: any non-empty, unique ids. */
  static TeacherOutputs fromRaw(RawTeacher raw, double temperature, double tolerance, boolean freeIds) {
    double[][] p = TeacherValidation.toProbabilities(raw, temperature, tolerance, freeIds);
    Origin origin = new Origin(raw.source(), raw.format(), raw.kind(), temperature, raw.metadata(), raw.inputSha256(),
        raw.rows(), raw.idsFromRowOrder());
    return new TeacherOutputs(origin, raw.ids(), raw.labelNames(), p, null);
  }

  /**
   * A table built in memory (e.g. by an exporter before {@link TeacherOutputWriter} writes it), checked by
   * the same rules as a file.
   *
   * @param ids        sample ids {@code <split>-<rowIndex>}, one per row, unique
   * @param labelNames class names, or {@code null}/empty if unknown
   * @param probs      {@code [N][C]} probabilities (copied)
   * @param metadata   provenance to keep and write (model, prompt, date ...), may be empty
   * @throws TeacherFormatException on any violation, with source {@link #IN_MEMORY}
   */
  public static TeacherOutputs ofProbabilities(List<String> ids, List<String> labelNames, double[][] probs,
      Map<String, Object> metadata) {
    return fromRaw(inMemory(ids, labelNames, probs, TeacherValueKind.PROBS, metadata), 1.0,
        TeacherOutputReader.DEFAULT_SUM_TOLERANCE);
  }

  /** Like {@link #ofProbabilities} for logits {@code [N][C]}: probabilities are {@code softmax(logits / temperature)}. */
  public static TeacherOutputs ofLogits(List<String> ids, List<String> labelNames, double[][] logits,
      double temperature, Map<String, Object> metadata) {
    return ofLogits(ids, labelNames, logits, temperature, metadata, false);
  }

  /** As above; {@code freeIds}: any non-empty, unique ids (a user file's id column), as {@code readUserFile} reads. */
  static TeacherOutputs ofLogits(List<String> ids, List<String> labelNames, double[][] logits,
      double temperature, Map<String, Object> metadata, boolean freeIds) {
    TeacherOutputReader.Options.checkTemperature(temperature);
    return fromRaw(inMemory(ids, labelNames, logits, TeacherValueKind.LOGITS, metadata), temperature,
        TeacherOutputReader.DEFAULT_SUM_TOLERANCE, freeIds);
  }

  private static RawTeacher inMemory(List<String> ids, List<String> labelNames, double[][] values,
      TeacherValueKind kind, Map<String, Object> metadata) {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(metadata, "metadata (pass Map.of() for none)");
    if (ids.size() != values.length) {
      throw TeacherFormatException.in(IN_MEMORY, "arguments")
          .problem("ids and value rows differ in number")
          .expected(ids.size() + " value rows (one per id)")
          .found(values.length + " rows")
          .fix("pass one row of class values per id")
          .build();
    }
    double[][] copy = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      copy[i] = values[i] == null ? new double[0] : values[i].clone();
    }
    List<String> names = labelNames == null || labelNames.isEmpty() ? null : new ArrayList<>(labelNames);
    return new RawTeacher(new RawTeacher.File(IN_MEMORY, null, metadata, Map.of()), new ArrayList<>(ids),
        new RawTeacher.Labels(names, "labelNames argument"), copy, kind, RowLocator.arrayRows(""));
  }

  // ---------------------------------------------------------------- accessors

  /** The file this table was read from (as given to the reader), or {@link #IN_MEMORY}. */
  public String source() {
    return source;
  }

  /** The format it was read as; empty for in-memory tables. */
  public Optional<TeacherFormat> format() {
    return Optional.ofNullable(format);
  }

  /** Sample ids, one per row, in row order. */
  public List<String> ids() {
    return ids;
  }

  /** Class names in column order; empty if the source had none (then columns map by position). */
  public List<String> labelNames() {
    return labelNames;
  }

  /** Whether the source named its classes. */
  public boolean hasLabelNames() {
    return !labelNames.isEmpty();
  }

  /** N, the number of rows. */
  public int numRows() {
    return probs.length;
  }

  /** C, the number of classes. */
  public int numClasses() {
    return probs[0].length;
  }

  /** A copy of the probabilities {@code [N][C]}. */
  public double[][] probs() {
    double[][] out = new double[probs.length][];
    for (int i = 0; i < probs.length; i++) {
      out[i] = probs[i].clone();
    }
    return out;
  }

  /** The probability of class {@code k} for row {@code row}. */
  public double prob(int row, int k) {
    return probs[row][k];
  }

  /** The probabilities as a new {@code [N, C]} DOUBLE array. */
  public INDArray toINDArray() {
    return Nd4j.createFromArray(probs()); // [N, C]
  }

  /** What the source stored: probabilities, or logits converted on import. */
  public TeacherValueKind storedAs() {
    return storedAs;
  }

  /** The softmax temperature applied to logits (1 for probability input). */
  public double temperature() {
    return temperature;
  }

  /** The source's provenance header ({@code _meta} line, {@code meta.json}); empty if it had none. Read-only. */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** sha256 (hex) of the main source file; empty string for in-memory tables. */
  public String sourceSha256() {
    return inputSha256.getOrDefault(source, "");
  }

  /** sha256 (hex) of every file read (main file first, then sidecars), keyed by path. */
  public Map<String, String> inputSha256() {
    return inputSha256;
  }

  /**
   * Whether the source file had no ids (an NPY without {@code .ids.txt}, an NPZ without an ids entry, read by
   * {@link TeacherOutputReader#readUserFile}): row i was given the id {@code <split>-<i>}, so it lines up with the
   * dataset by row order only.
   */
  public boolean idsFromRowOrder() {
    return idsFromRowOrder;
  }

  /** Where row {@code row} of this table is in its source file ({@code "line 7"}, {@code "row 5"}). */
  public String sourceLocation(int row) {
    return rows.at(sourceRows == null ? row : sourceRows[row]);
  }

  @Override
  public String toString() {
    return "TeacherOutputs[" + source + ", " + (format == null ? "in-memory" : format) + ", " + numRows() + " x "
        + numClasses() + ", " + storedAs + (storedAs == TeacherValueKind.LOGITS ? " T=" + temperature : "")
        + ", labels " + labelNames + "]";
  }

  // ---------------------------------------------------------------- selection and alignment

  /**
   * The rows whose id belongs to {@code split} ({@code "<split>-<row>"}), in file order; use it before
   * {@link #alignTo} when one file holds several splits.
   *
   * @throws TeacherFormatException if no id belongs to the split
   */
  public TeacherOutputs forSplit(String split) {
    if (split == null || split.isEmpty() || split.contains("-")) {
      throw new IllegalArgumentException("split must be a non-empty name without '-', got " + split);
    }
    String prefix = split + "-";
    List<Integer> keep = new ArrayList<>();
    Set<String> splits = new TreeSet<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id.startsWith(prefix)) {
        keep.add(i);
      }
      int dash = id.lastIndexOf('-');
      splits.add(dash < 0 ? "(ids without a split)" : id.substring(0, dash));
    }
    if (keep.isEmpty()) {
      throw TeacherFormatException.in(source, "file")
          .problem("no ids of split '" + split + "'")
          .expected("ids \"" + prefix + "<row>\"")
          .found("only the splits " + splits)
          .fix("read the teacher file of split '" + split + "', or ask for one of " + splits)
          .build();
    }
    List<String> outIds = new ArrayList<>(keep.size());
    double[][] outProbs = new double[keep.size()][];
    int[] outSource = new int[keep.size()];
    for (int j = 0; j < keep.size(); j++) {
      int i = keep.get(j);
      outIds.add(ids.get(i));
      outProbs[j] = probs[i];
      outSource[j] = sourceRows == null ? i : sourceRows[i];
    }
    return new TeacherOutputs(origin(), outIds, labelNames, outProbs, outSource);
  }

  /**
   * This table re-ordered to a dataset: row i of the result is dataset row i ({@code datasetIds.get(i)}),
   * column k is the dataset's class k ({@code datasetLabelNames.get(k)}).
   *
   * <p>Rows map by id: every dataset id must have a teacher row and every teacher row must be a dataset id
   * (use {@link #forSplit} first when the file holds other splits). Classes map by name when the teacher
   * names them (the two name sets must be equal; order may differ), else by position, after checking that
   * the teacher has exactly {@code datasetLabelNames.size()} classes.
   *
   * @param datasetIds        the dataset's sample ids in row order, unique
   * @param datasetLabelNames the dataset's class names in class-id order, unique
   * @return a new table with ids {@code datasetIds} and label names {@code datasetLabelNames}
   * @throws TeacherFormatException for missing or extra ids, unknown label names or a class-count mismatch
   */
  public TeacherOutputs alignTo(List<String> datasetIds, List<String> datasetLabelNames) {
    if (datasetIds == null || datasetIds.isEmpty()) {
      throw new IllegalArgumentException("datasetIds must be non-empty");
    }
    if (datasetLabelNames == null || datasetLabelNames.isEmpty()) {
      throw new IllegalArgumentException("datasetLabelNames must be non-empty");
    }
    if (new HashSet<>(datasetLabelNames).size() != datasetLabelNames.size()) {
      throw new IllegalArgumentException("datasetLabelNames has duplicates: " + datasetLabelNames);
    }
    int[] classFrom = classMapping(datasetLabelNames);
    Map<String, Integer> teacherRow = new HashMap<>(ids.size() * 2);
    for (int i = 0; i < ids.size(); i++) {
      teacherRow.put(ids.get(i), i);
    }
    Set<String> datasetSet = new HashSet<>(datasetIds.size() * 2);
    for (int r = 0; r < datasetIds.size(); r++) {
      if (!datasetSet.add(datasetIds.get(r))) {
        throw new IllegalArgumentException("datasetIds has a duplicate: '" + datasetIds.get(r) + "' at row " + r);
      }
    }
    List<Integer> missing = new ArrayList<>();
    for (int r = 0; r < datasetIds.size(); r++) {
      if (!teacherRow.containsKey(datasetIds.get(r))) {
        missing.add(r);
      }
    }
    if (!missing.isEmpty()) {
      int r0 = missing.get(0);
      throw TeacherFormatException.in(source, "dataset row " + r0)
          .problem("dataset id '" + datasetIds.get(r0) + "' has no teacher row (" + missing.size() + " of "
              + datasetIds.size() + " dataset ids missing, first: " + listIds(missing, datasetIds, null) + ")")
          .expected("a teacher row for each of the " + datasetIds.size() + " dataset ids")
          .found(ids.size() + " teacher rows, " + missing.size() + " dataset ids without one")
          .fix("run the teacher on every row of this split, or align to the split the teacher file covers")
          .build();
    }
    if (ids.size() != datasetIds.size()) {
      List<Integer> extra = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        if (!datasetSet.contains(ids.get(i))) {
          extra.add(i);
        }
      }
      int i0 = extra.get(0);
      throw TeacherFormatException.in(source, sourceLocation(i0))
          .problem("teacher id '" + ids.get(i0) + "' is not a dataset id (" + extra.size()
              + " extra teacher ids, first: " + listIds(extra, ids, this) + ")")
          .expected("only the " + datasetIds.size() + " dataset ids")
          .found(ids.size() + " teacher rows")
          .fix("if the file holds several splits call forSplit(\"<split>\") first; otherwise check that the"
              + " teacher labeled this dataset (same split, same row order of the TSV)")
          .build();
    }
    double[][] out = new double[datasetIds.size()][datasetLabelNames.size()]; // [N][C] dataset order
    int[] outSource = new int[datasetIds.size()];
    for (int r = 0; r < datasetIds.size(); r++) {
      int i = teacherRow.get(datasetIds.get(r));
      for (int k = 0; k < classFrom.length; k++) {
        out[r][k] = probs[i][classFrom[k]];
      }
      outSource[r] = sourceRows == null ? i : sourceRows[i];
    }
    return new TeacherOutputs(origin(), datasetIds, datasetLabelNames, out, outSource);
  }

  /** classFrom[k] = teacher column of dataset class k. */
  private int[] classMapping(List<String> datasetLabelNames) {
    int c = numClasses();
    if (!hasLabelNames()) {
      if (c != datasetLabelNames.size()) {
        throw TeacherFormatException.in(source, sourceLocation(0))
            .problem("wrong number of classes: the teacher file names no classes, so they map by position")
            .expected(datasetLabelNames.size() + " classes, one per dataset label " + datasetLabelNames)
            .found(c + " classes")
            .fix("export the teacher with the dataset's label list, and write label_names to map by name")
            .build();
      }
      int[] id = new int[c];
      Arrays.setAll(id, k -> k);
      return id;
    }
    Set<String> datasetSet = new HashSet<>(datasetLabelNames);
    Set<String> unknown = new LinkedHashSet<>();
    for (String name : labelNames) {
      if (!datasetSet.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw TeacherFormatException.in(source, "label names")
          .problem("unknown label name(s) " + quoted(unknown))
          .expected("names from the dataset's label list " + datasetLabelNames)
          .found("teacher label names " + labelNames)
          .fix("rename the teacher's classes to the dataset's names (exact spelling and case)")
          .build();
    }
    if (labelNames.size() != datasetLabelNames.size()) {
      List<String> lacking = new ArrayList<>(datasetLabelNames);
      lacking.removeAll(labelNames);
      throw TeacherFormatException.in(source, "label names")
          .problem("wrong number of classes: the teacher lacks dataset class(es) " + quoted(lacking))
          .expected(datasetLabelNames.size() + " classes " + datasetLabelNames)
          .found(labelNames.size() + " classes " + labelNames)
          .fix("run the teacher with the dataset's full label list")
          .build();
    }
    Map<String, Integer> col = new HashMap<>();
    for (int k = 0; k < labelNames.size(); k++) {
      col.put(labelNames.get(k), k);
    }
    int[] from = new int[datasetLabelNames.size()];
    for (int k = 0; k < from.length; k++) {
      from[k] = col.get(datasetLabelNames.get(k));
    }
    return from;
  }

  private static String quoted(java.util.Collection<String> names) {
    List<String> q = new ArrayList<>();
    for (String n : names) {
      q.add("'" + n + "'");
    }
    return q.toString();
  }

  /** Up to 5 ids with their location (dataset row, or teacher source location when {@code t} is given). */
  private static String listIds(List<Integer> rows, List<String> ids, TeacherOutputs t) {
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < Math.min(5, rows.size()); j++) {
      int r = rows.get(j);
      if (j > 0) {
        sb.append(", ");
      }
      sb.append(ids.get(r)).append(" (").append(t == null ? "dataset row " + r : t.sourceLocation(r)).append(')');
    }
    if (rows.size() > 5) {
      sb.append(", ...");
    }
    return sb.toString();
  }
}
