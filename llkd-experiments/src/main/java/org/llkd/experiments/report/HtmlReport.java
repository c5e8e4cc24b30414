package org.llkd.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.llkd.models.io.AtomicFiles;

/**
 * {@code llkd report}: one self-contained HTML page of every result under a results folder. Per experiment folder
 * (one holding a {@code table.md}): its table, significance and reading lines (the {@code table.md} rendered with
 * commonmark and its GitHub tables extension), its figures (every {@code *.png}, embedded as base64 {@code data:} URIs),
 * and a summary of its {@code provenance.json} (what, commit and dirty flag, build, wall time, machine, engine, runs,
 * full config folded). No network: inline CSS, no scripts, no external links to load.
 *
 * <p>Bad input stops the build with the file named: an image that {@code table.md} links and that is missing, a
 * {@code provenance.json} that is not JSON. A folder without {@code provenance.json} says so on the page.
 */
public final class HtmlReport {
  /** Experiments in the README's order; other folders follow alphabetically. */
  static final List<String> ORDER = List.of("MainResultsTable", "Fig3Ablation", "TeacherRobustnessTable",
      "Fig2ConfidenceAndUncertainty", "Fig4SelectionQuality", "GoldFinetuneEvidence", "Fig5ParameterAnalysis", "CrossCheck", "Summary");

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Parser MD = Parser.builder().extensions(List.of(TablesExtension.create())).build();
  private static final HtmlRenderer HTML = HtmlRenderer.builder().extensions(List.of(TablesExtension.create()))
      .escapeHtml(true).sanitizeUrls(false).build();

  private HtmlReport() {}

  /** Builds the page from {@code resultsDir} and writes it to {@code out} atomically; returns the experiment count. */
  public static int write(Path resultsDir, Path out) {
    List<Path> dirs = experimentDirs(resultsDir);
    AtomicFiles.writeString(out, render(resultsDir, dirs));
    return dirs.size();
  }

