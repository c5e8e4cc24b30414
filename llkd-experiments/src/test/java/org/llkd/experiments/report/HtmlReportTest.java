package org.llkd.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's content from a small results folder, and the errors for bad input. */
class HtmlReportTest {
  /** A results folder: Exp/ with table.md (linking one image), a second PNG, provenance.json; Other/ without one. */
  static Path results(Path dir) throws Exception {
    Path exp = dir.resolve("MainResultsTable");
    Files.createDirectories(exp);
    png(exp.resolve("linked.png"), 40, 20);
    png(exp.resolve("extra.png"), 30, 30);
    Files.writeString(exp.resolve("table.md"), """
        # Main results

        | method | test macro-F1 |
        |---|---|
        | llkd | **0.389 ± 0.036** |
        | a<b> | 0.1 |

        llkd vs all: p = 0.03 (paired t-test, 3 seeds)

        ![curve](linked.png)
        """);
    Files.writeString(exp.resolve("provenance.json"), """
        {"what":"MainResultsTable","git":{"commit":"abc123","dirty":true,"build":{"commit":"abc123","dirty":false,
         "time":"2026-11-25T18:59:04Z"},"buildMatchesCheckout":true},"wallSeconds":3725.5,
         "start":"s0","end":"e1","host":{"name":"vm","os":"Linux","cores":2,"cpu":"Xeon"},
         "java":{"version":"17.0.15","vendor":"Debian"},"nd4j":{"version":"1.0.0-M2.1","backend":"CpuBackend"},
         "runs":{"total":3,"failed":0},"config":{"tier":"QUICK","seeds":3}}
        """);
    Path other = dir.resolve("Zeta");
    Files.createDirectories(other);
    Files.writeString(other.resolve("table.md"), "# Zeta\n\nno numbers\n");
    Files.createDirectories(dir.resolve("NotAnExperiment")); // no table.md: left out
    return dir;
  }

  static void png(Path f, int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.setRGB(1, 1, 0xff0000);
    ImageIO.write(img, "png", f.toFile());
  }

  @Test
  void embedsTablesFiguresSignificanceAndProvenance(@TempDir Path tmp) throws Exception {
    Path res = results(tmp.resolve("results"));
    Path out = tmp.resolve("out/report.html");
    assertEquals(2, HtmlReport.write(res, out));
    String html = Files.readString(out);
    assertTrue(html.contains("<table>") && html.contains("<th>method</th>")
        && html.contains("<td><strong>0.389 ± 0.036</strong></td>"), html);
    assertTrue(html.contains("<td>a&lt;b&gt;</td>"), "cell text is escaped");
    assertTrue(html.contains("llkd vs all: p = 0.03 (paired t-test, 3 seeds)"));
    assertTrue(html.contains("<h2>Main results</h2>"), "table.md's title is the section heading");
    String linked = "data:image/png;base64,"
        + Base64.getEncoder().encodeToString(Files.readAllBytes(res.resolve("MainResultsTable/linked.png")));
    assertTrue(html.contains("<img src=\"" + linked + "\" alt=\"curve\""), "the linked image is embedded in place");
    assertEquals(1, count(html, linked), "and not shown twice");
    assertTrue(html.contains("<figcaption>extra.png</figcaption>"), "unlinked figures follow the table");
    assertFalse(html.contains("src=\"linked.png\"") || html.contains("http://") || html.contains("https://"),
        "no file or network reference left");
    assertTrue(html.contains("<th>commit</th><td>abc123 (dirty checkout)</td>"), html);
    assertTrue(html.contains("<th>wall time</th><td>3725.5 s (1 h 02 min)</td>"), html);
    assertTrue(html.contains("<th>machine</th><td>vm: Xeon, 2 cores, Linux</td>"), html);
    assertTrue(html.contains("&quot;tier&quot; : &quot;QUICK&quot;"), "config folded in");
    assertTrue(html.indexOf("id=\"mainresultstable\"") < html.indexOf("id=\"zeta\""), "README order first");
    assertTrue(html.contains("No provenance.json in this folder"), "a missing provenance is said, not skipped");
    assertFalse(html.contains("NotAnExperiment"));
  }

  @Test
  void badInputNamesTheFile(@TempDir Path tmp) throws Exception {
    Path res = results(tmp.resolve("results"));
    Files.delete(res.resolve("MainResultsTable/linked.png"));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> HtmlReport.write(res, tmp.resolve("r.html")));
    assertTrue(missing.getMessage().contains("table.md: image(s) [linked.png] not found"), missing.getMessage());
    assertFalse(Files.exists(tmp.resolve("r.html")), "nothing written");

    png(res.resolve("MainResultsTable/linked.png"), 4, 4);
    Files.writeString(res.resolve("MainResultsTable/provenance.json"), "{\"what\": ");
    IllegalArgumentException json = assertThrows(IllegalArgumentException.class,
        () -> HtmlReport.write(res, tmp.resolve("r.html")));
    assertTrue(json.getMessage().contains("provenance.json is not valid JSON"), json.getMessage());

    Files.writeString(res.resolve("MainResultsTable/extra.png"), "not a png");
    Files.delete(res.resolve("MainResultsTable/provenance.json"));
    IllegalArgumentException notPng = assertThrows(IllegalArgumentException.class,
        () -> HtmlReport.write(res, tmp.resolve("r.html")));
    assertTrue(notPng.getMessage().contains("extra.png is not a PNG file"), notPng.getMessage());

    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> HtmlReport.write(tmp.resolve("results/NotAnExperiment"), tmp.resolve("r.html")));
    assertTrue(empty.getMessage().contains("holds no <Experiment>/table.md"), empty.getMessage());
  }

  private static int count(String s, String sub) {
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
    return n;
  }
}
