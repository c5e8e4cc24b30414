package org.llkd.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.llkd.experiments.testsupport.Fixtures;

/**
 * Opens {@code llkd report}'s page of the repository's {@code results/} in a real headless browser (Debian's
 * {@code chromium}): fails on any console error or script error and on any image that does not decode (naturalWidth 0),
 * and keeps a screenshot under {@code target/report-browser/}. Skipped, with a message, only when no chromium is on
 * PATH ({@code .ci/run} installs it).
 */
@Tag("browser")
class ReportBrowserTest {
  private static final Path ARTEFACTS = Path.of("target", "report-browser");

  /** Records script errors and console.error calls before anything else runs. */
  private static final String PROBE_HEAD = "<script>window.__errs=[];"
      + "window.addEventListener('error',function(e){__errs.push(String(e.message||(e.target&&(e.target.src||'').slice(0,60))||'error'))},true);"
      + "var __ce=console.error;console.error=function(){__errs.push(Array.prototype.join.call(arguments,' '));__ce.apply(console,arguments)};"
      + "</script>";
  /** After load: writes the image and error counts into the DOM, which --dump-dom prints. */
  private static final String PROBE_TAIL = "<script>window.addEventListener('load',function(){"
      + "var imgs=Array.prototype.slice.call(document.images);"
      + "var bad=imgs.filter(function(i){return !i.complete||i.naturalWidth===0}).map(function(i){return i.alt});"
      + "var p=document.createElement('pre');p.id='llkd-probe';"
      + "p.textContent='LLKD-PROBE images='+imgs.length+' broken='+JSON.stringify(bad)+' errors='+JSON.stringify(__errs)+' END';"
      + "document.body.appendChild(p)});</script>";

  /**
   * The pages of the committed results: the current standard-tier tables under results/ and the superseded quick-tier
   * tables under results/legacy-quick-v1/ (the paper's experiments, with their figures).
   */
  @Test
  void theRepositoryReportLoadsWithoutErrorsOrBrokenImages() throws Exception {
    Optional<Path> chromium = findChromium();
    Assumptions.assumeTrue(chromium.isPresent(), "chromium not found on PATH (chromium, chromium-browser, "
        + "google-chrome): browser check of llkd report skipped; install it with apt-get install -y chromium (.ci/run does)");
    Files.createDirectories(ARTEFACTS);
    Path results = Fixtures.repoRoot().resolve("results");
    check(chromium.get(), results, "report", 1);
    check(chromium.get(), results.resolve("legacy-quick-v1"), "report-legacy", 7);
  }

  /** Writes the report of {@code results} as {@code name}.html, opens it, and fails on any error or broken image. */
  private static void check(Path chromium, Path results, String name, int minExperiments) throws Exception {
    Path page = ARTEFACTS.resolve(name + ".html").toAbsolutePath();
    int experiments = HtmlReport.write(results, page);
    long withTable;
    try (Stream<Path> s = Files.list(results)) {
      withTable = s.filter(d -> Files.isRegularFile(d.resolve("table.md"))).count();
    }
    assertEquals(withTable, experiments, "every " + results + "/<Experiment>/table.md is on the page");
    assertTrue(experiments >= minExperiments, results + " holds " + experiments + " experiments, expected at least "
        + minExperiments);
    String html = Files.readString(page);
    int pngFiles;
    try (Stream<Path> s = Files.walk(results, 2)) {
      pngFiles = (int) s.filter(p -> p.getNameCount() - results.getNameCount() == 2)
          .filter(p -> p.toString().endsWith(".png")).count();
    }

    Path probed = ARTEFACTS.resolve(name + "-probed.html").toAbsolutePath();
    Files.writeString(probed, html.replace("<head>\n", "<head>\n" + PROBE_HEAD).replace("</body>", PROBE_TAIL + "</body>"));
    Result dom = chromium(chromium, List.of("--dump-dom", "--virtual-time-budget=10000",
        "--enable-logging=stderr", "--v=0"), probed);
    Files.writeString(ARTEFACTS.resolve(name + "-dump-dom.log"), dom.stderr);
    Matcher m = Pattern.compile("LLKD-PROBE images=(\\d+) broken=(\\[.*?]) errors=(\\[.*?]) END").matcher(dom.stdout);
    assertTrue(m.find(), "the probe did not report (page did not load?); chromium stderr:\n" + tail(dom.stderr));
    assertEquals(pngFiles, Integer.parseInt(m.group(1)), "every PNG under results/<Experiment>/ is on the page");
    assertEquals("[]", m.group(2), "images that did not decode");
    assertEquals("[]", m.group(3), "script or console errors");
    List<String> console = dom.stderr.lines().filter(l -> l.contains(":CONSOLE")).toList();
    assertEquals(List.of(), console, "browser console lines");

    Path shot = ARTEFACTS.resolve(name + ".png").toAbsolutePath();
    Files.deleteIfExists(shot);
    Result s = chromium(chromium, List.of("--screenshot=" + shot, "--window-size=1280,4000",
        "--hide-scrollbars"), page);
    assertTrue(Files.isRegularFile(shot) && Files.size(shot) > 20_000, "screenshot missing or blank; chromium:\n"
        + tail(s.stderr));
  }

  private record Result(String stdout, String stderr) {}

  private static Result chromium(Path exe, List<String> flags, Path page) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-extensions", "--user-data-dir=" + ARTEFACTS.resolve("profile").toAbsolutePath()));
    cmd.addAll(flags);
    cmd.add(page.toUri().toString());
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Files.createTempFile("chromium", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("chromium did not finish in 120 s: " + cmd);
      }
      return new Result(Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Optional<Path> findChromium() {
    String path = System.getenv("PATH");
    if (path == null) return Optional.empty();
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String tail(String s) {
    return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
  }
}