  /** The folders of {@code resultsDir} that hold a {@code table.md}, in report order. */
  static List<Path> experimentDirs(Path resultsDir) {
    if (!Files.isDirectory(resultsDir)) {
      throw new IllegalArgumentException("--results " + resultsDir + " is not a directory; expected the results folder "
          + "(results/<Experiment>/table.md, *.png, provenance.json)");
    }
    try (Stream<Path> s = Files.list(resultsDir)) {
      List<Path> dirs = s.filter(d -> Files.isRegularFile(d.resolve("table.md")))
          .sorted(Comparator.comparing((Path d) -> rank(d.getFileName().toString()))
              .thenComparing(d -> d.getFileName().toString()))
          .toList();
      if (dirs.isEmpty()) {
        throw new IllegalArgumentException(resultsDir + " holds no <Experiment>/table.md: nothing to report; run an "
            + "experiment (llkd run <Name>) or point --results at the folder holding them");
      }
      return dirs;
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + resultsDir, e);
    }
  }

  private static int rank(String name) {
    int i = ORDER.indexOf(name);
    return i < 0 ? ORDER.size() : i;
  }

  static String render(Path resultsDir, List<Path> dirs) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>LLKD-J results</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
        .append("<header><h1>LLKD-J results</h1><p>Built by <code>llkd report</code> from <code>")
        .append(esc(resultsDir.toAbsolutePath().normalize().toString()))
        .append("</code>: each experiment's table.md, figures and provenance.json.</p>\n<nav><ul>\n");
    for (Path d : dirs) {
      String n = d.getFileName().toString();
      h.append("<li><a href=\"#").append(esc(anchor(n))).append("\">").append(esc(n)).append("</a></li>\n");
    }
    h.append("</ul></nav></header>\n");
    for (Path d : dirs) section(h, d);
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void section(StringBuilder h, Path dir) {
    String name = dir.getFileName().toString();
    h.append("<section id=\"").append(esc(anchor(name))).append("\">\n<p class=\"folder\">results/").append(esc(name))
        .append("/</p>\n");
    Path tableMd = dir.resolve("table.md");
    Node doc = MD.parse(read(tableMd));
    Set<String> linked = embedImages(doc, dir, tableMd);
    doc.accept(new AbstractVisitor() { // table.md's "# Title" becomes the section's h2
      @Override
      public void visit(Heading heading) {
        heading.setLevel(Math.min(6, heading.getLevel() + 1));
        visitChildren(heading);
      }
    });
    h.append("<div class=\"table-md\">\n").append(HTML.render(doc)).append("</div>\n");
    List<Path> figures = pngs(dir).stream().filter(p -> !linked.contains(p.getFileName().toString())).toList();
    for (Path png : figures) {
      h.append("<figure><img src=\"").append(dataUri(png)).append("\" alt=\"").append(esc(png.getFileName().toString()))
          .append("\"><figcaption>").append(esc(png.getFileName().toString())).append("</figcaption></figure>\n");
    }
    provenance(h, dir.resolve("provenance.json"));
    h.append("</section>\n");
  }

  /** Replaces each image link of {@code doc} by a data URI; returns the file names so embedded. */
  private static Set<String> embedImages(Node doc, Path dir, Path tableMd) {
    Set<String> names = new LinkedHashSet<>();
    List<String> missing = new ArrayList<>();
    doc.accept(new AbstractVisitor() {
      @Override
      public void visit(Image image) {
        String dest = image.getDestination();
        if (dest.startsWith("data:")) return;
        Path file = dir.resolve(dest).normalize();
        if (dest.contains("://") || !file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
          missing.add(dest);
          return;
        }
        names.add(file.getFileName().toString());
        image.setDestination(dataUri(file));
      }
    });
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(tableMd + ": image(s) " + missing + " not found beside it; expected files in "
          + dir + " (rebuild the experiment's figures with llkd run <Name> --build-only)");
    }
    return names;
  }

  private static List<Path> pngs(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
          .filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir, e);
    }
  }

  static String dataUri(Path png) {
    try {
      byte[] b = Files.readAllBytes(png);
      // PNG signature: 89 50 4E 47 0D 0A 1A 0A
      if (b.length < 8 || (b[0] & 0xff) != 0x89 || b[1] != 'P' || b[2] != 'N' || b[3] != 'G') {
        throw new IllegalArgumentException(png + " is not a PNG file (no PNG signature in its first bytes); "
            + "regenerate it with llkd run <Name> --build-only");
      }
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(b);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + png, e);
    }
  }

  private static void provenance(StringBuilder h, Path file) {
    h.append("<div class=\"provenance\"><h3>Provenance</h3>\n");
    if (!Files.isRegularFile(file)) {
      h.append("<p class=\"missing\">No provenance.json in this folder: where these numbers come from is not recorded."
          + "</p></div>\n");
      return;
    }
    JsonNode p;
    try {
      p = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + "); expected the "
          + "provenance.json an experiment writes; rerun it or restore the file", e);
    }
    h.append("<table class=\"prov\"><tbody>\n");
    row(h, "what", text(p, "what"));
    JsonNode git = p.path("git");
    row(h, "commit", git.isMissingNode() ? "(not recorded)"
        : text(git, "commit") + (git.path("dirty").asBoolean(false) ? " (dirty checkout)" : ""));
    JsonNode build = git.path("build");
    if (!build.isMissingNode()) {
      row(h, "build", text(build, "commit") + (build.path("dirty").asBoolean(false) ? " (dirty)" : "") + ", built "
          + text(build, "time") + (git.has("buildMatchesCheckout")
              ? (git.path("buildMatchesCheckout").asBoolean() ? "; matches the checkout" : "; differs from the checkout")
              : ""));
    }
    row(h, "wall time", wall(p));
    row(h, "start / end", text(p, "start") + " / " + text(p, "end"));
    JsonNode host = p.path("host");
    row(h, "machine", host.isMissingNode() ? "(not recorded)" : text(host, "name") + ": " + text(host, "cpu") + ", "
        + text(host, "cores") + " cores, " + text(host, "os"));
    row(h, "java / nd4j", text(p.path("java"), "version") + " " + text(p.path("java"), "vendor") + " / "
        + text(p.path("nd4j"), "version") + ", " + text(p.path("nd4j"), "backend"));
    if (p.has("engine")) row(h, "engine", compact(p.get("engine")));
    if (p.has("runs")) row(h, "runs", compact(p.get("runs")));
    if (p.has("seeds")) row(h, "seeds", compact(p.get("seeds")));
    h.append("</tbody></table>\n");
    if (p.has("config")) {
      h.append("<details><summary>config</summary><pre>").append(esc(pretty(p.get("config")))).append("</pre></details>\n");
    }
    h.append("</div>\n");
  }

  private static String wall(JsonNode p) {
    JsonNode w = p.has("wallSeconds") ? p.get("wallSeconds") : p.get("experimentWallSeconds");
    if (w == null || !w.isNumber()) return "(not recorded)";
    double s = w.asDouble();
    String text = String.format(Locale.ROOT, "%.1f s", s);
    if (s >= 60) text += String.format(Locale.ROOT, " (%d h %02d min)", (long) (s / 3600), (long) (s / 60) % 60);
    JsonNode exp = p.get("experimentWallSeconds");
    if (exp != null && exp.isNumber() && p.has("wallSeconds") && exp.asDouble() != s) {
      text += String.format(Locale.ROOT, "; experiment total %.1f s", exp.asDouble());
    }
    return text;
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isMissingNode() || v.isNull() ? "?" : v.isValueNode() ? v.asText() : v.toString();
  }

  private static String compact(JsonNode n) {
    return n.isValueNode() ? n.asText() : n.toString();
  }

  private static String pretty(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + f, e);
    }
  }

  static String anchor(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static final String CSS = """
      body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24;
             max-width: 1180px; margin: 0 auto; padding: 0 24px 48px; }
      header { border-bottom: 2px solid #d0d7de; margin-bottom: 16px; }
      nav ul { columns: 3; padding-left: 18px; }
      section { margin-top: 36px; padding-top: 6px; border-top: 2px solid #d0d7de; }
      p.folder { color: #57606a; font: 13px ui-monospace, monospace; margin: 6px 0 0; }
      section h2 { margin-top: 4px; }
      table { border-collapse: collapse; margin: 10px 0 18px; font-variant-numeric: tabular-nums; }
      th, td { border: 1px solid #d0d7de; padding: 4px 9px; text-align: left; vertical-align: top; }
      thead th, table.prov th { background: #f3f5f7; }
      tbody tr:nth-child(even) td { background: #fafbfc; }
      code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f3f5f7; }
      code { padding: 1px 4px; border-radius: 3px; }
      pre { padding: 10px; overflow-x: auto; max-height: 420px; }
      img { max-width: 100%; height: auto; border: 1px solid #e5e8eb; }
      figure { margin: 14px 0; }
      figcaption { color: #57606a; font-size: 13px; }
      .provenance { background: #fbfbf8; border-left: 4px solid #c9b458; padding: 4px 14px; margin: 14px 0; }
      .missing { color: #9a3412; font-weight: 600; }
      """;
}
