/**
 * Export of the trained student to an ONNX graph, built with nd4j-api's {@code onnx.Onnx} protobuf classes (no
 * Python, no onnx tooling). Imports models packages only (classifier, encoder, params, io).
 */
package org.llkd.models.onnx;
