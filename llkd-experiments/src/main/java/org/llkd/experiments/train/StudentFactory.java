package org.llkd.experiments.train;

import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.pretrained.PretrainedWeights;
import org.llkd.models.tokenizer.WordPieceTokenizer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds the pretrained student: the first k layers of all-MiniLM-L6-v2 (ONNX weights from the
 * langchain4j Maven Central artifact) plus a freshly initialised classification head. The ONNX file is
 * parsed once per JVM (about 1 s) and shared by every run of an experiment.
 */
public final class StudentFactory {
  private static PretrainedWeights miniLm;
  private static WordPieceTokenizer tokenizer;
  private static int tokenizerMaxLength = -1;

  private StudentFactory() {}

  public static synchronized PretrainedWeights miniLm() {
    if (miniLm == null) miniLm = PretrainedWeights.readResource(PretrainedWeights.MINILM_ONNX_RESOURCE);
    return miniLm;
  }

  /** The MiniLM WordPiece tokenizer truncating at {@code maxLength} (cached per length). */
  public static synchronized WordPieceTokenizer tokenizer(int maxLength) {
    if (tokenizer == null || tokenizerMaxLength != maxLength) {
      if (tokenizer != null) tokenizer.close();
      tokenizer = WordPieceTokenizer.fromResource(WordPieceTokenizer.MINILM_TOKENIZER_RESOURCE, maxLength);
      tokenizerMaxLength = maxLength;
    }
    return tokenizer;
  }

  /** The student config of {@code cfg}: MiniLM-L6 shape cut to {@code keepLayers}, FLOAT. */
  public static StudentConfig studentConfig(TrainConfig cfg, int numClasses) {
    StudentConfig m = StudentConfig.miniLmL6(numClasses);
    return m.withNumLayers(cfg.student().keepLayers()).withPooling(cfg.student().pooling())
        .withDropout(cfg.student().dropout(), cfg.student().dropout()).withDataType(DataType.FLOAT);
  }

  /** A student with pretrained encoder layers and a head initialised from {@code initSeed}. */
  public static Built build(TrainConfig cfg, int numClasses, long initSeed) {
    StudentConfig sc = studentConfig(cfg, numClasses);
    StudentTransformer model = StudentTransformer.initRandom(sc, initSeed);
    PretrainedWeights.LoadReport report = miniLm().loadInto(model.params(), cfg.student().keepLayers());
    return new Built(model, report);
  }

  /** The model and what was loaded into it (for provenance). */
  public record Built(StudentTransformer model, PretrainedWeights.LoadReport report) {}
}
