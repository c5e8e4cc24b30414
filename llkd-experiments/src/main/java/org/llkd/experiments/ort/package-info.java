/**
 * The one way into onnxruntime: {@link org.llkd.experiments.ort.OrtRuntime#environment()} creates onnxruntime's
 * process-wide environment on a thread with a stack large enough for onnxruntime 1.29.0's start-up (which otherwise
 * crashes the JVM with SIGSEGV, without an {@code hs_err} file, once the process command line is longer than about
 * 4 KB; docs/dependencies.md).
 *
 * <p>Imports: onnxruntime and the JDK only; no other {@code org.llkd} package.
 */
package org.llkd.experiments.ort;
