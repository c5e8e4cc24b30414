package org.llkd.experiments.ort;

import ai.onnxruntime.OrtEnvironment;

/** Child JVM of {@link OrtRuntimeTest}: starts onnxruntime one way ({@code direct} or {@code guarded}), prints "ok". */
public final class OrtChild {
  private OrtChild() {}

  public static void main(String[] args) {
    OrtEnvironment env = "direct".equals(args[0]) ? OrtEnvironment.getEnvironment() : OrtRuntime.environment();
    System.out.println("ok " + env.getClass().getSimpleName());
  }
}
