package org.llkd.models.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.params.NamedParams;
import org.llkd.models.tokenizer.EncodedBatch;
import org.llkd.models.tokenizer.WordPieceTokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The key acceptance test for the pretrained import: the hand-written ND4J student, loaded from
 * all-MiniLM-L6-v2's ONNX initializers, reproduces ONNX Runtime's {@code last_hidden_state} on the same
 * file, for 20 real sentences (10 from emotion dev, 10 from ag_news dev) in one padded batch.
 *
 * <p>ONNX Runtime cannot drop layers, so the 2-layer check cuts the ONNX graph instead: its output is
 * re-pointed at layer 1's output LayerNorm ({@code /encoder/layer.1/output/LayerNorm/Add_1_output_0}),
 * and ORT prunes the unused layers 2-5.
 */
class PretrainedParityTest {
  /** Max-abs tolerance over every non-padded position and hidden unit (fp32 on both sides). */
  static final double TOLERANCE = 1e-4;

  static final List<String> SENTENCES = List.of(
      "i feel shy now",
      "i feel splendid sublime euphoric",
      "im feeling particularly smug create my own",
      "i can feel a sense of comfort with nostalgic sweetness",
      "i so desperately want to be able to help but i feel so helpless",
      "im only trying to tell you exactly how i feel beeeeeeeeeeeing this sincere",
      "i am so sorry for you to feel heartbroken when this should be a happy time in your life",
      "i feel thankful to be strong enough and courageous enough to have taken the steps to change my life",
      "i am going to feel for caring so much and letting people in my world then this shall be the last time i am doing so",
      "i feel sometimes i am like heartless tin woodman sometimes like cowardly lion but i really want to believe there is a href http www",
      "Bob Melvin was fired as manager of the Seattle Mariners yesterday, a day after the team ended the season with its 99th loss.",
      "Rupert Murdoch said yesterday he expects to launch his new Fox business channel next summer and that it will be easy to compete against CNBC.",
      "The Reverend Fred Shuttlesworth, a native of Birmingham, says he is resigning from his position as president of the Southern Christian Leadership Conference.",
      "AP - A 6.0-magnitude earthquake struck in the seas near the remote, tsunami-ravaged Andaman and Nicobar islands, but caused no damage or casualties, officials said Monday.",
      "A German teenager who created the Sasser worm that disrupted computers around the world in May has been charged with computer sabotage, a crime carrying a maximum five-year jail term.",
      "Ayad Allawi #39;s ultimatum yesterday to the rebel Shia cleric Moqtada al Sadr - who is holed up with his fighters in the holy city of Najaf - was notable for one thing: the lack of a deadline.",
      "A new variant of the Mydoom worm that exploits an unpatched flaw in Microsoft #39;s Internet Explorer browser is in the wild and posing particular risk to home and small business users, security experts warn.",
      "Pete Munro cannot describe the vibe, but he can feel it. He can sense the confidence growing. So he and many of his Astros teammates weren #39;t concerned Sunday afternoon after the Pirates scored three runs in the first.",
      "WASHINGTON (Reuters) - U.S. employers hired just 96,000  workers in September, the government said on Friday in a weak  jobs snapshot, the final one ahead of presidential elections  that also fueled speculation about a pause in interest-rate  rises.",
      "AP - Politicians in the nation's capital have been reluctant to set limits on the carbon dioxide pollution that is expected to warm the planet by 4 to 7 degrees Fahrenheit during the next century, citing uncertainty about the severity of the threat. But that uncertainty may have shrunk somewhat with the release last week of two scientific reports suggesting that global warming is not just a hypothetical possibility, but a real phenomenon that has already started transforming especially sensitive parts of the globe.");

  private static final int NUM_CLASSES = 3;
  private static byte[] onnxBytes;
  private static PretrainedWeights weights;
  private static EncodedBatch batch;
  private static OrtEnvironment env;

  @BeforeAll static void setUp() throws Exception {
    try (InputStream in = PretrainedParityTest.class.getResourceAsStream(PretrainedWeights.MINILM_ONNX_RESOURCE)) {
      onnxBytes = in.readAllBytes();
    }
    weights = PretrainedWeights.readResource(PretrainedWeights.MINILM_ONNX_RESOURCE);
    try (WordPieceTokenizer tok = WordPieceTokenizer.miniLm()) {
      batch = tok.encodeBatch(SENTENCES);
    }
    env = OrtEnvironment.getEnvironment();
  }

  @AfterAll static void tearDown() {
    onnxBytes = null;
    weights = null;
  }

