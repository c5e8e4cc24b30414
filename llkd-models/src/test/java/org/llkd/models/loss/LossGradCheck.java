package org.llkd.models.loss;

import static org.junit.jupiter.api.Assertions.fail;

/** Relative-error comparison of an analytic gradient with a central finite difference. */
final class LossGradCheck {
  /** Relative error allowed (brief: 1e-6). */
  static final double REL_TOL = 1e-6;
  /** Below this magnitude both values count as zero: FD rounding noise at eps 1e-5 is ~1e-11. */
  static final double ABS_FLOOR = 1e-9;

  private LossGradCheck() {}

  static void assertClose(double analytic, double fd, String what) {
    double diff = Math.abs(analytic - fd);
    double scale = Math.max(Math.abs(analytic), Math.abs(fd));
    if (scale < ABS_FLOOR) return;
    double rel = diff / scale;
    if (rel > REL_TOL) fail(what + ": analytic " + analytic + " vs finite difference " + fd + ", relative error " + rel);
  }
}
