/**
 * Pretrained-weight import from ONNX exports of HuggingFace BERT encoders (all-MiniLM-L6-v2 ships
 * inside the langchain4j embeddings jar). {@link org.llkd.models.pretrained.OnnxInitializerReader}
 * parses the file with nd4j-api's {@code onnx.Onnx} protobuf classes and turns initializers into
 * INDArrays; {@link org.llkd.models.pretrained.PretrainedWeights} maps every initializer to the
 * student's HF BERT parameter name (unnamed {@code onnx::MatMul_NNN} weights through the MatMul node
 * that consumes them), fills a {@link org.llkd.models.params.NamedParams} and fails on any missing,
 * unmapped or mis-shaped tensor.
 *
 * <p>Imports ND4J (with its shaded protobuf), {@code org.llkd.models.params} and {@code org.llkd.models.io} (SHA-256)
 * only; it must not import
 * the encoder, losses, selection or experiments. ONNX Runtime is a test-only dependency (parity test).
 */
package org.llkd.models.pretrained;