  @Test void fullStudentMatchesOnnxRuntime() throws Exception {
    assertEquals(20, batch.batchSize());
    assertTrue(batch.seqLen() > 80 && batch.lengths()[0] < 10, "varied lengths: T = " + batch.seqLen());

    StudentConfig cfg = StudentConfig.miniLmL6(NUM_CLASSES);
    NamedParams params = new NamedParams(cfg.paramSpecs(), cfg.dataType());
    PretrainedWeights.LoadReport report = weights.loadInto(params, cfg.numLayers());
    assertEquals(List.of("classifier.weight", "classifier.bias"), report.notFromOnnx());
    long head = (long) cfg.hiddenSize() * NUM_CLASSES + NUM_CLASSES;
    long onnxCount = weights.parameterCount(); // = parameterCountOfResource(...), see PretrainedWeightsTest
    System.out.printf("parity: student encoder parameters %,d, ONNX weight initializers %,d (+%,d head)%n",
        params.count() - head, onnxCount, head);
    assertEquals(onnxCount, params.count() - head);
    assertEquals(onnxCount, cfg.parameterCount() - head);
    assertEquals(22_565_376L, onnxCount);

    float[][][] ort = runOrt(onnxBytes);
    INDArray student = new StudentTransformer(cfg, params)
        .encode(batch.inputIdsArray(), batch.attentionMaskArray(), batch.tokenTypeIdsArray()); // [B, T, H]
    double maxAbs = maxAbsOverRealTokens(student, ort);
    System.out.printf("parity: 6 layers, B=%d T=%d, max |student - ORT| over %d real tokens = %.3e%n",
        batch.batchSize(), batch.seqLen(), batch.tokenCount(), maxAbs);
    assertTrue(maxAbs <= TOLERANCE, "max abs difference " + maxAbs + " > " + TOLERANCE);
  }

  @Test void twoLayerStudentMatchesCutOnnxGraph() throws Exception {
    StudentConfig full = StudentConfig.miniLmL6(NUM_CLASSES);
    StudentConfig cfg = full.withNumLayers(2).withNumClasses(NUM_CLASSES);
    NamedParams params = new NamedParams(cfg.paramSpecs(), cfg.dataType());
    PretrainedWeights.LoadReport report = weights.loadInto(params, 2);
    assertEquals(4 * 16, report.droppedLayerTensors().size());
    // The 2-layer student's parameters are the embeddings and first two layers of the full one.
    for (String name : params.names()) {
      if (!name.startsWith("classifier.")) assertEquals(weights.tensors().get(name), params.get(name), name);
    }

    float[][][] ort = runOrt(cutAfterLayer(onnxBytes, 1));
    INDArray student = new StudentTransformer(cfg, params)
        .encode(batch.inputIdsArray(), batch.attentionMaskArray(), batch.tokenTypeIdsArray()); // [B, T, H]
    assertArrayEquals(new long[] {batch.batchSize(), batch.seqLen(), cfg.hiddenSize()}, student.shape());
    double maxAbs = maxAbsOverRealTokens(student, ort);
    System.out.printf("parity: 2 layers (ONNX graph cut after layer 1), max |student - ORT| = %.3e%n", maxAbs);
    assertTrue(maxAbs <= TOLERANCE, "max abs difference " + maxAbs + " > " + TOLERANCE);
  }

  /** last_hidden_state [B, T, H] from ONNX Runtime for the shared batch. */
  private static float[][][] runOrt(byte[] model) throws Exception {
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      opts.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model, opts);
           OnnxTensor ids = OnnxTensor.createTensor(env, batch.inputIds());
           OnnxTensor mask = OnnxTensor.createTensor(env, batch.attentionMask());
           OnnxTensor types = OnnxTensor.createTensor(env, batch.tokenTypeIds());
           OrtSession.Result r = session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
        return (float[][][]) r.get(0).getValue();
      }
    }
  }

  /** The same model with its only output re-pointed at the output of encoder layer {@code layer}. */
  private static byte[] cutAfterLayer(byte[] model, int layer) throws Exception {
    Onnx.ModelProto m = Onnx.ModelProto.parseFrom(model);
    String cut = "/encoder/layer." + layer + "/output/LayerNorm/Add_1_output_0";
    boolean produced = m.getGraph().getNodeList().stream().anyMatch(n -> n.getOutputList().contains(cut));
    assertTrue(produced, "no node produces " + cut);
    Onnx.ValueInfoProto out = m.getGraph().getOutput(0).toBuilder().setName(cut).build();
    Onnx.ModelProto.Builder b = m.toBuilder();
    b.getGraphBuilder().clearOutput().addOutput(out);
    return b.build().toByteArray();
  }

  /** Max |a - b| over positions with attention mask 1 (padding is undefined on both sides). */
  private static double maxAbsOverRealTokens(INDArray student, float[][][] ort) {
    assertEquals(ort.length, student.size(0));
    assertEquals(ort[0].length, student.size(1));
    assertEquals(ort[0][0].length, student.size(2));
    double max = 0;
    int h = ort[0][0].length;
    for (int b = 0; b < ort.length; b++) {
      for (int t = 0; t < batch.lengths()[b]; t++) {
        INDArray row = student.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b),
            org.nd4j.linalg.indexing.NDArrayIndex.point(t), org.nd4j.linalg.indexing.NDArrayIndex.all());
        double[] s = row.toDoubleVector();
        for (int k = 0; k < h; k++) {
          double d = Math.abs(s[k] - ort[b][t][k]);
          if (!(d <= max)) max = d; // NaN propagates as a failure
        }
      }
    }
    return max;
  }
}
