package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.selection.Selectors;

/** One colour per method (and dataset) in every figure; figures render. */
class ChartsTest {
  @Test
  void everyMethodAndDatasetHasItsOwnFixedColour() {
    Set<Color> methods = new HashSet<>();
    for (String m : Selectors.names()) {
      Color c = Charts.PALETTE.get(m);
      assertNotNull(c, "no palette colour for method " + m);
      methods.add(c);
    }
    assertEquals(Selectors.names().size(), methods.size(), "two methods share a colour");
    assertEquals(Charts.colour("gold"), Charts.colour("gold (upper bound)"), "table labels map to the method");
    assertEquals(Charts.colour("some-user-selector"), Charts.colour("some-user-selector"), "fallback is stable");
    for (String d : List.of("emotion", "ag_news", "scicite", "mag_fos", "pubmed_rct_sample", "nicta_piboso",
        "yahoo_answers")) {
      assertNotNull(Charts.PALETTE.get(d), "no palette colour for dataset " + d);
    }
  }

  @Test
  void barsTakeTheMethodColour(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("bars.png");
    Charts.bars(png, "t", "x", "y", List.of("emotion"),
        List.of(new Charts.BarSeries("llkd", List.of(0.9), List.of(0.0))), 0.0, 1.0);
    BufferedImage img = ImageIO.read(png.toFile());
    int want = Charts.colour("llkd").getRGB() & 0xffffff;
    boolean found = false;
    for (int y = 0; y < img.getHeight() && !found; y += 2) {
      for (int x = 0; x < img.getWidth() && !found; x += 2) {
        found = (img.getRGB(x, y) & 0xffffff) == want;
      }
    }
    assertTrue(found, "no pixel of llkd's colour in the bar chart");
  }
}
